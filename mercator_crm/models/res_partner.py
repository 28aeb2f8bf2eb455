from odoo import Command, _, api, fields, models
from odoo.exceptions import ValidationError

MERCATOR_STATUSES = [("prospect", "Prospect"), ("customer", "Customer")]


class ResPartner(models.Model):
    _inherit = "res.partner"

    mercator_status = fields.Selection(
        MERCATOR_STATUSES,
        string="CRM Status",
        index="btree_not_null",
        tracking=True,
        help="Prospect: a company or person the sales team is winning over. "
        "Customer: one that has bought.",
    )
    mercator_type_id = fields.Many2one(
        "mercator.prospect.type",
        string="Prospect Type",
        index="btree_not_null",
        tracking=True,
    )
    mercator_source_id = fields.Many2one(
        "utm.source",
        string="Origin",
        index="btree_not_null",
        tracking=True,
        help="Where the prospect's interest comes from.",
    )
    mercator_action_ids = fields.One2many(
        "mercator.action",
        "partner_id",
        string="Actions",
    )
    # Computed, not one2many with a domain: a domain one2many costs a query per
    # partner each time actions are created (the ORM updates its inverse).
    mercator_opportunity_ids = fields.Many2many(
        "mercator.action",
        string="Mercator Opportunities",
        compute="_compute_mercator_action_tabs",
    )
    mercator_step_ids = fields.Many2many(
        "mercator.action",
        string="Steps of Opportunities",
        compute="_compute_mercator_action_tabs",
    )
    mercator_standalone_action_ids = fields.Many2many(
        "mercator.action",
        string="Other Actions",
        compute="_compute_mercator_action_tabs",
    )
    mercator_history_ids = fields.Many2many(
        "mercator.action",
        string="History",
        compute="_compute_mercator_history_ids",
    )
    mercator_open_action_count = fields.Integer(
        "Open Actions",
        compute="_compute_mercator_open_action_count",
    )

    @api.model
    def _commercial_fields(self):
        # Contact persons share the status, type and origin of their company.
        return [
            *super()._commercial_fields(),
            "mercator_status",
            "mercator_type_id",
            "mercator_source_id",
        ]

    @api.constrains("user_id", "mercator_status")
    def _check_mercator_representative(self):
        """A prospect or customer is represented by a Mercator user: the
        representative works on its actions, and nobody else would see them."""
        for partner in self:
            rep = partner.user_id
            if (
                partner.mercator_status
                and not partner.parent_id
                and rep
                and (
                    rep.share or not rep._has_group("mercator_crm.group_mercator_user")
                )
            ):
                raise ValidationError(
                    _(
                        "%(user)s cannot represent %(partner)s: they have no access "
                        "to Mercator CRM. Choose a Mercator user, or ask an "
                        "administrator to give them access first.",
                        user=rep.name,
                        partner=partner.display_name,
                    )
                )

    @api.depends("mercator_action_ids.kind", "mercator_action_ids.parent_id")
    def _compute_mercator_action_tabs(self):
        """The Actions tab: opportunities, their steps, the other actions."""
        actions = self.env["mercator.action"].search(
            [("partner_id", "in", self.ids)], order="date desc, id desc"
        )
        tabs = {}
        for action in actions:
            if action.kind == "opportunity":
                tab = "mercator_opportunity_ids"
            elif action.parent_id:
                tab = "mercator_step_ids"
            else:
                tab = "mercator_standalone_action_ids"
            tabs.setdefault((action.partner_id.id, tab), []).append(action.id)
        for partner in self:
            for tab in (
                "mercator_opportunity_ids",
                "mercator_step_ids",
                "mercator_standalone_action_ids",
            ):
                partner[tab] = tabs.get((partner.id, tab), [])

    @api.depends(
        "commercial_partner_id.mercator_action_ids.done",
        "commercial_partner_id.mercator_action_ids.date_done",
        "commercial_partner_id.mercator_action_ids.reply_to_action_id",
    )
    def _compute_mercator_history_ids(self):
        """Everything done with the partner and its contacts, and the replies
        received (done or still to handle, these first), newest first."""
        actions = self.env["mercator.action"].search(
            [
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                "|",
                ("done", "=", True),
                ("reply_to_action_id", "!=", False),
            ],
            order="date_done desc, id desc",
        )
        by_partner = {}
        for action in actions:
            by_partner.setdefault(action.commercial_partner_id, []).append(action.id)
        for partner in self:
            partner.mercator_history_ids = by_partner.get(
                partner.commercial_partner_id, []
            )

    @api.depends("commercial_partner_id.mercator_action_ids.done")
    def _compute_mercator_open_action_count(self):
        counts = dict(
            self.env["mercator.action"]._read_group(
                [
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    ("done", "=", False),
                ],
                ["commercial_partner_id"],
                ["__count"],
            )
        )
        for partner in self:
            partner.mercator_open_action_count = counts.get(
                partner.commercial_partner_id, 0
            )

    def write(self, vals):
        """Changing the representative of prospects and customers moves their
        open work to the new one (see ``_mercator_move_open_work``)."""
        if not vals.get("user_id"):
            return super().write(vals)
        previous_reps = {
            partner: partner.user_id
            for partner in self
            if partner.mercator_status and not partner.parent_id and partner.user_id
        }
        result = super().write(vals)
        by_rep = {}
        for partner, rep in previous_reps.items():
            by_rep[rep] = by_rep.get(rep, self.browse()) | partner
        new_rep = self.env["res.users"].browse(vals["user_id"])
        for rep, partners in by_rep.items():
            if rep != new_rep:
                partners._mercator_move_open_work(rep, new_rep)
        return result

    def action_view_mercator_actions(self):
        """Smart button: the open actions of this partner and its contacts."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mercator_crm.mercator_action_action"
        )
        action.update(
            {
                "name": _("Actions of %(partner)s", partner=self.display_name),
                "domain": [
                    ("commercial_partner_id", "=", self.commercial_partner_id.id)
                ],
                "context": {
                    "default_partner_id": self.commercial_partner_id.id,
                    "search_default_filter_not_done": 1,
                    "search_default_groupby_parent_id": 1,
                },
            }
        )
        return action

    def action_mercator_new_opportunity(self):
        """Button "New opportunity" on the prospect and customer forms (its
        responsible: the representative, see ``mercator.action.user_id``)."""
        self.ensure_one()
        return self.env["mercator.action"]._get_form_action(
            context={
                "default_partner_id": self.commercial_partner_id.id,
                "mercator_kind": "opportunity",
            },
        )

    def action_mercator_new_action(self):
        """Button "New Action" of the prospect and customer forms and of their
        Actions tab: a standalone action for this prospect (the first template
        of that kind proposed), the contact person to choose."""
        self.ensure_one()
        return self.env["mercator.action"]._get_form_action(
            context={
                "default_partner_id": self.commercial_partner_id.id,
                "mercator_kind": "standalone",
            },
        )

    def action_mercator_change_representative(self):
        """Button "Change" next to the representative: the confirmation that
        says how much open work moves to the new representative."""
        self.ensure_one()
        return self.env["mercator.partner.reassign"]._get_records_action(
            name=_("Change the Representative of %(partner)s", partner=self.name),
            target="new",
            context={"default_partner_id": self.commercial_partner_id.id},
        )

    def action_mercator_set_customer(self):
        self.commercial_partner_id.write({"mercator_status": "customer"})
        return True

    def action_mercator_set_prospect(self):
        self.commercial_partner_id.write({"mercator_status": "prospect"})
        return True

    def action_mercator_documents(self):
        """Button "Documents" of the prospect / customer form: choose a report."""
        self.ensure_one()
        return self.env["mercator.report.wizard"]._get_records_action(
            name=_("Documents of %(partner)s", partner=self.display_name),
            target="new",
            context={"mercator_documents_partner_id": self.commercial_partner_id.id},
        )

    def _get_mercator_report_actions(self, done):
        """Done (or not done) actions of this partner and its contacts, for the
        Documents reports."""
        self.ensure_one()
        return self.env["mercator.action"]._get_report_actions(done, partner=self)

    def _mercator_get_open_work(self, user):
        """The open work of ``user`` on these prospects and customers (and their
        contacts): the actions not done and the opportunities in negotiation
        they are responsible for."""
        return self.env["mercator.action"].search(
            [
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("user_id", "=", user.id),
                "|",
                "&",
                ("kind", "!=", "opportunity"),
                ("done", "=", False),
                "&",
                ("kind", "=", "opportunity"),
                ("opportunity_state", "=", "negotiation"),
            ]
        )

    def _mercator_move_open_work(self, old_rep, new_rep):
        """Hand the open work of ``old_rep`` on these prospects over to
        ``new_rep``: their open actions and opportunities, the open quotes of
        those opportunities, and the reminders of open actions. Done actions
        and closed opportunities stay with who did them. Runs with the rights
        of the user who changes the representative."""
        Action = self.env["mercator.action"]
        # Reminders first: the reminded users must be able to read the action,
        # and the former representative no longer can.
        Action.search(
            [
                ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                ("done", "=", False),
                ("reminder_user_ids", "in", old_rep.ids),
            ]
        ).write(
            {
                "reminder_user_ids": [
                    Command.unlink(old_rep.id),
                    Command.link(new_rep.id),
                ]
            }
        )
        work = self._mercator_get_open_work(old_rep)
        work.write({"user_id": new_rep.id})
        opportunities = work.filtered(lambda a: a.kind == "opportunity")
        if opportunities:
            self.env["sale.order"].search(
                [
                    ("mercator_opportunity_id", "in", opportunities.ids),
                    ("state", "in", ("draft", "sent")),
                    ("user_id", "=", old_rep.id),
                ]
            ).write({"user_id": new_rep.id})
