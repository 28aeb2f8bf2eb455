from odoo import _, api, fields, models
from odoo.exceptions import AccessError


class MercatorPartnerReassign(models.TransientModel):
    """The confirmation of a new representative for a prospect or customer:
    it says how much open work moves, then changes the representative (the
    moving itself is ``res.partner.write``'s, whatever changes it)."""

    _name = "mercator.partner.reassign"
    _description = "Change the Representative of a Prospect"

    partner_id = fields.Many2one(
        "res.partner",
        string="Prospect / Customer",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    previous_user_id = fields.Many2one(
        related="partner_id.user_id",
        string="Current Representative",
    )
    user_id = fields.Many2one(
        "res.users",
        string="New Representative",
        required=True,
        domain=lambda self: [
            ("share", "=", False),
            ("groups_id", "in", self.env.ref("mercator_crm.group_mercator_user").ids),
        ],
    )
    open_action_count = fields.Integer("Open Actions", compute="_compute_open_work")
    open_opportunity_count = fields.Integer(
        "Opportunities in Negotiation", compute="_compute_open_work"
    )
    summary = fields.Char(compute="_compute_open_work")

    @api.depends("partner_id", "user_id")
    def _compute_open_work(self):
        for wizard in self:
            previous = wizard.previous_user_id
            work = (
                wizard.partner_id._mercator_get_open_work(previous)
                if previous
                else self.env["mercator.action"]
            )
            opportunities = work.filtered(lambda a: a.kind == "opportunity")
            wizard.open_opportunity_count = len(opportunities)
            wizard.open_action_count = len(work - opportunities)
            wizard.summary = wizard._get_summary()

    def _get_summary(self):
        """The sentence of the confirmation: what moves, from whom to whom."""
        self.ensure_one()
        partner, previous, user = self.partner_id, self.previous_user_id, self.user_id
        if not previous:
            return _(
                "Nobody represents %(partner)s yet: its actions keep their "
                "responsible.",
                partner=partner.name,
            )
        if not user:
            return False
        if user == previous:
            return _(
                "%(user)s already represents %(partner)s.",
                user=user.name,
                partner=partner.name,
            )
        if not self.open_action_count and not self.open_opportunity_count:
            return _(
                "%(previous)s has no open work on %(partner)s: only the "
                "representative changes.",
                previous=previous.name,
                partner=partner.name,
            )
        return _(
            "The open work of %(previous)s on %(partner)s moves to %(user)s: "
            "open actions: %(actions)s, opportunities in negotiation: "
            "%(opportunities)s. Done actions and closed opportunities stay with "
            "who did them.",
            previous=previous.name,
            partner=partner.name,
            user=user.name,
            actions=self.open_action_count,
            opportunities=self.open_opportunity_count,
        )

    def action_confirm(self):
        """Button "Change": the new representative, who takes the open work.
        For users who see all documents: a rep with own documents would lose
        the prospect from sight on the way."""
        self.ensure_one()
        if not self.env.user.has_group("mercator_crm.group_mercator_user_all"):
            raise AccessError(
                _(
                    "Only a manager or a user who sees all documents hands a "
                    "prospect over to another representative: ask one to change "
                    "the representative of %(partner)s.",
                    partner=self.partner_id.name,
                )
            )
        self.partner_id.write({"user_id": self.user_id.id})
        return {"type": "ir.actions.act_window_close"}
