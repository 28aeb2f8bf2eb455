# Import order is override order. Several files extend the same model
# (``_inherit``): a file imported later wraps the methods of the files imported
# before it, and its ``super()`` calls them. mercator.action is defined in
# mercator_action.py and extended by its topic files below, in this order (its
# class docstring says which hooks each one overrides): the ``create`` of
# mercator_action_offer.py runs first and calls the reminder's, which calls the
# calendar's, which calls the base one.

# Configuration models
from . import mercator_prospect_type
from . import mercator_action_template
from . import mercator_board_column
from . import mercator_close_reason

# mercator.action: the base, then its topics
from . import mercator_action
from . import mercator_action_chain
from . import mercator_action_calendar
from . import mercator_action_reminder
from . import mercator_action_offer
from . import mercator_action_close
from . import mercator_action_board
from . import mercator_action_reporting
from . import mercator_action_mailing
from . import mercator_action_email
from . import mercator_action_reply

# Other models of the addon
from . import mercator_action_reminder_recipient
from . import mercator_mailing
from . import report_offer

# Odoo models extended by the addon
from . import calendar_event
from . import ir_actions_report
from . import mail_mail
from . import res_config_settings
from . import res_partner
from . import res_users
from . import res_partner_duplicate
from . import sale_order
from . import sale_order_line
