"""Issue 12, class 8, the low ones: snooze minutes bounded, reminders stop for
users who lost access or were archived, reminder rows have a company rule,
template delays are not negative, and the Mercator fields of partners and
calendar events do not break a read of all fields by other users."""

from datetime import datetime, timedelta

from freezegun import freeze_time
from psycopg2.errors import CheckViolation

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged, users
from odoo.tools import mute_logger

from .common import MercatorCalendarCommon

NOW = datetime(2030, 6, 3, 8, 0)
REMINDER = NOW + timedelta(hours=2)


@tagged("post_install", "-at_install")
class TestSecurityMisc(MercatorCalendarCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ir.config_parameter"].set_param(
            "mercator_crm.reminder_email_offline", False
        )
        with freeze_time(NOW):
            cls.task = cls.env["mercator.action"].create(
                {
                    "name": "Call back the buyer",
                    "template_id": cls.tpl_task.id,
                    "partner_id": cls.prospect.id,
                    "user_id": cls.rep.id,
                    "date": NOW,
                    "reminder_date": REMINDER,
                    "reminder_user_ids": [Command.set((cls.rep | cls.rep_all).ids)],
                }
            )

    def _run_reminders_cron(self):
        with freeze_time(REMINDER):
            self.env["mercator.action.reminder.recipient"]._cron_send_reminders()

    def _state_of(self, user):
        return self.task.reminder_recipient_ids.filtered(
            lambda r: r.user_id == user
        ).state

    # Reminders -----------------------------------------------------------------

    @users("mercator_rep")
    def test_snooze_is_bounded(self):
        task = self.task.with_env(self.env)
        for minutes in (0, -5, 7 * 24 * 60 + 1, 10**9, "10", 2.5, True):
            with self.subTest(minutes=minutes):
                with self.assertRefused(UserError, "Snooze a reminder for one"):
                    task.action_reminder_snooze(minutes)
        with freeze_time(NOW):
            task.action_reminder_snooze(7 * 24 * 60)
        self.assertEqual(self._state_of(self.rep), "pending")
        self.assertEqual(
            task.reminder_recipient_ids.filtered(
                lambda r: r.user_id == self.rep
            ).date_due,
            NOW + timedelta(days=7),
        )

    def test_snooze_setting_is_bounded(self):
        for minutes in (0, -1, 7 * 24 * 60 + 1):
            with self.subTest(minutes=minutes):
                with self.assertRefused(ValidationError, "one minute to"):
                    self.env["res.config.settings"].create(
                        {"mercator_reminder_snooze_minutes": minutes}
                    )
        # A bad value stored before (or by hand) falls back to the default.
        self.env["ir.config_parameter"].sudo().set_param(
            "mercator_crm.reminder_snooze_minutes", "-3"
        )
        self.assertEqual(
            self.env["mercator.action"]._reminder_default_snooze_minutes(), 10
        )

    def test_no_reminder_for_archived_user(self):
        self.rep_all.action_archive()
        self._reset_bus()
        self._run_reminders_cron()
        self.assertReminded([(self.rep, self.task)])
        self.assertEqual(self._state_of(self.rep_all), "cancelled")

    def test_no_reminder_for_user_who_lost_access(self):
        """The rep left the Mercator team after the reminder was set."""
        self.rep.groups_id -= self.env.ref("mercator_crm.group_mercator_user")
        self._reset_bus()
        self._run_reminders_cron()
        self.assertReminded([(self.rep_all, self.task)])
        self.assertEqual(self._state_of(self.rep), "cancelled")

    def test_reminder_rows_follow_the_company(self):
        """A rep of another company sees no reminder row of this one."""
        Recipient = self.env["mercator.action.reminder.recipient"]
        rows = self.task.reminder_recipient_ids
        self.assertEqual(len(rows), 2)
        foreign = Recipient.with_user(self.rep_foreign).with_context(
            allowed_company_ids=self.other_company.ids
        )
        self.assertFalse(foreign.search([("id", "in", rows.ids)]))
        with self.assertRaises(AccessError):
            rows.with_user(self.rep_foreign).with_context(
                allowed_company_ids=self.other_company.ids
            ).read(["date_due"])
        self.assertEqual(
            Recipient.with_user(self.rep_all).search([("id", "in", rows.ids)]), rows
        )

    # Templates -----------------------------------------------------------------

    @users("mercator_manager")
    def test_template_delays_are_not_negative(self):
        template = self.tpl_call.with_env(self.env)
        for fname in ("deadline_delay", "next_delay"):
            with self.subTest(field=fname):
                with self.assertRaises(CheckViolation), mute_logger("odoo.sql_db"):
                    template.write({fname: -1})
                    template.flush_recordset()
        template.write({"deadline_delay": 0, "next_delay": 0})

    # Reading every field -------------------------------------------------------

    def test_other_users_read_every_field(self):
        """A salesperson without Mercator CRM reads every field of a prospect,
        a plain employee every field of a Mercator appointment's event; the
        fields that read actions are Mercator users' only."""
        salesperson = new_test_user(
            self.env,
            "plain_salesperson",
            groups="sales_team.group_sale_salesman_all_leads,account.group_account_invoice",
        )
        [values] = self.prospect.with_user(salesperson).read()
        self.assertEqual(values["mercator_status"], "prospect")
        self.assertNotIn("mercator_action_ids", values)
        appointment = self.env["mercator.action"].create(
            {
                "name": "Visit",
                "template_id": self.tpl_video.id,
                "user_id": self.rep.id,
                "date": NOW,
            }
        )
        event = appointment.calendar_event_id.with_user(self.employee)
        [values] = event.read()
        self.assertEqual(values["mercator_template_id"][0], self.tpl_video.id)
        self.assertNotIn("mercator_action_ids", values)
        # Mercator users still read them.
        [values] = self.prospect.with_user(self.rep).read(["mercator_action_ids"])
        self.assertTrue(values["mercator_action_ids"])
