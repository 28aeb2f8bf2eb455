from markupsafe import Markup

from odoo import _, fields, models


class SaleOrder(models.Model):
    """Quotes made from Mercator opportunities follow them: confirming a quote
    wins its opportunity and turns the prospect into a customer."""

    _inherit = "sale.order"

    mercator_opportunity_id = fields.Many2one(
        "mercator.action",
        # Labelled "Mercator Opportunity" (from its name), not "Opportunity":
        # sale_crm's sale.order.opportunity_id has that label.
        index="btree_not_null",
        copy=False,
        check_company=True,
        domain="[('kind', '=', 'opportunity')]",
    )
    mercator_offer_action_id = fields.Many2one(
        "mercator.action",
        string="Offer Action",
        index="btree_not_null",
        copy=False,
        check_company=True,
        domain="[('kind', '=', 'offer')]",
    )

    def _action_confirm(self):
        res = super()._action_confirm()
        self._mercator_mark_won()
        return res

    def _action_cancel(self):
        res = super()._action_cancel()
        self._mercator_notify_cancelled()
        return res

    def action_view_mercator_opportunity(self):
        """Smart button "Opportunity" of a quote."""
        self.ensure_one()
        return self.mercator_opportunity_id._get_form_action()

    def action_view_mercator_offer(self):
        """Smart button "Offer" of a quote."""
        self.ensure_one()
        return self.mercator_offer_action_id._get_form_action()

    def action_print_mercator_offer(self):
        """Button "Print Offer" of a quote made by a Mercator offer."""
        return self.mercator_offer_action_id.action_print_offer()

    def _mercator_mark_won(self):
        """Confirmed quotes win their opportunity; their prospect becomes a
        customer."""
        # sudo: a salesperson confirming a quote may have no Mercator rights, and
        # the opportunity and prospect must follow the sale anyway.
        orders_sudo = self.sudo()
        opportunities_sudo = orders_sudo.mercator_opportunity_id.filtered(
            lambda o: o.opportunity_state == "negotiation"
        )
        if opportunities_sudo:
            reason_sudo = orders_sudo.env.ref(
                "mercator_crm.mercator_close_reason_quote_confirmed",
                raise_if_not_found=False,
            )
            # Without that reason (deleted or archived by a manager) the
            # opportunity is won without one: the sale happened.
            if not (reason_sudo and reason_sudo.active):
                reason_sudo = orders_sudo.env["mercator.close.reason"]
            opportunities_sudo.action_set_won(close_reason_id=reason_sudo.id)
        prospects_sudo = orders_sudo.partner_id.commercial_partner_id.filtered(
            lambda p: p.mercator_status == "prospect"
        )
        if prospects_sudo:
            prospects_sudo.action_mercator_set_customer()

    def _mercator_notify_cancelled(self):
        """A cancelled quote does not lose the opportunity: tell its rep, who
        decides."""
        # sudo: the salesperson cancelling may not be the opportunity's rep.
        for order_sudo in self.sudo().filtered("mercator_opportunity_id"):
            opportunity_sudo = order_sudo.mercator_opportunity_id
            if opportunity_sudo.opportunity_state != "negotiation":
                continue
            opportunity_sudo.message_post(
                body=Markup(
                    _(
                        "The quote %(quote)s was cancelled. The opportunity stays in "
                        "negotiation: mark it lost if the prospect declined."
                    )
                )
                % {"quote": order_sudo._get_html_link()},
                subtype_xmlid="mail.mt_note",
            )
