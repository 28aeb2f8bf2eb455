from . import test_calendar_sync
from . import test_reminder
from . import test_task_screen
from . import test_reminder_tour
