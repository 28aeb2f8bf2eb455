from odoo import api, models


class ReportMercatorOffer(models.AbstractModel):
    _name = "report.mercator_crm.report_offer"
    _description = "Mercator Offer Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        """The offer PDF only makes sense for offer actions with a quote."""
        docs = self.env["mercator.action"].browse(docids)
        docs._check_offer_printable()
        return {
            "doc_ids": docids,
            "doc_model": "mercator.action",
            "docs": docs,
            "data": data,
        }
