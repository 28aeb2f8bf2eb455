from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.addons.bus.websocket import WebsocketConnectionHandler
from odoo.tests import HttpCase, tagged

from .common import MercatorCalendarCommon


@tagged("post_install", "-at_install")
class TestReminderTour(HttpCase, MercatorCalendarCommon):
    def test_reminder_notification_mark_done(self):
        """A reminder sent on the bus pops up in the rep's web client; "Mark
        done" marks their task done."""
        # Odoo refuses websockets during tests; the bus tests allow them the same
        # way (odoo.addons.bus.tests.common.WebsocketCase).
        self.startPatcher(
            patch.object(
                WebsocketConnectionHandler,
                "websocket_allowed",
                return_value=True,
            )
        )
        now = fields.Datetime.now()
        task = self._create_action(
            self.tpl_task,
            name="Tour reminder task",
            user_id=self.rep.id,
            date=now - timedelta(hours=1),
            date_deadline=now + timedelta(days=1),
            reminder_date=now - timedelta(minutes=1),
        )
        self.env["mercator.action.reminder.recipient"]._cron_send_reminders()
        self.assertEqual(task.reminder_recipient_ids.state, "sent")
        self.assertReminded([(self.rep, task)])
        # Date the bus rows now: in a test the transaction's now() is the start
        # of the class, and a web client that connects only receives the
        # notifications of the last 50 seconds.
        self.env.cr.execute(
            "UPDATE bus_bus SET create_date = %s", [fields.Datetime.now()]
        )
        self.start_tour(
            "/odoo/action-mercator_crm.mercator_action_action_task",
            "mercator_reminder_tour",
            login="mercator_rep",
        )
        self.assertTrue(task.done, "The task was marked done from the notification.")
        self.assertEqual(task.done_user_id, self.rep)
