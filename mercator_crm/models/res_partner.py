from odoo import Command, _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from .mercator_action import with_context_defaults

MERCATOR_STATUSES = [("prospect", "Prospect"), ("customer", "Customer")]
# The fields that make a partner a Mercator prospect or customer, and those whose
# change can make it one (a contact moved under a prospect).
MERCATOR_PARTNER_FIELDS = {"mercator_status", "mercator_type_id", "mercator_source_id"}
COMMERCIAL_ENTITY_FIELDS = {"mercator_status", "parent_id", "is_company"}
MERCATOR_USER_GROUP = "mercator_crm.group_mercator_user"
MERCATOR_MANAGER_GROUP = "mercator_crm.group_mercator_manager"


class ResPartner(models.Model):
    """Prospects and customers of Mercator CRM are partners with a status.

    Who may do what to partners, beyond Odoo's rights (reps are contact
    managers): a rep who is not a Mercator administrator changes and deletes
    neither the partners of users nor those of the companies (their own partner
    excepted), and makes no prospect or customer of them nor of a supplier: a
    prospect of one rep is hidden from the others. Users without Mercator CRM
    do not change the Mercator fields of a company. A partner with actions
    (or the contact of a done one) is not deleted: it is history.
    """

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
    # The fields below read actions: only for Mercator users, so that reading
    # every field of a partner works for the others.
    mercator_action_ids = fields.One2many(
        "mercator.action",
        "partner_id",
        string="Actions",
        groups=MERCATOR_USER_GROUP,
    )
    # Computed, not one2many with a domain: a domain one2many costs a query per
    # partner each time actions are created (the ORM updates its inverse).
    mercator_opportunity_ids = fields.Many2many(
        "mercator.action",
        string="Mercator Opportunities",
        compute="_compute_mercator_action_tabs",
        groups=MERCATOR_USER_GROUP,
    )
    mercator_step_ids = fields.Many2many(
        "mercator.action",
        string="Steps of Opportunities",
        compute="_compute_mercator_action_tabs",
        groups=MERCATOR_USER_GROUP,
    )
    mercator_standalone_action_ids = fields.Many2many(
        "mercator.action",
        string="Other Actions",
        compute="_compute_mercator_action_tabs",
        groups=MERCATOR_USER_GROUP,
    )
    mercator_history_ids = fields.Many2many(
        "mercator.action",
        string="History",
        compute="_compute_mercator_history_ids",
        groups=MERCATOR_USER_GROUP,
    )
    mercator_open_action_count = fields.Integer(
        "Open Actions",
        compute="_compute_mercator_open_action_count",
        groups=MERCATOR_USER_GROUP,
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

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self.browse()._check_mercator_fields_rights(
                with_context_defaults(self, vals, MERCATOR_PARTNER_FIELDS)
            )
        return super().create(vals_list)

    def write(self, vals):
        """Who may change what is checked first (``_check_mercator_*``).
        Changing the representative of prospects and customers moves their
        open work to the new one (see ``_mercator_move_open_work``)."""
        self._check_mercator_fields_rights(vals)
        self._check_mercator_rep_rights()
        check_became = (
            COMMERCIAL_ENTITY_FIELDS & vals.keys() and self._is_mercator_rep()
        )
        was_mercator = (
            self.filtered(lambda p: p.commercial_partner_id.mercator_status)
            if check_became
            else self
        )
        previous_reps = (
            {
                partner: partner.user_id
                for partner in self
                if partner.mercator_status and not partner.parent_id and partner.user_id
            }
            if vals.get("user_id")
            else {}
        )
        result = super().write(vals)
        if check_became:
            became = (self - was_mercator).filtered(
                lambda p: p.commercial_partner_id.mercator_status
            )
            became._check_mercator_can_become()
        by_rep = {}
        for partner, rep in previous_reps.items():
            by_rep[rep] = by_rep.get(rep, self.browse()) | partner
        new_rep = self.env["res.users"].browse(vals.get("user_id"))
        for rep, partners in by_rep.items():
            if rep != new_rep:
                partners._mercator_move_open_work(rep, new_rep)
        return result

    def unlink(self):
        self._check_mercator_rep_rights()
        return super().unlink()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_mercator_history(self):
        # sudo: every action counts, those the user does not see too.
        action_sudo = (
            self.env["mercator.action"]
            .sudo()
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    ("partner_id", "in", self.ids),
                    "&",
                    "|",
                    ("contact_id", "in", self.ids),
                    ("mailing_recipient_id", "in", self.ids),
                    "|",
                    ("done", "=", True),
                    ("mailing_state", "=", "sent"),
                ],
                limit=1,
            )
        )
        if action_sudo:
            partner = self & (
                action_sudo.partner_id
                | action_sudo.contact_id
                | action_sudo.mailing_recipient_id
            )
            raise UserError(
                _(
                    "%(partner)s has actions in Mercator CRM, which are kept as its "
                    "history: archive it instead of deleting it.",
                    partner=partner[:1].display_name,
                )
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

    def _is_mercator_rep(self):
        """A Mercator user who is no Mercator administrator (nor superuser)."""
        user = self.env.user
        return (
            not self.env.su
            and user.has_group(MERCATOR_USER_GROUP)
            and not user.has_group(MERCATOR_MANAGER_GROUP)
        )

    @api.model
    def _mercator_protected_domain(self, suppliers=False):
        """Partners of users and of companies (and suppliers, with
        ``suppliers``), for a search with ``active_test=False``."""
        domain = ["|", ("user_ids.share", "=", False), ("ref_company_ids", "!=", False)]
        if suppliers and "supplier_rank" in self._fields:
            domain = ["|", ("supplier_rank", ">", 0), *domain]
        return domain

    def _check_mercator_fields_rights(self, vals):
        """Users without Mercator CRM do not change the Mercator fields of a
        company (or of a person without company): its contacts follow it. On
        an empty recordset, ``vals`` are those of a new partner."""
        changed = MERCATOR_PARTNER_FIELDS & vals.keys()
        if not changed or self.env.su or self.env.user.has_group(MERCATOR_USER_GROUP):
            return
        entities = self.filtered(lambda p: p.commercial_partner_id == p)
        for fname in changed:
            field = self._fields[fname]
            new = field.convert_to_record(
                field.convert_to_cache(vals[fname], self), self
            )
            if (not self and new) or any(p[fname] != new for p in entities):
                raise AccessError(
                    _(
                        'Only Mercator CRM users can change "%(field)s" of a '
                        "prospect or customer.",
                        field=field._description_string(self.env),
                    )
                )

    def _check_mercator_rep_rights(self):
        """Reps who are no Mercator administrators change and delete neither
        the partners of users nor those of companies, their own excepted."""
        if not self._is_mercator_rep():
            return
        # sudo: archived users and companies count; only ids are searched.
        protected_sudo = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    ("id", "in", (self - self.env.user.partner_id).ids),
                    *self._mercator_protected_domain(),
                ],
                limit=1,
            )
        )
        if protected_sudo:
            raise AccessError(
                _(
                    "%(partner)s is the contact of a user or of a company of this "
                    "database: only an administrator of Mercator CRM can change or "
                    "delete it.",
                    partner=protected_sudo.display_name,
                )
            )

    def _check_mercator_can_become(self):
        """These partners just became Mercator partners (prospects, customers
        or their contacts) by a rep: refuse it for the partners of users and
        companies and for suppliers, with everyone under them. Their rep would
        hide them from the other reps."""
        if not self:
            return
        # sudo: archived users and companies count; only ids are searched.
        protected_sudo = (
            self.sudo()
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    ("id", "in", self.ids),
                    ("commercial_partner_id", "in", self.commercial_partner_id.ids),
                    *self._mercator_protected_domain(suppliers=True),
                ],
                limit=1,
            )
        )
        if protected_sudo:
            raise AccessError(
                _(
                    "%(partner)s is a user, a company of this database or a supplier "
                    "(or one of their contacts): only an administrator of Mercator "
                    "CRM can make it a prospect or a customer.",
                    partner=protected_sudo.display_name,
                )
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
