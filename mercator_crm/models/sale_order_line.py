from odoo import fields, models

# Context key of the Quote tab of a new offer action: the prospect and company
# of the quote that saving the offer will create (see ``onchange``).
OFFER_DRAFT_QUOTE_KEY = "mercator_offer_draft_quote"


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    def onchange(self, values, field_names, fields_spec):
        """Lines typed in the Quote tab of a new offer, before its quote exists,
        are priced as the quote will price them: their order is a quote in
        memory for the offer's prospect and company (``OFFER_DRAFT_QUOTE_KEY``
        in the context: ``{'partner_id': id, 'company_id': id}``). Nothing is
        saved here; creating the offer creates the quote and these lines."""
        draft = self.env.context.get(OFFER_DRAFT_QUOTE_KEY)
        if isinstance(draft, dict) and not values.get("order_id"):
            order_values = self._mercator_draft_quote_values(draft)
            if order_values:
                values = {**values, "order_id": order_values}
        return super().onchange(values, field_names, fields_spec)

    def _mercator_draft_quote_values(self, draft):
        """Values of the quote in memory of a new offer, from the context's
        prospect and company; nothing without a prospect."""
        partner_id, company_id = draft.get("partner_id"), draft.get("company_id")
        if not isinstance(partner_id, int) or not partner_id:
            return {}
        partner = self.env["res.partner"].browse(partner_id).commercial_partner_id
        company = (
            self.env["res.company"].browse(company_id)
            if isinstance(company_id, int)
            and company_id in self.env.user.company_ids.ids
            else self.env.company
        )
        return {
            "partner_id": partner.id,
            "company_id": company.id,
            "state": "draft",
            "date_order": fields.Datetime.now(),
        }
