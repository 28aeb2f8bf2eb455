import logging

from odoo import Command, api, fields, models
from odoo.tools import SQL, create_index

_logger = logging.getLogger(__name__)

REMINDER_BUS_TYPE = "mercator_crm.reminder"
REMINDER_BATCH_SIZE = 200
# The queue of the reminders cron: one row per (action, concerned user) that has
# not fired yet, oldest first. Kept in one place for the cron and the benchmark.
DUE_REMINDERS_QUERY = """
    SELECT id
      FROM mercator_action_reminder_recipient
     WHERE state = 'pending' AND date_due <= %s
  ORDER BY date_due, id
     LIMIT %s
       FOR NO KEY UPDATE SKIP LOCKED
"""


class MercatorActionReminderRecipient(models.Model):
    """One concerned user of an action's reminder, and whether they got it.

    ``state`` is the per-user queue: "pending" until the cron sends the
    notification at ``date_due`` (the action's reminder, or later when the user
    snoozed), then "sent"; "cancelled" when the action is done or cancelled
    first. The cron takes pending rows with ``FOR NO KEY UPDATE SKIP LOCKED`` and
    marks them sent in the same transaction as the bus notification and the
    email, so each user is reminded exactly once, whatever the number of workers.
    """

    _name = "mercator.action.reminder.recipient"
    _description = "Action Reminder Recipient"
    _order = "date_due, id"
    _rec_name = "user_id"

    action_id = fields.Many2one(
        "mercator.action",
        required=True,
        index=True,
        ondelete="cascade",
    )
    user_id = fields.Many2one(
        "res.users",
        required=True,
        index=True,
        ondelete="cascade",
    )
    date_due = fields.Datetime("Remind At", required=True)
    state = fields.Selection(
        [("pending", "Pending"), ("sent", "Sent"), ("cancelled", "Cancelled")],
        required=True,
        default="pending",
    )
    date_sent = fields.Datetime("Sent On", readonly=True)

    _sql_constraints = [
        (
            "action_user_uniq",
            "unique(action_id, user_id)",
            "A user is reminded once of an action.",
        ),
    ]

    def init(self):
        # The cron's queue: only the rows not sent yet, so the index stays small
        # however many actions and sent reminders the database holds.
        create_index(
            self.env.cr,
            "mercator_action_reminder_recipient_pending_idx",
            self._table,
            ["date_due", "id"],
            where="state = 'pending'",
        )

    @api.model
    def _cron_send_reminders(self):
        """Send the due reminders, one batch per call.

        Run by the "Send Reminders" cron, triggered at each reminder's minute
        (``_trigger(at=...)``), and by the hourly safety cron that catches what
        was missed while the server was down. The cron framework commits and
        calls again while ``_notify_progress`` reports remaining rows.
        """
        now = fields.Datetime.now()
        self.flush_model(["state", "date_due"])
        self.env.cr.execute(SQL(DUE_REMINDERS_QUERY, now, REMINDER_BATCH_SIZE))
        recipients = self.browse(row[0] for row in self.env.cr.fetchall())
        recipients._send_reminders()
        remaining = (
            self.search_count([("state", "=", "pending"), ("date_due", "<=", now)])
            if len(recipients) == REMINDER_BATCH_SIZE
            else 0
        )
        self.env["ir.cron"]._notify_progress(done=len(recipients), remaining=remaining)

    def _send_reminders(self):
        """Notify each recipient (bus, and email when offline) and mark them sent.

        Rows of done or cancelled actions are cancelled without notifying, and
        so are those of users who were archived or lost the right to read the
        action since the reminder was set (another rep took the prospect, the
        user left its company...).
        """
        if not self:
            return
        now = fields.Datetime.now()
        stale = self.filtered(
            lambda r: (
                r.action_id.done
                or not r.action_id.active
                or not r.action_id.reminder_date
            )
        )
        stale |= (self - stale)._filter_unreachable()
        stale.write({"state": "cancelled"})
        to_send = self - stale
        if not to_send:
            return
        to_send.write({"state": "sent", "date_sent": now})
        payloads = {
            action.id: action._reminder_payload() for action in to_send.action_id
        }
        for recipient in to_send:
            recipient.user_id._bus_send(
                REMINDER_BUS_TYPE,
                dict(payloads[recipient.action_id.id], recipient_id=recipient.id),
            )
        email_offline = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("mercator_crm.reminder_email_offline")
        )
        if email_offline:
            to_send.filtered(lambda r: r.user_id.im_status == "offline")._send_email()
        _logger.info("Mercator reminders sent: %s", len(to_send))

    def _filter_unreachable(self):
        """The rows whose user is archived or may no longer read the action,
        one access check per user."""
        unreachable = self.browse()
        for user, recipients in self.grouped("user_id").items():
            if not user.active:
                unreachable |= recipients
                continue
            actions = recipients.action_id
            readable = (
                actions.with_user(user)
                .with_context(allowed_company_ids=user.company_ids.ids)
                ._filtered_access("read")
            )
            unreachable |= recipients.filtered(
                lambda r, readable=readable: r.action_id not in readable
            )
        return unreachable

    def _send_email(self):
        """Email the reminder to these recipients, each in their language."""
        template = self.env.ref(
            "mercator_crm.mail_template_action_reminder", raise_if_not_found=False
        )
        if not template:
            return
        for recipient in self:
            template.with_context(
                lang=recipient.user_id.lang, tz=recipient.user_id.tz
            ).send_mail(
                recipient.action_id.id,
                email_layout_xmlid="mail.mail_notification_light",
                email_values={
                    "recipient_ids": [Command.set(recipient.user_id.partner_id.ids)],
                },
            )
