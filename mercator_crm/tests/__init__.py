from . import test_offer
from . import test_offer_tour
