from . import test_dashboard_board
from . import test_dashboard_figures
from . import test_dashboard_reports
from . import test_dashboard_tour
from . import test_dashboard_spreadsheet
