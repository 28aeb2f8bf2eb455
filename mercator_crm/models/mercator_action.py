from collections import defaultdict
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# Links of an action and the right the user needs on the linked record to set
# them: any id can be sent over RPC, whatever the view's domain shows.
LINK_ACCESS = {
    "partner_id": "read",
    "contact_id": "read",
    # A step changes its opportunity (revenue, steps); a follower forbids
    # reopening the action it follows.
    "parent_id": "write",
    "previous_id": "write",
}

OPPORTUNITY_STATES = [
    ("negotiation", "In Negotiation"),
    ("won", "Won"),
    ("lost", "Lost"),
]


def with_context_defaults(records, vals, field_names):
    """``vals`` completed with the ``default_*`` keys of the context for
    ``field_names``: the values ``create`` stores. Over RPC, the context is
    the caller's as much as ``vals`` is."""
    context = records.env.context
    return {
        **{
            fname: context[f"default_{fname}"]
            for fname in field_names
            if f"default_{fname}" in context
        },
        **vals,
    }


def check_system_fields(records, field_names, vals, create=False):
    """Refuse the values a user gives to fields that only the addon sets.

    ``field_names`` are fields a view shows read-only because the addon's own
    code sets them (links to a quote, an event, a mailing; a send's status; who
    marked an action done and when). ``readonly`` in a view protects nothing
    over RPC: this guard, called by ``create`` and ``write``, does; on
    ``create`` it also reads the ``default_*`` keys of the context, which
    become values. The addon's code sets these fields with
    ``_write_system_fields`` (or as superuser, in a cron). A value equal to the
    current one (on create: to the field's default) passes, as when a client
    saves what it read.
    """
    if records.env.su:
        return
    if create:
        vals = with_context_defaults(records, vals, field_names)
    for fname in sorted(field_names & vals.keys()):
        field = records._fields[fname]

        def to_record(value, field=field):
            return field.convert_to_record(
                field.convert_to_cache(value, records), records
            )

        new = to_record(vals[fname])
        if create:
            current = [to_record(field.default(records) if field.default else False)]
        else:
            current = [record[fname] for record in records]
        if any(value != new for value in current):
            raise AccessError(
                records.env._(
                    'The field "%(field)s" is set by Mercator CRM itself: it '
                    "cannot be changed by hand.",
                    field=field._description_string(records.env),
                )
            )


class MercatorAction(models.Model):
    """An action: a call, an appointment, an offer, an email, a task, a letter,
    or an opportunity, the master action that the steps of a sale are nested in.

    This file holds what every action has (template, partner, dates, done, the
    nesting in an opportunity, won/lost). The model is split by topic into files
    that extend it (``_inherit = "mercator.action"``); ``models/__init__.py``
    imports them in this order, and a file imported later wraps the overrides of
    the files before it (its ``super()`` calls them):

    - ``mercator_action.py``: constraints on nesting, partner, contact, done
      date, deadline (an appointment's end), probability and responsible (an
      internal user); overrides ``create`` and ``write`` to refuse the fields
      only the addon sets (``_get_system_fields``, extended by the topics; the
      addon writes them with ``_write_system_fields``) and links to records the
      user may not reach (``LINK_ACCESS``); ``ondelete``: an opportunity with
      steps (anyone's, cancelled ones too) is not deleted.
    - ``mercator_action_chain.py``: previous / next actions, walked with << >>;
      constraints on the chain and on reopening (any follower counts);
      ``ondelete`` relinks the chain, the followers the user does not see too.
    - ``mercator_action_calendar.py``: appointments are calendar events;
      overrides ``create``, ``write`` and ``unlink`` to keep the event in step
      (the other direction is ``calendar_event.py``, for who may write the
      action); SQL: one action per event.
    - ``mercator_action_reminder.py``: reminders per user; overrides ``create``
      and ``write`` to arm the rows of the reminders' queue
      (``mercator_action_reminder_recipient.py``); constraint: the reminded
      users can read the action.
    - ``mercator_action_offer.py``: offers and their quotes, the opportunity's
      expected revenue; overrides ``create`` (an offer gets its quote, with the
      lines typed in its Quote tab before the first save) and ``write`` (an
      offer with a quote is done only by validating it); constraint on the
      expected revenue. The Quote tab shows the quote only to who may read it.
    - ``mercator_action_close.py``: won / lost with a reason; overrides
      ``write`` (closing without a reason is refused unless the settings allow
      it); constraint: the reason fits the outcome.
    - ``mercator_action_board.py``: the objectives board's column and colour;
      ``init`` (partial index of the board's opportunities).
    - ``mercator_action_reporting.py``: dashboard figures, revenue report, the
      representative an opportunity counts for (``representative_id``) and the
      stored fields the analyses group by.
    - ``mercator_action_dashboard.py``: the main screen's objectives (won
      against ``mercator.target``) and "My day"; Calendar and Tasks opened on
      every representative for a manager; ``init`` (partial index of the open
      actions by deadline).
    - ``mercator_action_mailing.py``: send-actions of mailings and the sending
      cron; ``init`` (partial index of the queue), ``ondelete``: a sent send
      stays; SQL: one send per recipient and mailing.
    - ``mercator_action_email.py``: "Send" on Email actions, through Odoo's
      composer (``wizard/mail_compose_message.py`` finishes the action once
      the email is posted); no hook.
    - ``mercator_action_reply.py``: a reply to an action's email, received by
      Odoo's mail gateway, chains a "Reply Received" action after it;
      overrides ``_message_post_after_hook``.

    The responsible of a new action is its template's, else the prospect's
    representative (``_compute_user_id``); changing a prospect's representative
    moves its open work (``res_partner.py``).

    Who may delete a partner, a mailing or an event holding actions is decided
    in ``res_partner.py``, ``mercator_mailing.py`` and ``calendar_event.py``:
    no database cascade takes a sent or done action with it.
    """

    _name = "mercator.action"
    _description = "Mercator Action"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(
        "Title",
        compute="_compute_name",
        store=True,
        precompute=True,
        readonly=False,
        required=True,
        tracking=True,
    )
    active = fields.Boolean(default=True, tracking=True)
    template_id = fields.Many2one(
        "mercator.action.template",
        default=lambda self: self._default_template_id(),
        required=True,
        ondelete="restrict",
        index=True,
        tracking=True,
        check_company=True,
    )
    kind = fields.Selection(
        related="template_id.kind", store=True, precompute=True, index=True
    )
    color = fields.Integer(related="template_id.color")
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Prospect / Customer",
        index=True,
        tracking=True,
        compute="_compute_partner_id",
        store=True,
        precompute=True,
        readonly=False,
        check_company=True,
        domain="[('parent_id', '=', False)]",
    )
    commercial_partner_id = fields.Many2one(
        related="partner_id.commercial_partner_id",
        store=True,
        index=True,
        string="Commercial Entity",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Contact Person",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('parent_id', '=', partner_id), ('type', '=', 'contact')]",
    )
    partner_status = fields.Selection(related="partner_id.mercator_status")
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        index=True,
        tracking=True,
        compute="_compute_user_id",
        store=True,
        precompute=True,
        readonly=False,
        check_company=True,
        domain="[('share', '=', False)]",
    )
    date = fields.Datetime(
        required=True,
        default=fields.Datetime.now,
        index=True,
        tracking=True,
    )
    date_deadline = fields.Datetime(
        "Deadline",
        compute="_compute_date_deadline",
        store=True,
        precompute=True,
        readonly=False,
        tracking=True,
    )
    description = fields.Html(
        compute="_compute_description",
        store=True,
        precompute=True,
        readonly=False,
        sanitize_style=True,
    )
    done = fields.Boolean(tracking=True, copy=False, index=True)
    date_done = fields.Datetime(
        "Done On",
        compute="_compute_done_info",
        store=True,
        precompute=True,
        readonly=False,
        copy=False,
    )
    done_user_id = fields.Many2one(
        "res.users",
        string="Done By",
        compute="_compute_done_info",
        store=True,
        precompute=True,
        readonly=False,
        copy=False,
    )
    done_properties = fields.Properties(
        "Done Information",
        definition="template_id.done_properties_definition",
        copy=False,
    )
    is_overdue = fields.Boolean(
        "Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
    )
    # Nesting: a step of the sales flow lives in an opportunity (master action).
    parent_id = fields.Many2one(
        "mercator.action",
        string="Opportunity",
        index="btree_not_null",
        tracking=True,
        check_company=True,
        domain="[('kind', '=', 'opportunity'), ('partner_id', '=', partner_id)]",
    )
    child_ids = fields.One2many("mercator.action", "parent_id", string="Steps")
    child_count = fields.Integer("Steps Count", compute="_compute_child_count")
    # Opportunity-only fields (expected_revenue: mercator_action_offer.py, it
    # follows the opportunity's quotes).
    currency_id = fields.Many2one(related="company_id.currency_id")
    probability = fields.Float(
        compute="_compute_probability",
        store=True,
        precompute=True,
        readonly=False,
        aggregator="avg",
    )
    opportunity_state = fields.Selection(
        OPPORTUNITY_STATES,
        string="Opportunity Status",
        index=True,
        tracking=True,
        compute="_compute_opportunity_state",
        store=True,
        precompute=True,
        readonly=False,
    )
    date_closed = fields.Datetime(
        "Closed On",
        compute="_compute_date_closed",
        store=True,
        precompute=True,
        readonly=False,
        copy=False,
    )

    @api.model
    def _default_template_id(self):
        """First template of the kind named by the context key ``mercator_kind``
        (menus such as Opportunities open their form with it)."""
        kind = self.env.context.get("mercator_kind")
        if not kind:
            return False
        return self.env["mercator.action.template"].search(
            [("kind", "=", kind)], limit=1
        )

    @api.depends("template_id")
    def _compute_name(self):
        """The title follows the template while the user has not typed one: an
        empty title, or one that is a template's name (the previous template's
        in a new action's form), takes the template's name."""
        names = {action.name for action in self if action.name}
        template_names = set(
            self.env["mercator.action.template"]
            .with_context(active_test=False)
            .search_fetch([("name", "in", list(names))], ["name"])
            .mapped("name")
            if names
            else ()
        )
        for action in self:
            if action.template_id and (
                not action.name or action.name in template_names
            ):
                action.name = action.template_id.name

    @api.depends("parent_id")
    def _compute_partner_id(self):
        for action in self:
            if action.parent_id and not action.partner_id:
                action.partner_id = action.parent_id.partner_id

    @api.depends("template_id", "parent_id", "partner_id")
    def _compute_user_id(self):
        """The template's own responsible (e.g. a back office task), else the
        representative of the prospect: the prospect's work is theirs."""
        for action in self:
            action.user_id = (
                action.template_id.user_id
                or action.partner_id.commercial_partner_id.user_id
                or action.user_id
                or action.parent_id.user_id
                or self.env.user
            )

    @api.depends("template_id", "date")
    def _compute_date_deadline(self):
        for action in self:
            if action.template_id.deadline_delay:
                action.date_deadline = action.template_id._get_deadline(action.date)

    @api.depends("template_id")
    def _compute_description(self):
        for action in self:
            if not action.description and action.template_id.description:
                action.description = action.template_id.description

    @api.depends("done")
    def _compute_done_info(self):
        for action in self:
            if action.done:
                action.date_done = action.date_done or fields.Datetime.now()
                action.done_user_id = action.done_user_id or self.env.user
            else:
                action.date_done = False
                action.done_user_id = False

    @api.depends("done", "date_deadline")
    def _compute_is_overdue(self):
        now = fields.Datetime.now()
        for action in self:
            action.is_overdue = bool(
                not action.done and action.date_deadline and action.date_deadline < now
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(_("Unsupported search on the Overdue field."))
        overdue = [
            ("done", "=", False),
            ("date_deadline", "!=", False),
            ("date_deadline", "<", fields.Datetime.now()),
        ]
        if (operator == "=") == value:
            return overdue
        return ["!", "&", "&", *overdue]

    def _compute_child_count(self):
        counts = dict(
            self.env["mercator.action"]._read_group(
                [("parent_id", "in", self.ids)], ["parent_id"], ["__count"]
            )
        )
        for action in self:
            action.child_count = counts.get(action, 0)

    @api.depends("kind")
    def _compute_probability(self):
        for action in self:
            if action.kind != "opportunity":
                action.probability = 0.0
            elif not action.probability:
                action.probability = 10.0

    @api.depends("kind")
    def _compute_opportunity_state(self):
        for action in self:
            if action.kind != "opportunity":
                action.opportunity_state = False
            elif not action.opportunity_state:
                action.opportunity_state = "negotiation"

    @api.depends("opportunity_state")
    def _compute_date_closed(self):
        for action in self:
            if action.opportunity_state in ("won", "lost"):
                action.date_closed = action.date_closed or fields.Datetime.now()
            else:
                action.date_closed = False

    @api.constrains("parent_id", "template_id", "partner_id")
    def _check_parent_id(self):
        templates = self.env["mercator.action.template"]
        for action in self:
            parent = action.parent_id
            if parent and not templates._kind_allows_parent(action.kind):
                raise ValidationError(
                    _(
                        '"%(action)s" is a %(kind)s: it cannot be nested in an '
                        "opportunity.",
                        action=action.name,
                        kind=action._kind_label(),
                    )
                )
            if parent and parent.kind != "opportunity":
                raise ValidationError(
                    _(
                        '"%(action)s" can only be nested in an opportunity, and '
                        '"%(parent)s" is not one.',
                        action=action.name,
                        parent=parent.name,
                    )
                )
            if not parent and templates._kind_needs_parent(action.kind):
                raise ValidationError(
                    _(
                        '"%(action)s" is a %(kind)s: it must belong to an opportunity.',
                        action=action.name,
                        kind=action._kind_label(),
                    )
                )
            if parent and parent.commercial_partner_id != action.commercial_partner_id:
                raise ValidationError(
                    _(
                        '"%(action)s" must concern the same prospect or customer '
                        'as its opportunity "%(parent)s".',
                        action=action.name,
                        parent=parent.name,
                    )
                )

    @api.constrains("partner_id", "template_id")
    def _check_partner_id(self):
        templates = self.env["mercator.action.template"]
        for action in self:
            if not action.partner_id and templates._kind_needs_partner(action.kind):
                raise ValidationError(
                    _(
                        '"%(action)s" is a %(kind)s: choose the prospect or customer '
                        "it concerns.",
                        action=action.name,
                        kind=action._kind_label(),
                    )
                )

    @api.constrains("contact_id", "partner_id")
    def _check_contact_id(self):
        for action in self:
            contact = action.contact_id
            partner = action.commercial_partner_id
            if contact and contact.commercial_partner_id != partner:
                raise ValidationError(
                    _(
                        "%(contact)s is not a contact person of %(partner)s.",
                        contact=contact.name,
                        partner=action.partner_id.name or _("the action's partner"),
                    )
                )

    @api.constrains("done", "date_done")
    def _check_date_done(self):
        # A little tolerance for clocks of the client and the server.
        limit = fields.Datetime.now() + timedelta(minutes=5)
        for action in self:
            if action.done and action.date_done and action.date_done > limit:
                raise ValidationError(
                    _(
                        '"%(action)s" cannot be done in the future (%(date)s).',
                        action=action.name,
                        date=action.date_done,
                    )
                )

    @api.constrains("date", "date_deadline", "template_id")
    def _check_date_deadline(self):
        """The deadline is not before the date; for an appointment, whose
        deadline is its end, this is the end not before the start."""
        for action in self:
            if not action.date_deadline or action.date_deadline >= action.date:
                continue
            if action.kind == "appointment":
                raise ValidationError(
                    _(
                        'The appointment "%(action)s" cannot end (%(end)s) before it '
                        "starts (%(start)s).",
                        action=action.name,
                        end=action.date_deadline,
                        start=action.date,
                    )
                )
            raise ValidationError(
                _(
                    'The deadline of "%(action)s" is before its date.',
                    action=action.name,
                )
            )

    @api.constrains("probability")
    def _check_probability(self):
        for action in self:
            if not 0 <= action.probability <= 100:
                raise ValidationError(
                    _(
                        'The probability of "%(action)s" must be between 0 and 100.',
                        action=action.name,
                    )
                )

    @api.constrains("user_id")
    def _check_user_id(self):
        for action in self:
            if action.user_id.share:
                raise ValidationError(
                    _(
                        'The responsible of "%(action)s" must be an internal user, '
                        "and %(user)s is not one.",
                        action=action.name,
                        user=action.user_id.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        system_fields = self._get_system_fields()
        for vals in vals_list:
            check_system_fields(self, system_fields, vals, create=True)
        self._check_link_access(vals_list, create=True)
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, self._get_system_fields(), vals)
        self._check_link_access([vals])
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_opportunity_with_steps(self):
        # sudo: the steps the user does not see (another rep's, cancelled ones)
        # would be left without their opportunity too. A search, not child_ids:
        # the cache may hold the steps as the user read them.
        orphans_sudo = (
            self.sudo()
            .with_context(active_test=False)
            .search([("parent_id", "in", self.ids), ("id", "not in", self.ids)])
        )
        if orphans_sudo:
            raise UserError(
                _(
                    "Delete or move the steps of %(opportunities)s first "
                    "(%(count)s left).",
                    opportunities=", ".join(
                        self.browse(orphans_sudo.parent_id.ids).mapped("name")
                    ),
                    count=len(orphans_sudo),
                )
            )

    def message_get_followers(self, after=None, limit=100, filter_recipients=False):
        """Odoo lists the followers of any record to whoever names it; those
        of Mercator records are for the users who may read them."""
        self.check_access("read")
        return super().message_get_followers(
            after=after, limit=limit, filter_recipients=filter_recipients
        )

    def action_mark_done(self):
        """Button "Done": mark the actions done now, by the current user."""
        self.filtered(lambda a: not a.done).write({"done": True})
        return True

    def action_mark_undone(self):
        """Button "Reopen": the action is to do again."""
        self.filtered("done").write({"done": False})
        return True

    def action_set_won(self, close_reason_id=False):
        """Mark the opportunities won, for the reason ``close_reason_id`` (the
        id of a won ``mercator.close.reason``); the "Won" button opens the close
        wizard, which calls this."""
        self._check_is_opportunity(_("Won"))
        self.write(
            {
                "opportunity_state": "won",
                "probability": 100.0,
                "close_reason_id": close_reason_id,
            }
        )
        return True

    def action_set_lost(self, close_reason_id=False):
        """Mark the opportunities lost, for the reason ``close_reason_id`` (the
        id of a lost ``mercator.close.reason``); the "Lost" button opens the
        close wizard, which calls this."""
        self._check_is_opportunity(_("Lost"))
        self.write(
            {
                "opportunity_state": "lost",
                "probability": 0.0,
                "close_reason_id": close_reason_id,
            }
        )
        return True

    def action_set_negotiation(self):
        """Button "Reopen Negotiation" of a won or lost opportunity."""
        self._check_is_opportunity(_("Reopen Negotiation"))
        self.write({"opportunity_state": "negotiation"})
        return True

    def action_open_form(self):
        """Open this action in its full form, with its buttons; the Actions tab
        of the prospect and customer forms opens its rows with it."""
        self.ensure_one()
        return self._get_form_action()

    def action_open_parent(self):
        """Button "Show parent action": open the opportunity of a nested action."""
        self.ensure_one()
        if not self.parent_id:
            raise UserError(_('"%(action)s" has no parent action.', action=self.name))
        return self.parent_id._get_form_action()

    def action_new_step(self):
        """Button "Add a step" on an opportunity: a new action nested in it."""
        self.ensure_one()
        self._check_is_opportunity(_("Add a Step"))
        return self.browse()._get_form_action(
            context={
                "default_parent_id": self.id,
                "default_partner_id": self.partner_id.id,
                "default_contact_id": self.contact_id.id,
                "mercator_kind": "step",
            },
        )

    def action_view_steps(self):
        """Smart button "Steps" of an opportunity."""
        self.ensure_one()
        self._check_is_opportunity(_("Steps"))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mercator_crm.mercator_action_action"
        )
        action.update(
            {
                "domain": [("parent_id", "=", self.id)],
                "context": {"default_parent_id": self.id},
                "name": _("Steps of %(opportunity)s", opportunity=self.name),
            }
        )
        return action

    def _check_is_opportunity(self, button):
        """Refuse a button of opportunities (``button`` is its label) on other
        actions, as the form shows it on opportunities only."""
        not_opportunities = self.filtered(lambda a: a.kind != "opportunity")
        if not_opportunities:
            raise UserError(
                _(
                    '"%(button)s" is for opportunities only, and %(actions)s is not '
                    "one.",
                    button=button,
                    actions=", ".join(not_opportunities.mapped("name")),
                )
            )

    def _get_system_fields(self):
        """Fields that only the addon's code sets (see ``check_system_fields``);
        each topic file adds its own. Who marked an action done, and when, is
        set when it is marked done; administrators may correct it (or import
        the history of another system)."""
        if self.env.user.has_group("mercator_crm.group_mercator_manager"):
            return set()
        return {"date_done", "done_user_id"}

    def _write_system_fields(self, vals):
        """Write fields that users may not set (``_get_system_fields``) on
        actions the current user may write: the addon's own code does."""
        self.check_access("write")
        # sudo: past the guard of write() only, which refuses these fields to
        # users; the user's right to write these actions is checked above.
        return self.sudo().write(vals)

    @api.model
    def _create_with_system_fields(self, vals_list):
        """``create`` for the addon's own code, whose values set fields that
        users may not set (``_get_system_fields``); the user's rights and the
        links are checked as for any action the user creates."""
        self.browse().check_access("create")
        self._check_link_access(vals_list, create=True)
        # sudo: past the guard of create() only; the access rules are checked
        # on the new actions as the user below.
        actions = self.sudo().create(vals_list).sudo(False)
        actions.check_access("create")
        return actions

    @api.model
    def _check_link_access(self, vals_list, create=False):
        """The user may read the prospects and contacts given in ``vals_list``,
        and write the opportunities and previous actions (``LINK_ACCESS``);
        one check per linked model and right, whatever the number of values."""
        if self.env.su:
            return
        linked = defaultdict(set)
        for vals in vals_list:
            if create:
                vals = with_context_defaults(self, vals, LINK_ACCESS)
            for fname, operation in LINK_ACCESS.items():
                if vals.get(fname):
                    comodel = self._fields[fname].comodel_name
                    linked[comodel, operation].add(vals[fname])
        for (comodel, operation), ids in linked.items():
            self.env[comodel].browse(ids).check_access(operation)

    def _kind_label(self):
        self.ensure_one()
        return dict(self._fields["kind"]._description_selection(self.env)).get(
            self.kind, ""
        )

    def _get_form_action(self, context=None):
        """Window action opening this action's form; on an empty recordset, the
        form of a new action, with the defaults given in ``context``."""
        if not self:
            return self._get_records_action(
                name=_("New Action"), context=dict(context or {})
            )
        self.ensure_one()
        return self._get_records_action(
            name=self.display_name, context=dict(context or {})
        )
