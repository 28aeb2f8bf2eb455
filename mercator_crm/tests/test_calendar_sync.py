import contextlib
from datetime import datetime
from unittest.mock import patch

from lxml import etree

from odoo import Command
from odoo.addons.mercator_crm.models.calendar_event import CalendarEvent
from odoo.addons.mercator_crm.models.mercator_action_calendar import CALENDAR_SYNC_KEY
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged, users
from odoo.tools import SQL

from .common import MercatorCalendarCommon


class LaterRecordFailed(Exception):
    """A failure after the sync, rolling back the savepoint it ran in."""


@tagged("post_install", "-at_install")
class TestCalendarSync(MercatorCalendarCommon):
    def _appointment(self, **values):
        """An appointment of the rep with their contact, made by the test's user;
        another user's appointment is set up by the superuser."""
        actions = self.env["mercator.action"]
        if values.get("user_id", self.rep.id) != self.env.uid:
            actions = actions.sudo()
        return actions.create(
            {
                "name": "Showroom visit",
                "template_id": self.tpl_meeting.id,
                "partner_id": self.prospect.id,
                "contact_id": self.contact.id,
                "user_id": self.rep.id,
                "date": datetime(2030, 3, 4, 9, 0),
                "date_deadline": datetime(2030, 3, 4, 11, 0),
                "location": "Showroom",
                "description": "<p>Bring the catalogue</p>",
                **values,
            }
        )

    def _appointments_without_event(self, count=3):
        """Appointments as a database made before the calendar has them: no event."""
        appointments = self.env["mercator.action"].browse()
        for day in range(1, count + 1):
            appointments |= self._appointment(
                name=f"Visit {day}",
                date=datetime(2030, 3, day, 9, 0),
                date_deadline=datetime(2030, 3, day, 10, 0),
            )
        events = appointments.calendar_event_id
        events.with_context(**{CALENDAR_SYNC_KEY: True}).unlink()
        self.assertFalse(appointments.calendar_event_id)
        return appointments.with_env(self.env)

    def _linked_event_ids_in_database(self, actions):
        rows = self.env.execute_query(
            SQL(
                "SELECT calendar_event_id FROM mercator_action WHERE id IN %s",
                tuple(actions.ids),
            )
        )
        return [event_id for (event_id,) in rows]

    @users("mercator_rep")
    def test_appointment_creates_event(self):
        appointment = self._appointment()
        event = appointment.calendar_event_id
        self.assertTrue(event, "An appointment is a calendar event.")
        self.assertEqual(event.name, "Showroom visit")
        self.assertEqual(event.start, datetime(2030, 3, 4, 9, 0))
        self.assertEqual(event.stop, datetime(2030, 3, 4, 11, 0))
        self.assertEqual(event.user_id, self.rep)
        self.assertEqual(event.partner_ids, self.rep.partner_id | self.contact)
        self.assertEqual(event.location, "Showroom")
        self.assertIn("Bring the catalogue", event.description)
        self.assertEqual(event.mercator_template_id, self.tpl_meeting)
        self.assertEqual(event.mercator_action_ids, appointment)
        self.assertEqual(
            event.attendee_ids.partner_id,
            self.rep.partner_id | self.contact,
            "Both attendees get an invitation.",
        )

    @users("mercator_rep")
    def test_calendar_button(self):
        """ "Calendar" opens the appointment's event; other actions have none."""
        appointment = self._appointment()
        action = appointment.action_open_calendar_event()
        self.assertEqual(action["res_model"], "calendar.event")
        self.assertEqual(action["res_id"], appointment.calendar_event_id.id)
        task = self.env["mercator.action"].create(
            {"name": "No event", "template_id": self.tpl_task.id}
        )
        with self.assertRaisesRegex(UserError, "has no calendar event"):
            task.action_open_calendar_event()

    @users("mercator_rep")
    def test_appointment_without_end_lasts_an_hour(self):
        appointment = self._appointment(
            template_id=self.tpl_video.id,
            date_deadline=False,
        )
        event = appointment.calendar_event_id
        self.assertEqual(event.stop, datetime(2030, 3, 4, 10, 0))

    def test_other_kinds_have_no_event(self):
        task = self.env["mercator.action"].create(
            {
                "name": "Task turned appointment",
                "template_id": self.tpl_task.id,
                "user_id": self.rep.id,
            }
        )
        self.assertFalse(task.calendar_event_id)
        # A task turned into an appointment gets its event, and loses it back.
        task.write({"template_id": self.tpl_meeting.id})
        event = task.calendar_event_id
        self.assertTrue(event)
        task.write({"template_id": self.tpl_task.id})
        self.assertFalse(event.exists())
        self.assertFalse(task.calendar_event_id)

    @users("mercator_rep")
    def test_move_edit_cancel_delete_action(self):
        appointment = self._appointment()
        event = appointment.calendar_event_id
        appointment.write(
            {
                "date": datetime(2030, 3, 5, 14, 0),
                "date_deadline": datetime(2030, 3, 5, 15, 30),
                "name": "Showroom visit (moved)",
                "location": "Customer office",
            }
        )
        self.assertEqual(event.start, datetime(2030, 3, 5, 14, 0))
        self.assertEqual(event.stop, datetime(2030, 3, 5, 15, 30))
        self.assertEqual(event.name, "Showroom visit (moved)")
        self.assertEqual(event.location, "Customer office")
        # A new responsible replaces the old one among the attendees; an attendee
        # added in the Calendar app stays.
        extra = self.env["res.partner"].create({"name": "Extra Guest"})
        event.with_context(mercator_calendar_sync=True).partner_ids |= extra
        appointment.write({"user_id": self.manager.id})
        # The rep handed the appointment over: the manager goes on with it.
        appointment = appointment.with_user(self.manager)
        self.assertEqual(event.user_id, self.manager)
        self.assertEqual(
            event.partner_ids, self.manager.partner_id | self.contact | extra
        )
        appointment.action_archive()
        self.assertFalse(event.active, "A cancelled appointment cancels its event.")
        appointment.action_unarchive()
        self.assertTrue(event.active)
        appointment.unlink()
        self.assertFalse(event.exists())

    @users("mercator_rep")
    def test_move_edit_delete_event(self):
        appointment = self._appointment()
        event = appointment.calendar_event_id
        event.write(
            {
                "start": datetime(2030, 3, 6, 8, 0),
                "stop": datetime(2030, 3, 6, 9, 0),
                "name": "Moved in Calendar",
                "location": "Online",
            }
        )
        self.assertEqual(appointment.date, datetime(2030, 3, 6, 8, 0))
        self.assertEqual(appointment.date_deadline, datetime(2030, 3, 6, 9, 0))
        self.assertEqual(appointment.name, "Moved in Calendar")
        self.assertEqual(appointment.location, "Online")
        self.assertEqual(appointment.contact_id, self.contact)
        # A colleague who cannot see the appointment in Mercator cannot move it
        # in the Calendar app either.
        with self.assertRaisesRegex(AccessError, "which you may not change"):
            event.with_user(self.rep_other).write(
                {
                    "start": datetime(2030, 3, 6, 9, 0),
                    "stop": datetime(2030, 3, 6, 10, 0),
                }
            )
        self.assertEqual(appointment.date, datetime(2030, 3, 6, 8, 0))
        event.unlink()
        self.assertFalse(
            appointment.exists(), "Deleting the event deletes the appointment."
        )

    @users("mercator_rep")
    def test_delete_event_keeps_done_appointment(self):
        appointment = self._appointment(
            date=datetime(2020, 3, 4, 9, 0), date_deadline=datetime(2020, 3, 4, 10, 0)
        )
        appointment.action_mark_done()
        appointment.calendar_event_id.unlink()
        self.assertTrue(appointment.exists())
        self.assertFalse(appointment.calendar_event_id)

    @users("mercator_rep")
    def test_event_with_type_creates_appointment(self):
        event = self.env["calendar.event"].create(
            {
                "name": "Demo at the prospect",
                "start": datetime(2030, 4, 1, 13, 0),
                "stop": datetime(2030, 4, 1, 14, 0),
                "partner_ids": [Command.set((self.rep.partner_id | self.contact).ids)],
                "location": "Prospect HQ",
                "mercator_template_id": self.tpl_video.id,
            }
        )
        appointment = event.mercator_action_ids
        self.assertEqual(len(appointment), 1, "The event links back to one action.")
        self.assertEqual(appointment.calendar_event_id, event)
        self.assertEqual(appointment.template_id, self.tpl_video)
        self.assertEqual(appointment.kind, "appointment")
        self.assertEqual(appointment.name, "Demo at the prospect")
        self.assertEqual(appointment.date, datetime(2030, 4, 1, 13, 0))
        self.assertEqual(appointment.date_deadline, datetime(2030, 4, 1, 14, 0))
        self.assertEqual(appointment.user_id, self.rep)
        self.assertEqual(appointment.partner_id, self.prospect)
        self.assertEqual(appointment.contact_id, self.contact)
        self.assertEqual(appointment.location, "Prospect HQ")

    def test_event_without_type_is_not_an_appointment(self):
        event = self.env["calendar.event"].create(
            {
                "name": "Lunch",
                "start": datetime(2030, 4, 1, 12, 0),
                "stop": datetime(2030, 4, 1, 13, 0),
            }
        )
        self.assertFalse(event.mercator_action_ids)
        self.assertFalse(self.env["mercator.action"].search([("name", "=", "Lunch")]))

    @users("mercator_rep")
    def test_sync_does_not_loop(self):
        appointment = self._appointment()
        with patch.object(
            CalendarEvent,
            "_mercator_sync_actions",
            autospec=True,
            side_effect=CalendarEvent._mercator_sync_actions,
        ) as sync_actions:
            appointment.write(
                {
                    "date": datetime(2030, 3, 4, 10, 0),
                    "date_deadline": datetime(2030, 3, 4, 11, 0),
                }
            )
        sync_actions.assert_not_called()
        with patch.object(
            type(appointment),
            "_calendar_sync_events",
            autospec=True,
        ) as sync_events:
            appointment.calendar_event_id.write({"name": "Renamed in Calendar"})
        sync_events.assert_not_called()
        self.assertEqual(appointment.name, "Renamed in Calendar")

    @users("mercator_rep")
    def test_appointment_end_before_start_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot end .* before it starts"):
            self._appointment(date_deadline=datetime(2030, 3, 4, 8, 0))
        appointment = self._appointment()
        with self.assertRaisesRegex(ValidationError, "cannot end .* before it starts"):
            appointment.write({"date_deadline": datetime(2030, 3, 4, 8, 0)})
        with self.assertRaises(ValidationError):
            appointment.calendar_event_id.write({"stop": datetime(2030, 3, 4, 8, 0)})

    @users("mercator_rep")
    def test_appointment_form(self):
        form = Form(
            self.env["mercator.action"].with_context(
                default_template_id=self.tpl_meeting.id
            )
        )
        form.name = "Planned with the form"
        form.date = datetime(2030, 5, 2, 10, 0)
        form.location = "Gent"
        appointment = form.save()
        event = appointment.calendar_event_id
        # The Meeting template gives two hours.
        self.assertEqual(event.stop, datetime(2030, 5, 2, 12, 0))
        self.assertEqual(event.location, "Gent")

    @users("mercator_rep")
    def test_calendar_colour_per_type(self):
        view = self.env.ref("mercator_crm.mercator_action_view_calendar")
        arch = self.env["mercator.action"].get_views([(view.id, "calendar")])["views"][
            "calendar"
        ]["arch"]
        calendar = etree.fromstring(arch)
        self.assertEqual(calendar.get("color"), "color")
        self.assertEqual(calendar.get("date_start"), "date")
        self.assertEqual(calendar.get("date_stop"), "date_deadline")
        template_filter = calendar.xpath("//field[@name='template_id']")[0]
        self.assertEqual(template_filter.get("filters"), "1")
        self.assertEqual(template_filter.get("color"), "color")
        self.assertEqual(
            self.env["mercator.action"]._fields["color"].related, "template_id.color"
        )
        meeting = self._appointment()
        video = self._appointment(template_id=self.tpl_video.id)
        self.assertEqual(meeting.color, self.tpl_meeting.color)
        self.assertEqual(video.color, 6)
        self.assertNotEqual(meeting.color, video.color)
        # Changing the colour of a type recolours its appointments.
        self.tpl_meeting.color = 11
        self.assertEqual(meeting.color, 11)

    @users("mercator_rep")
    def test_calendar_action_mine_by_default(self):
        action = self.env.ref("mercator_crm.mercator_action_action_calendar").sudo()
        self.assertIn("search_default_filter_my", action.context)
        self.assertEqual(action.domain, "[('kind', '=', 'appointment')]")
        mine = self._appointment()
        others = self._appointment(user_id=self.manager.id, name="Not mine")
        visible = self.env["mercator.action"].search(
            [("kind", "=", "appointment"), ("user_id", "=", self.rep.id)]
        )
        self.assertIn(mine, visible)
        self.assertNotIn(others, visible)
        # An own-documents rep cannot open a colleague's appointment at all.
        self.assertFalse(
            self.env["mercator.action"]
            .with_user(self.rep_other)
            .search([("id", "in", (mine | others).ids)])
        )

    def test_appointments_without_event_written_in_one_batch(self):
        appointments = self._appointments_without_event()
        appointments.write({"date_deadline": datetime(2030, 3, 10, 12, 0)})
        events = appointments.calendar_event_id
        self.assertEqual(len(events), 3, "Each appointment gets its own event.")
        self.assertEqual(
            [a.calendar_event_id.name for a in appointments],
            ["Visit 1", "Visit 2", "Visit 3"],
        )
        self.assertEqual(set(events.mapped("stop")), {datetime(2030, 3, 10, 12, 0)})
        # The links are in the database with their events, not only in the cache.
        self.assertCountEqual(
            self._linked_event_ids_in_database(appointments), events.ids
        )

    def test_rolled_back_sync_leaves_no_dangling_link(self):
        """The upgrade bug: events made for existing appointments inside a savepoint
        rolled back without a flush (as Odoo loads demo data) left the actions'
        links pending; flushing them later broke the foreign key."""
        appointments = self._appointments_without_event()
        # Not assertRaises(): its own savepoint would clear the cache on the way out.
        with (
            contextlib.suppress(LaterRecordFailed),
            self.env.cr.savepoint(flush=False),
        ):
            appointments.write({"date_deadline": datetime(2030, 3, 10, 12, 0)})
            raise LaterRecordFailed
        self.env.flush_all()
        self.assertEqual(
            self._linked_event_ids_in_database(appointments), [None, None, None]
        )
        # The upgrade then gives them their events, whatever the cache remembers
        # of the rolled-back ones.
        self.env["mercator.action"]._calendar_create_missing_events()
        events = appointments.calendar_event_id
        self.assertEqual(len(events), 3)
        self.assertEqual(events.exists(), events)
        self.assertCountEqual(
            self._linked_event_ids_in_database(appointments), events.ids
        )

    def test_upgrade_gives_existing_appointments_events(self):
        appointments = self._appointments_without_event()
        done, archived = appointments[1], appointments[2]
        done.action_mark_done()
        # Archived before the upgrade too (archiving now would make its event).
        archived.with_context(**{CALENDAR_SYNC_KEY: True}).action_archive()
        task = self.env["mercator.action"].create(
            {
                "name": "Not an appointment",
                "template_id": self.tpl_task.id,
                "user_id": self.rep.id,
            }
        )
        Message = self.env["mail.message"]
        invitations = [
            ("model", "=", "calendar.event"),
            ("message_type", "=", "user_notification"),
        ]
        invitations_before = Message.search_count(invitations)
        synced = self.env["mercator.action"]._calendar_create_missing_events()
        self.assertEqual(synced, appointments)
        for appointment in appointments:
            event = appointment.calendar_event_id
            self.assertTrue(event, f"{appointment.name} is on the calendar.")
            self.assertEqual(event.start, appointment.date)
            self.assertEqual(event.partner_ids, self.rep.partner_id | self.contact)
        self.assertFalse(archived.calendar_event_id.active)
        self.assertFalse(task.calendar_event_id)
        self.assertEqual(
            Message.search_count(invitations),
            invitations_before,
            "No invitations for appointments agreed before the upgrade.",
        )
        # Run again (a second upgrade): nothing left to do.
        self.assertFalse(self.env["mercator.action"]._calendar_create_missing_events())
        # A new appointment in the future does invite its attendees.
        self._appointment(name="Invites")
        self.assertGreater(Message.search_count(invitations), invitations_before)
