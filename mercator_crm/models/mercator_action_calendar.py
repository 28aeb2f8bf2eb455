from datetime import timedelta

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError

# Context key set while one side of the action <-> calendar event link writes the
# other side, so the write does not bounce back.
CALENDAR_SYNC_KEY = "mercator_calendar_sync"
# Fields of an appointment action copied on its calendar event.
CALENDAR_SYNC_FIELDS = {
    "name",
    "date",
    "date_deadline",
    "user_id",
    "contact_id",
    "location",
    "description",
    "active",
    "template_id",
}
DEFAULT_APPOINTMENT_DURATION = timedelta(hours=1)


class MercatorAction(models.Model):
    """Appointments are calendar events.

    Each appointment action (kind "appointment") has one ``calendar.event``: its
    date is the event's start, its deadline the event's end, its responsible and
    contact person are the attendees. Creating, moving, editing, cancelling or
    deleting the action does the same to the event; the event does the same to
    the action (see ``models/calendar_event.py``). ``CALENDAR_SYNC_KEY`` in the
    context marks the writes made by the synchronisation itself.
    """

    _inherit = "mercator.action"

    calendar_event_id = fields.Many2one(
        "calendar.event",
        index="btree_not_null",
        copy=False,
        ondelete="set null",
        readonly=True,
    )
    location = fields.Char(tracking=True)

    _sql_constraints = [
        (
            "calendar_event_uniq",
            "unique(calendar_event_id)",
            "A calendar event is linked to one action only.",
        ),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        actions = super().create(vals_list)
        if not self.env.context.get(CALENDAR_SYNC_KEY):
            actions._calendar_sync_events()
        return actions

    def write(self, vals):
        sync = not self.env.context.get(CALENDAR_SYNC_KEY) and (
            CALENDAR_SYNC_FIELDS & vals.keys()
        )
        # Attendees the action put on its event, to swap them if they change.
        old_partners = (
            {
                action.id: action.user_id.partner_id | action.contact_id
                for action in self
            }
            if sync and {"user_id", "contact_id"} & vals.keys()
            else {}
        )
        result = super().write(vals)
        if sync:
            self._calendar_sync_events(old_partners)
        return result

    def unlink(self):
        events = self.calendar_event_id
        result = super().unlink()
        if events and not self.env.context.get(CALENDAR_SYNC_KEY):
            events.exists().with_context(**{CALENDAR_SYNC_KEY: True}).unlink()
        return result

    def action_open_calendar_event(self):
        """Button "Calendar": the appointment's event in the Calendar app."""
        self.ensure_one()
        event = self.calendar_event_id
        if not event:
            raise UserError(_('"%(action)s" has no calendar event.', action=self.name))
        return event._get_records_action(name=event.display_name, context={})

    def _get_system_fields(self):
        return super()._get_system_fields() | {"calendar_event_id"}

    def _calendar_event_values(self, old_partners=None):
        """Values of the calendar event of this appointment action."""
        self.ensure_one()
        partners = self.user_id.partner_id | self.contact_id
        if old_partners is None:
            partner_commands = [Command.set(partners.ids)]
        else:
            partner_commands = [
                Command.unlink(partner.id) for partner in old_partners - partners
            ] + [Command.link(partner.id) for partner in partners - old_partners]
        values = {
            "name": self.name,
            "start": self.date,
            "stop": self.date_deadline or self.date + DEFAULT_APPOINTMENT_DURATION,
            "user_id": self.user_id.id,
            "location": self.location or False,
            "description": self.description or False,
            "active": self.active,
            "mercator_template_id": self.template_id.id,
        }
        if partner_commands:
            values["partner_ids"] = partner_commands
        return values

    @api.model
    def _calendar_create_missing_events(self):
        """Give an event to each appointment action that has none.

        Run once on the upgrade that brings the calendar (see
        ``migrations/18.0.1.1.0/post-migrate.py``): the appointments made before it
        have no event. Appointments are created with their event since then, and a
        done appointment whose event was deleted stays without one.
        """
        appointments = self.with_context(active_test=False).search(
            [("kind", "=", "appointment"), ("calendar_event_id", "=", False)]
        )
        # The database says "no event"; the cache may still hold one that a
        # savepoint rolled back without a flush has removed (a failed demo load).
        appointments.invalidate_recordset(["calendar_event_id"])
        # The attendees agreed on these appointments before the upgrade: no
        # invitation emails about them now.
        appointments.with_context(no_mail_to_attendees=True)._calendar_sync_events()
        return appointments

    def _calendar_sync_events(self, old_partners=None):
        """Create, update or delete the calendar events of these actions.

        Appointments without an event get one (one ``create`` for all of them);
        events of actions that are no longer appointments are deleted; the others
        are written with one ``write`` per set of identical values.
        """
        old_partners = old_partners or {}
        Event = self.env["calendar.event"].with_context(**{CALENDAR_SYNC_KEY: True})
        appointments = self.filtered(lambda a: a.kind == "appointment")
        to_create = appointments.filtered(lambda a: not a.calendar_event_id)
        to_write = appointments - to_create
        to_drop = (self - appointments).calendar_event_id
        if to_create:
            events = Event.create([a._calendar_event_values() for a in to_create])
            for action, event in zip(
                to_create.with_context(**{CALENDAR_SYNC_KEY: True}), events, strict=True
            ):
                action._write_system_fields({"calendar_event_id": event.id})
            # create() has inserted the events; write their links now too. A link
            # left pending in the cache outlives a savepoint rolled back without a
            # flush (the demo data of an upgrade is loaded in one), which removes
            # the events: the link's later flush then breaks the foreign key.
            to_create.flush_recordset(["calendar_event_id"])
        groups = {}
        for action in to_write:
            values = action._calendar_event_values(old_partners.get(action.id))
            key = repr(sorted(values.items()))
            groups.setdefault(key, (values, []))[1].append(action.calendar_event_id.id)
        for values, event_ids in groups.values():
            Event.browse(event_ids).write(values)
        if to_drop:
            to_drop.with_context(**{CALENDAR_SYNC_KEY: True}).unlink()
