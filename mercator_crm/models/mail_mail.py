from odoo import models


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(
        self, success_pids, failure_reason=False, failure_type=None
    ):
        """A refused email of a mailing: its send-action becomes failed, with
        the reason, so that "Retry failed" can send it again. Successful mails
        cost no query here (their action is already marked sent)."""
        if failure_type:
            actions = (
                self.env["mercator.action"]
                .sudo()
                .with_context(active_test=False)
                .search([("mail_mail_id", "in", self.ids)])
            )
            if actions:
                actions._mailing_mark_failed(failure_reason or failure_type)
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type
        )
