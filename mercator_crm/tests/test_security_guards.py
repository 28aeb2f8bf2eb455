"""Issue 12, class 5: checks that must see everything do. A guard deciding
whether a delete, a reopening or a relink is safe looks at every record,
archived ones and those of other reps included, not only at what the user
sees."""

from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged, users

from .common import MercatorActionCommon, MercatorMailingCommon


@tagged("post_install", "-at_install")
class TestSecurityGuards(MercatorActionCommon):
    @users("mercator_rep")
    def test_opportunity_with_hidden_steps_is_kept(self):
        """The rep's opportunity on a prospect another rep represents holds a
        step of that rep, which she does not see (and then a cancelled one)."""
        opportunity = self._create_action(
            self.tpl_opportunity,
            name="Shared deal",
            partner_id=self.other_prospect.id,
            user_id=self.rep.id,
        )
        hidden = self._create_action(
            self.tpl_call,
            partner_id=self.other_prospect.id,
            parent_id=opportunity.id,
            user_id=self.rep_other.id,
        )
        # As in a request of the rep: nothing the superuser read is cached.
        self.env.invalidate_all()
        opportunity = opportunity.with_env(self.env)
        self.assertFalse(opportunity.child_ids)
        with self.assertRefused(UserError, "Delete or move the steps"):
            opportunity.unlink()
        hidden.unlink()
        cancelled = self._create_action(
            self.tpl_call,
            partner_id=self.other_prospect.id,
            parent_id=opportunity.id,
            user_id=self.rep.id,
        )
        cancelled.action_archive()
        self.env.invalidate_all()
        with self.assertRefused(UserError, "Delete or move the steps"):
            opportunity.unlink()
        self.assertTrue(opportunity.exists())

    @users("mercator_rep")
    def test_done_action_with_hidden_follower_stays_done(self):
        """On a prospect another rep represents, that rep's action follows the
        rep's done one: the rep cannot reopen hers, though she does not see
        that follower."""
        sent = self._create_action(
            self.tpl_documentation,
            partner_id=self.other_prospect.id,
            user_id=self.rep.id,
            done=True,
        )
        self._create_action(
            self.tpl_documentation,
            partner_id=self.other_prospect.id,
            previous_id=sent.id,
            user_id=self.rep_other.id,
        )
        # As in a request of the rep: nothing the superuser read is cached, and
        # what she reads is (the guard must not trust it).
        self.env.invalidate_all()
        self.assertFalse(sent.with_env(self.env).next_ids)
        with self.assertRefused(ValidationError, "cannot be reopened"):
            sent.with_env(self.env).action_mark_undone()
        self.assertTrue(sent.done)

    @users("mercator_rep")
    def test_deleting_relinks_hidden_followers(self):
        """On a prospect another rep represents, the rep deletes her done call:
        the followers she does not see (that rep's action, a cancelled one)
        follow the call's own previous action."""
        chain = {"partner_id": self.other_prospect.id, "done": True}
        first = self._create_action(
            self.tpl_documentation, user_id=self.rep.id, **chain
        )
        middle = self._create_action(
            self.tpl_documentation, user_id=self.rep.id, previous_id=first.id, **chain
        )
        hidden = self._create_action(
            self.tpl_documentation,
            partner_id=self.other_prospect.id,
            previous_id=middle.id,
            user_id=self.rep_other.id,
        )
        cancelled = self._create_action(
            self.tpl_documentation,
            partner_id=self.other_prospect.id,
            previous_id=middle.id,
            user_id=self.rep.id,
        )
        cancelled.action_archive()
        self.env.invalidate_all()
        self.assertEqual(middle.with_env(self.env).next_ids, cancelled)
        middle.with_env(self.env).unlink()
        self.assertEqual(hidden.previous_id, first)
        self.assertEqual(cancelled.previous_id, first)

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
