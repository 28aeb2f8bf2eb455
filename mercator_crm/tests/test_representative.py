from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, new_test_user, tagged, users

from .common import MercatorActionCommon


@tagged("post_install", "-at_install")
class TestRepresentative(MercatorActionCommon):
    """The prospect's representative owns the prospect's work: the defaults of
    its actions, the move of its open work to a new representative, what the
    representative sees, and the figures that count for her."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.back_office = new_test_user(
            cls.env,
            "mercator_back_office",
            groups="mercator_crm.group_mercator_user_all",
            name="Bea Back Office",
        )
        cls.tpl_back_office = cls.env["mercator.action.template"].create(
            {
                "name": "Back Office Check",
                "kind": "task",
                "user_id": cls.back_office.id,
            }
        )
        # On the rep's prospect: a task of the back office, open.
        cls.back_office_task = cls._create_action(
            cls.tpl_back_office, name="Check the credit", partner_id=cls.prospect.id
        )

    def _opportunity_form(self):
        """A new opportunity from the Opportunities menu, as the test's user."""
        return Form(
            self.env["mercator.action"].with_context(mercator_kind="opportunity"),
            view="mercator_crm.mercator_action_view_form",
        )

    @users("mercator_manager")
    def test_new_action_defaults_to_the_representative(self):
        """From the Opportunities menu, the manager's new opportunity for the
        rep's prospect is the rep's, and counts for her."""
        form = self._opportunity_form()
        self.assertEqual(form.user_id, self.manager, "no prospect yet: oneself")
        form.partner_id = self.prospect
        self.assertEqual(form.user_id, self.rep)
        form.name = "Manager's lead"
        opportunity = form.save()
        self.assertEqual(opportunity.user_id, self.rep)
        self.assertEqual(opportunity.representative_id, self.rep)
        # Created in code without a responsible: the same rule.
        call = self.env["mercator.action"].create(
            {"template_id": self.tpl_call.id, "parent_id": opportunity.id}
        )
        self.assertEqual(call.user_id, self.rep)

    @users("mercator_manager")
    def test_template_responsible_wins(self):
        """A template's own responsible (a back office task) wins over the
        representative; back to an ordinary template, the representative."""
        form = Form(
            self.env["mercator.action"].with_context(
                default_partner_id=self.prospect.id
            ),
            view="mercator_crm.mercator_action_view_form",
        )
        form.template_id = self.tpl_back_office
        self.assertEqual(form.user_id, self.back_office)
        form.template_id = self.tpl_documentation
        self.assertEqual(form.user_id, self.rep)
        self.assertEqual(self.back_office_task.user_id, self.back_office)

    @users("mercator_rep")
    def test_representative_sees_all_actions_of_her_prospects(self):
        """The own-documents rep reads and works on the back office's task on her
        prospect; not on actions of another rep's prospect."""
        task = self.back_office_task.with_env(self.env)
        self.assertIn(
            task,
            self.env["mercator.action"].search([("partner_id", "=", self.prospect.id)]),
        )
        task.write({"description": "<p>Ask for the last balance sheet</p>"})
        task.action_mark_done()
        self.assertTrue(task.done)
        other = self._create_action(
            self.tpl_documentation,
            partner_id=self.other_prospect.id,
            user_id=self.back_office.id,
        ).with_env(self.env)
        with self.assertRaises(AccessError):
            other.read(["name"])
        # The form's own read: the usual access error, nothing partial.
        with self.assertRaises(AccessError):
            other.web_read({"name": {}, "partner_id": {"fields": {"display_name": {}}}})

    @users("mercator_rep_other")
    def test_other_rep_does_not_see_the_prospect_actions(self):
        with self.assertRaises(AccessError):
            self.back_office_task.with_env(self.env).read(["name"])

    def _reassign(self, new_rep):
        """Change the prospect's representative through the confirmation, as
        the test's user; returns the wizard."""
        wizard = Form(
            self.env["mercator.partner.reassign"].with_context(
                default_partner_id=self.prospect.id
            )
        )
        wizard.user_id = new_rep
        record = wizard.save()
        record.action_confirm()
        return record

    @users("mercator_manager")
    def test_reassign_moves_open_work_only(self):
        """A new representative takes the open actions, the opportunities in
        negotiation and their open quotes, and the reminders; done actions,
        closed opportunities and the back office's task stay."""
        Action = self.env["mercator.action"]
        won = Action.create(
            {
                "template_id": self.tpl_opportunity.id,
                "partner_id": self.prospect.id,
                "name": "Won last year",
                "expected_revenue": 3000.0,
            }
        )
        won.action_set_won(close_reason_id=self.reason_won.id)
        quote = self.env["sale.order"].create(
            {
                "partner_id": self.prospect.id,
                "user_id": self.rep.id,
                "mercator_opportunity_id": self.opportunity.id,
            }
        )
        meeting = self.meeting.with_env(self.env)
        meeting.write(
            {
                "reminder_date": fields.Datetime.now(),
                "reminder_user_ids": [Command.set(self.rep.ids)],
            }
        )
        wizard = Form(
            self.env["mercator.partner.reassign"].with_context(
                default_partner_id=self.prospect.id
            )
        )
        wizard.user_id = self.rep_other
        self.assertEqual(wizard.previous_user_id, self.rep)
        self.assertEqual(wizard.open_action_count, 1, "the meeting")
        self.assertEqual(wizard.open_opportunity_count, 1, "the one in negotiation")
        self.assertIn("Rita Rep", wizard.summary)
        self.assertIn("Oscar Other", wizard.summary)
        self.assertIn("open actions: 1", wizard.summary)
        wizard.save().action_confirm()

        self.assertEqual(self.prospect.user_id, self.rep_other)
        self.assertEqual(meeting.user_id, self.rep_other)
        self.assertEqual(meeting.reminder_user_ids, self.rep_other)
        self.assertEqual(self.opportunity.user_id, self.rep_other)
        self.assertEqual(self.opportunity.representative_id, self.rep_other)
        self.assertEqual(quote.user_id, self.rep_other)
        # Done history and closed opportunities stay with who did them.
        self.assertEqual(self.call.user_id, self.rep)
        self.assertEqual(won.user_id, self.rep)
        self.assertEqual(won.representative_id, self.rep)
        self.assertEqual(self.back_office_task.user_id, self.back_office)

    @users("mercator_rep")
    def test_own_rep_does_not_hand_over(self):
        """Handing a prospect over is for managers and all-documents users: the
        own-documents rep would lose it from sight on the way."""
        with self.assertRaises(AccessError) as catcher:
            self._reassign(self.rep_other)
        self.assertIn("hands a prospect over", str(catcher.exception))
        self.assertEqual(self.prospect.user_id, self.rep)
        self.assertEqual(self.meeting.user_id, self.rep)

    @users("mercator_rep_all")
    def test_all_documents_rep_hands_over(self):
        self._reassign(self.rep_other)
        self.assertEqual(self.meeting.user_id, self.rep_other)
        self.assertEqual(self.opportunity.user_id, self.rep_other)

    @users("mercator_manager")
    def test_reassign_to_user_without_mercator_access(self):
        """A representative without Mercator CRM is refused, with a sentence."""
        portal = new_test_user(
            self.env(su=True), "mercator_portal", groups="base.group_portal"
        )
        for user in (self.employee, portal):
            with self.assertRaises(ValidationError) as catcher:
                self.prospect.with_env(self.env).write({"user_id": user.id})
            self.assertIn("no access to Mercator CRM", str(catcher.exception))
            with self.assertRaises(ValidationError) as catcher:
                self._reassign(user)
            self.assertIn("no access to Mercator CRM", str(catcher.exception))
        self.assertEqual(self.prospect.user_id, self.rep)
        self.assertEqual(self.meeting.user_id, self.rep)

    @users("mercator_manager")
    def test_figures_count_for_the_representative_at_the_time(self):
        """An opportunity handled by the back office on the rep's prospect counts
        for the rep; won, it stays hers after the prospect is reassigned."""
        Action = self.env["mercator.action"]
        deal = Action.create(
            {
                "template_id": self.tpl_opportunity.id,
                "partner_id": self.prospect.id,
                "user_id": self.back_office.id,
                "name": "Back office deal",
                "expected_revenue": 5000.0,
            }
        )
        self.assertEqual(deal.representative_id, self.rep)
        figures = Action.get_mercator_dashboard_data(user_id=self.rep.id)
        self.assertEqual(figures["negotiation"], 17000.0, "12,000 + 5,000")
        figures = Action.get_mercator_dashboard_data(user_id=self.back_office.id)
        self.assertEqual(figures["negotiation"], 0.0)
        deal.action_set_won(close_reason_id=self.reason_won.id)
        self._reassign(self.rep_other)
        self.assertEqual(deal.representative_id, self.rep)
        self.assertEqual(self.opportunity.representative_id, self.rep_other)
        lines = Action._get_mercator_revenue_lines(partner=self.prospect)
        self.assertEqual(
            [(line["user"], line["won_amount"]) for line in lines], [(self.rep, 5000.0)]
        )
        figures = Action.get_mercator_dashboard_data(user_id=self.rep_other.id)
        self.assertEqual(figures["negotiation"], 12000.0)
        self.assertEqual(figures["won_quarter"], 0.0)
        # The board shows the representative's opportunities.
        board = Action.search(
            [("kind", "=", "opportunity"), ("representative_id", "=", self.rep.id)]
        )
        self.assertIn(deal, board)
        self.assertNotIn(self.opportunity, board)
