from odoo import api, fields, models

# Card colours of the objectives board (kanban colour indexes): green for won,
# light blue for in negotiation, red for lost.
BOARD_STATE_COLORS = {"won": 10, "negotiation": 4, "lost": 1}


class MercatorAction(models.Model):
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
    weighted_revenue = fields.Monetary(
        currency_field="currency_id",
        compute="_compute_weighted_revenue",
        store=True,
        help="Expected revenue multiplied by the probability.",
    )
    conversion_rate = fields.Float(
        "Conversion Rate (%)",
        compute="_compute_conversion_rate",
        store=True,
        aggregator="avg",
        help="100 for a won opportunity, 0 otherwise: its average over a group of "
        "opportunities is the share of them that was won.",
    )
    source_id = fields.Many2one(
        related="partner_id.mercator_source_id",
        store=True,
        string="Origin",
        index="btree_not_null",
    )
    partner_type_id = fields.Many2one(
        related="partner_id.mercator_type_id",
        store=True,
        string="Prospect Type",
        index="btree_not_null",
    )

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

    @api.depends("expected_revenue", "probability")
    def _compute_weighted_revenue(self):
        for action in self:
            action.weighted_revenue = action.expected_revenue * action.probability / 100

    @api.depends("kind", "opportunity_state")
    def _compute_conversion_rate(self):
        for action in self:
            won = action.kind == "opportunity" and action.opportunity_state == "won"
            action.conversion_rate = 100.0 if won else 0.0

    @api.model
    def _read_group_board_column_ids(self, columns, domain):
        """Show every column of the board, also the empty ones (a handful of
        configuration records, as crm does with its stages)."""
        return columns.search([])  # pylint: disable=no-search-all
