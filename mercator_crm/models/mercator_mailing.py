import ast

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError, ValidationError

from .mercator_action import check_system_fields

MAILING_MEDIA = [("email", "Email"), ("letter", "Letter")]
MAILING_STATES = [
    ("draft", "Draft"),
    ("queued", "Sending"),
    ("done", "Done"),
]
DEFAULT_RECIPIENT_DOMAIN = "[('mercator_status', '!=', False)]"


class MercatorMailing(models.Model):
    """A grouped mailing: one content sent to many prospects and customers.

    "Generate" makes one send-action (``mercator.action`` with ``mailing_id``)
    per recipient of the domain, holding the content rendered for that
    recipient in their language. Emails are then sent in the background by
    ``mercator.action._cron_send_mailings`` (see ``mercator_action_mailing.py``),
    letters are printed in one PDF.
    """

    _name = "mercator.mailing"
    _description = "Mercator Mailing"
    _inherit = ["mail.thread", "mail.render.mixin"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    state = fields.Selection(
        MAILING_STATES,
        required=True,
        default="draft",
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        default=lambda self: self.env.company,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        required=True,
        tracking=True,
        default=lambda self: self.env.user,
        check_company=True,
        domain="[('share', '=', False)]",
        help="Responsible of the send-actions of this mailing.",
    )
    medium = fields.Selection(
        MAILING_MEDIA,
        required=True,
        default="email",
        tracking=True,
    )
    template_id = fields.Many2one(
        "mercator.action.template",
        string="Action Template",
        compute="_compute_template_id",
        store=True,
        readonly=False,
        domain="[('kind', '=', medium)]",
        ondelete="restrict",
        check_company=True,
        help="Template of the send-action made for each recipient.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain="[('model', '=', 'res.partner')]",
        help="Use the subject, body and translations of this email template "
        "instead of the content below.",
    )
    email_from = fields.Char(
        "From",
        compute="_compute_email_from",
        store=True,
        readonly=False,
    )
    subject = fields.Char(
        render_engine="inline_template",
        help="Placeholders such as {{ object.name }} are replaced for each recipient.",
    )
    body_html = fields.Html(
        "Body",
        render_engine="qweb",
        render_options={"post_process": True},
        sanitize="email_outgoing",
    )
    lang = fields.Char(default="{{ object.lang }}")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "mercator_mailing_ir_attachment_rel",
        "mailing_id",
        "attachment_id",
        string="Attachments",
    )
    recipient_domain = fields.Char(
        "Recipients",
        default=DEFAULT_RECIPIENT_DOMAIN,
        required=True,
        help="Prospects, customers and contacts who receive this mailing.",
    )
    recipient_count = fields.Integer(
        "Matching Recipients",
        compute="_compute_recipient_count",
    )
    action_ids = fields.One2many(
        "mercator.action",
        "mailing_id",
        string="Send-Actions",
        context={"active_test": False},
    )
    action_count = fields.Integer(compute="_compute_statistics")
    pending_count = fields.Integer("Pending", compute="_compute_statistics")
    sent_count = fields.Integer("Sent", compute="_compute_statistics")
    skipped_count = fields.Integer("Skipped", compute="_compute_statistics")
    failed_count = fields.Integer("Failed", compute="_compute_statistics")
    progress = fields.Float(compute="_compute_statistics")
    letter_attachment_id = fields.Many2one(
        "ir.attachment",
        string="Printed Letters",
        readonly=True,
        copy=False,
    )

    @api.depends("medium")
    def _compute_template_id(self):
        templates = self.env["mercator.action.template"]
        for mailing in self:
            if mailing.template_id.kind != mailing.medium:
                mailing.template_id = templates.search(
                    [("kind", "=", mailing.medium)], limit=1
                )

    @api.depends("user_id")
    def _compute_email_from(self):
        for mailing in self:
            if not mailing.email_from:
                mailing.email_from = (
                    mailing.user_id.email_formatted or self.env.company.email_formatted
                )

    def _compute_render_model(self):
        self.render_model = "res.partner"

    @api.depends("recipient_domain")
    def _compute_recipient_count(self):
        partners = self.env["res.partner"]
        for mailing in self:
            mailing.recipient_count = partners.search_count(
                mailing._get_recipient_domain()
            )

    @api.depends("action_ids.mailing_state")
    def _compute_statistics(self):
        counts = {}
        groups = (
            self.env["mercator.action"]
            .with_context(active_test=False)
            ._read_group(
                [("mailing_id", "in", self.ids)],
                ["mailing_id", "mailing_state"],
                ["__count"],
            )
        )
        for mailing, state, count in groups:
            counts.setdefault(mailing.id, {})[state] = count
        for mailing in self:
            stats = counts.get(mailing._origin.id or mailing.id, {})
            mailing.pending_count = stats.get("pending", 0)
            mailing.sent_count = stats.get("sent", 0)
            mailing.skipped_count = stats.get("skipped", 0)
            mailing.failed_count = stats.get("failed", 0)
            mailing.action_count = sum(stats.values())
            to_send = mailing.action_count - mailing.skipped_count
            mailing.progress = 100.0 * mailing.sent_count / to_send if to_send else 0.0

    @api.constrains("recipient_domain")
    def _check_recipient_domain(self):
        for mailing in self:
            try:
                mailing._compute_recipient_count()
            except (ValueError, SyntaxError) as error:
                raise ValidationError(
                    _(
                        'The recipients filter of "%(mailing)s" is not valid: '
                        "%(error)s",
                        mailing=mailing.name,
                        error=error,
                    )
                ) from error

    @api.constrains("medium", "template_id")
    def _check_template_id(self):
        for mailing in self:
            if mailing.template_id.kind != mailing.medium:
                raise ValidationError(
                    _(
                        'The action template of "%(mailing)s" must be of the kind '
                        '"%(medium)s".',
                        mailing=mailing.name,
                        medium=dict(
                            self._fields["medium"]._description_selection(self.env)
                        ).get(mailing.medium),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            check_system_fields(self, self._get_system_fields(), vals, create=True)
        return super().create(vals_list)

    def write(self, vals):
        check_system_fields(self, self._get_system_fields(), vals)
        return super().write(vals)

    def unlink(self):
        """The send-actions go with their mailing through their own ``unlink``,
        not a silent database cascade: the user's rights on them apply, and a
        sent one stays (see ``_unlink_except_sent``)."""
        self.check_access("unlink")
        self._unlink_except_sent()
        # sudo: to find the sends the user does not see (another user's, skipped
        # ones, which are archived); they are deleted as the user.
        sends_sudo = (
            self.env["mercator.action"]
            .sudo()
            .with_context(active_test=False)
            .search([("mailing_id", "in", self.ids)])
        )
        sends_sudo.sudo(False).unlink()
        return super().unlink()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent(self):
        # sudo: every send counts, those of other users and cancelled ones too.
        sent = (
            self.env["mercator.action"]
            .sudo()
            .with_context(active_test=False)
            .search_count(
                [
                    ("mailing_id", "in", self.ids),
                    "|",
                    ("mailing_state", "=", "sent"),
                    ("done", "=", True),
                ],
                limit=1,
            )
        )
        if sent:
            raise UserError(
                _(
                    "A mailing that has sent emails or printed letters is kept as the "
                    "history of its recipients: archive it instead."
                )
            )

    def message_get_followers(self, after=None, limit=100, filter_recipients=False):
        """Odoo lists the followers of any record to whoever names it; those
        of Mercator records are for the users who may read them."""
        self.check_access("read")
        return super().message_get_followers(
            after=after, limit=limit, filter_recipients=filter_recipients
        )

    def action_generate(self):
        """Button "Generate": one pending send-action per new recipient.

        Idempotent: recipients who already have a send-action in this mailing
        keep it untouched (pending, sent or failed); skipped ones are checked
        again and become pending when they can now receive the mailing.
        """
        self._check_can_change()
        for mailing in self:
            mailing._generate_actions()
        return True

    def action_send_all(self):
        """Button "Send all": queue the mailing; the cron sends it in batches."""
        self._check_can_change()
        for mailing in self:
            if mailing.medium != "email":
                raise UserError(
                    _('Letters are printed, not sent: use "Print letters".')
                )
            if not mailing.pending_count:
                raise UserError(
                    _(
                        '"%(mailing)s" has no pending email: generate its send-actions '
                        "first.",
                        mailing=mailing.name,
                    )
                )
        self._write_system_fields({"state": "queued"})
        self.env.ref("mercator_crm.ir_cron_mercator_mailing_send")._trigger()
        return True

    def action_retry_failed(self):
        """Button "Retry failed": failed emails become pending and are sent again."""
        failed = self.env["mercator.action"].search(
            [("mailing_id", "in", self.ids), ("mailing_state", "=", "failed")]
        )
        if not failed:
            raise UserError(_("There is no failed send to retry."))
        failed._write_system_fields(
            {
                "mailing_state": "pending",
                "mailing_failure_reason": False,
                "mail_mail_id": False,
            }
        )
        email_mailings = failed.mailing_id.filtered(lambda m: m.medium == "email")
        email_mailings._write_system_fields({"state": "queued"})
        if email_mailings:
            self.env.ref("mercator_crm.ir_cron_mercator_mailing_send")._trigger()
        return True

    def action_reset_draft(self):
        """Button "Stop": take the mailing out of the queue; nothing is lost."""
        self.filtered(lambda m: m.state == "queued")._write_system_fields(
            {"state": "draft"}
        )
        return True

    def action_print_letters(self):
        """Button "Print letters": one PDF holding every pending letter, kept on
        the mailing; the printed letters are marked done (sent)."""
        self.ensure_one()
        if self.medium != "letter":
            raise UserError(_("Only a letter mailing prints letters."))
        letters = self.env["mercator.action"].search(
            [("mailing_id", "=", self.id), ("mailing_state", "=", "pending")],
            order="id",
        )
        if not letters:
            raise UserError(
                _(
                    '"%(mailing)s" has no pending letter: generate its send-actions '
                    "first.",
                    mailing=self.name,
                )
            )
        pdf, _report_type = self.env["ir.actions.report"]._render_qweb_pdf(
            "mercator_crm.report_mailing_letter", letters.ids
        )
        attachment = self.env["ir.attachment"].create(
            {
                "name": _("Letters - %(mailing)s.pdf", mailing=self.name),
                "raw": pdf,
                "mimetype": "application/pdf",
                "res_model": self._name,
                "res_id": self.id,
            }
        )
        letters._mailing_mark_sent()
        self._write_system_fields(
            {"letter_attachment_id": attachment.id, "state": "done"}
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }

    def action_view_actions(self):
        """Stat buttons: the send-actions of the mailing, in a given state."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "mercator_crm.mercator_action_action_mailing"
        )
        state = self.env.context.get("mailing_state")
        domain = [("mailing_id", "=", self.id)]
        if state:
            domain.append(("mailing_state", "=", state))
        action.update(
            {
                "name": _("Sends of %(mailing)s", mailing=self.name),
                "domain": domain,
                "context": {"active_test": False, "create": False},
            }
        )
        return action

    def action_view_recipients(self):
        """Smart button: the partners matching the recipients filter."""
        self.ensure_one()
        return self.env["res.partner"]._get_records_action(
            name=_("Recipients of %(mailing)s", mailing=self.name),
            views=[(False, "list"), (False, "form")],
            domain=self._get_recipient_domain(),
            context={},
        )

    def _get_system_fields(self):
        """Fields that only the addon's code sets (see
        ``mercator_action.check_system_fields``)."""
        return {"state", "letter_attachment_id"}

    def _write_system_fields(self, vals):
        """Write fields that users may not set (``_get_system_fields``) on
        mailings the current user may write: the addon's own code does."""
        self.check_access("write")
        # sudo: past the guard of write() only, which refuses these fields to
        # users; the user's right to write these mailings is checked above.
        return self.sudo().write(vals)

    def _check_can_change(self):
        done = self.filtered(lambda m: m.state == "done" and m.medium == "letter")
        if done:
            raise UserError(
                _(
                    'The letters of "%(mailing)s" are printed: duplicate the '
                    "mailing to write again.",
                    mailing=done[0].name,
                )
            )

    def _get_recipient_domain(self):
        self.ensure_one()
        domain = ast.literal_eval(self.recipient_domain or "[]")
        if not isinstance(domain, list):
            raise ValueError(_("a filter must be a list of conditions"))
        return domain

    def _generate_actions(self, chunk_size=1000):
        """Make the send-actions of the recipients who have none yet (see
        ``action_generate``). Works by chunks so that memory stays bounded."""
        self.ensure_one()
        Action = self.env["mercator.action"].with_context(
            active_test=False,
            tracking_disable=True,
            mail_create_nolog=True,
            mail_create_nosubscribe=True,
            mail_notrack=True,
        )
        existing = Action.search_fetch(
            [("mailing_id", "=", self.id)],
            ["mailing_recipient_id", "mailing_state"],
        )
        skipped = {
            action.mailing_recipient_id.id: action
            for action in existing
            if action.mailing_state == "skipped"
        }
        receiving = existing.filtered(
            lambda a: a.mailing_state != "skipped"
        ).mailing_recipient_id
        # Addresses that already receive this mailing: one email per address.
        taken_emails = set()
        if self.medium == "email":
            taken_emails = set(filter(None, receiving.mapped("email_normalized")))
        recipient_ids = self.env["res.partner"]._search(
            self._get_recipient_domain(), order="id"
        )
        receiving_ids = set(receiving.ids)
        recipient_ids = [rid for rid in recipient_ids if rid not in receiving_ids]
        for ids in tools.split_every(chunk_size, recipient_ids):
            recipients = self.env["res.partner"].browse(ids)
            Action._create_with_system_fields(
                self._generate_chunk(recipients, skipped, taken_emails)
            )
            self.env.invalidate_all()
        return True

    def _generate_chunk(self, recipients, skipped, taken_emails):
        """Values of the new send-actions of these recipients. A recipient
        skipped before who can now receive the mailing gets their skipped
        action back to pending instead."""
        reasons = self._get_skip_reasons(recipients, taken_emails)
        contents = self._render_contents(
            recipients.filtered(lambda p: p.id not in reasons)
        )
        values_list = []
        for recipient in recipients:
            reason = reasons.get(recipient.id)
            values = self._prepare_action_values(
                recipient, contents.get(recipient.id), reason
            )
            action = skipped.get(recipient.id)
            if not action:
                values_list.append(values)
            elif not reason:
                action._write_system_fields(values)
        return values_list

    def _get_skip_reasons(self, recipients, taken_emails):
        """{partner id: skip reason} for the recipients who cannot receive the
        mailing; ``taken_emails`` (normalized addresses already receiving it)
        is updated with the new reachable recipients."""
        reasons = {}
        if self.medium == "letter":
            for recipient in recipients:
                if not (recipient.street and recipient.city):
                    reasons[recipient.id] = "no_address"
            return reasons
        for recipient in recipients:
            email = recipient.email_normalized
            if not recipient.email:
                reasons[recipient.id] = "no_email"
            elif not email:
                reasons[recipient.id] = "invalid_email"
            elif recipient.is_blacklisted:
                reasons[recipient.id] = "blacklisted"
            elif email in taken_emails:
                reasons[recipient.id] = "duplicate"
            else:
                taken_emails.add(email)
        return reasons

    def _render_contents(self, recipients):
        """{partner id: (subject, body)} rendered for each recipient, in the
        recipient's language, by Odoo's mail rendering (mail.render.mixin)."""
        if not recipients:
            return {}
        source = self.mail_template_id or self
        ids = recipients.ids
        subjects = source._render_field("subject", ids, compute_lang=True)
        bodies = source._render_field(
            "body_html", ids, compute_lang=True, options={"post_process": True}
        )
        return {rid: (subjects.get(rid) or "", bodies.get(rid) or "") for rid in ids}

    def _prepare_action_values(self, recipient, content, reason):
        commercial = recipient.commercial_partner_id
        subject, body = content or ("", "")
        return {
            "name": self.name,
            "mailing_id": self.id,
            "template_id": self.template_id.id,
            "company_id": self.company_id.id,
            "user_id": self.user_id.id,
            "partner_id": commercial.id,
            "contact_id": recipient.id if recipient != commercial else False,
            "mailing_recipient_id": recipient.id,
            "mailing_subject": subject,
            "description": body,
            "mailing_state": "skipped" if reason else "pending",
            "mailing_skip_reason": reason or False,
            "active": not reason,
        }

    def _update_states(self):
        """Queued mailings with nothing pending any more are done."""
        queued = self.with_context(active_test=False).search([("state", "=", "queued")])
        pending = (
            self.env["mercator.action"]
            .with_context(active_test=False)
            ._read_group(
                [("mailing_id", "in", queued.ids), ("mailing_state", "=", "pending")],
                ["mailing_id"],
            )
        )
        done = queued - self.browse(mailing.id for [mailing] in pending)
        done._write_system_fields({"state": "done"})
        return done
