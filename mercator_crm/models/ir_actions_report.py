from collections import OrderedDict

from odoo import models


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    def _render_qweb_pdf_prepare_streams(self, report_ref, data, res_ids=None):
        """Render Mercator reports one record per wkhtmltopdf call.

        Debian's wkhtmltopdf (unpatched Qt) fails when several report bodies go
        in one call; rendering each record on its own and letting
        ``_render_qweb_pdf`` merge the streams prints many records with any
        wkhtmltopdf, and keeps one stream (and attachment) per record.
        """
        report_sudo = self._get_report(report_ref)
        if (
            not res_ids
            or len(res_ids) < 2
            or len(res_ids) != len(set(res_ids))
            or not report_sudo.report_name.startswith("mercator_crm.")
        ):
            return super()._render_qweb_pdf_prepare_streams(
                report_ref, data, res_ids=res_ids
            )
        collected_streams = OrderedDict()
        for res_id in res_ids:
            collected_streams.update(
                super()._render_qweb_pdf_prepare_streams(
                    report_ref, dict(data or {}), res_ids=[res_id]
                )
            )
        return collected_streams
