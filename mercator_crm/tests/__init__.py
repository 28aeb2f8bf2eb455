from . import test_mercator_action
from . import test_mercator_action_chain
from . import test_res_partner
from . import test_mercator_security
from . import test_mercator_ui
