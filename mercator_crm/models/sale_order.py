from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    mercator_opportunity_id = fields.Many2one(
        "mercator.action", string="Opportunity", index="btree_not_null",
        copy=False, domain="[('kind', '=', 'opportunity')]",
    )
    mercator_offer_action_id = fields.Many2one(
        "mercator.action", string="Offer Action", index="btree_not_null",
        copy=False, domain="[('kind', '=', 'offer')]",
    )
