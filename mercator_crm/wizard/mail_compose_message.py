from odoo import _, models
from odoo.exceptions import UserError

from ..models.mercator_action_email import EMAIL_SEND_KEY


class MailComposeMessage(models.TransientModel):
    """The composer opened by "Send" on an Email action (``EMAIL_SEND_KEY`` in
    its context) finishes the action once its email is posted."""

    _inherit = "mail.compose.message"

    def action_send_mail(self):
        """Send: for an Email action, then open the follow-up its template
        proposes (as "Done and plan next" does), or close."""
        email_action = self._get_mercator_email_action()
        result = super().action_send_mail()
        if email_action:
            return email_action._get_email_follow_up_action() or result
        return result

    def action_schedule_message(self, scheduled_date=False):
        if self._get_mercator_email_action():
            raise UserError(
                _(
                    'An email action is sent at once: "Send Later" would leave it '
                    "open. Send it now, or plan the action itself for later (its "
                    "date and reminder)."
                )
            )
        return super().action_schedule_message(scheduled_date=scheduled_date)

    def _action_send_mail_comment(self, res_ids):
        messages = super()._action_send_mail_comment(res_ids)
        email_action = self._get_mercator_email_action()
        if email_action and email_action.id in res_ids:
            email_action._email_after_send(
                messages.filtered(
                    lambda m: (
                        m.model == email_action._name and m.res_id == email_action.id
                    )
                )
            )
        return messages

    def _get_mercator_email_action(self):
        """The Email action this composer sends, when it was opened by its
        "Send" button; else an empty recordset."""
        action_id = self.env.context.get(EMAIL_SEND_KEY)
        Action = self.env["mercator.action"]
        if (
            not isinstance(action_id, int)
            or len(self) != 1
            or self.model != Action._name
            or self.composition_mode != "comment"
            or action_id not in self._evaluate_res_ids()
        ):
            return Action
        action = Action.browse(action_id)
        return action if action.kind == "email" else Action
