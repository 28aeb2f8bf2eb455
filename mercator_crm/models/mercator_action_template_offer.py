from odoo import fields, models


class MercatorActionTemplate(models.Model):
    _inherit = "mercator.action.template"

    offer_closing_text = fields.Html(
        translate=True,
        sanitize_style=True,
        help="Printed at the end of the offers made with this template.",
    )
