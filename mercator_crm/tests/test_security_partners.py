"""Issue 12, class 7: reps cannot hide others' records. A prospect of an
own-documents rep is hidden from the other reps: a rep may not make one of a
colleague's user, of a company of the database or of a supplier, and reps
(contact managers in Odoo) change and delete neither the partners of users
nor those of companies. Users without Mercator CRM do not change the
Mercator fields of prospects."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged, users

from .common import MercatorCommon


@tagged("post_install", "-at_install")
class TestSecurityPartners(MercatorCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.supplier = cls.env["res.partner"].create(
            {"name": "Steel Supplies", "is_company": True, "supplier_rank": 1}
        )
        cls.supplier_contact = cls.env["res.partner"].create(
            {"name": "Sam Steel", "parent_id": cls.supplier.id}
        )
        # An ordinary company, one of whose contacts is a colleague's login.
        cls.partner_company = cls.env["res.partner"].create(
            {"name": "Partner Firm", "is_company": True}
        )
        cls.rep_other.partner_id.parent_id = cls.partner_company

    def _take(self, partner):
        """What a rep does to hide a partner: make it her prospect."""
        partner.write({"mercator_status": "prospect", "user_id": self.env.uid})

    @users("mercator_rep", "mercator_rep_all")
    def test_rep_makes_no_prospect_of_users_companies_suppliers(self):
        Partner = self.env["res.partner"]
        for partner in (
            self.rep_other.partner_id,
            self.manager.partner_id,
            self.env.company.partner_id,
            self.supplier,
            self.partner_company,
        ):
            with self.subTest(partner=partner.name):
                with self.assertRaises(AccessError):
                    self._take(partner.with_env(self.env))
                self.assertFalse(partner.commercial_partner_id.mercator_status)
        # Nor moves a colleague's partner under her prospect.
        with self.assertRaises(AccessError):
            self.rep_other.partner_id.with_env(self.env).parent_id = self.prospect
        # The other reps still see them all.
        visible = Partner.with_user(self.rep_other).search(
            [("id", "in", (self.supplier | self.env.company.partner_id).ids)]
        )
        self.assertEqual(len(visible), 2)
        # An ordinary partner becomes a prospect, as a new one does.
        lead = Partner.sudo().create({"name": "Walk-in Lead"}).with_env(self.env)
        self._take(lead)
        self.assertEqual(lead.mercator_status, "prospect")
        Partner.create({"name": "New Lead", "mercator_status": "prospect"})

    @users("mercator_manager")
    def test_manager_makes_prospects_of_anyone(self):
        self._take(self.supplier.with_env(self.env))
        self.assertEqual(self.supplier_contact.mercator_status, "prospect")

    @users("mercator_rep", "mercator_rep_all")
    def test_rep_changes_no_user_or_company_partner(self):
        for partner in (self.rep_other.partner_id, self.env.company.partner_id):
            with self.subTest(partner=partner.name):
                partner = partner.with_env(self.env)
                with self.assertRaises(AccessError):
                    partner.write({"email": "hijacked@example.com"})
                with self.assertRaises(AccessError):
                    partner.unlink()
                with self.assertRaises(AccessError):
                    partner.action_archive()
        self.assertNotEqual(self.rep_other.email, "hijacked@example.com")
        # Her own partner, suppliers and ordinary partners stay hers to edit.
        self.env.user.partner_id.write({"phone": "+32 2 000 00 00"})
        self.supplier.with_env(self.env).write({"phone": "+32 2 111 11 11"})

    def test_non_mercator_users_change_no_mercator_fields(self):
        """A contact manager without Mercator CRM edits contacts, not the status,
        type or origin of prospects."""
        contacts_manager = new_test_user(
            self.env,
            "contacts_manager",
            groups="base.group_user,base.group_partner_manager",
        )
        prospect = self.prospect.with_user(contacts_manager)
        for values in (
            {"mercator_status": False},
            {"mercator_status": "customer"},
            {"mercator_type_id": False},
        ):
            with self.subTest(values=values), self.assertRaises(AccessError):
                prospect.write(values)
        with self.assertRaises(AccessError):
            prospect.action_mercator_set_customer()
        with self.assertRaises(AccessError):
            prospect.create({"name": "Fake", "mercator_status": "prospect"})
        self.assertEqual(self.prospect.mercator_status, "prospect")
        # Other fields, and new contacts of the prospect (which follow it).
        prospect.write({"phone": "+32 2 555 55 55"})
        contact = prospect.create({"name": "New Face", "parent_id": self.prospect.id})
        self.assertEqual(contact.mercator_status, "prospect")
