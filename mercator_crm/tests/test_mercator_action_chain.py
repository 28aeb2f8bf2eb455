from datetime import datetime

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged

from .common import MercatorActionCommon


@tagged("post_install", "-at_install")
class TestMercatorActionChain(MercatorActionCommon):
    def _walk(self, action, direction):
        """Follow << or >> from ``action`` like a user, until the end."""
        walked = []
        method = "action_open_next" if direction == ">>" else "action_open_previous"
        while True:
            try:
                result = getattr(action, method)()
            except UserError:
                return walked
            action = self.env["mercator.action"].browse(result["res_id"])
            walked.append(action)

    def _plan_next(self, action, **values):
        """ "Done and plan next", then save the proposed form."""
        result = action.action_done_and_plan_next()
        self.assertTrue(action.done)
        with Form(
            self.env["mercator.action"].with_context(**result["context"])
        ) as form:
            for name, value in values.items():
                setattr(form, name, value)
        return form.save()

    def test_plan_next_follows_template(self):
        """The call proposes a meeting, the meeting an offer, in the opportunity."""
        offer_date_before = datetime.now()
        self.meeting.action_mark_done()
        offer = self._plan_next(self.meeting)
        self.assertEqual(offer.previous_id, self.meeting)
        self.assertEqual(offer.template_id, self.tpl_offer)
        self.assertEqual(offer.parent_id, self.opportunity)
        self.assertEqual(offer.partner_id, self.prospect)
        self.assertEqual(offer.contact_id, self.meeting.contact_id)
        self.assertGreater(offer.date, offer_date_before)
        self.assertEqual(self.meeting.next_id, offer)

    def test_plan_next_from_opportunity_nests(self):
        self.tpl_opportunity.next_template_id = self.tpl_call
        follow_up = self._plan_next(self.opportunity)
        self.assertEqual(follow_up.parent_id, self.opportunity)
        self.assertEqual(follow_up.previous_id, self.opportunity)

    def test_walk_chain(self):
        self.meeting.action_mark_done()
        offer = self._plan_next(self.meeting)
        self.assertEqual(self._walk(self.call, ">>"), [self.meeting, offer])
        self.assertEqual(self._walk(offer, "<<"), [self.meeting, self.call])
        self.assertEqual(
            self.meeting._get_chain().ids, [self.call.id, self.meeting.id, offer.id]
        )
        with self.assertRaisesRegex(UserError, "first of its chain"):
            self.call.action_open_previous()
        with self.assertRaisesRegex(UserError, "last of its chain"):
            offer.action_open_next()

    def test_next_requires_done(self):
        with self.assertRaisesRegex(ValidationError, "is not done yet"):
            self._create_action(
                self.tpl_call,
                parent_id=self.opportunity.id,
                previous_id=self.meeting.id,
            )

    def test_reopen_with_follower_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be reopened"):
            self.call.action_mark_undone()

    def test_no_cycle(self):
        self.meeting.action_mark_done()
        # A call rather than the proposed offer: its quote makes an offer done
        # only by validating it.
        follow_up = self._plan_next(self.meeting, template_id=self.tpl_call)
        follow_up.action_mark_done()
        with self.assertRaisesRegex(ValidationError, "cannot follow itself"):
            self.call.previous_id = follow_up
        with self.assertRaisesRegex(ValidationError, "cannot follow itself"):
            self.call.previous_id = self.call

    def test_follow_other_partner_refused(self):
        other_task = self.env["mercator.action"].create(
            {
                "template_id": self.tpl_documentation.id,
                "partner_id": self.other_prospect.id,
                "done": True,
                "date_done": datetime(2026, 3, 1),
            }
        )
        with self.assertRaisesRegex(ValidationError, "same prospect or customer"):
            self.meeting.previous_id = other_task

    def test_delete_in_the_middle_keeps_chain(self):
        self.meeting.action_mark_done()
        offer = self._plan_next(self.meeting)
        self.meeting.unlink()
        self.assertEqual(offer.previous_id, self.call)
        self.assertEqual(self._walk(self.call, ">>"), [offer])
        self.assertEqual(self._walk(offer, "<<"), [self.call])

    def test_delete_two_in_a_row(self):
        self.meeting.action_mark_done()
        second_call = self._plan_next(self.meeting, template_id=self.tpl_call)
        follow_up = self._plan_next(second_call)
        (self.meeting | second_call).unlink()
        self.assertEqual(follow_up.previous_id, self.call)

    def test_cancel_in_the_middle_keeps_chain(self):
        """A cancelled (archived) action stays walkable, with its ribbon."""
        self.meeting.action_mark_done()
        offer = self._plan_next(self.meeting)
        self.meeting.action_archive()
        self.assertEqual(self._walk(self.call, ">>"), [self.meeting, offer])
        self.assertEqual(self._walk(offer, "<<"), [self.meeting, self.call])
