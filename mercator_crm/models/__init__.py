from . import mercator_prospect_type
from . import mercator_action_template
from . import mercator_action
from . import mercator_action_chain
from . import res_partner
from . import ir_actions_report
from . import sale_order
from . import mercator_action_offer
