from odoo import _, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    def action_mercator_documents(self):
        """Button "Documents" of the prospect / customer form: choose a report."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Documents of %(partner)s", partner=self.display_name),
            "res_model": "mercator.report.wizard",
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
            "context": {"default_partner_id": self.commercial_partner_id.id},
        }

    def _get_mercator_report_actions(self, done):
        """Done (or not done) actions of this partner and its contacts."""
        self.ensure_one()
        return self.env["mercator.action"].search(
            [
                ("commercial_partner_id", "=", self.commercial_partner_id.id),
                ("done", "=", done),
            ],
            order="date_done desc, date desc, id desc" if done else "date, id",
        )
