from odoo import fields, models


class MercatorAction(models.Model):
    _inherit = "mercator.action"

    # On an offer action: the quotation it presents.
    sale_order_id = fields.Many2one(
        "sale.order", string="Quote", index="btree_not_null", copy=False,
    )
    # On an opportunity: the quotations made for it.
    sale_order_ids = fields.One2many(
        "sale.order", "mercator_opportunity_id", string="Quotes",
    )
