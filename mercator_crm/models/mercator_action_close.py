from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

# ir.config_parameter of the setting "Close Opportunities without a Reason".
CLOSE_WITHOUT_REASON_PARAM = "mercator_crm.close_without_reason"


class MercatorAction(models.Model):
    """Won / lost with a reason: a closed opportunity carries the reason it was
    won or lost for (``mercator.close.reason``), chosen in the close wizard.

    Closing without a reason is refused unless the setting allows it, whatever
    the path (the wizard, ``action_set_won`` / ``action_set_lost`` over RPC, a
    plain ``write``); Odoo's own code closing as the superuser (a confirmed
    quote wins its opportunity) is not refused. Reopening the negotiation
    clears the reason.
    """

    _inherit = "mercator.action"

    close_reason_id = fields.Many2one(
        "mercator.close.reason",
        string="Won / Lost Reason",
        index="btree_not_null",
        tracking=True,
        copy=False,
        ondelete="restrict",
        compute="_compute_close_reason_id",
        store=True,
        readonly=False,
        domain="[('outcome', '=', opportunity_state)]",
    )

    @api.depends("opportunity_state")
    def _compute_close_reason_id(self):
        for action in self:
            if action.opportunity_state not in ("won", "lost"):
                action.close_reason_id = False

    @api.constrains("close_reason_id", "opportunity_state")
    def _check_close_reason_id(self):
        for action in self:
            reason = action.close_reason_id
            if reason and reason.outcome != action.opportunity_state:
                raise ValidationError(
                    _(
                        '"%(reason)s" is a reason for %(outcome)s opportunities: it '
                        'does not fit "%(action)s".',
                        reason=reason.name,
                        outcome=reason._outcome_label(reason.outcome),
                        action=action.name,
                    )
                )

    def write(self, vals):
        if "close_reason_id" in vals or "opportunity_state" in vals:
            self._check_closed_with_reason(vals)
        return super().write(vals)

    def _check_closed_with_reason(self, vals):
        """Refuse to write ``vals`` when it leaves an opportunity won or lost
        without a reason (closing it, or clearing its reason), unless the
        setting allows it. The superuser (Odoo's own code) is not refused."""
        if self.env.su or self._close_without_reason_allowed():
            return
        action = next((a for a in self if a._is_left_without_reason(vals)), None)
        if action is None:
            return
        outcome = vals.get("opportunity_state", action.opportunity_state)
        Reason = self.env["mercator.close.reason"]
        if Reason.search_count([("outcome", "=", outcome)], limit=1):
            message = _(
                'Choose why "%(action)s" is %(outcome)s: a reason is required to '
                "close an opportunity.",
                action=action.name,
                outcome=Reason._outcome_label(outcome),
            )
        else:
            message = _(
                "No reason is configured for %(outcome)s opportunities, and "
                '"%(action)s" cannot be closed without one: ask a Mercator CRM '
                "administrator to add reasons (Configuration > Won / Lost "
                "Reasons) or to allow closing without a reason (Settings).",
                action=action.name,
                outcome=Reason._outcome_label(outcome),
            )
        raise UserError(message)

    def _is_left_without_reason(self, vals):
        """Whether writing ``vals`` closes this opportunity, or changes the
        reason of a closed one, leaving it without a reason."""
        self.ensure_one()
        old_state = self.opportunity_state
        new_state = vals.get("opportunity_state", old_state)
        if new_state not in ("won", "lost"):
            return False
        if "close_reason_id" in vals:
            return not vals["close_reason_id"]
        return new_state != old_state and not self.close_reason_id

    @api.model
    def _close_without_reason_allowed(self):
        # sudo: the setting is read by every rep who closes an opportunity, and
        # only administrators read system parameters.
        return bool(
            self.env["ir.config_parameter"].sudo().get_param(CLOSE_WITHOUT_REASON_PARAM)
        )
