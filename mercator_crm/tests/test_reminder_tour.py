from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.addons.bus.websocket import WebsocketConnectionHandler
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestReminderTour(HttpCase):
    def test_reminder_notification_mark_done(self):
        """A reminder sent on the bus pops up in the web client; "Mark done"
        marks its task done."""
        # Odoo refuses websockets during tests; the bus tests allow them the same
        # way (odoo.addons.bus.tests.common.WebsocketCase).
        self.startPatcher(
            patch.object(
                WebsocketConnectionHandler,
                "websocket_allowed",
                return_value=True,
            )
        )
        admin = self.env.ref("base.user_admin")
        prospect = self.env["res.partner"].create(
            {
                "name": "Tour Prospect",
                "is_company": True,
                "mercator_status": "prospect",
            }
        )
        now = fields.Datetime.now()
        task = self.env["mercator.action"].create(
            {
                "name": "Tour reminder task",
                "template_id": self.env.ref(
                    "mercator_crm.mercator_action_template_task"
                ).id,
                "partner_id": prospect.id,
                "user_id": admin.id,
                "date": now - timedelta(hours=1),
                "date_deadline": now + timedelta(days=1),
                "reminder_date": now - timedelta(minutes=1),
            }
        )
        self.env.cr.precommit.run()
        last_bus_id = self.env["bus.bus"].sudo()._bus_last_id()
        self.env["mercator.action.reminder.recipient"]._cron_send_reminders()
        self.assertEqual(task.reminder_recipient_ids.state, "sent")
        # Write the bus rows (a precommit hook) and date them now: in a test the
        # transaction's now() is the start of the class, and a web client that
        # connects only receives the notifications of the last 50 seconds.
        self.env.cr.precommit.run()
        self.env.cr.execute(
            "UPDATE bus_bus SET create_date = %s WHERE id > %s",
            [fields.Datetime.now(), last_bus_id],
        )
        self.start_tour(
            "/odoo/action-mercator_crm.mercator_action_action_task",
            "mercator_reminder_tour",
            login="admin",
        )
        self.assertTrue(task.done, "The task was marked done from the notification.")
        self.assertEqual(task.done_user_id, admin)
