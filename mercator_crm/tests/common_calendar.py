import json

from odoo.addons.base.tests.test_ir_cron import CronMixinCase
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


class MercatorCalendarCase(TransactionCase, CronMixinCase):
    """Fixtures of the calendar, task and reminder tests: two reps who see their
    own documents, a manager, an employee without Mercator, a prospect with a
    contact person, and the appointment/task templates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.rep = new_test_user(
            cls.env,
            "cal_rep",
            groups="mercator_crm.group_mercator_user",
            name="Rep Calendar",
            email="rep@example.com",
            tz="UTC",
        )
        cls.rep_other = new_test_user(
            cls.env,
            "cal_rep_other",
            groups="mercator_crm.group_mercator_user",
            name="Other Rep",
            email="other@example.com",
            tz="UTC",
        )
        cls.manager = new_test_user(
            cls.env,
            "cal_manager",
            groups="mercator_crm.group_mercator_manager",
            name="Manager Calendar",
            email="manager@example.com",
            tz="UTC",
        )
        cls.employee = new_test_user(
            cls.env,
            "cal_employee",
            groups="base.group_user",
            name="Employee Without CRM",
            email="employee@example.com",
        )
        cls.prospect = cls.env["res.partner"].create(
            {
                "name": "Calendar Prospect",
                "is_company": True,
                "mercator_status": "prospect",
                "user_id": cls.rep.id,
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Carla Contact",
                "parent_id": cls.prospect.id,
                "type": "contact",
                "email": "carla@example.com",
            }
        )
        cls.meeting_template = cls.env.ref(
            "mercator_crm.mercator_action_template_meeting"
        )
        cls.task_template = cls.env.ref("mercator_crm.mercator_action_template_task")
        # Only the reminders of the test: the demo ones are out of the way.
        cls.env["mercator.action.reminder.recipient"].search(
            [("state", "=", "pending")]
        ).write({"state": "cancelled"})
        cls.env.cr.precommit.run()
        cls.bus_last_id = cls.env["bus.bus"].sudo()._bus_last_id()
        cls.video_template = cls.env["mercator.action.template"].create(
            {
                "name": "Test Video Call",
                "kind": "appointment",
                "color": 6,
            }
        )

    def _bus_reminders(self):
        """(partner, action id) of each reminder put on the bus so far."""
        # bus.bus rows are written by a precommit hook: run it as a commit would.
        self.env.cr.precommit.run()
        notifications = []
        for row in (
            self.env["bus.bus"]
            .sudo()
            .search([("id", ">", self.bus_last_id)], order="id")
        ):
            message = json.loads(row.message)
            if message["type"] != "mercator_crm.reminder":
                continue
            channel = json.loads(row.channel)
            partner = self.env[channel[1]].browse(channel[2])
            notifications.append((partner, message["payload"]["action_id"]))
        return notifications
