from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged, users

from .common import MercatorActionCommon


@tagged("post_install", "-at_install")
class TestMercatorSecurity(MercatorActionCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_action = cls._create_action(
            cls.tpl_documentation,
            partner_id=cls.other_prospect.id,
            user_id=cls.rep_other.id,
        )

    @users("mercator_rep")
    def test_own_documents_rep(self):
        Action = self.env["mercator.action"]
        visible = Action.search([("id", "in", (self.meeting | self.other_action).ids)])
        self.assertEqual(visible, self.meeting)
        other_action = self.other_action.with_env(self.env)
        with self.assertRaises(AccessError):
            other_action.read(["name"])
        with self.assertRaises(AccessError):
            other_action.write({"name": "Mine now"})
        # Prospects of another rep are out of sight, their contacts too.
        Partner = self.env["res.partner"]
        self.assertFalse(Partner.search([("id", "=", self.other_prospect.id)]))
        with self.assertRaises(AccessError):
            self.other_prospect.with_env(self.env).read(["name"])
        self.assertTrue(Partner.search([("id", "=", self.prospect.id)]))
        # Partners that are not prospects or customers are untouched.
        self.assertTrue(Partner.search([("id", "=", self.env.company.partner_id.id)]))
        self.assertTrue(Partner.search([("id", "=", self.rep_other.partner_id.id)]))

    @users("mercator_rep")
    def test_own_rep_works_on_own_documents(self):
        meeting = self.meeting.with_env(self.env)
        meeting.action_mark_done()
        self.assertTrue(meeting.done)
        step = self.env["mercator.action"].create(
            {
                "template_id": self.tpl_call.id,
                "parent_id": self.opportunity.id,
                "previous_id": self.meeting.id,
            }
        )
        self.assertEqual(step.user_id, self.rep)
        self.prospect.with_env(self.env).write({"phone": "+32 2 555 55 55"})

    @users("mercator_rep_all", "mercator_manager")
    def test_all_documents_rep(self):
        Action = self.env["mercator.action"]
        self.assertEqual(
            Action.search([("id", "in", (self.meeting | self.other_action).ids)]),
            self.meeting | self.other_action,
        )
        self.other_prospect.with_env(self.env).read(["name"])

    @users("mercator_rep", "mercator_rep_all")
    def test_configuration_is_for_managers(self):
        with self.assertRaises(AccessError):
            self.tpl_call.with_env(self.env).write({"name": "Call me"})
        with self.assertRaises(AccessError):
            self.env["mercator.prospect.type"].create({"name": "X"})
        self.tpl_call.with_env(self.env).read(["name"])

    @users("mercator_manager")
    def test_managers_configure(self):
        self.tpl_call.with_env(self.env).write({"deadline_delay": 4})
        self.env["mercator.prospect.type"].create({"name": "X"})

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "Mercator Lux"})
        self.rep_all.company_ids |= other_company
        foreign = (
            self.env["mercator.action"]
            .with_company(other_company)
            .create(
                {
                    "template_id": self.tpl_task.id,
                    "company_id": other_company.id,
                    "user_id": self.rep_all.id,
                }
            )
        )
        # The web client sends the companies ticked in its company switcher.
        Action = (
            self.env["mercator.action"]
            .with_user(self.rep_all)
            .with_context(allowed_company_ids=[self.company.id])
        )
        self.assertFalse(Action.search([("id", "=", foreign.id)]))
        self.assertTrue(
            Action.with_context(allowed_company_ids=[other_company.id]).search(
                [("id", "=", foreign.id)]
            )
        )
        # Company-dependent links stay in the action's company.
        with self.assertRaisesRegex(UserError, "compan"):
            foreign.partner_id = self.env["res.partner"].create(
                {"name": "Local Prospect", "company_id": self.company.id}
            )

    @users("mercator_employee")
    def test_users_without_mercator_group(self):
        """A plain employee has no access to actions (no menu, no rows)."""
        with self.assertRaises(AccessError):
            self.env["mercator.action"].search([])
