"""Issue 12, class 3: the calendar cannot be used to take over or destroy
actions. The Calendar app lets any employee edit and delete the events they
see; an appointment's event follows the rights on its action."""

from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged, users

from .common import MercatorCalendarCommon

MOVE = {"start": datetime(2030, 3, 6, 9, 0), "stop": datetime(2030, 3, 6, 10, 0)}


@tagged("post_install", "-at_install")
class TestSecurityCalendar(MercatorCalendarCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The rep's appointment with her contact; a plain employee is invited
        # too, so that the event is one of theirs in the Calendar app.
        cls.appointment = cls.env["mercator.action"].create(
            {
                "name": "Showroom visit",
                "template_id": cls.tpl_meeting.id,
                "partner_id": cls.prospect.id,
                "contact_id": cls.contact.id,
                "user_id": cls.rep.id,
                "date": datetime(2030, 3, 4, 9, 0),
                "date_deadline": datetime(2030, 3, 4, 11, 0),
            }
        )
        cls.event = cls.appointment.calendar_event_id
        cls.event.with_context(
            mercator_calendar_sync=True
        ).partner_ids |= cls.employee.partner_id

    def test_event_changed_only_by_who_may_write_the_action(self):
        """Own-documents rep of another prospect, plain employee and a user of
        another company may not move the rep's appointment through its event;
        the rep, an all-documents rep and the manager may."""
        for user in (self.rep_other, self.employee, self.rep_foreign):
            with self.subTest(user=user.login):
                event = self.event.with_user(user).with_context(
                    allowed_company_ids=user.company_ids.ids
                )
                self.env.invalidate_all()
                if user._has_group("mercator_crm.group_mercator_user"):
                    # What they read of the event's actions is no proof.
                    self.assertFalse(event.mercator_action_ids)
                with self.assertRaises(AccessError):
                    event.write(MOVE)
                self.assertEqual(self.appointment.date, datetime(2030, 3, 4, 9, 0))
                self.assertEqual(self.event.start, datetime(2030, 3, 4, 9, 0))
        # Portal users do not reach the event at all.
        with self.assertRaises(AccessError):
            self.event.with_user(self.portal).write(MOVE)
        for user in (self.rep, self.rep_all, self.manager):
            with self.subTest(user=user.login):
                self.event.with_user(user).write(
                    {**MOVE, "name": f"Moved by {user.name}"}
                )
                self.assertEqual(self.appointment.name, f"Moved by {user.name}")
                self.assertEqual(self.appointment.date, MOVE["start"])

    def test_event_deleted_only_by_who_may_delete_the_action(self):
        for user in (self.rep_other, self.employee, self.rep_foreign, self.portal):
            with self.subTest(user=user.login):
                event = self.event.with_user(user).with_context(
                    allowed_company_ids=user.company_ids.ids
                )
                with self.assertRaises(AccessError):
                    event.unlink()
                self.assertTrue(self.appointment.exists())
                self.assertTrue(self.event.exists())
        self.event.with_user(self.manager).unlink()
        self.assertFalse(self.appointment.exists())

    @users("mercator_employee")
    def test_done_appointment_outlives_its_event(self):
        """A done appointment is history: whoever deletes its event (here an
        attendee without Mercator CRM) leaves it, without its event."""
        self.appointment.with_user(self.rep).action_mark_done()
        self.event.with_env(self.env).unlink()
        self.assertTrue(self.appointment.exists())
        self.assertFalse(self.appointment.calendar_event_id)

    @users("mercator_rep", "mercator_manager")
    def test_event_type_is_an_appointment_type(self):
        values = {
            "name": "Not an appointment",
            "start": datetime(2030, 4, 1, 13, 0),
            "stop": datetime(2030, 4, 1, 14, 0),
            "mercator_template_id": self.tpl_call.id,
        }
        with self.assertRefused(ValidationError, "is not an appointment type"):
            self.env["calendar.event"].create(values)
        event = self.env["calendar.event"].create(
            {**values, "mercator_template_id": False}
        )
        with self.assertRefused(ValidationError, "is not an appointment type"):
            event.write({"mercator_template_id": self.tpl_opportunity.id})
        self.assertFalse(
            self.env["mercator.action"].search([("name", "=", "Not an appointment")])
        )

    def test_employee_cannot_make_appointments_in_the_calendar(self):
        """An event with a Mercator type is an action: not for users without
        Mercator CRM, nor for a user of another company on this one's
        prospect."""
        values = {
            "name": "Sneaky visit",
            "start": datetime(2030, 4, 1, 13, 0),
            "stop": datetime(2030, 4, 1, 14, 0),
            "mercator_template_id": self.tpl_video.id,
        }
        with self.assertRaises(AccessError):
            self.env["calendar.event"].with_user(self.employee).create(values)
        # An existing event of the employee does not become one either.
        own = (
            self.env["calendar.event"]
            .with_user(self.employee)
            .create({**values, "mercator_template_id": False})
        )
        with self.assertRaises(AccessError):
            own.write({"mercator_template_id": self.tpl_video.id})
        self.assertFalse(
            self.env["mercator.action"].search([("name", "=", "Sneaky visit")])
        )

    @users("mercator_rep")
    def test_hidden_attendee_is_not_the_contact(self):
        """Attendees are any partners; the appointment's contact is one the
        rep may read, never another rep's prospect."""
        hidden = (
            self.env["res.partner"]
            .sudo()
            .create({"name": "Hidden Contact", "parent_id": self.other_prospect.id})
        )
        event = self.env["calendar.event"].create(
            {
                "name": "Mixed attendees",
                "start": datetime(2030, 4, 1, 13, 0),
                "stop": datetime(2030, 4, 1, 14, 0),
                "partner_ids": [Command.set((hidden | self.contact).ids)],
                "mercator_template_id": self.tpl_video.id,
            }
        )
        self.assertEqual(event.mercator_action_ids.partner_id, self.prospect)
        self.assertEqual(event.mercator_action_ids.contact_id, self.contact)
