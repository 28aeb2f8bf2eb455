from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError

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

    The event of an appointment is changed (in the fields kept in step) and
    deleted only by who may write, or delete, its action: the Calendar app lets
    any employee edit the events they see, and cannot be a way around the
    rules of Mercator CRM. A done appointment is history: deleting its event
    leaves it, without its event.
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
        groups="mercator_crm.group_mercator_user",
    )

    @api.constrains("mercator_template_id")
    def _check_mercator_template_id(self):
        for event in self:
            template = event.mercator_template_id
            if template and template.kind != "appointment":
                raise ValidationError(
                    _(
                        '"%(template)s" is not an appointment type: the event '
                        '"%(event)s" cannot be a Mercator appointment of it.',
                        template=template.name,
                        event=event.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        events = super().create(vals_list)
        if not self.env.context.get(CALENDAR_SYNC_KEY):
            events.filtered("mercator_template_id")._mercator_sync_actions()
        return events

    def write(self, vals):
        sync = not self.env.context.get(CALENDAR_SYNC_KEY) and (
            EVENT_SYNC_FIELDS & vals.keys()
        )
        if sync:
            self._mercator_check_actions_access("write")
        result = super().write(vals)
        if sync:
            self._mercator_sync_actions()
        return result

    def unlink(self):
        if self.env.context.get(CALENDAR_SYNC_KEY):
            return super().unlink()
        # A done appointment is history: it stays, without its event.
        actions = self._mercator_actions(open_only=True)
        self._mercator_check_actions_access("unlink", actions)
        result = super().unlink()
        actions.with_context(**{CALENDAR_SYNC_KEY: True}).unlink()
        return result

    def _mercator_actions(self, open_only=False):
        """The appointment actions of these events (only those not done with
        ``open_only``), all of them: cancelled ones and those the user does not
        see too. They are returned as the current user's records."""
        # sudo: to find the actions the user cannot read, which the event must
        # not change or delete for them (see _mercator_check_actions_access). A
        # search, not mercator_action_ids: the cache may hold what the user read.
        actions_sudo = (
            self.env["mercator.action"]
            .sudo()
            .with_context(active_test=False)
            .search([("calendar_event_id", "in", self.ids)])
        )
        if open_only:
            actions_sudo = actions_sudo.filtered(lambda a: not a.done)
        return actions_sudo.sudo(False)

    def _mercator_check_actions_access(self, operation, actions=None):
        """Refuse to change (``write``) or delete (``unlink``) events whose
        appointment actions the user may not change or delete."""
        if self.env.su:
            return
        # The user's rights on the events themselves come first: the message
        # below names the event.
        self.check_access(operation)
        actions = self._mercator_actions() if actions is None else actions
        forbidden = actions - actions._filtered_access(operation)
        if not forbidden:
            return
        event = forbidden.sudo().calendar_event_id[:1]
        if operation == "unlink":
            message = _(
                'The event "%(event)s" is an appointment of Mercator CRM, which '
                "you may not delete: ask %(user)s.",
                event=event.name,
                user=event.user_id.name or _("its organizer"),
            )
        else:
            message = _(
                'The event "%(event)s" is an appointment of Mercator CRM, which '
                "you may not change: ask %(user)s.",
                event=event.name,
                user=event.user_id.name or _("its organizer"),
            )
        raise AccessError(message)

    def _mercator_action_values(self):
        """Values of the appointment action of this event."""
        self.ensure_one()
        # The contact person: the first attendee who is a Mercator prospect or
        # customer (or one of their contacts) that the user may read.
        contacts = self.partner_ids._filtered_access("read").filtered(
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
        """Create or update the appointment actions of these events, as the
        current user (who may write them: see ``write``)."""
        actions = self._mercator_actions().with_context(**{CALENDAR_SYNC_KEY: True})
        Action = self.env["mercator.action"].with_context(**{CALENDAR_SYNC_KEY: True})
        linked = actions.sudo().calendar_event_id
        to_create = self.filtered(lambda e: e.mercator_template_id and e not in linked)
        if to_create:
            Action._create_with_system_fields(
                [
                    dict(event._mercator_action_values(), calendar_event_id=event.id)
                    for event in to_create
                ]
            )
        for action in actions:
            event = action.calendar_event_id
            if not event.mercator_template_id:
                # The type was removed: the event is no longer an appointment.
                action._write_system_fields({"calendar_event_id": False})
                continue
            action.write(event._mercator_action_values())
