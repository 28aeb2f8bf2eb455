from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .mercator_action_reminder import MAX_SNOOZE_MINUTES


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    mercator_reminder_email_offline = fields.Boolean(
        "Email Reminders to Offline Users",
        config_parameter="mercator_crm.reminder_email_offline",
        help="Users concerned by a reminder who are not connected to Odoo at its "
        "minute also get it by email.",
    )
    mercator_reminder_snooze_minutes = fields.Integer(
        "Snooze Reminders For (minutes)",
        config_parameter="mercator_crm.reminder_snooze_minutes",
        default=10,
    )
    mercator_close_without_reason = fields.Boolean(
        "Close Opportunities without a Reason",
        config_parameter="mercator_crm.close_without_reason",
        help="Reps may mark an opportunity won or lost without choosing a reason.",
    )

    @api.constrains("mercator_reminder_snooze_minutes")
    def _check_mercator_reminder_snooze_minutes(self):
        for settings in self:
            if not 1 <= settings.mercator_reminder_snooze_minutes <= MAX_SNOOZE_MINUTES:
                raise ValidationError(
                    _(
                        "Reminders are snoozed for one minute to %(max)s minutes.",
                        max=MAX_SNOOZE_MINUTES,
                    )
                )
