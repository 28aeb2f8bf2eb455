"""Issue 12, class 6: nothing sent or done is deleted by a cascade. Deleting a
partner, a contact or a mailing never takes the history of actions with it:
the delete is refused with a clear message (archive instead)."""

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged, users

from .common import MercatorActionCommon, MercatorMailingCommon


@tagged("post_install", "-at_install")
class TestSecurityHistory(MercatorActionCommon):
    def test_prospect_with_actions_is_not_deleted(self):
        """The rep's prospect, her manager's delete: refused, the opportunity,
        its steps and the done call stay with their prospect."""
        actions = self.opportunity | self.call | self.meeting
        for user in (self.rep, self.rep_all, self.manager):
            with self.subTest(user=user.login):
                with self.assertRefused(UserError, "archive it instead"):
                    self.prospect.with_user(user).unlink()
        self.assertEqual(actions.exists(), actions)
        self.assertEqual(actions.partner_id, self.prospect)
        # Archiving is the way.
        self.prospect.with_user(self.rep).action_archive()
        self.assertFalse(self.prospect.active)

    @users("mercator_manager")
    def test_contact_of_done_action_is_not_deleted(self):
        self.call.contact_id = self.contact_2
        with self.assertRefused(UserError, "archive it instead"):
            self.contact_2.with_env(self.env).unlink()
        self.assertEqual(self.call.contact_id, self.contact_2)
        # The contact of an action still to do only leaves it.
        self.meeting.contact_id = self.contact_2
        self.call.contact_id = False
        self.contact_2.with_env(self.env).unlink()
        self.assertFalse(self.meeting.contact_id)

    def test_outsiders_delete_no_prospect(self):
        for user in (self.employee, self.portal, self.rep_other):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.prospect.with_user(user).unlink()
        # A prospect without company is shared by the companies: a rep of
        # another one sees it, and its history keeps it.
        with self.assertRefused(UserError, "archive it instead"):
            self.prospect.with_user(self.rep_foreign).with_context(
                allowed_company_ids=self.other_company.ids
            ).unlink()
        self.assertTrue(self.prospect.exists())


@tagged("post_install", "-at_install")
class TestSecurityHistoryMailing(MercatorMailingCommon):
    def _sent_mailing(self):
        """The rep's mailing to the recipients, one of them sent."""
        self.mailing.user_id = self.rep
        self.recipients.user_id = self.rep
        self.mailing.with_user(self.rep).action_generate()
        sends = self._sends()
        sends[0]._mailing_mark_sent()
        return sends

    def test_recipient_of_sent_mail_is_not_deleted(self):
        """A contact who received a mailing: its send is history, not cascaded
        away with the partner."""
        sends = self._sent_mailing()
        contact = self.env["res.partner"].create(
            {"name": "Mailed Contact", "parent_id": self.recipients[0].id}
        )
        sends[0].sudo().mailing_recipient_id = contact
        with self.assertRefused(UserError, "archive it instead"):
            contact.with_user(self.manager).unlink()
        self.assertTrue(sends[0].exists())

    def test_mailing_with_sent_sends_is_not_deleted(self):
        sends = self._sent_mailing()
        for user in (self.rep, self.manager):
            with self.subTest(user=user.login):
                with self.assertRefused(UserError, "kept as the history"):
                    self.mailing.with_user(user).unlink()
        self.assertEqual(sends.exists(), sends)

    @users("mercator_rep")
    def test_mailing_without_sent_sends_takes_its_pending_sends(self):
        """A mailing nothing was sent of goes with its pending and skipped
        sends, deleted as the rep (her rights apply)."""
        self.mailing.sudo().user_id = self.rep
        self.recipients.sudo().user_id = self.rep
        self._add_recipient()
        mailing = self.mailing.with_env(self.env)
        mailing.action_generate()
        sends = self._sends().sudo()
        self.assertEqual(len(sends), 6)
        self.assertIn("skipped", sends.mapped("mailing_state"))
        mailing.unlink()
        self.assertFalse(sends.exists())

    def test_outsiders_delete_no_mailing(self):
        self._sent_mailing()
        for user in (self.employee, self.portal, self.rep_other, self.rep_foreign):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.mailing.with_user(user).with_context(
                        allowed_company_ids=user.company_ids.ids
                    ).unlink()
        self.assertTrue(self.mailing.exists())
