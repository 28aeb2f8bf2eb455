from datetime import datetime, timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import Command
from odoo.addons.mercator_crm.models import (
    mercator_action_reminder_recipient as recipient_module,
)
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged, users

from .common import MercatorCalendarCommon

CRON = "mercator_crm.ir_cron_mercator_action_reminder"
NOW = datetime(2030, 6, 3, 8, 0)


@tagged("post_install", "-at_install")
class TestReminder(MercatorCalendarCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Recipient = cls.env["mercator.action.reminder.recipient"]
        cls.env["ir.config_parameter"].sudo().set_param(
            "mercator_crm.reminder_email_offline", "True"
        )

    def _task(self, **values):
        return self.env["mercator.action"].create(
            {
                "name": "Call back the buyer",
                "template_id": self.tpl_task.id,
                "partner_id": self.prospect.id,
                "user_id": self.rep.id,
                "date": NOW,
                "date_deadline": NOW + timedelta(days=2),
                **values,
            }
        )

    def _run_cron(self):
        self.Recipient._cron_send_reminders()

    def _run_cron_sends_nothing(self):
        self.env.cr.precommit.run()  # what was put on the bus before
        with self.mock_bus():
            self._run_cron()
        self.assertFalse(self._new_bus_notifs.mapped("message"))

    def test_trigger_at_reminder_minute(self):
        with freeze_time(NOW), self.capture_triggers(CRON) as capture:
            task = self._task(
                reminder_date=NOW + timedelta(hours=2),
                reminder_user_ids=[Command.set((self.rep | self.manager).ids)],
            )
        self.assertEqual(capture.records.call_at, NOW + timedelta(hours=2))
        self.assertEqual(len(capture.records), 1, "One trigger for the minute.")
        self.assertEqual(task.reminder_recipient_ids.user_id, self.rep | self.manager)
        self.assertEqual(set(task.reminder_recipient_ids.mapped("state")), {"pending"})

    def test_reminds_each_user_exactly_once(self):
        with freeze_time(NOW):
            task = self._task(
                reminder_date=NOW + timedelta(hours=2),
                reminder_user_ids=[Command.set((self.rep | self.manager).ids)],
            )
            self._run_cron_sends_nothing()  # nothing before the minute
        with freeze_time(NOW + timedelta(hours=2)):
            self._run_cron()
        with freeze_time(NOW + timedelta(hours=2)):
            # A second cron run (or worker) sends nothing more.
            self._run_cron_sends_nothing()
        self.assertReminded([(self.rep, task), (self.manager, task)])
        self.assertEqual(set(task.reminder_recipient_ids.mapped("state")), {"sent"})
        self.assertTrue(all(task.reminder_recipient_ids.mapped("date_sent")))
        with freeze_time(NOW + timedelta(hours=5)):
            self._run_cron_sends_nothing()

    def test_safety_cron_catches_missed_reminders(self):
        """The server was down at the minute: the hourly cron sends it later."""
        safety = self.env.ref("mercator_crm.ir_cron_mercator_action_reminder_safety")
        self.assertEqual((safety.interval_number, safety.interval_type), (1, "hours"))
        with freeze_time(NOW):
            task = self._task(reminder_date=NOW + timedelta(minutes=5))
        with freeze_time(NOW + timedelta(hours=3)):
            safety.method_direct_trigger()
        self.assertReminded([(self.rep, task)])
        self.assertEqual(task.reminder_recipient_ids.state, "sent")

    def test_payload(self):
        with freeze_time(NOW):
            task = self._task(reminder_date=NOW, contact_id=self.contact.id)
            self.assertEqual(task.reminder_user_ids, self.rep, "Default: responsible.")
            payload = task._reminder_payload()
        self.assertEqual(payload["name"], "Call back the buyer")
        self.assertEqual(payload["partner"], "Pixel Furniture")
        self.assertEqual(payload["contact"], "Paula Pixel")
        self.assertEqual(payload["date_deadline"], "2030-06-05 08:00:00")

    def test_moving_reminder_rearms(self):
        with freeze_time(NOW):
            task = self._task(reminder_date=NOW + timedelta(minutes=5))
        with freeze_time(NOW + timedelta(minutes=5)):
            self._run_cron()
        self.assertReminded([(self.rep, task)])
        with (
            freeze_time(NOW + timedelta(minutes=10)),
            self.capture_triggers(CRON) as capture,
        ):
            task.reminder_date = NOW + timedelta(days=1)
        self.assertEqual(capture.records.call_at, NOW + timedelta(days=1))
        self.assertEqual(task.reminder_recipient_ids.state, "pending")
        with freeze_time(NOW + timedelta(hours=23)):
            self._run_cron_sends_nothing()
        with freeze_time(NOW + timedelta(days=1)):
            self._run_cron()
        # Re-armed: reminded again.
        self.assertReminded([(self.rep, task), (self.rep, task)])

    def test_added_user_is_reminded_others_not_twice(self):
        with freeze_time(NOW):
            task = self._task(reminder_date=NOW)
            self._run_cron()
            task.reminder_user_ids |= self.manager
            self._run_cron()
        self.assertReminded([(self.rep, task), (self.manager, task)])
        with freeze_time(NOW):
            task.reminder_user_ids -= self.manager
        self.assertEqual(task.reminder_recipient_ids.user_id, self.rep)

    def test_snooze(self):
        with freeze_time(NOW):
            task = self._task(
                reminder_date=NOW,
                reminder_user_ids=[Command.set((self.rep | self.manager).ids)],
            )
            self._run_cron()
        with (
            freeze_time(NOW + timedelta(minutes=1)),
            self.capture_triggers(CRON) as capture,
        ):
            task.with_user(self.rep).action_reminder_snooze()
        self.assertEqual(capture.records.call_at, NOW + timedelta(minutes=11))
        with freeze_time(NOW + timedelta(minutes=10)):
            self._run_cron_sends_nothing()
        with freeze_time(NOW + timedelta(minutes=11)):
            self._run_cron()
        # Only the user who snoozed is reminded again.
        self.assertReminded([(self.rep, task), (self.manager, task), (self.rep, task)])

    @users("mercator_rep")
    def test_snooze_without_reminder(self):
        task = self._task()
        with self.assertRaisesRegex(UserError, "no reminder"):
            task.action_reminder_snooze()

    def test_none_when_done_or_cancelled(self):
        with freeze_time(NOW):
            done = self._task(reminder_date=NOW + timedelta(hours=1))
            cancelled = self._task(reminder_date=NOW + timedelta(hours=1))
            done.action_mark_done()
            cancelled.action_archive()
            self.assertEqual(done.reminder_recipient_ids.state, "cancelled")
        with freeze_time(NOW + timedelta(hours=2)):
            self._run_cron_sends_nothing()
        # Reopened, the task reminds again (its minute is past: right away).
        with freeze_time(NOW + timedelta(hours=3)):
            done.action_mark_undone()
            self._run_cron()
        self.assertReminded([(self.rep, done)])

    def test_done_between_arming_and_cron(self):
        """A row taken by the cron after its task was done is cancelled."""
        with freeze_time(NOW):
            task = self._task(reminder_date=NOW)
            # As if the task was done by SQL/another path without the ORM hook.
            self.env.cr.execute(
                "UPDATE mercator_action SET done = true WHERE id = %s", [task.id]
            )
            task.invalidate_recordset(["done"])
            self._run_cron_sends_nothing()
        self.assertEqual(task.reminder_recipient_ids.state, "cancelled")

    def test_email_to_offline_users_only(self):
        self.env["bus.presence"].create(
            {"user_id": self.manager.id, "status": "online"}
        )
        with freeze_time(NOW):
            task = self._task(
                reminder_date=NOW,
                reminder_user_ids=[Command.set((self.rep | self.manager).ids)],
            )
            self._run_cron()
        mails = (
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "mercator.action"), ("res_id", "=", task.id)])
        )
        self.assertEqual(mails.recipient_ids, self.rep.partner_id)
        self.assertIn("Call back the buyer", mails.subject)
        # Setting off: no email.
        self.env["ir.config_parameter"].sudo().set_param(
            "mercator_crm.reminder_email_offline", False
        )
        with freeze_time(NOW):
            other = self._task(reminder_date=NOW)
            self._run_cron()
        self.assertFalse(
            self.env["mail.mail"]
            .sudo()
            .search([("model", "=", "mercator.action"), ("res_id", "=", other.id)])
        )

    def test_batches_report_progress(self):
        """The cron takes one bounded batch per call and reports what is left,
        so the cron framework commits and calls again."""
        with freeze_time(NOW):
            tasks = self.env["mercator.action"].create(
                [
                    {
                        "name": f"Batch task {i}",
                        "template_id": self.tpl_task.id,
                        "user_id": self.rep.id,
                        "reminder_date": NOW,
                    }
                    for i in range(3)
                ]
            )
            cron, progress = self.env.ref(CRON)._add_progress()
            recipients = self.Recipient.with_env(cron.env)
            with patch.object(recipient_module, "REMINDER_BATCH_SIZE", 2):
                recipients._cron_send_reminders()
                self.assertEqual((progress.done, progress.remaining), (2, 1))
                recipients._cron_send_reminders()
                self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertEqual(set(tasks.reminder_recipient_ids.mapped("state")), {"sent"})
        self.assertReminded([(self.rep, task) for task in tasks])

    def test_reminder_after_deadline_flagged(self):
        task = self._task(reminder_date=NOW + timedelta(days=3))
        self.assertTrue(task.reminder_after_deadline)
        task.reminder_date = NOW + timedelta(days=1)
        self.assertFalse(task.reminder_after_deadline)

    def test_reminder_for_user_without_access_refused(self):
        with self.assertRaisesRegex(ValidationError, "Oscar Other cannot be reminded"):
            self._task(
                reminder_date=NOW,
                reminder_user_ids=[Command.set((self.rep | self.rep_other).ids)],
            )
        with self.assertRaisesRegex(ValidationError, "no access"):
            self._task(
                reminder_date=NOW, reminder_user_ids=[Command.set(self.employee.ids)]
            )
        # The responsible changes: the old one, with own documents only, can no
        # longer see the task (of no prospect she represents) and cannot stay
        # among its reminded users.
        task = self._task(
            partner_id=False,
            reminder_date=NOW,
            reminder_user_ids=[Command.set(self.rep.ids)],
        )
        with self.assertRaises(ValidationError):
            task.user_id = self.rep_other
        # On her prospect she still sees it: she may stay reminded.
        task = self._task(
            reminder_date=NOW, reminder_user_ids=[Command.set(self.rep.ids)]
        )
        task.user_id = self.rep_other
        self.assertEqual(task.reminder_user_ids, self.rep)
        # Managers see everything: allowed.
        task.reminder_user_ids |= self.manager

    @users("mercator_rep")
    def test_reminder_form(self):
        form = Form(
            self.env["mercator.action"].with_context(
                default_template_id=self.tpl_task.id
            )
        )
        form.name = "Form task"
        form.reminder_date = datetime(2031, 1, 1, 9, 0)
        task = form.save()
        self.assertEqual(task.reminder_user_ids, self.rep)
        self.assertEqual(task.reminder_recipient_ids.user_id, self.rep)
        # The rep can read their own reminder rows, not others'.
        self.assertEqual(
            self.env["mercator.action.reminder.recipient"].search(
                [("action_id", "=", task.id)]
            ),
            task.reminder_recipient_ids,
        )
        self.assertFalse(
            self.Recipient.with_user(self.rep_other).search(
                [("action_id", "=", task.id)]
            )
        )

    def test_due_query_uses_partial_index(self):
        self.env.cr.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = %s",
            ["mercator_action_reminder_recipient_pending_idx"],
        )
        indexdef = self.env.cr.fetchone()[0]
        self.assertIn("WHERE ((state)::text = 'pending'::text)", indexdef)
