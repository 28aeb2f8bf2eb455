from odoo import _, api, fields, models

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
        """Button "New opportunity" on the prospect and customer forms."""
        self.ensure_one()
        return self.env["mercator.action"]._get_form_action(
            context={
                "default_partner_id": self.commercial_partner_id.id,
                "mercator_kind": "opportunity",
                "default_user_id": (self.user_id or self.env.user).id,
            },
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
            context={"default_partner_id": self.commercial_partner_id.id},
        )

    def _get_mercator_report_actions(self, done):
        """Done (or not done) actions of this partner and its contacts, for the
        Documents reports."""
        self.ensure_one()
        return self.env["mercator.action"]._get_report_actions(done, partner=self)
