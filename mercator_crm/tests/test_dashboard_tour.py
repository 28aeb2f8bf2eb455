from odoo.tests import HttpCase, tagged

from .common import MercatorObjectivesCommon


@tagged("post_install", "-at_install")
class TestMercatorDashboardTour(HttpCase, MercatorObjectivesCommon):
    def test_dashboard_tour(self):
        """Open the dashboard: the team's objectives and My day; set a target
        for a rep without one; switch representative: their objectives, Done
        from My day, the quarter and the month before; refresh, drag a card to
        another column, open it."""
        self.start_tour(
            "/odoo/action-mercator_crm.mercator_dashboard_action",
            "mercator_dashboard_tour",
            login="mercator_manager",
        )
        self.assertEqual(self.opp_negotiation.board_column_id, self.column_2)
        target = self.env["mercator.target"].search([("user_id", "=", self.rep_all.id)])
        self.assertEqual(target.revenue_target, 5000.0)
        self.assertEqual(target.date_from, self.month_start)
        self.assertTrue(self.task_today.done)
