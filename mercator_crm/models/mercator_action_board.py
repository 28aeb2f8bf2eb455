from odoo import api, fields, models
from odoo.tools.sql import create_index

# Card colours of the objectives board (kanban colour indexes): green for won,
# light blue for in negotiation, red for lost.
BOARD_STATE_COLORS = {"won": 10, "negotiation": 4, "lost": 1}


class MercatorAction(models.Model):
    """The objectives board: each opportunity stands in a column
    (``mercator.board.column``) and is coloured by its status."""

    _inherit = "mercator.action"

    board_column_id = fields.Many2one(
        "mercator.board.column",
        index="btree_not_null",
        compute="_compute_board_column_id",
        store=True,
        readonly=False,
        group_expand="_read_group_board_column_ids",
        ondelete="restrict",
        tracking=True,
        copy=False,
        help="Column of the objectives board this opportunity stands in.",
    )
    board_color = fields.Integer(
        "Board Colour",
        compute="_compute_board_color",
        help="Colour of the card on the objectives board, from the status.",
    )

    def init(self):
        res = super().init()
        # The board's columns, counts, sums and progress bars read these
        # columns of the opportunities only: a partial index that covers them
        # (index-only scans), however many other actions the table holds.
        create_index(
            self.env.cr,
            "mercator_action_board_index",
            self._table,
            ["board_column_id", "opportunity_state", "company_id", "expected_revenue"],
            where="kind = 'opportunity' AND active",
        )
        return res

    @api.depends("kind")
    def _compute_board_column_id(self):
        first_column = self.env["mercator.board.column"].search([], limit=1)
        for action in self:
            if action.kind != "opportunity":
                action.board_column_id = False
            elif not action.board_column_id:
                action.board_column_id = first_column

    @api.depends("opportunity_state")
    def _compute_board_color(self):
        for action in self:
            action.board_color = BOARD_STATE_COLORS.get(action.opportunity_state, 0)

    @api.model
    def _read_group_board_column_ids(self, columns, domain):
        """Show every column of the board, also the empty ones (a handful of
        configuration records, as crm does with its stages)."""
        return columns.search([])  # pylint: disable=no-search-all
