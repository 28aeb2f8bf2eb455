from . import mercator_report_wizard
from . import mercator_action_close
