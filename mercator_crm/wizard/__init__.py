from . import mercator_report_wizard
from . import mercator_partner_reassign
from . import mail_compose_message
from . import mercator_action_close
