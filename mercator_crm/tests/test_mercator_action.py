from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged, users
from odoo.tools.safe_eval import safe_eval

from .common import MercatorActionCommon


@tagged("post_install", "-at_install")
class TestMercatorAction(MercatorActionCommon):
    def test_defaults_from_template(self):
        self.tpl_documentation.write(
            {
                "description": "<p>Send the catalogue and the price list.</p>",
                "user_id": self.rep_other.id,
                "deadline_delay": 3,
                "deadline_delay_unit": "days",
            }
        )
        date = datetime(2026, 4, 1, 9, 0)
        action = self._create_action(self.tpl_documentation, date=date)
        self.assertEqual(action.name, "Send Documentation")
        self.assertEqual(action.kind, "standalone")
        self.assertEqual(action.user_id, self.rep_other)
        self.assertEqual(action.date_deadline, date + timedelta(days=3))
        self.assertIn("price list", action.description)
        # Values given by the user win over the template's.
        action = self._create_action(
            self.tpl_documentation,
            name="Brochure",
            user_id=self.rep.id,
            date=date,
            date_deadline=date + timedelta(hours=5),
        )
        self.assertEqual(action.name, "Brochure")
        self.assertEqual(action.user_id, self.rep)
        self.assertEqual(action.date_deadline, date + timedelta(hours=5))

    @users("mercator_rep")
    def test_defaults_in_form(self):
        """A rep picks a template in the form: name, deadline and responsible
        follow it, and the partner of a nested step comes from its opportunity."""
        self.tpl_call.user_id = False
        with Form(self.env["mercator.action"]) as form:
            form.template_id = self.tpl_call
            form.parent_id = self.opportunity
            form.date = datetime(2026, 5, 4, 8, 0)
            self.assertEqual(form.name, "Phone Call")
            self.assertEqual(form.partner_id, self.prospect)
            self.assertEqual(form.user_id, self.rep)
            self.assertEqual(form.date_deadline, datetime(2026, 5, 6, 8, 0))
            form.contact_id = self.contact_2
        action = form.save()
        self.assertEqual(action.parent_id, self.opportunity)
        self.assertEqual(action.contact_id, self.contact_2)
        self.assertIn(action, self.opportunity.child_ids)

    @users("mercator_rep")
    def test_title_follows_template_until_typed(self):
        """In a new action, the title follows the chosen template while the rep
        has not typed one; a typed title stays."""
        context = self.opportunity.with_env(self.env).action_new_step()["context"]
        form = Form(
            self.env["mercator.action"].with_context(**context),
            view="mercator_crm.mercator_action_view_form",
        )
        self.assertEqual(form.name, "Phone Call")
        form.template_id = self.tpl_meeting
        self.assertEqual(form.name, "Meeting")
        form.name = "Visit of the showroom"
        form.template_id = self.tpl_call
        self.assertEqual(form.name, "Visit of the showroom")
        self.assertEqual(form.save().name, "Visit of the showroom")

    @freeze_time("2026-06-01 10:00:00")
    @users("mercator_rep")
    def test_done_records_who_and_when(self):
        meeting = self.meeting.with_env(self.env)
        meeting.action_mark_done()
        self.assertTrue(meeting.done)
        self.assertEqual(meeting.date_done, datetime(2026, 6, 1, 10, 0))
        self.assertEqual(meeting.done_user_id, self.rep)
        meeting.action_mark_undone()
        self.assertFalse(meeting.date_done)
        self.assertFalse(meeting.done_user_id)

    def test_done_information_from_template(self):
        """The extra fields captured when done are defined on the template."""
        self.call.done_properties = {
            "interest": "high",
            "budget_confirmed": True,
            "summary": "Wants oak",
        }
        values = self.call.done_properties
        self.assertEqual(values["interest"], "high")
        self.assertIs(values["budget_confirmed"], True)
        self.assertEqual(values["summary"], "Wants oak")
        # Another template, other fields.
        self.assertIn("decision_maker_met", self.meeting.done_properties)
        self.assertNotIn("interest", self.meeting.done_properties)

    def test_nesting_rules(self):
        with self.assertRaisesRegex(ValidationError, "must belong to an opportunity"):
            self._create_action(self.tpl_call)
        with self.assertRaisesRegex(ValidationError, "can only be nested in an opp"):
            self._create_action(self.tpl_call, parent_id=self.meeting.id)
        with self.assertRaisesRegex(ValidationError, "cannot be nested"):
            self._create_action(self.tpl_opportunity, parent_id=self.opportunity.id)
        with self.assertRaisesRegex(ValidationError, "cannot be nested"):
            self._create_action(self.tpl_documentation, parent_id=self.opportunity.id)
        with self.assertRaisesRegex(ValidationError, "same prospect or customer"):
            self._create_action(
                self.tpl_call,
                parent_id=self.opportunity.id,
                partner_id=self.other_prospect.id,
            )
        # Appointments and tasks may be nested or not.
        nested = self._create_action(self.tpl_meeting, parent_id=self.opportunity.id)
        alone = self._create_action(self.tpl_meeting)
        self.assertEqual(nested.parent_id, self.opportunity)
        self.assertFalse(alone.parent_id)

    def test_partner_required_by_kind(self):
        with self.assertRaisesRegex(ValidationError, "choose the prospect or customer"):
            self.env["mercator.action"].create(
                {"template_id": self.tpl_documentation.id}
            )
        task = self.env["mercator.action"].create({"template_id": self.tpl_task.id})
        self.assertFalse(task.partner_id)

    def test_contact_must_belong_to_partner(self):
        stranger = self.env["res.partner"].create(
            {"name": "Stranger", "parent_id": self.other_prospect.id}
        )
        with self.assertRaisesRegex(ValidationError, "is not a contact person of"):
            self.meeting.contact_id = stranger

    @freeze_time("2026-06-01 10:00:00")
    def test_done_date_in_future_refused(self):
        with self.assertRaisesRegex(ValidationError, "cannot be done in the future"):
            self.meeting.write({"done": True, "date_done": datetime(2026, 6, 2, 10)})

    def test_deadline_before_date_refused(self):
        with self.assertRaisesRegex(ValidationError, "deadline .* is before its date"):
            self.call.date_deadline = self.call.date - timedelta(hours=1)

    def test_opportunity_won_lost(self):
        self.assertEqual(self.opportunity.opportunity_state, "negotiation")
        self.opportunity.action_set_won()
        self.assertEqual(self.opportunity.opportunity_state, "won")
        self.assertEqual(self.opportunity.probability, 100)
        self.assertTrue(self.opportunity.date_closed)
        self.opportunity.action_set_negotiation()
        self.assertFalse(self.opportunity.date_closed)
        self.opportunity.action_set_lost()
        self.assertEqual(self.opportunity.probability, 0)
        self.assertFalse(self.meeting.opportunity_state)
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self.opportunity.probability = 120
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.opportunity.expected_revenue = -1

    def test_delete_opportunity_with_steps(self):
        with self.assertRaisesRegex(UserError, "Delete or move the steps"):
            self.opportunity.unlink()
        (self.opportunity | self.call | self.meeting).unlink()
        self.assertFalse(self.opportunity.exists())

    @freeze_time("2026-06-01 10:00:00")
    def test_overdue(self):
        late = self._create_action(
            self.tpl_documentation,
            date=datetime(2026, 5, 1),
            date_deadline=datetime(2026, 5, 2),
        )
        on_time = self._create_action(
            self.tpl_documentation,
            date=datetime(2026, 5, 1),
            date_deadline=datetime(2026, 6, 30),
        )
        self.assertTrue(late.is_overdue)
        self.assertFalse(on_time.is_overdue)
        overdue = self.env["mercator.action"].search([("is_overdue", "=", True)])
        self.assertIn(late, overdue)
        self.assertNotIn(on_time, overdue)
        late.action_mark_done()
        self.assertFalse(late.is_overdue)
        not_overdue = self.env["mercator.action"].search([("is_overdue", "=", False)])
        self.assertIn(late, not_overdue)
        self.assertIn(on_time, not_overdue)

    def test_new_step_button(self):
        action = self.opportunity.action_new_step()
        self.assertEqual(action["context"]["default_parent_id"], self.opportunity.id)
        steps = self.opportunity.action_view_steps()
        self.assertEqual(
            self.env["mercator.action"].search(steps["domain"]),
            self.call | self.meeting,
        )
        self.assertEqual(self.opportunity.child_count, 2)

    @users("mercator_rep")
    def test_opportunity_buttons_refused_on_other_kinds(self):
        """The form shows them on opportunities only; the model refuses them on
        other actions too (they are RPC endpoints)."""
        meeting = self.meeting.with_env(self.env)
        for button in (
            meeting.action_set_won,
            meeting.action_set_lost,
            meeting.action_set_negotiation,
            meeting.action_new_step,
            meeting.action_view_steps,
        ):
            with (
                self.subTest(button=button.__name__),
                self.assertRaisesRegex(UserError, "is for opportunities only"),
            ):
                button()
        self.assertFalse(meeting.opportunity_state)

    def test_deadline_rule_per_kind(self):
        """One rule: the deadline is not before the date, said as an end before
        a start for an appointment."""
        with self.assertRaisesRegex(ValidationError, "deadline .* is before its date"):
            self._create_action(
                self.tpl_documentation,
                date=datetime(2026, 4, 1, 9, 0),
                date_deadline=datetime(2026, 4, 1, 8, 0),
            )
        with self.assertRaisesRegex(ValidationError, "cannot end .* before it starts"):
            self.meeting.date_deadline = self.meeting.date - timedelta(hours=1)

    def test_show_parent(self):
        action = self.meeting.action_open_parent()
        self.assertEqual(action["res_id"], self.opportunity.id)
        with self.assertRaisesRegex(UserError, "has no parent"):
            self.opportunity.action_open_parent()

    def test_menu_kind_gives_template(self):
        """The Opportunities menu opens its form with an opportunity template."""
        action = self.env.ref("mercator_crm.mercator_action_action_opportunity")
        context = safe_eval(action.context, {"uid": self.env.uid})
        opportunity = (
            self.env["mercator.action"]
            .with_context(**context)
            .create({"name": "From the menu", "partner_id": self.prospect.id})
        )
        self.assertEqual(opportunity.kind, "opportunity")

    def test_today_is_valid_done_date(self):
        self.meeting.write({"done": True, "date_done": fields.Datetime.now()})
        self.assertTrue(self.meeting.done)
