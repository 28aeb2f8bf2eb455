from markupsafe import Markup

from odoo import _, api, fields, models, tools
from odoo.exceptions import AccessError, UserError, ValidationError

OFFER_REPORT = "mercator_crm.action_report_offer"
# Key, in the transaction's ``cr.precommit.data``, of the ids of the offers being
# validated: the one write allowed to mark an offer with a quote done (see
# ``write``). Not a context key: a context comes with any RPC call.
OFFER_VALIDATION_KEY = "mercator_crm.offer_validation"
# Fields of the Quote tab that edit the quote: typed in a new offer before its
# first save, they wait in ``create`` until the quote exists.
OFFER_QUOTE_FIELDS = ("sale_order_line_ids", "sale_order_validity_date")


class MercatorAction(models.Model):
    """Offers: an offer action nested in an opportunity presents a quotation.

    "Make an Offer" on an opportunity creates the offer action and its quotation
    (``sale.order``) for the prospect itself. "Validate the Offer" prints the
    offer PDF, emails it to the contact, marks the quote sent and the offer done,
    and records the email as a done email action chained after the offer. The
    opportunity follows its quotes: expected revenue, won on confirmation.

    An offer with a quote is done only by validating it: ``write`` refuses to
    mark it done otherwise (the form, lists, kanban and reminders all write).
    """

    _inherit = "mercator.action"  # pylint: disable=consider-merging-classes-inherited

    # On an offer action: the quotation it presents.
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Quote",
        index="btree_not_null",
        copy=False,
        check_company=True,
    )
    # On an opportunity: the quotations made for it.
    sale_order_ids = fields.One2many(
        "sale.order",
        "mercator_opportunity_id",
        string="Quotes",
    )
    sale_order_count = fields.Integer(
        "Quotes Count", compute="_compute_sale_order_count"
    )
    # The Quote tab of the offer action edits the quote through these, related
    # to the quote as far as the user may read it: nothing of a quote they
    # cannot read (another salesperson's) shows, and the tab does not fail.
    sale_order_visible_id = fields.Many2one(
        "sale.order",
        string="Readable Quote",
        compute="_compute_sale_order_visible_id",
        search="_search_sale_order_visible_id",
    )
    sale_order_line_ids = fields.One2many(
        related="sale_order_visible_id.order_line",
        readonly=False,
        compute_sudo=False,
        string="Quote Lines",
    )
    sale_order_partner_id = fields.Many2one(
        related="sale_order_visible_id.partner_id",
        compute_sudo=False,
        string="Quote Customer",
    )
    sale_order_state = fields.Selection(
        related="sale_order_visible_id.state",
        compute_sudo=False,
        string="Quote Status",
    )
    sale_order_validity_date = fields.Date(
        related="sale_order_visible_id.validity_date",
        readonly=False,
        compute_sudo=False,
        string="Valid Until",
    )
    sale_order_currency_id = fields.Many2one(
        related="sale_order_visible_id.currency_id",
        compute_sudo=False,
        string="Quote Currency",
    )
    sale_order_amount_untaxed = fields.Monetary(
        related="sale_order_visible_id.amount_untaxed",
        compute_sudo=False,
        string="Untaxed Amount",
        currency_field="sale_order_currency_id",
    )
    sale_order_amount_tax = fields.Monetary(
        related="sale_order_visible_id.amount_tax",
        compute_sudo=False,
        string="Taxes",
        currency_field="sale_order_currency_id",
    )
    sale_order_amount_total = fields.Monetary(
        related="sale_order_visible_id.amount_total",
        compute_sudo=False,
        string="Total",
        currency_field="sale_order_currency_id",
    )
    # An opportunity's expected revenue follows its quotes (still editable).
    expected_revenue = fields.Monetary(
        currency_field="currency_id",
        tracking=True,
        compute="_compute_expected_revenue",
        store=True,
        readonly=False,
    )

    @api.depends("sale_order_id")
    @api.depends_context("uid")
    def _compute_sale_order_visible_id(self):
        readable = self.sale_order_id._filtered_access("read")
        for action in self:
            action.sale_order_visible_id = action.sale_order_id & readable

    def _search_sale_order_visible_id(self, operator, value):
        # The actions of these quotes, as the ORM searches them to recompute the
        # Quote tab; the record rules of the search do the rest.
        return [("sale_order_id", operator, value)]

    def _compute_sale_order_count(self):
        counts = dict(
            self.env["sale.order"]._read_group(
                [("mercator_opportunity_id", "in", self.ids)],
                ["mercator_opportunity_id"],
                ["__count"],
            )
        )
        for action in self:
            action.sale_order_count = counts.get(action, 0)

    @api.depends(
        "sale_order_ids.state",
        "sale_order_ids.amount_untaxed",
        "sale_order_ids.order_line",
    )
    def _compute_expected_revenue(self):
        """The confirmed quotes' amount once sold, else the open quotes' amount;
        an opportunity without a quote with lines keeps the amount the rep typed."""
        today = fields.Date.context_today(self)
        for action in self:
            # sudo: the revenue counts every quote of the opportunity, also those
            # of other salespeople that the current user cannot read.
            orders_sudo = action.sudo().sale_order_ids.filtered(
                lambda o: o.order_line.filtered(lambda line: not line.display_type)
            )
            sold = orders_sudo.filtered(lambda o: o.state == "sale")
            quoted = orders_sudo.filtered(lambda o: o.state in ("draft", "sent"))
            source = sold or quoted
            if not source or action.kind != "opportunity":
                action.expected_revenue = action.expected_revenue
                continue
            action.expected_revenue = sum(
                order.currency_id._convert(
                    order.amount_untaxed,
                    action.currency_id,
                    action.company_id,
                    today,
                )
                for order in source
            )

    @api.constrains("expected_revenue")
    def _check_expected_revenue(self):
        for action in self:
            if action.expected_revenue < 0:
                raise ValidationError(
                    _(
                        'The expected revenue of "%(action)s" cannot be negative.',
                        action=action.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        # The Quote tab of a new offer edits a quote that does not exist yet:
        # its values go on the quote once created.
        quote_values = []
        for vals in vals_list:
            popped = {
                name: vals.pop(name) for name in OFFER_QUOTE_FIELDS if name in vals
            }
            quote_values.append(
                {name: value for name, value in popped.items() if value}
            )
        actions = super().create(vals_list)
        offers = actions.filtered(lambda a: a.kind == "offer" and not a.sale_order_id)
        if offers:
            offers._check_can_make_offer(offers.parent_id)
            offers._create_offer_quotes()
        for action, values in zip(actions, quote_values, strict=True):
            if not values:
                continue
            if not action.sale_order_id:
                raise UserError(
                    _(
                        '"%(action)s" has no quote: only offers have quote lines.',
                        action=action.name,
                    )
                )
            action.write(values)
        return actions

    def write(self, vals):
        validating = self.env.cr.precommit.data.get(OFFER_VALIDATION_KEY, ())
        if vals.get("done") and not set(self.ids) <= set(validating):
            self._check_offer_done_by_validation()
        return super().write(vals)

    def action_make_offer(self):
        """Button "Make an Offer" on an opportunity: create an offer action nested
        in it, with its quotation for the prospect, and open the offer."""
        self.ensure_one()
        self._check_is_opportunity(_("Make an Offer"))
        if self.opportunity_state != "negotiation":
            raise UserError(
                _(
                    'Offers are made while negotiating, and "%(opportunity)s" is '
                    "closed: reopen its negotiation first.",
                    opportunity=self.name,
                )
            )
        self._check_can_make_offer(self)
        template = self.env.ref(
            "mercator_crm.mercator_action_template_offer", raise_if_not_found=False
        ) or self.env["mercator.action.template"].search(
            [("kind", "=", "offer")], limit=1
        )
        if not template:
            raise UserError(_("Create an action template of kind Offer first."))
        offer = self.create(
            {
                "name": _("Offer - %(opportunity)s", opportunity=self.name),
                "template_id": template.id,
                "parent_id": self.id,
                "partner_id": self.partner_id.id,
                "contact_id": self.contact_id.id,
                "user_id": self.user_id.id,
            }
        )
        return offer._get_form_action()

    def action_view_sale_order(self):
        """Smart button "Quote" of an offer action."""
        self.ensure_one()
        if not self.sale_order_id:
            raise UserError(_('"%(action)s" has no quote.', action=self.name))
        order = self.sale_order_id
        return order._get_records_action(name=order.display_name, context={})

    def action_view_sale_orders(self):
        """Smart button "Quotes" of an opportunity."""
        self.ensure_one()
        self._check_is_opportunity(_("Quotes"))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "sale.action_quotations_with_onboarding"
        )
        action.update(
            {
                "name": _("Quotes of %(opportunity)s", opportunity=self.name),
                "domain": [("mercator_opportunity_id", "=", self.id)],
                "context": {"create": False},
            }
        )
        action.pop("help", None)
        return action

    def action_print_offer(self):
        """Button "Print Offer": the offer PDF of these offer actions."""
        self._check_offer_printable()
        return self.env.ref(OFFER_REPORT).report_action(self)

    def action_validate_offer(self):
        """Button "Validate the Offer": email the offer PDF to the contact, mark the
        quote sent and the offer done, and record the email as a done email action
        chained after the offer. Everything happens or nothing does."""
        email_actions = self.browse()
        for offer in self:
            email_actions |= offer._validate_offer()
        if len(email_actions) == 1:
            return email_actions._get_form_action()
        return True

    def _get_system_fields(self):
        return super()._get_system_fields() | {"sale_order_id"}

    def _check_can_make_offer(self, opportunities):
        """Reps with "own documents" make offers on their own opportunities and
        on those of the prospects they represent only."""
        user = self.env.user
        if self.env.su or user.has_group("mercator_crm.group_mercator_user_all"):
            return
        others = opportunities.filtered(
            lambda o: o.user_id != user and o.commercial_partner_id.user_id != user
        )
        if others:
            raise AccessError(
                _(
                    "You can only make offers on your own opportunities, and "
                    "%(opportunities)s is not yours.",
                    opportunities=", ".join(others.mapped("name")),
                )
            )

    def _create_offer_quotes(self):
        """Create the quotation of each offer action, for the prospect itself."""
        orders = self.env["sale.order"].create(
            [offer._prepare_offer_quote_values() for offer in self]
        )
        for offer, order in zip(self, orders, strict=True):
            offer._write_system_fields({"sale_order_id": order.id})

    def _prepare_offer_quote_values(self):
        self.ensure_one()
        opportunity = self.parent_id
        salesperson = opportunity.user_id or self.partner_id.user_id or self.env.user
        return {
            "partner_id": self.partner_id.commercial_partner_id.id,
            "user_id": salesperson.id,
            "company_id": self.company_id.id,
            "origin": opportunity.name,
            "mercator_opportunity_id": opportunity.id,
            "mercator_offer_action_id": self.id,
        }

    def _check_offer_done_by_validation(self):
        """An offer with a quote is done by "Validate the Offer", which emails
        it and records the email: marking it done by hand would skip both."""
        offers = self.filtered(
            lambda a: a.kind == "offer" and a.sale_order_id and not a.done
        )
        if offers:
            raise UserError(
                _(
                    'The offer "%(offer)s" is done by validating it ("Validate the '
                    'Offer"), which emails it to the contact.',
                    offer=offers[0].name,
                )
            )

    def _check_offer_printable(self):
        not_offers = self.filtered(lambda a: a.kind != "offer" or not a.sale_order_id)
        if not_offers:
            raise UserError(
                _(
                    "Only offers with a quote can be printed as an offer: %(actions)s.",
                    actions=", ".join(not_offers.mapped("name")),
                )
            )

    def _get_offer_recipient(self):
        """The contact person of the offer, or the prospect itself."""
        self.ensure_one()
        return self.contact_id or self.partner_id

    def _check_offer_can_be_validated(self):
        """Refuse, with a sentence the rep understands, an offer that cannot go."""
        self.ensure_one()
        self._check_offer_printable()
        if self.done:
            raise UserError(
                _('The offer "%(offer)s" is already done.', offer=self.name)
            )
        order = self.sale_order_id
        if order.state not in ("draft", "sent"):
            raise UserError(
                _(
                    "The quote %(quote)s is no longer a quotation: it cannot be "
                    "offered.",
                    quote=order.name,
                )
            )
        if not order.order_line.filtered(lambda line: not line.display_type):
            raise UserError(
                _(
                    "The quote %(quote)s has no lines: add what you offer before "
                    "validating the offer.",
                    quote=order.name,
                )
            )
        recipient = self._get_offer_recipient()
        self._check_recipient_email(
            recipient,
            _(
                "%(recipient)s has no email address: add one before validating the "
                "offer.",
                recipient=recipient.display_name,
            ),
        )

    @api.model
    def _check_recipient_email(self, recipient, missing_message):
        """Refuse an email to ``recipient`` that could not leave: no address
        (``missing_message`` says what to do), an invalid one, or no outgoing
        mail server. The offer's validation and the Email actions' "Send"."""
        if not recipient.email:
            raise UserError(missing_message)
        if not tools.email_normalize(recipient.email):
            raise UserError(
                _(
                    'The email address of %(recipient)s, "%(email)s", is not valid.',
                    recipient=recipient.display_name,
                    email=recipient.email,
                )
            )
        self._check_mail_server()

    @api.model
    def _check_mail_server(self):
        """Odoo sends through an outgoing mail server record, or the SMTP server of
        its configuration file: without either, the offer could never leave."""
        # sudo: only administrators read mail servers; we only count them.
        has_server = self.env["ir.mail_server"].sudo().search_count([], limit=1)
        if not has_server and not tools.config.get("smtp_server"):
            raise UserError(
                _(
                    "No outgoing mail server is configured: ask your administrator to "
                    "set one up before validating offers."
                )
            )

    def _validate_offer(self):
        """Validate one offer; returns the email action recording the email."""
        self.ensure_one()
        self._check_offer_can_be_validated()
        pdf, _report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            OFFER_REPORT, self.ids
        )
        subject, body = self._render_offer_email()
        validating = self.env.cr.precommit.data.setdefault(OFFER_VALIDATION_KEY, set())
        validating.update(self.ids)
        try:
            self.action_mark_done()
        finally:
            validating.difference_update(self.ids)
        email_action = self._create_offer_email_action(subject, body)
        attachment = self.env["ir.attachment"].create(
            {
                "name": self._get_offer_filename(),
                "raw": pdf,
                "mimetype": "application/pdf",
                "res_model": email_action._name,
                "res_id": email_action.id,
            }
        )
        email_action._send_offer_email(
            self._get_offer_recipient(), subject, body, attachment
        )
        order = self.sale_order_id
        if order.state == "draft":
            order.action_quotation_sent()
        self._post_offer_sent_note(email_action, attachment)
        return email_action

    def _create_offer_email_action(self, subject, body):
        """The done email action recording the offer's email, chained after the
        offer in the same opportunity."""
        self.ensure_one()
        return self.create(
            {
                "name": subject,
                "template_id": self.env.ref(
                    "mercator_crm.mercator_action_template_email"
                ).id,
                "partner_id": self.partner_id.id,
                "contact_id": self.contact_id.id,
                "parent_id": self.parent_id.id,
                "previous_id": self.id,
                "user_id": self.user_id.id,
                "description": body,
                "done": True,
            }
        )

    def _send_offer_email(self, recipient, subject, body, attachment):
        """Email the offer from this email action's chatter; refuse (and roll
        everything back) when no email goes to the recipient."""
        self.ensure_one()
        message = self.message_post(
            body=body,
            subject=subject,
            partner_ids=recipient.ids,
            attachment_ids=attachment.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
            email_layout_xmlid="mail.mail_notification_light",
        )
        if not message.notification_ids.filtered(
            lambda n: n.notification_type == "email" and n.res_partner_id == recipient
        ):
            raise UserError(
                _(
                    "The offer could not be emailed to %(recipient)s.",
                    recipient=recipient.display_name,
                )
            )

    def _post_offer_sent_note(self, email_action, attachment):
        """Note on the quote and on the prospect: the offer went, with its PDF."""
        self.ensure_one()
        order = self.sale_order_id
        note = Markup(_("Offer %(quote)s emailed to %(recipient)s: %(email)s")) % {
            "quote": order.name,
            "recipient": self._get_offer_recipient().display_name,
            "email": email_action._get_html_link(),
        }
        for record in (order, self.partner_id):
            record.message_post(
                body=note,
                attachment_ids=attachment.ids,
                subtype_xmlid="mail.mt_note",
            )

    def _render_offer_email(self):
        """Subject and body of the offer email, from the offer template's mail
        template, in the recipient's language."""
        self.ensure_one()
        mail_template = self.template_id.mail_template_id or self.env.ref(
            "mercator_crm.mail_template_mercator_offer"
        )
        subject = mail_template._render_field("subject", self.ids, compute_lang=True)[
            self.id
        ]
        body = mail_template._render_field("body_html", self.ids, compute_lang=True)[
            self.id
        ]
        return subject, body

    def _get_offer_filename(self):
        self.ensure_one()
        return _("Offer %(quote)s.pdf", quote=self.sale_order_id.name)
