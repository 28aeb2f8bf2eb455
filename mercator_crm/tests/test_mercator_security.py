from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import MercatorCommon


@tagged("post_install", "-at_install")
class TestMercatorSecurity(MercatorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_action = cls.env["mercator.action"].create(
            {
                "template_id": cls.tpl_documentation.id,
                "partner_id": cls.other_prospect.id,
                "user_id": cls.rep_other.id,
            }
        )

    def test_own_documents_rep(self):
        Action = self.env["mercator.action"].with_user(self.rep)
        visible = Action.search([("id", "in", (self.meeting | self.other_action).ids)])
        self.assertEqual(visible, self.meeting)
        with self.assertRaises(AccessError):
            self.other_action.with_user(self.rep).read(["name"])
        with self.assertRaises(AccessError):
            self.other_action.with_user(self.rep).write({"name": "Mine now"})
        # Prospects of another rep are out of sight, their contacts too.
        Partner = self.env["res.partner"].with_user(self.rep)
        self.assertFalse(Partner.search([("id", "=", self.other_prospect.id)]))
        with self.assertRaises(AccessError):
            self.other_prospect.with_user(self.rep).read(["name"])
        self.assertTrue(Partner.search([("id", "=", self.prospect.id)]))
        # Partners that are not prospects or customers are untouched.
        self.assertTrue(Partner.search([("id", "=", self.env.company.partner_id.id)]))
        self.assertTrue(Partner.search([("id", "=", self.rep_other.partner_id.id)]))

    def test_own_rep_works_on_own_documents(self):
        meeting = self.meeting.with_user(self.rep)
        meeting.action_mark_done()
        self.assertTrue(meeting.done)
        step = (
            self.env["mercator.action"]
            .with_user(self.rep)
            .create(
                {
                    "template_id": self.tpl_call.id,
                    "parent_id": self.opportunity.id,
                    "previous_id": self.meeting.id,
                }
            )
        )
        self.assertEqual(step.user_id, self.rep)
        self.prospect.with_user(self.rep).write({"phone": "+32 2 555 55 55"})

    def test_all_documents_rep(self):
        Action = self.env["mercator.action"].with_user(self.rep_all)
        self.assertEqual(
            Action.search([("id", "in", (self.meeting | self.other_action).ids)]),
            self.meeting | self.other_action,
        )
        self.other_prospect.with_user(self.rep_all).read(["name"])

    def test_configuration_is_for_managers(self):
        with self.assertRaises(AccessError):
            self.tpl_call.with_user(self.rep_all).write({"name": "Call me"})
        with self.assertRaises(AccessError):
            self.env["mercator.prospect.type"].with_user(self.rep).create({"name": "X"})
        self.tpl_call.with_user(self.rep).read(["name"])
        self.tpl_call.with_user(self.manager).write({"deadline_delay": 4})
        self.env["mercator.prospect.type"].with_user(self.manager).create({"name": "X"})

    def test_multi_company(self):
        other_company = self.env["res.company"].create({"name": "Mercator Lux"})
        self.rep_all.write({"company_ids": [(4, other_company.id)]})
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

    def test_users_without_mercator_group(self):
        """A plain employee has no access to actions (no menu, no rows)."""
        employee = self.env["res.users"].create(
            {
                "name": "Plain Employee",
                "login": "plain_employee",
                "groups_id": [(6, 0, [self.env.ref("base.group_user").id])],
            }
        )
        with self.assertRaises(AccessError):
            self.env["mercator.action"].with_user(employee).search([])
