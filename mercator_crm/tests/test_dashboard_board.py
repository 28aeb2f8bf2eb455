from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged, users

from .common import MercatorDashboardCommon


@tagged("post_install", "-at_install")
class TestMercatorBoard(MercatorDashboardCommon):
    @users("mercator_manager")
    def test_column_editing_by_manager(self):
        """A manager adds, renames, reorders and folds columns from the board."""
        Column = self.env["mercator.board.column"]
        column_id, _name = Column.name_create("Dash Third")
        column = Column.browse(column_id)
        column.write({"name": "Dash Signed"})
        # Dragging a column header: the web client renumbers the columns in order.
        for sequence, moved in enumerate((self.column_2, self.column_1, column)):
            moved.with_env(self.env).write({"sequence": sequence})
        column.fold = True
        columns = Column.search(
            [("id", "in", (self.column_1 | self.column_2 | column).ids)]
        )
        self.assertEqual(
            columns.mapped("name"), ["Dash Second", "Dash First", "Dash Signed"]
        )
        self.assertTrue(column.fold)
        # The empty new column shows on the board (group_expand), folded.
        groups, _progress, cards = self._board_data(self.env, self.fixture_domain)
        group = next(g for g in groups if g["board_column_id"][0] == column.id)
        self.assertEqual(group["board_column_id_count"], 0)
        self.assertTrue(group["__fold"])
        self.assertNotIn(column.id, cards)
        # An empty column can be deleted.
        column.unlink()
        self.assertFalse(column.exists())

    @users("mercator_manager")
    def test_column_with_opportunities_cannot_be_deleted(self):
        with self.assertRaisesRegex(UserError, "still holds 2 opportunities"):
            self.column_1.with_env(self.env).unlink()
        self.assertTrue(self.column_1.exists())

    def _board_arch(self):
        view = self.env.ref("mercator_crm.mercator_action_view_kanban_board")
        return self.env["mercator.action"].get_views([(view.id, "kanban")])["views"][
            "kanban"
        ]["arch"]

    @users("mercator_rep")
    def test_column_editing_is_for_managers(self):
        """A rep moves cards but does not edit the columns; the board's view
        tells the web client so (group_create / group_edit / group_delete)."""
        with self.assertRaises(AccessError):
            self.env["mercator.board.column"].create({"name": "Rep Column"})
        with self.assertRaises(AccessError):
            self.column_1.with_env(self.env).write({"name": "Renamed"})
        arch = self._board_arch()
        self.assertIn('group_create="False"', arch)
        self.assertIn('group_delete="False"', arch)
        # Drag and drop: the rep moves their own card to another column.
        self.opp_negotiation.with_env(self.env).board_column_id = self.column_2
        self.assertEqual(self.opp_negotiation.board_column_id, self.column_2)

    @users("mercator_manager")
    def test_board_columns_editable_by_managers(self):
        self.assertNotIn('group_create="False"', self._board_arch())

    def test_new_opportunity_lands_in_first_column(self):
        first = self.env["mercator.board.column"].search([], limit=1)
        opportunity = self.env["mercator.action"].create(
            {
                "name": "Dash New",
                "template_id": self.tpl_opportunity.id,
                "partner_id": self.prospect.id,
            }
        )
        self.assertEqual(opportunity.board_column_id, first)
        self.assertFalse(
            self.call_done.board_column_id, "only opportunities are on the board"
        )

    def test_totals_against_fixture(self):
        """Counts, revenue sums and won / negotiation bars of each column, lost
        hidden as the board does by default."""
        domain = [*self.fixture_domain, ("opportunity_state", "!=", "lost")]
        groups, progress, cards = self._board_data(self.env, domain)
        by_column = {g["board_column_id"][0]: g for g in groups}
        self.assertEqual(by_column[self.column_1.id]["board_column_id_count"], 2)
        self.assertEqual(by_column[self.column_1.id]["expected_revenue"], 3000.0)
        self.assertEqual(by_column[self.column_2.id]["board_column_id_count"], 1)
        self.assertEqual(by_column[self.column_2.id]["expected_revenue"], 4000.0)
        self.assertEqual(
            progress[str(self.column_1.id)], {"won": 1, "negotiation": 1, "lost": 0}
        )
        self.assertEqual(
            progress[str(self.column_2.id)], {"won": 0, "negotiation": 1, "lost": 0}
        )
        self.assertEqual(
            {r["name"] for r in cards[self.column_1.id]["records"]},
            {"<i>Open space</i>", "Won desks"},
        )
        # With the lost ones shown, column 2 holds 12,000.
        groups, _progress, _cards = self._board_data(self.env, self.fixture_domain)
        by_column = {g["board_column_id"][0]: g for g in groups}
        self.assertEqual(by_column[self.column_2.id]["expected_revenue"], 12000.0)

    def test_state_colours(self):
        """Won cards are green, in negotiation light blue, lost red."""
        self.assertEqual(self.opp_won.board_color, 10)
        self.assertEqual(self.opp_negotiation.board_color, 4)
        self.assertEqual(self.opp_other_lost.board_color, 1)
        self.opp_negotiation.action_set_won()
        self.assertEqual(self.opp_negotiation.board_color, 10)
        view = self.env.ref("mercator_crm.mercator_action_view_kanban_board")
        self.assertIn('highlight_color="board_color"', view.arch_db)
        # Lost opportunities are hidden by default on the board.
        action = self.env.ref("mercator_crm.mercator_action_action_board")
        self.assertIn("'search_default_filter_not_lost': 1", action.context)

    def test_representative_filter(self):
        domain = [*self.fixture_domain, ("user_id", "=", self.rep.id)]
        groups, _progress, cards = self._board_data(self.env, domain)
        names = {r["name"] for group in cards.values() for r in group["records"]}
        self.assertEqual(names, {"<i>Open space</i>", "Won desks"})
        # A rep without opportunities: every column is there, empty; no error.
        domain = [*self.fixture_domain, ("user_id", "=", self.rep_all.id)]
        groups, _progress, cards = self._board_data(self.env, domain)
        self.assertTrue(groups)
        self.assertEqual(sum(g["board_column_id_count"] for g in groups), 0)
        self.assertFalse(any(group["records"] for group in cards.values()))
        data = self.env["mercator.action"].get_mercator_dashboard_data(self.rep_all.id)
        self.assertEqual(data["opportunity_count"], 0)
        self.assertEqual(data["won_quarter"], 0)

    def test_own_documents_rep_sees_own_board(self):
        _groups, _progress, cards = self._board_data(
            self.env(user=self.rep), self.fixture_domain
        )
        names = {r["name"] for group in cards.values() for r in group["records"]}
        self.assertEqual(names, {"<i>Open space</i>", "Won desks"})
        _groups, _progress, cards = self._board_data(
            self.env(user=self.manager), self.fixture_domain
        )
        names = {r["name"] for group in cards.values() for r in group["records"]}
        self.assertEqual(
            names, {"<i>Open space</i>", "Won desks", "Beta chairs", "Beta lost lamps"}
        )
