from odoo.addons.mercator_crm.models.res_partner_duplicate import (
    name_key,
    phone_key,
    vat_key,
)
from odoo.tests import Form, new_test_user, tagged, users
from odoo.tools import mute_logger

from .common import MercatorCommon

IMPORT_OPTIONS = {
    "import_skip_records": [],
    "import_set_empty_fields": [],
    "fallback_values": {},
    "name_create_enabled_fields": {},
    "encoding": "utf-8",
    "separator": ",",
    "quoting": '"',
    "date_format": "",
    "datetime_format": "",
    "float_thousand_separator": ",",
    "float_decimal_separator": ".",
    "advanced": False,
    "has_headers": True,
    "keep_matches": False,
    "limit": 2000,
    "skip": 0,
    "tracking_disable": True,
}


class MercatorDuplicateCommon(MercatorCommon):
    """The rep's prospect with a Belgian VAT number and phone number."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.belgium = cls.env.ref("base.be")
        cls.prospect.write(
            {
                "vat": "BE0477472701",
                "phone": "+32 2 123 45 67",
                "country_id": cls.belgium.id,
            }
        )

    def _new_prospect_form(self):
        """The prospect form of the Prospects menu, as the test's user."""
        return Form(
            self.env["res.partner"].with_context(
                default_mercator_status="prospect", default_is_company=True
            ),
            view="mercator_crm.res_partner_view_form_mercator",
        )

    def _partner_count(self):
        return (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search_count([])
        )


@tagged("post_install", "-at_install", "mercator_duplicate")
class TestResPartnerDuplicate(MercatorDuplicateCommon):
    def test_keys(self):
        """Case, accents, punctuation, spaces and a trailing legal form do not
        count; VAT and phone numbers get their country's prefix."""
        self.assertEqual(name_key("Café Dupont S.A."), "cafedupont")
        self.assertEqual(name_key("CAFE  DUPONT"), "cafedupont")
        self.assertEqual(name_key("Café-Dupont sprl"), "cafedupont")
        self.assertEqual(name_key("Brasserie Éole BVBA"), "brasserieeole")
        self.assertNotEqual(name_key("Dupont Frères"), name_key("Dupont"))
        self.assertFalse(name_key("SA"))
        self.assertEqual(vat_key("0477.472.701", "BE"), "BE0477472701")
        self.assertEqual(vat_key("be 0477 472 701", "FR"), "BE0477472701")
        self.assertFalse(vat_key("/"))
        for number in (
            "+32 2 123 45 67",
            "+32 (0)2 123 45 67",
            "0032 2 123 45 67",
            "02/123.45.67",
        ):
            self.assertEqual(phone_key(number, 32), "+3221234567", number)
        self.assertEqual(phone_key("02 123 45 67"), "021234567")
        self.assertFalse(phone_key("123"))
        # Stored on the partner, from its country.
        self.assertEqual(self.prospect.mercator_vat_key, "BE0477472701")
        self.assertEqual(self.prospect.mercator_phone_key, "+3221234567")
        self.assertEqual(self.prospect.mercator_name_key, "pixelfurniture")
        self.assertFalse(self.contact.mercator_name_key, "people: no name key")

    @users("mercator_rep")
    def test_form_warns_before_saving(self):
        """A new prospect matching on any criterion shows the match, with a link,
        before it is saved; saving stays possible."""
        count = self._partner_count()
        link = (
            "/odoo/action-mercator_crm.res_partner_action_prospect/"
            f'{self.prospect.id}" target="_blank"'
        )
        cases = [
            ("name", {"name": "PIXEL  furniture s.a."}, "same company name"),
            (
                "email",
                {"name": "Zyx Unrelated", "email": "Info@Pixel.example.com"},
                "same email address",
            ),
            (
                "vat",
                {
                    "name": "Zyx Unrelated",
                    "country_id": self.belgium,
                    "vat": "0477.472.701",
                },
                "same VAT number",
            ),
            (
                "phone",
                {
                    "name": "Zyx Unrelated",
                    "country_id": self.belgium,
                    "mobile": "02 123 45 67",
                },
                "same phone number",
            ),
        ]
        for label, values, reason in cases:
            with self.subTest(label):
                form = self._new_prospect_form()
                self.assertEqual(form.mercator_duplicate_count, 0)
                for fname, value in values.items():
                    setattr(form, fname, value)
                html = str(form.mercator_duplicate_html)
                self.assertEqual(form.mercator_duplicate_count, 1, html)
                self.assertIn(link, html)
                self.assertIn("Pixel Furniture", html)
                self.assertIn(reason, html)
                self.assertIn("representative: Rita Rep", html)
                self.assertEqual(self._partner_count(), count, "nothing saved yet")
        partner = form.save()
        self.assertEqual(partner.mobile, "02 123 45 67")
        # The new prospect's own form shows the one it duplicates, and back.
        self.assertEqual(partner.mercator_duplicate_count, 1)
        self.assertEqual(self.prospect.with_env(self.env).mercator_duplicate_count, 1)

    @users("mercator_rep")
    def test_own_company_and_contacts_are_not_duplicates(self):
        """A prospect and its contact persons share addresses and numbers."""
        self.contact.sudo().phone = "+32 2 123 45 67"
        self.assertEqual(self.prospect.with_env(self.env).mercator_duplicate_count, 0)
        self.assertEqual(self.contact.with_env(self.env).mercator_duplicate_count, 0)
        with Form(self.prospect.with_env(self.env)) as form:
            with form.child_ids.new() as contact:
                contact.name = "Petra Pixel"
                contact.email = "paula@pixel.example.com"
        # The form of a new contact of the prospect, from Contacts.
        form = Form(self.env["res.partner"])
        form.parent_id = self.prospect
        form.name = "Another Pixel"
        form.phone = "+32 2 123 45 67"
        self.assertEqual(form.mercator_duplicate_count, 0)

    @users("mercator_rep_other")
    def test_hidden_matches_are_counted_not_shown(self):
        """A rep who may not read the match learns that one exists, not what it
        is."""
        form = self._new_prospect_form()
        form.name = "Pixel Furniture"
        self.assertEqual(form.mercator_duplicate_count, 1)
        html = str(form.mercator_duplicate_html)
        self.assertIn("A matching partner that you cannot see", html)
        self.assertNotIn("Pixel", html)
        self.assertNotIn(str(self.prospect.id), html)

    def test_portal_user_learns_nothing(self):
        """A portal user reading their own partner (over RPC) gets no count of
        the others."""
        portal = new_test_user(
            self.env, "mercator_portal", groups="base.group_portal", name="Pat Portal"
        )
        portal.partner_id.email = "info@pixel.example.com"
        self.assertEqual(self.prospect.mercator_duplicate_count, 1)
        partner = portal.partner_id.with_user(portal)
        self.assertEqual(partner.mercator_duplicate_count, 0)
        self.assertFalse(partner.mercator_duplicate_html)

    def test_other_company_and_archived(self):
        """Partners of a company the user is not in do not match; archived ones
        do, marked so (better reactivated than created again)."""
        other_company = self.env["res.company"].create({"name": "Other Co"})
        self.env["res.partner"].create(
            {
                "name": "Archived Oak",
                "is_company": True,
                "active": False,
                "email": "oak@example.com",
            }
        )
        self.env["res.partner"].create(
            {
                "name": "Foreign Oak",
                "is_company": True,
                "company_id": other_company.id,
                "email": "foreign-oak@example.com",
            }
        )
        form = Form(self.env["res.partner"].with_user(self.rep))
        form.email = "oak@example.com"
        form.name = "New Oak"
        self.assertEqual(form.mercator_duplicate_count, 1)
        self.assertIn("archived", str(form.mercator_duplicate_html))
        form.email = "foreign-oak@example.com"
        self.assertEqual(form.mercator_duplicate_count, 0)

    def _insert_partners(self, start, stop):
        """Companies ``start`` to ``stop`` (excluded) inserted with SQL, their
        keys as the ORM computes them (checked on one of them)."""
        cr = self.env.cr
        extra_columns, extra_values = "", ""
        if "autopost_bills" in self.env["res.partner"]._fields:
            extra_columns, extra_values = ", autopost_bills", ", 'ask'"
        cr.execute(
            f"""
            INSERT INTO res_partner (
                name, complete_name, email, email_normalized, vat, phone,
                mercator_name_key, mercator_vat_key, mercator_phone_key,
                active, type, is_company, mercator_status,
                create_date, write_date, create_uid, write_uid {extra_columns})
            SELECT 'Bulk Company ' || n, 'Bulk Company ' || n,
                   'bulk' || n || '@example.com', 'bulk' || n || '@example.com',
                   'BE' || lpad(n::text, 10, '0'), '+32 9 ' || lpad(n::text, 7, '0'),
                   'bulkcompany' || n, 'BE' || lpad(n::text, 10, '0'),
                   '+329' || lpad(n::text, 7, '0'),
                   TRUE, 'contact', TRUE, 'prospect',
                   NOW(), NOW(), 1, 1 {extra_values}
              FROM generate_series(%s, %s) n
            """,
            (start, stop - 1),
        )
        cr.execute(
            "UPDATE res_partner SET commercial_partner_id = id"
            " WHERE commercial_partner_id IS NULL"
        )
        cr.execute("ANALYZE res_partner")
        self.env.invalidate_all()
        sample = self.env["res.partner"].search(
            [("name", "=", f"Bulk Company {start}")]
        )
        keys = sample._mercator_get_duplicate_keys()
        self.assertEqual(
            (keys["name"], keys["vat"], keys["phone"]),
            (
                sample.mercator_name_key,
                sample.mercator_vat_key,
                sample.mercator_phone_key,
            ),
        )

    def _check_new_partner(self):
        """What the form computes for a new partner typed in: matches on the
        five criteria of one existing company."""
        self.env.invalidate_all()
        partner = self.env["res.partner"].new(
            {
                "name": "BULK COMPANY 5 SA",
                "is_company": True,
                "email": "BULK5@example.com",
                "vat": "BE 0000000005",
                "phone": "+32 9 000 00 05",
            }
        )
        return partner.mercator_duplicate_count, str(partner.mercator_duplicate_html)

    @users("mercator_rep")
    def test_query_count_does_not_grow(self):
        """The check costs the same queries with 10 and with 10,000 partners
        (indexed keys)."""
        self._insert_partners(1, 11)
        self._check_new_partner()  # warms the caches of access rules
        with self.assertQueryCount(mercator_rep=6):
            count, html = self._check_new_partner()
        self.assertEqual(count, 1)
        self.assertIn("Bulk Company 5", html)
        self._insert_partners(11, 10_001)
        self.assertGreaterEqual(self._partner_count(), 10_000)
        with self.assertQueryCount(mercator_rep=6):
            count, html = self._check_new_partner()
        self.assertEqual(count, 1)
        self.assertIn(
            "same email address, same VAT number, same phone number, same company name",
            html,
        )


@tagged("post_install", "-at_install", "mercator_duplicate")
class TestResPartnerImportDuplicate(MercatorDuplicateCommon):
    """Importing prospects through Odoo's import screen (base_import)."""

    def _import(self, csv, dryrun=False):
        wizard = self.env["base_import.import"].create(
            {
                "res_model": "res.partner",
                "file": csv.encode(),
                "file_name": "prospects.csv",
                "file_type": "text/csv",
            }
        )
        header = csv.splitlines()[0].split(",")
        return wizard.with_context(
            default_mercator_status="prospect", default_is_company=True
        ).execute_import(header, header, IMPORT_OPTIONS, dryrun=dryrun)

    @users("mercator_rep")
    @mute_logger("odoo.sql_db")
    def test_import_reports_duplicates(self):
        """Rows matching an existing partner or an earlier row are reported,
        each on its row, and nothing is created."""
        count = self._partner_count()
        csv = (
            "name,email,vat,country_id\n"
            "Fresh Oak,fresh@oak.example.com,,\n"
            "PIXEL FURNITURE,,,\n"
            "Other Desk,,0477.472.701,Belgium\n"
            "Oak Twin,FRESH@oak.example.com,,\n"
        )
        for dryrun in (True, False):
            with self.subTest(dryrun=dryrun):
                result = self._import(csv, dryrun=dryrun)
                self.assertFalse(result["ids"])
                errors = {m["record"]: m["message"] for m in result["messages"]}
                self.assertEqual(sorted(errors), [1, 2, 3], result["messages"])
                self.assertIn('"PIXEL FURNITURE" looks like an existing', errors[1])
                self.assertIn('"Pixel Furniture" (same company name)', errors[1])
                self.assertIn("same VAT number", errors[2])
                self.assertIn(
                    '"Oak Twin" appears twice in the file (same email address as '
                    '"Fresh Oak")',
                    errors[3],
                )
                self.assertEqual(self._partner_count(), count)

    @users("mercator_rep_other")
    @mute_logger("odoo.sql_db")
    def test_import_hidden_match(self):
        result = self._import("name,email\nNew Desk,info@pixel.example.com\n")
        self.assertFalse(result["ids"])
        [message] = result["messages"]
        self.assertIn("looks like a partner you cannot see", message["message"])
        self.assertNotIn("Pixel", message["message"])

    @users("mercator_rep")
    def test_import_without_duplicates_and_updates(self):
        """New prospects are created; a row with the ID of an existing partner
        updates it; contact persons of a company are not checked."""
        result = self._import(
            "name,email,phone\n"
            "Fresh Oak,fresh@oak.example.com,+32 9 111 11 11\n"
            "Fresh Elm,fresh@elm.example.com,+32 9 222 22 22\n"
        )
        self.assertEqual(len(result["ids"]), 2, result["messages"])
        created = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(created.mapped("mercator_status"), ["prospect", "prospect"])
        result = self._import(f".id,name\n{self.prospect.id},Pixel Furniture\n")
        self.assertEqual(result["ids"], self.prospect.ids, result["messages"])
        result = self._import(
            f"name,parent_id/.id,email\n"
            f"Paula Again,{self.prospect.id},paula@pixel.example.com\n"
        )
        self.assertEqual(len(result["ids"]), 1, result["messages"])
