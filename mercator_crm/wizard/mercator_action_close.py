from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools.mail import is_html_empty

from ..models.mercator_close_reason import CLOSE_OUTCOMES


class MercatorActionClose(models.TransientModel):
    """The dialog of the "Won" and "Lost" buttons (and of the list's Action
    menu): the reason and a closing note, as crm's ``crm.lead.lost`` asks for
    a lost reason."""

    _name = "mercator.action.close"
    _description = "Close Opportunities with a Reason"

    action_ids = fields.Many2many(
        "mercator.action",
        string="Opportunities",
        required=True,
        domain="[('kind', '=', 'opportunity')]",
    )
    outcome = fields.Selection(CLOSE_OUTCOMES, required=True, default="won")
    close_reason_id = fields.Many2one(
        "mercator.close.reason",
        string="Reason",
        domain="[('outcome', '=', outcome)]",
    )
    close_note = fields.Html("Closing Note", sanitize=True)
    reason_required = fields.Boolean(compute="_compute_reason_required")
    reason_available = fields.Boolean(compute="_compute_reason_available")

    @api.depends("outcome")
    def _compute_reason_required(self):
        allowed = self.env["mercator.action"]._close_without_reason_allowed()
        self.reason_required = not allowed

    @api.depends("outcome")
    def _compute_reason_available(self):
        outcomes = {
            outcome
            for [outcome] in self.env["mercator.close.reason"]._read_group(
                [], ["outcome"]
            )
        }
        for wizard in self:
            wizard.reason_available = wizard.outcome in outcomes

    @api.onchange("outcome")
    def _onchange_outcome(self):
        if self.close_reason_id.outcome != self.outcome:
            self.close_reason_id = False

    def action_close(self):
        """Button "Mark as Won" / "Mark as Lost": close the opportunities with
        the reason, and log the note in their chatter."""
        self.ensure_one()
        opportunities = self.action_ids
        close = (
            opportunities.action_set_won
            if self.outcome == "won"
            else opportunities.action_set_lost
        )
        close(close_reason_id=self.close_reason_id.id)
        if not is_html_empty(self.close_note):
            note = Markup("<p>%s</p>%s") % (_("Closing note:"), self.close_note)
            opportunities._message_log_batch(
                bodies=dict.fromkeys(opportunities.ids, note)
            )
        return {"type": "ir.actions.act_window_close"}
