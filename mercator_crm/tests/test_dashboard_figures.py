from odoo import Command
from odoo.tests import tagged, users

from .common import BOARD_PROGRESS_BAR, MercatorDashboardCommon


@tagged("post_install", "-at_install")
class TestMercatorDashboardFigures(MercatorDashboardCommon):
    def _figures(self, rep=False):
        """The dashboard's figures as the test's user sees them, for ``rep``."""
        return self.env["mercator.action"].get_mercator_dashboard_data(
            rep.id if rep else False
        )

    @users("mercator_manager")
    def test_figures_of_a_rep(self):
        """The rep: 2,000 won this month and quarter, 1,000 at 50 % in
        negotiation (500 weighted), one action done this week, one overdue."""
        data = self._figures(self.rep)
        self.assertEqual(data["won_month"], 2000.0)
        self.assertEqual(data["won_month_count"], 1)
        self.assertEqual(data["won_quarter"], 2000.0)
        self.assertEqual(data["negotiation"], 1000.0)
        self.assertEqual(data["negotiation_weighted"], 500.0)
        self.assertEqual(data["negotiation_count"], 1)
        self.assertEqual(data["opportunity_count"], 2)
        self.assertEqual(data["done_week"], 1)
        self.assertEqual(data["overdue"], 1)
        data = self._figures(self.rep_other)
        self.assertEqual(data["won_quarter"], 0)
        self.assertEqual(data["negotiation_weighted"], 1000.0)
        self.assertEqual(data["opportunity_count"], 2)

    @users("mercator_manager")
    def test_confirmed_quotes_revenue(self):
        """Confirmed quotes of opportunities count, drafts and others do not."""
        product = (
            self.env["product.product"]
            .sudo()
            .create({"name": "Dash Desk", "list_price": 300})
        )
        line = {"product_id": product.id, "price_unit": 300, "tax_id": False}
        orders = self.env["sale.order"].create(
            [
                {
                    "partner_id": self.prospect.id,
                    "user_id": self.rep.id,
                    "mercator_opportunity_id": self.opp_won.id,
                    "order_line": [Command.create({**line, "product_uom_qty": 2})],
                },
                {
                    "partner_id": self.prospect.id,
                    "user_id": self.rep.id,
                    "mercator_opportunity_id": self.opp_negotiation.id,
                    "order_line": [Command.create({**line, "product_uom_qty": 1})],
                },
            ]
        )
        orders[0].action_confirm()
        data = self._figures(self.rep)
        self.assertEqual(data["quotes_month"], 600.0)
        self.assertEqual(data["quotes_quarter"], 600.0)
        lines = self.env["mercator.action"]._get_mercator_revenue_lines(
            partner=self.prospect
        )
        self.assertEqual(len(lines), 1)
        self.assertEqual(lines[0]["user"], self.rep)
        # The won opportunity's expected revenue follows its confirmed quote
        # (offers): 600, no longer the 2,000 typed by hand.
        self.assertEqual(self.opp_won.expected_revenue, 600.0)
        self.assertEqual(lines[0]["won_amount"], 600.0)
        self.assertEqual(lines[0]["quote_amount"], 600.0)
        self.assertEqual(lines[0]["quote_count"], 1)

    @users("mercator_rep")
    def test_rights_own_documents_rep_sees_own_figures(self):
        """A rep with "own documents" only counts their own records, even when
        asking for another rep."""
        data = self._figures()
        self.assertEqual([u["id"] for u in data["users"]], [self.rep.id])
        self.assertEqual(data["opportunity_count"], 2)
        self.assertEqual(data["won_quarter"], 2000.0)
        data = self._figures(self.rep_other)
        self.assertEqual(data["opportunity_count"], 0)
        self.assertEqual(data["negotiation"], 0)

    @users("mercator_manager")
    def test_rights_manager_sees_every_rep(self):
        data = self._figures()
        counts = {u["id"]: u["count"] for u in data["users"]}
        self.assertEqual(counts[self.rep.id], 2)
        self.assertEqual(counts[self.rep_other.id], 2)
        # A rep without opportunities can be chosen: the board is then empty.
        self.assertEqual(counts[self.rep_all.id], 0)
        data = self._figures(self.rep_other)
        self.assertEqual(data["opportunity_count"], 2)


@tagged("post_install", "-at_install")
class TestMercatorDashboardQueries(MercatorDashboardCommon):
    """The board's and the dashboard's data calls cost the same number of
    queries for 10 and for 1,000 opportunities."""

    def _create_opportunities(self, count, name):
        columns = self.column_1 | self.column_2
        self.env["mercator.action"].with_context(tracking_disable=True).create(
            [
                {
                    "name": f"{name} {index}",
                    "template_id": self.tpl_opportunity.id,
                    "partner_id": self.prospect.id,
                    "user_id": self.rep.id,
                    "board_column_id": columns[index % 2].id,
                    "expected_revenue": 100.0 * index,
                    "probability": 30.0,
                    "opportunity_state": "won" if index % 3 == 0 else "negotiation",
                }
                for index in range(count)
            ]
        )
        self.env.flush_all()

    @users("mercator_manager")
    def test_query_count_10_and_1000(self):
        domain = [*self.fixture_domain, ("opportunity_state", "!=", "lost")]
        Action = self.env["mercator.action"]
        env = self.env

        def columns():
            # Groups with their counts and sums, and the won / negotiation bars.
            Action.web_read_group(domain, ["expected_revenue:sum"], ["board_column_id"])
            Action.read_progress_bar(domain, "board_column_id", BOARD_PROGRESS_BAR)

        def board():
            self._board_data(env, domain)

        def dashboard():
            Action.get_mercator_dashboard_data(self.rep.id)

        self._create_opportunities(8, "Small")  # 10 opportunities of rep A
        columns_10 = self._count_queries(columns)
        board_10 = self._count_queries(board)
        dashboard_10 = self._count_queries(dashboard)

        self._create_opportunities(990, "Big")  # 1,000 opportunities of rep A
        columns(), board(), dashboard()
        self.env.invalidate_all()
        with self.assertQueryCount(columns_10):
            columns()
        self.env.invalidate_all()
        with self.assertQueryCount(dashboard_10):
            dashboard()
        # The cards: the first 40 of each column, read in batch. Odoo's
        # web_search_read adds one count query to a column holding more cards
        # than it shows (the kanban's "load more"): both columns here.
        self.env.invalidate_all()
        with self.assertQueryCount(board_10 + 2):
            board()
        self.assertEqual(self._count_queries(columns), columns_10)
        self.assertEqual(
            Action.search_count([*self.fixture_domain, ("user_id", "=", self.rep.id)]),
            1000,
        )
