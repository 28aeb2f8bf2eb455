from markupsafe import Markup

from odoo import _, models
from odoo.exceptions import UserError

# Context key of the composer opened by "Send" on an Email action: the action's
# id. Once the composer has posted the email on it, the action is done (see
# ``wizard/mail_compose_message.py``).
EMAIL_SEND_KEY = "mercator_email_action_id"


class MercatorAction(models.Model):
    """Email actions send: "Send" opens Odoo's composer (``mail.compose.message``)
    pre-filled from the action template's email template (else with the action's
    title and description), to the contact person or the prospect. The composer
    posts the email on the action and sends it; then the action is done now, the
    email is noted on the prospect, and the template's follow-up opens as after
    "Done and plan next".
    """

    _inherit = "mercator.action"

    def action_send_email(self):
        """Button "Send" of an Email action: Odoo's composer, pre-filled."""
        self.ensure_one()
        self._check_email_can_be_sent()
        context = {
            "default_model": self._name,
            "default_res_ids": self.ids,
            "default_composition_mode": "comment",
            "default_partner_ids": self._get_email_recipient().ids,
            "default_email_layout_xmlid": "mail.mail_notification_light",
            EMAIL_SEND_KEY: self.id,
        }
        mail_template = self.template_id.mail_template_id
        if mail_template:
            context["default_template_id"] = mail_template.id
        else:
            context["default_subject"] = self.name
            context["default_body"] = self.description or ""
        return self.env["mail.compose.message"]._get_records_action(
            name=_("Send %(action)s", action=self.name),
            target="new",
            context=context,
        )

    def _get_email_recipient(self):
        """The contact person of the action, or the prospect itself."""
        self.ensure_one()
        return self.contact_id or self.partner_id

    def _check_email_can_be_sent(self):
        """Refuse, with a sentence the rep understands, an email that cannot go."""
        self.ensure_one()
        if self.kind != "email":
            raise UserError(
                _(
                    '"%(action)s" is not an email action: only those are sent.',
                    action=self.name,
                )
            )
        if self.done:
            raise UserError(
                _('"%(action)s" is already done.', action=self.name),
            )
        recipient = self._get_email_recipient()
        if not recipient:
            raise UserError(
                _(
                    'Choose the prospect or customer of "%(action)s" before sending '
                    "it.",
                    action=self.name,
                )
            )
        self._check_recipient_email(
            recipient,
            _(
                "%(recipient)s has no email address: add one before sending "
                '"%(action)s".',
                recipient=recipient.display_name,
                action=self.name,
            ),
        )

    def _email_after_send(self, messages):
        """The composer posted ``messages`` on this Email action: refuse when
        no email left with them (everything is rolled back, the action stays
        open), else mark the action done now and note the email on the
        prospect."""
        self.ensure_one()
        emailed = messages.notification_ids.filtered(
            lambda n: n.notification_type == "email"
        )
        if not emailed:
            raise UserError(
                _(
                    'No email left for "%(action)s": add a recipient with an email '
                    "address, then send again.",
                    action=self.name,
                )
            )
        self.action_mark_done()
        self._post_email_on_partner(messages[:1], emailed.res_partner_id)

    def _post_email_on_partner(self, message, recipients):
        """The email in the prospect's chatter too, with its attachments (for
        a user who may post there: a user responsible for an action on a
        prospect they do not see keeps the email on the action only)."""
        self.ensure_one()
        partner = self.partner_id.commercial_partner_id
        if not partner or not partner.has_access("write"):
            return
        header = Markup(_("Email sent to %(recipients)s from %(action)s:")) % {
            "recipients": ", ".join(recipients.mapped("display_name")),
            "action": self._get_html_link(),
        }
        partner.message_post(
            body=Markup("<p>%s</p>%s") % (header, message.body),
            subject=message.subject,
            attachment_ids=message.attachment_ids.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
        )

    def _get_email_follow_up_action(self):
        """After sending: the form of the follow-up the template proposes, as
        "Done and plan next" opens it; False when it proposes none."""
        self.ensure_one()
        if not self.template_id.next_template_id:
            return False
        return self.action_done_and_plan_next()
