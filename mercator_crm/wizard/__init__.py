from . import mercator_report_wizard
from . import mercator_partner_reassign
