from odoo import api, fields, models

from .mercator_action_calendar import CALENDAR_SYNC_KEY

# Event fields whose change is copied on the linked appointment action.
EVENT_SYNC_FIELDS = {
    "name",
    "start",
    "stop",
    "user_id",
    "location",
    "description",
    "active",
    "partner_ids",
    "attendee_ids",
    "mercator_template_id",
    "allday",
    "start_date",
    "stop_date",
}


class CalendarEvent(models.Model):
    """A calendar event with a Mercator appointment type is an appointment action.

    An event created in the Calendar app with an appointment type gets a new
    appointment action; moving, editing, archiving or deleting the event does the
    same to its action. The reverse direction is in
    ``models/mercator_action_calendar.py``.
    """

    _inherit = "calendar.event"

    mercator_template_id = fields.Many2one(
        "mercator.action.template",
        string="Appointment Type",
        copy=False,
        index="btree_not_null",
        ondelete="set null",
        domain="[('kind', '=', 'appointment')]",
        help="Mercator CRM appointment type: the event is kept in step with an "
        "appointment action of this type.",
    )
    mercator_action_ids = fields.One2many(
        "mercator.action",
        "calendar_event_id",
        string="Mercator Appointments",
        context={"active_test": False},
    )

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        if not self.env.context.get(CALENDAR_SYNC_KEY):
            events.filtered("mercator_template_id")._mercator_sync_actions()
        return events

    def write(self, vals):
        result = super().write(vals)
        if not self.env.context.get(CALENDAR_SYNC_KEY) and (
            EVENT_SYNC_FIELDS & vals.keys()
        ):
            self._mercator_sync_actions()
        return result

    def unlink(self):
        if self.env.context.get(CALENDAR_SYNC_KEY):
            return super().unlink()
        actions_sudo = self._mercator_actions_sudo()
        result = super().unlink()
        # A done appointment is history: it stays, without its event.
        actions_sudo.filtered(lambda a: not a.done).with_context(
            **{CALENDAR_SYNC_KEY: True}
        ).unlink()
        return result

    def _mercator_actions_sudo(self):
        # sudo: an attendee allowed to edit the event (e.g. a colleague moving a
        # meeting) moves its appointment even when they cannot see that action.
        return self.sudo().with_context(active_test=False).mercator_action_ids

    def _mercator_action_values(self):
        """Values of the appointment action of this event."""
        self.ensure_one()
        # The contact person: the first attendee who is a Mercator prospect or
        # customer (or one of their contacts).
        contacts = self.partner_ids.filtered(
            lambda p: p.commercial_partner_id.mercator_status
        )
        contact = contacts[:1]
        values = {
            "name": self.name,
            "template_id": self.mercator_template_id.id,
            "date": self.start,
            "date_deadline": self.stop,
            "user_id": self.user_id.id,
            "location": self.location or False,
            "description": self.description or False,
            "active": self.active,
        }
        if contact:
            values["partner_id"] = contact.commercial_partner_id.id
            values["contact_id"] = contact.id if contact.parent_id else False
        return values

    def _mercator_sync_actions(self):
        """Create or update the appointment actions of these events."""
        actions_sudo = self._mercator_actions_sudo()
        Action = self.env["mercator.action"].with_context(**{CALENDAR_SYNC_KEY: True})
        linked = actions_sudo.calendar_event_id
        to_create = self.filtered(lambda e: e.mercator_template_id and e not in linked)
        if to_create:
            Action.create(
                [
                    dict(event._mercator_action_values(), calendar_event_id=event.id)
                    for event in to_create
                ]
            )
        for action_sudo in actions_sudo.with_context(**{CALENDAR_SYNC_KEY: True}):
            event = action_sudo.calendar_event_id
            values = event._mercator_action_values()
            if not event.mercator_template_id:
                # The type was removed: the event is no longer an appointment.
                action_sudo.calendar_event_id = False
                continue
            action_sudo.write(values)
