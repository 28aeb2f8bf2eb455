"""Issue 12, class 5: checks that must see everything do. A guard deciding
whether a delete, a reopening or a relink is safe looks at every record,
archived ones and those of other reps included, not only at what the user
sees."""

from datetime import datetime

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged, users

from .common import MercatorActionCommon, MercatorMailingCommon


@tagged("post_install", "-at_install")
class TestSecurityGuards(MercatorActionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # In the rep's opportunity, after her done call: a step of a colleague,
        # which the rep (own documents) does not see.
        cls.colleague_step = cls._create_action(
            cls.tpl_call,
            name="Colleague's follow-up",
            parent_id=cls.opportunity.id,
            previous_id=cls.call.id,
            user_id=cls.rep_other.id,
            date=datetime(2026, 3, 11, 9, 0),
        )

    @users("mercator_rep")
    def test_opportunity_with_hidden_steps_is_kept(self):
        opportunity = self.opportunity.with_env(self.env)
        self.assertNotIn(self.colleague_step, opportunity.child_ids)
        # Her own steps gone, the colleague's (and a cancelled one) remain.
        self.meeting.with_env(self.env).unlink()
        with self.assertRefused(UserError, "Delete or move the steps"):
            opportunity.unlink()
        self.colleague_step.sudo().unlink()
        cancelled = self._create_action(
            self.tpl_call, parent_id=self.opportunity.id, user_id=self.rep.id
        )
        cancelled.action_archive()
        self.call.with_env(self.env).unlink()
        with self.assertRefused(UserError, "Delete or move the steps"):
            opportunity.unlink()
        self.assertTrue(self.opportunity.exists())

    @users("mercator_rep")
    def test_done_action_with_hidden_follower_stays_done(self):
        """A colleague's action follows the rep's done one: the rep cannot
        reopen hers, though she does not see that follower."""
        sent = self._create_action(
            self.tpl_documentation, user_id=self.rep.id, done=True
        )
        self._create_action(
            self.tpl_documentation, previous_id=sent.id, user_id=self.rep_other.id
        )
        # As in a request of the rep: nothing the superuser read is cached.
        self.env.invalidate_all()
        with self.assertRefused(ValidationError, "cannot be reopened"):
            sent.with_env(self.env).action_mark_undone()
        self.assertTrue(sent.done)

    @users("mercator_rep")
    def test_deleting_relinks_hidden_followers(self):
        """Deleting the rep's call relinks the followers that the rep does not
        see (another rep's, a cancelled one) to the call's own previous
        action."""
        first = self._create_action(
            self.tpl_call,
            name="First call",
            parent_id=self.opportunity.id,
            user_id=self.rep.id,
            date=datetime(2026, 3, 1, 9, 0),
            done=True,
        )
        self.call.previous_id = first
        self.meeting.action_archive()
        self.call.with_env(self.env).unlink()
        self.assertEqual(self.colleague_step.previous_id, first)
        self.assertEqual(self.meeting.previous_id, first)

    def test_board_column_guard_sees_other_companies(self):
        """A manager of one company deletes no column that holds opportunities
        of another company."""
        column = self.env["mercator.board.column"].create({"name": "Shared column"})
        self.env["mercator.action"].with_company(self.other_company).create(
            {
                "name": "Elsewhere",
                "template_id": self.tpl_opportunity.id,
                "company_id": self.other_company.id,
                "partner_id": self.prospect.id,
                "user_id": self.rep_foreign.id,
                "board_column_id": column.id,
            }
        )
        with self.assertRefused(UserError, "still holds 1 opportunities"):
            column.with_user(self.manager).with_context(
                allowed_company_ids=self.company.ids
            ).unlink()


@tagged("post_install", "-at_install")
class TestSecurityGuardsMailing(MercatorMailingCommon):
    def test_mailing_with_hidden_sent_sends_is_kept(self):
        """A sent send handed over to another user (or archived) still keeps
        its mailing: the rep who owns the mailing cannot delete it."""
        mailing = self.mailing
        mailing.user_id = self.rep
        self.recipients.user_id = self.rep
        mailing.with_user(self.rep).action_generate()
        sends = self._sends(mailing)
        sent = sends[0]
        sent._mailing_mark_sent()
        sent.user_id = self.rep_other
        with self.assertRefused(UserError, "kept as the history"):
            mailing.with_user(self.rep).unlink()
        self.assertTrue(sent.exists())
        sent.user_id = self.rep
        sent.action_archive()
        with self.assertRefused(UserError, "kept as the history"):
            mailing.with_user(self.rep).unlink()
        self.assertTrue(sent.exists())
