from odoo import _, api, fields, models

CLOSE_OUTCOMES = [("won", "Won"), ("lost", "Lost")]


class MercatorCloseReason(models.Model):
    """Why an opportunity was won or lost: two lists a manager keeps, as crm's
    ``crm.lost.reason`` does for lost leads. Closing an opportunity asks for
    one (``wizard/mercator_action_close.py``); the analyses group by it."""

    _name = "mercator.close.reason"
    _description = "Won / Lost Reason"
    _order = "outcome desc, sequence, id"

    name = fields.Char("Reason", required=True, translate=True)
    outcome = fields.Selection(
        CLOSE_OUTCOMES,
        required=True,
        default="lost",
        help="The reason is offered when an opportunity is closed this way.",
    )
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    opportunity_count = fields.Integer(
        "Opportunities", compute="_compute_opportunity_count"
    )

    def _compute_opportunity_count(self):
        counts = dict(
            self.env["mercator.action"]
            .with_context(active_test=False)
            ._read_group(
                [("close_reason_id", "in", self.ids)], ["close_reason_id"], ["__count"]
            )
        )
        for reason in self:
            reason.opportunity_count = counts.get(reason, 0)

    def action_view_opportunities(self):
        """Smart button: the opportunities closed with these reasons."""
        return (
            self.env["mercator.action"]
            .search([("close_reason_id", "in", self.ids)])
            ._get_records_action(
                name=_("Opportunities closed for %(reason)s", reason=self[:1].name),
                context={"create": False},
            )
        )

    @api.model
    def _outcome_label(self, outcome):
        """ "won" or "lost", in the user's language, for a sentence."""
        return dict(self._fields["outcome"]._description_selection(self.env))[
            outcome
        ].lower()
