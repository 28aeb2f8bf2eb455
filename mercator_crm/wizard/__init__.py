from . import mercator_report_wizard
