from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged, users

from .common import MercatorActionCommon

NOW = "2026-03-12 10:00:00"


@tagged("post_install", "-at_install")
class TestEmailAction(MercatorActionCommon):
    """ "Send" on an Email action: Odoo's composer, pre-filled from the template's
    email template; sending posts on the action and the prospect, marks the
    action done and plans the template's follow-up."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Rendering rights matter here: the restriction as in production.
        cls.env["ir.config_parameter"].set_param(
            "mail.restrict.template.rendering", True
        )
        cls.email = cls._create_action(
            cls.tpl_email,
            name="Our brochure",
            contact_id=cls.contact.id,
            user_id=cls.rep.id,
            description="<p>As promised, our oak desks brochure.</p>",
        )

    def _composer(self, action):
        """The composer "Send" opens, as the web client fills it."""
        window = action.with_env(self.env).action_send_email()
        self.assertEqual(window["res_model"], "mail.compose.message")
        self.assertEqual(window["target"], "new")
        return Form(self.env["mail.compose.message"].with_context(**window["context"]))

    @users("mercator_rep")
    def test_composer_values(self):
        """Pre-filled from the Email template's email template, to the contact."""
        self.assertFalse(self.env.user.has_group("mail.group_mail_template_editor"))
        composer = self._composer(self.email)
        self.assertEqual(composer.template_id, self.tpl_email.mail_template_id)
        self.assertEqual(composer.model, "mercator.action")
        self.assertEqual(composer.composition_mode, "comment")
        self.assertEqual(composer.subject, "Our brochure")
        self.assertIn("Hello Paula Pixel", composer.body)
        self.assertIn("oak desks brochure", composer.body)
        self.assertIn("Rita Rep", composer.body)
        self.assertEqual(composer.save().partner_ids, self.contact)

    @users("mercator_rep")
    def test_composer_without_email_template(self):
        """Without an email template: the action's title and description, to the
        prospect itself when there is no contact person."""
        self.tpl_email.sudo().mail_template_id = False
        self.email.contact_id = False
        composer = self._composer(self.email)
        self.assertFalse(composer.template_id)
        self.assertEqual(composer.subject, "Our brochure")
        self.assertIn("oak desks brochure", composer.body)
        self.assertEqual(composer.save().partner_ids, self.prospect)

    @users("mercator_rep")
    @freeze_time(NOW)
    def test_send_marks_done_and_posts(self):
        """Sent: the email leaves for the contact, is on the action and on the
        prospect, and the action is done now, by the rep."""
        composer = self._composer(self.email).save()
        with self.mock_mail_gateway():
            result = composer.action_send_mail()
        self.assertEqual(result, {"type": "ir.actions.act_window_close"})
        sent = [mail for mail in self._mails if "paula@pixel" in mail["email_to"][0]]
        self.assertEqual(len(sent), 1)
        self.assertEqual(sent[0]["subject"], "Our brochure")
        self.assertIn("oak desks brochure", sent[0]["body"])
        email = self.email.with_env(self.env)
        self.assertTrue(email.done)
        self.assertEqual(email.date_done, fields.Datetime.to_datetime(NOW))
        self.assertEqual(email.done_user_id, self.rep)
        message = email.message_ids.filtered(lambda m: m.subject == "Our brochure")
        self.assertEqual(message.partner_ids, self.contact)
        note = self.prospect.message_ids.filtered(lambda m: m.subject == "Our brochure")
        self.assertEqual(len(note), 1)
        self.assertIn("oak desks brochure", note.body)
        self.assertIn("Paula Pixel", note.body)
        self.assertIn(email, self.prospect.mercator_history_ids)

    @users("mercator_rep")
    @freeze_time(NOW)
    def test_send_plans_the_follow_up(self):
        """With a follow-up on the template, sending opens its form as "Done and
        plan next" does."""
        self.tpl_email.sudo().write(
            {"next_template_id": self.tpl_documentation.id, "next_delay": 3}
        )
        composer = self._composer(self.email).save()
        with self.mock_mail_gateway():
            result = composer.action_send_mail()
        self.assertTrue(self.email.done)
        self.assertEqual(result["res_model"], "mercator.action")
        self.assertFalse(result.get("res_id"), "a new action's form")
        context = result["context"]
        self.assertEqual(context["default_previous_id"], self.email.id)
        self.assertEqual(context["default_template_id"], self.tpl_documentation.id)
        self.assertEqual(context["default_partner_id"], self.prospect.id)
        self.assertEqual(context["default_contact_id"], self.contact.id)
        self.assertEqual(
            fields.Datetime.to_datetime(context["default_date"]),
            fields.Datetime.to_datetime(NOW) + timedelta(days=3),
        )
        follow_up = Form(
            self.env["mercator.action"].with_context(**context),
            view="mercator_crm.mercator_action_view_form",
        ).save()
        self.assertEqual(self.email.next_id, follow_up)

    @users("mercator_rep")
    def test_no_recipient_address(self):
        """No email address: a clear message, and the action stays open."""
        self.email.contact_id = self.contact_2
        with self.assertRaisesRegex(UserError, "Pierre Pixel has no email address"):
            self.email.with_env(self.env).action_send_email()
        self.assertFalse(self.email.done)
        # The recipients emptied in the composer: nothing leaves, still open.
        self.email.contact_id = self.contact
        composer = self._composer(self.email)
        composer.partner_ids.clear()
        composer = composer.save()
        with self.mock_mail_gateway(), self.assertRaises(UserError) as catcher:
            composer.action_send_mail()
        self.assertIn("No email left", str(catcher.exception))
        self.assertFalse(self.email.done)
        self.assertFalse(self._mails)
        self.assertFalse(
            self.email.message_ids.filtered(lambda m: m.subject == "Our brochure"),
            "the posted message is rolled back with the refusal",
        )

    @users("mercator_rep")
    def test_send_later_refused(self):
        composer = self._composer(self.email).save()
        with self.assertRaisesRegex(UserError, "Send Later"):
            composer.action_schedule_message(fields.Datetime.now() + timedelta(days=1))
        self.assertFalse(self.email.done)

    @users("mercator_rep")
    def test_only_open_email_actions_send(self):
        with self.assertRaisesRegex(UserError, "not an email action"):
            self.meeting.with_env(self.env).action_send_email()
        self.email.action_mark_done()
        with self.assertRaisesRegex(UserError, "already done"):
            self.email.with_env(self.env).action_send_email()

    @users("mercator_rep_other", "mercator_employee")
    def test_others_cannot_send(self):
        """Another rep, a plain employee: the usual access error."""
        with self.assertRaises(AccessError):
            self.email.with_env(self.env).action_send_email()
        self.assertFalse(self.email.done)

    @users("mercator_rep")
    def test_offer_email_unchanged(self):
        """The offer's validation email keeps its own template, and its email
        action is done at once (no "Send" left)."""
        product = (
            self.env["product.product"]
            .sudo()
            .create(
                {"name": "Desk", "list_price": 100.0, "taxes_id": [Command.clear()]}
            )
        )
        offer = self.env["mercator.action"].browse(
            self.opportunity.with_env(self.env).action_make_offer()["res_id"]
        )
        offer.sale_order_line_ids = [Command.create({"product_id": product.id})]
        with self.mock_mail_gateway():
            email = self.env["mercator.action"].browse(
                offer.action_validate_offer()["res_id"]
            )
        self.assertTrue(email.done)
        self.assertIn(offer.sale_order_id.name, email.name)
        with self.assertRaisesRegex(UserError, "already done"):
            email.action_send_email()
