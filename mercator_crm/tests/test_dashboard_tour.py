from odoo.tests import HttpCase, tagged

from .common_dashboard import MercatorDashboardCase


@tagged("post_install", "-at_install")
class TestMercatorDashboardTour(HttpCase, MercatorDashboardCase):
    def test_dashboard_tour(self):
        """Open the dashboard, switch representative, refresh, drag a card to
        another column, open it."""
        self.start_tour(
            "/odoo/action-mercator_crm.mercator_dashboard_action",
            "mercator_dashboard_tour",
            login="dash_manager",
        )
        self.assertEqual(self.opp_a_negotiation.board_column_id, self.column_2)
