import functools
import subprocess

from odoo import api, models
from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin


@functools.cache
def wkhtmltopdf_prints_headers():
    """Whether wkhtmltopdf is built on a patched Qt, the only one that prints the
    HTML header and footer of the layouts (Debian's is not)."""
    binary = _get_wkhtmltopdf_bin()
    if not binary:
        return False
    version = subprocess.run(
        [binary, "--version"],
        capture_output=True,
        check=False,
        timeout=30,
    ).stdout.decode(errors="replace")
    return "patched qt" in version.lower()


class ReportMercatorOffer(models.AbstractModel):
    _name = "report.mercator_crm.report_offer"
    _description = "Mercator Offer Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        """The offer PDF, for offer actions with a quote only. Without the
        layout's header (unpatched wkhtmltopdf), the sender prints in the body."""
        docs = self.env["mercator.action"].browse(docids)
        docs._check_offer_printable()
        return {
            "doc_ids": docids,
            "doc_model": "mercator.action",
            "docs": docs,
            "data": data,
            "mercator_print_sender": not wkhtmltopdf_prints_headers(),
        }
