from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

DEFAULT_SNOOZE_MINUTES = 10
# A snooze is for a while, not for ever: one week at most.
MAX_SNOOZE_MINUTES = 7 * 24 * 60


class MercatorAction(models.Model):
    """Reminders: at ``reminder_date`` each user of ``reminder_user_ids`` gets a
    sticky notification in the web client (and an email when not connected).

    Each (action, user) pair is a ``mercator.action.reminder.recipient`` row, the
    queue of the reminders cron. Setting or moving the reminder (re-)arms every
    row at the new minute and schedules the cron then (``_trigger(at=...)``);
    adding a user arms a row for them; marking the action done or cancelling it
    cancels the rows that did not fire, reopening it arms them again.
    """

    _inherit = "mercator.action"

    reminder_date = fields.Datetime("Reminder", tracking=True, copy=False)
    reminder_user_ids = fields.Many2many(
        "res.users",
        "mercator_action_reminder_user_rel",
        "action_id",
        "user_id",
        string="Remind",
        compute="_compute_reminder_user_ids",
        store=True,
        readonly=False,
        copy=False,
        domain="[('share', '=', False)]",
        help="Users who get the reminder. Empty: the responsible.",
    )
    reminder_recipient_ids = fields.One2many(
        "mercator.action.reminder.recipient",
        "action_id",
        string="Reminders Sent",
    )
    reminder_after_deadline = fields.Boolean(
        compute="_compute_reminder_after_deadline",
    )

    @api.depends("reminder_date")
    def _compute_reminder_user_ids(self):
        for action in self:
            if action.reminder_date and not action.reminder_user_ids:
                action.reminder_user_ids = action.user_id

    @api.depends("reminder_date", "date_deadline")
    def _compute_reminder_after_deadline(self):
        for action in self:
            action.reminder_after_deadline = bool(
                action.reminder_date
                and action.date_deadline
                and action.reminder_date > action.date_deadline
            )

    @api.constrains("reminder_user_ids", "user_id")
    def _check_reminder_user_ids(self):
        """A user is reminded only of actions they can read."""
        # sudo: the writer may have just handed the action over to a colleague
        # and lost the right to read it; the check is about the reminded users.
        actions_sudo = self.sudo()
        for user in actions_sudo.reminder_user_ids:
            actions = actions_sudo.filtered(
                lambda a, user=user: user in a.reminder_user_ids
            )
            allowed = (
                actions.with_user(user)
                .with_context(allowed_company_ids=user.company_ids.ids)
                ._filtered_access("read")
            )
            forbidden = actions - allowed
            if forbidden:
                raise ValidationError(
                    _(
                        '%(user)s cannot be reminded of "%(action)s": they have no '
                        "access to it. Choose users who can see the action, or make "
                        "them its responsible.",
                        user=user.name,
                        action=forbidden[0].name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        actions.filtered("reminder_date")._reminder_sync_recipients(rearm=True)
        return actions

    def write(self, vals):
        result = super().write(vals)
        if {"reminder_date", "reminder_user_ids", "done", "active"} & vals.keys():
            self._reminder_sync_recipients(rearm="reminder_date" in vals)
        return result

    def action_reminder_snooze(self, minutes=None):
        """Button "Snooze" of the notification: remind the current user again
        in a few minutes (``mercator_crm.reminder_snooze_minutes``, default 10)."""
        self.check_access("read")
        if minutes is None:
            minutes = self._reminder_default_snooze_minutes()
        if (
            not isinstance(minutes, int)
            or isinstance(minutes, bool)
            or not 1 <= minutes <= MAX_SNOOZE_MINUTES
        ):
            raise UserError(
                _(
                    "Snooze a reminder for one minute to %(max)s minutes.",
                    max=MAX_SNOOZE_MINUTES,
                )
            )
        recipients_sudo = self._reminder_recipients_sudo().filtered(
            lambda r: r.user_id == self.env.user
        )
        if not recipients_sudo:
            raise UserError(_("You have no reminder on these actions."))
        date_due = fields.Datetime.now() + timedelta(minutes=minutes)
        recipients_sudo.write({"state": "pending", "date_due": date_due})
        self._reminder_trigger_cron([date_due])
        return True

    @api.model
    def _reminder_default_snooze_minutes(self):
        """The Settings' snooze delay; the default one when it is not a number
        of minutes the Snooze button accepts."""
        # sudo: only administrators read system parameters; this one is public.
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("mercator_crm.reminder_snooze_minutes")
        )
        try:
            minutes = int(value)
        except (TypeError, ValueError):
            return DEFAULT_SNOOZE_MINUTES
        return minutes if 1 <= minutes <= MAX_SNOOZE_MINUTES else DEFAULT_SNOOZE_MINUTES

    def _reminder_recipients_sudo(self):
        # sudo: the recipient rows are the bookkeeping of the reminders cron;
        # users act on them only through the action (set, move, snooze).
        return (
            self.env["mercator.action.reminder.recipient"]
            .sudo()
            .search([("action_id", "in", self.ids)])
        )

    def _reminder_is_armed(self):
        self.ensure_one()
        return bool(self.reminder_date and self.active and not self.done)

    def _reminder_sync_recipients(self, rearm=False):
        """Keep one recipient row per (action, concerned user), set-based.

        :param bool rearm: the reminder moved: every row is pending again at the
            new date, even the ones already sent.
        """
        recipients_sudo = self._reminder_recipients_sudo()
        by_key = {(r.action_id.id, r.user_id.id): r for r in recipients_sudo}
        Recipient = recipients_sudo.browse()
        to_unlink, to_create, updates = Recipient, [], {}
        no_user = self.env["res.users"]
        for action in self.with_context(active_test=False):
            wanted = action.reminder_user_ids if action.reminder_date else no_user
            armed = action._reminder_is_armed()
            for user in wanted:
                recipient = by_key.pop((action.id, user.id), None)
                if recipient is None:
                    to_create.append(
                        {
                            "action_id": action.id,
                            "user_id": user.id,
                            "date_due": action.reminder_date,
                            "state": "pending" if armed else "cancelled",
                        }
                    )
                    continue
                if rearm:
                    values = (action.reminder_date, "pending" if armed else "cancelled")
                elif not armed and recipient.state == "pending":
                    values = (recipient.date_due, "cancelled")
                elif armed and recipient.state == "cancelled":
                    values = (recipient.date_due, "pending")
                else:
                    continue
                updates.setdefault(values, []).append(recipient.id)
        for recipient in by_key.values():
            if recipient.action_id in self:
                to_unlink |= recipient
        to_unlink.unlink()
        armed_dates = set()
        if to_create:
            Recipient.create(to_create)
            armed_dates |= {v["date_due"] for v in to_create if v["state"] == "pending"}
        for (date_due, state), ids in updates.items():
            Recipient.browse(ids).write({"state": state, "date_due": date_due})
            if state == "pending":
                armed_dates.add(date_due)
        if armed_dates:
            self._reminder_trigger_cron(armed_dates)

    @api.model
    def _reminder_trigger_cron(self, dates):
        """Run the reminders cron at each of these minutes (now if past)."""
        now = fields.Datetime.now()
        cron = self.env.ref("mercator_crm.ir_cron_mercator_action_reminder")
        cron.sudo()._trigger(at=sorted({max(date, now) for date in dates}))

    def _reminder_payload(self):
        """What the notification of this action's reminder shows."""
        self.ensure_one()
        return {
            "action_id": self.id,
            "name": self.name,
            "partner": self.partner_id.display_name or "",
            "contact": self.contact_id.name or "",
            "date_deadline": fields.Datetime.to_string(self.date_deadline)
            if self.date_deadline
            else False,
            "reminder_date": fields.Datetime.to_string(self.reminder_date),
            "kind": self._kind_label(),
        }
