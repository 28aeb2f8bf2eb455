import logging

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, create_index

_logger = logging.getLogger(__name__)

MAILING_SEND_STATES = [
    ("pending", "Pending"),
    ("sent", "Sent"),
    ("skipped", "Skipped"),
    ("failed", "Failed"),
]
SKIP_REASONS = [
    ("no_email", "No email address"),
    ("invalid_email", "Invalid email address"),
    ("blacklisted", "Blacklisted or opted out"),
    ("duplicate", "Same email address as another recipient"),
    ("no_address", "No postal address"),
]
DEFAULT_BATCH_SIZE = 500


class MercatorAction(models.Model):
    """Send-actions of grouped mailings (``mercator.mailing``).

    Each recipient of a mailing gets one action (kind email or letter) holding
    the content rendered for them, and a ``mailing_state``: pending, then sent
    (with its ``mail.mail``), skipped (with the reason) or failed (with the
    reason). ``_cron_send_mailings`` sends the pending emails of queued
    mailings in bounded batches taken with ``FOR NO KEY UPDATE SKIP LOCKED``.
    """

    _inherit = "mercator.action"

    mailing_id = fields.Many2one(
        "mercator.mailing",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
        copy=False,
        check_company=True,
    )
    mailing_recipient_id = fields.Many2one(
        "res.partner",
        string="Recipient",
        readonly=True,
        copy=False,
        ondelete="cascade",
        check_company=True,
    )
    mailing_email = fields.Char(
        "Recipient Email",
        compute="_compute_mailing_email",
    )
    mailing_subject = fields.Char("Subject", copy=False)
    mailing_state = fields.Selection(
        MAILING_SEND_STATES,
        string="Send Status",
        readonly=True,
        copy=False,
    )
    mailing_skip_reason = fields.Selection(
        SKIP_REASONS,
        string="Skip Reason",
        readonly=True,
        copy=False,
    )
    mailing_failure_reason = fields.Text(
        "Failure Reason",
        readonly=True,
        copy=False,
    )
    mail_mail_id = fields.Many2one(
        "mail.mail",
        string="Email",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="set null",
    )

    _sql_constraints = [
        (
            "mailing_recipient_unique",
            "UNIQUE(mailing_id, mailing_recipient_id)",
            "A recipient gets one send-action per mailing.",
        ),
    ]

    @api.depends("mailing_recipient_id.email")
    @api.depends_context("uid")
    def _compute_mailing_email(self):
        """The recipient's email, when the user may read the recipient."""
        readable = self.mailing_recipient_id._filtered_access("read")
        for action in self:
            action.mailing_email = (action.mailing_recipient_id & readable).email

    def init(self):
        res = super().init()
        # The queue of the sending cron: only pending sends are indexed.
        create_index(
            self.env.cr,
            "mercator_action_mailing_pending_index",
            self._table,
            ["mailing_id", "id"],
            where="mailing_state = 'pending'",
        )
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_sent_mailing(self):
        sent = self.filtered(lambda a: a.mailing_state == "sent")
        if sent:
            raise UserError(
                _(
                    '"%(action)s" to %(recipient)s is already sent: it stays in the '
                    "recipient's history.",
                    action=sent[0].name,
                    recipient=sent[0].mailing_recipient_id.name,
                )
            )

    def _get_system_fields(self):
        return super()._get_system_fields() | {
            "mailing_id",
            "mailing_recipient_id",
            "mailing_state",
            "mailing_skip_reason",
            "mailing_failure_reason",
            "mail_mail_id",
        }

    def _mailing_pick_pending(self, limit):
        """Take up to ``limit`` pending sends of queued email mailings, locking
        them so that another worker running at the same time skips them."""
        self.flush_model(["mailing_state", "mailing_id"])
        self.env["mercator.mailing"].flush_model(["state", "medium"])
        self.env.cr.execute(
            SQL(
                """
            SELECT a.id
              FROM mercator_action a
              JOIN mercator_mailing m ON m.id = a.mailing_id
             WHERE a.mailing_state = 'pending'
               AND m.state = 'queued'
               AND m.medium = 'email'
          ORDER BY a.mailing_id, a.id
             LIMIT %s
               FOR NO KEY UPDATE OF a SKIP LOCKED
            """,
                limit,
            )
        )
        return self.browse([row[0] for row in self.env.cr.fetchall()])

    def _mailing_count_pending(self):
        self.flush_model(["mailing_state", "mailing_id"])
        self.env["mercator.mailing"].flush_model(["state"])
        self.env.cr.execute(
            SQL(
                """
            SELECT COUNT(*)
              FROM mercator_action a
              JOIN mercator_mailing m ON m.id = a.mailing_id
             WHERE a.mailing_state = 'pending' AND m.state = 'queued'
            """
            )
        )
        return self.env.cr.fetchone()[0]

    def _mailing_send(self):
        """Queue one ``mail.mail`` per send-action in Odoo's mail queue and mark
        the actions sent with their mail, in the current transaction: after the
        commit, an action is either still pending without mail, or sent with
        exactly one mail. Recipients blacklisted since the generation are
        skipped. The email is in the send-action's chatter (replies come back
        to it) and the done action in the recipient's History."""
        actions = self.with_context(
            tracking_disable=True,
            mail_notrack=True,
            active_test=False,
        )
        actions.fetch(
            ["mailing_id", "mailing_recipient_id", "mailing_subject", "description"]
        )
        to_send = actions - actions._mailing_skip_unreachable()
        if not to_send:
            return self.env["mail.mail"]
        # One call for the batch: the catchall of each action's company.
        reply_to = to_send._notify_get_reply_to(default=False)
        mails = (
            self.env["mail.mail"]
            .sudo()
            .create(
                [
                    action._mailing_prepare_mail_values(reply_to[action.id])
                    for action in to_send
                ]
            )
        )
        for action, mail in zip(to_send, mails, strict=True):
            action._write_system_fields({"mail_mail_id": mail.id})
        to_send._mailing_mark_sent()
        # Wake Odoo's mail queue up: it sends the mails, committing each one.
        self.env.ref("mail.ir_cron_mail_scheduler_action")._trigger()
        return mails

    def _mailing_skip_unreachable(self):
        """Skip the sends whose recipient has no valid email address any more,
        or was blacklisted since the generation; returns them."""
        recipients = self.mailing_recipient_id
        recipients.fetch(["email", "email_normalized", "name", "lang"])
        # Not cached: the blacklist may have changed since it was last read.
        recipients.invalidate_recordset(["is_blacklisted"])
        invalid = self.filtered(lambda a: not a.mailing_recipient_id.email_normalized)
        blacklisted = (self - invalid).filtered(
            lambda a: a.mailing_recipient_id.is_blacklisted
        )
        for reason, group in (("invalid_email", invalid), ("blacklisted", blacklisted)):
            if group:
                group._write_system_fields(
                    {
                        "mailing_state": "skipped",
                        "mailing_skip_reason": reason,
                        "active": False,
                    }
                )
        return invalid | blacklisted

    def _mailing_prepare_mail_values(self, reply_to=False):
        """The ``mail.mail`` of this send. Its message is the send-action's
        (model and res_id), so that a reply, naming the message's Message-Id,
        comes back to the action (``mercator_action_reply.py``) through
        ``reply_to``, the catchall ``_notify_get_reply_to`` gives (the
        mailing's sender without an alias domain)."""
        self.ensure_one()
        mailing = self.mailing_id
        recipient = self.mailing_recipient_id
        return {
            "model": self._name,
            "res_id": self.id,
            "record_name": self.name,
            "message_type": "email_outgoing",
            "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note"),
            "author_id": mailing.user_id.partner_id.id,
            "email_from": mailing.email_from,
            "reply_to": reply_to or mailing.email_from,
            "email_to": recipient.email_formatted,
            "subject": self.mailing_subject or mailing.name,
            "body": self.description or "",
            "body_html": self.description or "",
            "attachment_ids": [Command.link(att.id) for att in mailing.attachment_ids],
            # Kept: it links the action to its delivery status.
            "auto_delete": False,
            "is_notification": False,
            "state": "outgoing",
        }

    def _mailing_mark_sent(self):
        """The sends are done: sent state, and the action goes to History."""
        self.with_context(
            tracking_disable=True, mail_notrack=True
        )._write_system_fields(
            {
                "mailing_state": "sent",
                "mailing_failure_reason": False,
                "done": True,
            }
        )

    def _mailing_mark_failed(self, reason):
        self.with_context(
            tracking_disable=True, mail_notrack=True
        )._write_system_fields(
            {
                "mailing_state": "failed",
                "mailing_failure_reason": reason,
                "done": False,
            }
        )

    @api.model
    def _cron_send_mailings(self, batch_size=None):
        """Cron "Mercator: send mailings": send one bounded batch of the pending
        emails of queued mailings and report the progress; the cron engine
        commits after each call and calls again while some are remaining."""
        batch_size = batch_size or int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("mercator_crm.mailing_batch_size", DEFAULT_BATCH_SIZE)
        )
        actions = self._mailing_pick_pending(batch_size)
        if actions:
            actions._mailing_send()
        self.env["mercator.mailing"]._update_states()
        remaining = self._mailing_count_pending()
        _logger.info(
            "Mercator mailings: %s sends queued, %s remaining", len(actions), remaining
        )
        self.env["ir.cron"]._notify_progress(done=len(actions), remaining=remaining)
        return actions
