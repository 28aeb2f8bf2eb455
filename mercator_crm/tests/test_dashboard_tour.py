from odoo.tests import HttpCase, tagged

from .common import MercatorDashboardCommon


@tagged("post_install", "-at_install")
class TestMercatorDashboardTour(HttpCase, MercatorDashboardCommon):
    def test_dashboard_tour(self):
        """Open the dashboard, switch representative, refresh, drag a card to
        another column, open it."""
        self.start_tour(
            "/odoo/action-mercator_crm.mercator_dashboard_action",
            "mercator_dashboard_tour",
            login="mercator_manager",
        )
        self.assertEqual(self.opp_negotiation.board_column_id, self.column_2)
