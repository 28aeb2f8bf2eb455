import io

from odoo.tests import HttpCase, tagged
from odoo.tools.pdf import PdfReader

from .common_dashboard import MercatorDashboardCase


@tagged("post_install", "-at_install")
class TestMercatorDocuments(HttpCase, MercatorDashboardCase):
    """The Documents reports, rendered for real by wkhtmltopdf (an HttpCase:
    wkhtmltopdf fetches the report's assets from the test server)."""

    def _pdf_text(self, report_ref, records):
        pdf, report_format = (
            self.env["ir.actions.report"]
            .with_context(force_report_rendering=True)
            ._render_qweb_pdf(report_ref, records.ids)
        )
        self.assertEqual(report_format, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        reader = PdfReader(io.BytesIO(pdf))
        text = "\n".join(page.extract_text() for page in reader.pages)
        # wkhtmltopdf wraps table cells: compare on single spaces.
        return " ".join(text.split()), len(reader.pages)

    def test_done_and_not_done_actions_of_a_partner(self):
        text, _pages = self._pdf_text(
            "mercator_crm.action_report_partner_actions_done", self.partner_a
        )
        self.assertIn("Done call <script>", text)
        self.assertNotIn("Overdue call", text)
        self.assertNotIn("Later call", text)
        # HTML in names is printed as text, not interpreted.
        self.assertIn("<b>Bold & Co</b>", text)
        text, _pages = self._pdf_text(
            "mercator_crm.action_report_partner_actions_todo", self.partner_a
        )
        self.assertIn("Overdue call", text)
        self.assertIn("Later call", text)
        self.assertIn("Alice Contact", text, "actions with the contacts are listed")
        self.assertNotIn("Done call", text)

    def test_several_partners_at_once(self):
        """Printing several records works with Debian's wkhtmltopdf (one call
        per record, merged)."""
        text, pages = self._pdf_text(
            "mercator_crm.action_report_partner_actions_todo",
            self.partner_a | self.partner_b,
        )
        self.assertGreaterEqual(pages, 2)
        self.assertIn("<b>Bold & Co</b>", text)
        self.assertIn("Beta Furniture", text)

    def test_revenue_per_representative(self):
        text, _pages = self._pdf_text(
            "mercator_crm.action_report_partner_revenue", self.partner_a
        )
        self.assertIn("Dash Rep A", text)
        self.assertIn("2,000.00", text)
        self.assertNotIn("Dash Rep B", text)

    def test_overall_documents_from_the_wizard(self):
        Wizard = self.env["mercator.report.wizard"].with_user(self.manager)
        wizard = Wizard.create({"report_type": "done", "user_ids": self.rep_a.ids})
        action = wizard.action_print()
        self.assertEqual(
            action["report_name"], "mercator_crm.report_mercator_documents"
        )
        text, _pages = self._pdf_text(
            "mercator_crm.action_report_mercator_documents", wizard
        )
        self.assertIn("Done call <script>", text)
        self.assertIn("<b>Bold & Co</b>", text)
        self.assertNotIn("Overdue call", text)
        wizard = Wizard.create({"report_type": "todo", "partner_id": self.partner_a.id})
        text, _pages = self._pdf_text(
            "mercator_crm.action_report_mercator_documents", wizard
        )
        self.assertIn("Overdue call", text)
        self.assertNotIn("Done call", text)
        wizard = Wizard.create({"report_type": "revenue"})
        lines = wizard._get_report_revenue_lines()
        by_user = {line["user"]: line for line in lines}
        self.assertEqual(by_user[self.rep_a]["won_amount"], 2000.0)
        self.assertNotIn(self.rep_b, by_user, "lost opportunities bring no revenue")

    def test_documents_button_opens_the_wizard_for_the_partner(self):
        action = self.contact_a.action_mercator_documents()
        self.assertEqual(action["res_model"], "mercator.report.wizard")
        self.assertEqual(action["context"]["default_partner_id"], self.partner_a.id)
