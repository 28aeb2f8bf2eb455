import io

from odoo.tests import Form, HttpCase, tagged, users
from odoo.tools.pdf import PdfReader

from .common import MercatorDashboardCommon


@tagged("post_install", "-at_install")
class TestMercatorDocuments(HttpCase, MercatorDashboardCommon):
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
            "mercator_crm.action_report_partner_actions_done", self.prospect
        )
        self.assertIn("Done call <script>", text)
        self.assertNotIn("Overdue call", text)
        self.assertNotIn("Later call", text)
        self.assertIn("Pixel Furniture", text)
        text, _pages = self._pdf_text(
            "mercator_crm.action_report_partner_actions_todo", self.prospect
        )
        self.assertIn("Overdue call", text)
        self.assertIn("Later call", text)
        self.assertIn("Paula Pixel", text, "actions with the contacts are listed")
        self.assertNotIn("Done call", text)

    def test_several_partners_at_once(self):
        """Printing several records works with Debian's wkhtmltopdf (one call
        per record, merged)."""
        text, pages = self._pdf_text(
            "mercator_crm.action_report_partner_actions_todo",
            self.prospect | self.other_prospect,
        )
        self.assertGreaterEqual(pages, 2)
        self.assertIn("Pixel Furniture", text)
        # HTML in names is printed as text, not interpreted.
        self.assertIn("<b>Bold & Co</b>", text)

    def test_revenue_per_representative(self):
        text, _pages = self._pdf_text(
            "mercator_crm.action_report_partner_revenue", self.prospect
        )
        self.assertIn("Rita Rep", text)
        self.assertIn("2,000.00", text)
        self.assertNotIn("Oscar Other", text)

    @users("mercator_manager")
    def test_overall_documents_from_the_wizard(self):
        Wizard = self.env["mercator.report.wizard"]
        wizard = Wizard.create({"report_type": "done", "user_ids": self.rep.ids})
        action = wizard.action_print()
        self.assertEqual(
            action["report_name"], "mercator_crm.report_mercator_documents"
        )
        text, _pages = self._pdf_text(
            "mercator_crm.action_report_mercator_documents", wizard
        )
        self.assertIn("Done call <script>", text)
        self.assertIn("Pixel Furniture", text)
        self.assertNotIn("Overdue call", text)
        wizard = Wizard.create({"report_type": "todo", "partner_id": self.prospect.id})
        text, _pages = self._pdf_text(
            "mercator_crm.action_report_mercator_documents", wizard
        )
        self.assertIn("Overdue call", text)
        self.assertNotIn("Done call", text)
        wizard = Wizard.create({"report_type": "revenue"})
        lines = wizard._get_report_revenue_lines()
        by_user = {line["user"]: line for line in lines}
        self.assertEqual(by_user[self.rep]["won_amount"], 2000.0)
        self.assertNotIn(self.rep_other, by_user, "lost opportunities bring no revenue")

    @users("mercator_manager")
    def test_documents_button_opens_the_wizard_for_the_partner(self):
        """From a prospect's Documents button, the done and not done lists are
        the prospect's; the revenue per representative covers every prospect."""
        action = self.contact.with_env(self.env).action_mercator_documents()
        self.assertEqual(action["res_model"], "mercator.report.wizard")
        form = Form(
            self.env["mercator.report.wizard"].with_context(**action["context"])
        )
        self.assertEqual(form.report_type, "todo")
        self.assertEqual(form.partner_id, self.prospect)
        form.report_type = "revenue"
        self.assertFalse(form.partner_id)
        wizard = form.save()
        by_user = {line["user"]: line for line in wizard._get_report_revenue_lines()}
        self.assertEqual(by_user[self.rep]["won_amount"], 2000.0)
        form = Form(wizard)
        form.report_type = "done"
        self.assertEqual(form.partner_id, self.prospect)
