from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .mercator_action import with_context_defaults

# Links of a quote to Mercator actions: the user setting one must be able to
# write the action (confirming the quote wins the opportunity).
MERCATOR_LINK_FIELDS = ("mercator_opportunity_id", "mercator_offer_action_id")


class SaleOrder(models.Model):
    """Quotes made from Mercator opportunities follow them: confirming a quote
    wins its opportunity and turns the prospect into a customer.

    A quote points only at an opportunity (and an offer of it) of its own
    customer, set by someone who may write them: whoever confirms the quote
    later wins that opportunity, whatever their Mercator rights.
    """

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

    @api.constrains("mercator_opportunity_id", "mercator_offer_action_id", "partner_id")
    def _check_mercator_links(self):
        for order in self:
            opportunity = order.mercator_opportunity_id
            offer = order.mercator_offer_action_id
            if offer and not opportunity:
                raise ValidationError(
                    _(
                        "The quote %(quote)s presents an offer: it must belong to the "
                        "offer's opportunity.",
                        quote=order.name,
                    )
                )
            if not opportunity:
                continue
            # sudo: a salesperson without Mercator rights changes the customer
            # of a quote made from an opportunity; the check reads the actions.
            opportunity_sudo = opportunity.sudo()
            offer_sudo = offer.sudo()
            customer = order.partner_id.commercial_partner_id
            if (
                opportunity_sudo.kind != "opportunity"
                or opportunity_sudo.commercial_partner_id != customer
            ):
                raise ValidationError(
                    _(
                        "The quote %(quote)s can only belong to an opportunity of its "
                        "customer, %(customer)s.",
                        quote=order.name,
                        customer=customer.display_name,
                    )
                )
            if offer_sudo and (
                offer_sudo.kind != "offer" or offer_sudo.parent_id != opportunity_sudo
            ):
                raise ValidationError(
                    _(
                        "The quote %(quote)s can only present an offer of its own "
                        "opportunity.",
                        quote=order.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_mercator_link_access(
                with_context_defaults(self, vals, MERCATOR_LINK_FIELDS)
            )
        return super().create(vals_list)

    def write(self, vals):
        self._check_mercator_link_access(vals)
        return super().write(vals)

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

    @api.model
    def _check_mercator_link_access(self, vals):
        """Linking a quote to an opportunity or an offer is for users who may
        write them: confirming the quote wins the opportunity."""
        if self.env.su:
            return
        for fname in MERCATOR_LINK_FIELDS:
            if vals.get(fname):
                self.env["mercator.action"].browse(vals[fname]).check_access("write")

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
