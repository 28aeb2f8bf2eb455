from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class MercatorAction(models.Model):
    _inherit = "mercator.action"

    @api.model
    def _get_mercator_revenue_lines(
        self, partner=None, users=None, date_from=None, date_to=None
    ):
        """Revenue per representative and month, for the revenue report.

        Won opportunities count on the month they were closed. Returns a list of
        dicts sorted by month then representative, each with ``period`` (first
        day of the month), ``user`` (res.users, maybe empty), ``won_amount``,
        ``won_count``, ``quote_amount`` and ``quote_count`` (confirmed quotes of
        opportunities, on the month of their order date). Two ``_read_group``.
        """
        domain = [("kind", "=", "opportunity"), ("opportunity_state", "=", "won")]
        if partner:
            domain.append(
                ("commercial_partner_id", "=", partner.commercial_partner_id.id)
            )
        if users:
            domain.append(("user_id", "in", users.ids))
        if date_from:
            domain.append(("date_closed", ">=", fields.Datetime.to_datetime(date_from)))
        if date_to:
            domain.append(
                (
                    "date_closed",
                    "<",
                    fields.Datetime.to_datetime(date_to) + relativedelta(days=1),
                )
            )
        lines = {}
        for month, user, amount, count in self._read_group(
            domain,
            ["date_closed:month", "user_id"],
            ["expected_revenue:sum", "__count"],
        ):
            line = lines.setdefault((month, user), self._new_revenue_line(month, user))
            line["won_amount"] += amount
            line["won_count"] += count
        for month, user, amount, count in self._get_mercator_quote_revenue(
            partner, users, date_from, date_to
        ):
            line = lines.setdefault((month, user), self._new_revenue_line(month, user))
            line["quote_amount"] += amount
            line["quote_count"] += count
        return sorted(
            lines.values(),
            key=lambda line: (line["period"], line["user"].name or ""),
        )

    @api.model
    def _new_revenue_line(self, month, user):
        return {
            "period": month,
            "user": user,
            "won_amount": 0.0,
            "won_count": 0,
            "quote_amount": 0.0,
            "quote_count": 0,
        }

    @api.model
    def _get_mercator_quote_revenue(self, partner, users, date_from, date_to):
        """(month, user, untaxed amount, count) of the confirmed quotes of
        opportunities; none for a user who may not read sales orders."""
        SaleOrder = self.env["sale.order"]
        if not SaleOrder.has_access("read"):
            return []
        domain = [("mercator_opportunity_id", "!=", False), ("state", "=", "sale")]
        if partner:
            domain.append(
                (
                    "partner_id.commercial_partner_id",
                    "=",
                    partner.commercial_partner_id.id,
                )
            )
        if users:
            domain.append(("user_id", "in", users.ids))
        if date_from:
            domain.append(("date_order", ">=", fields.Datetime.to_datetime(date_from)))
        if date_to:
            domain.append(
                (
                    "date_order",
                    "<",
                    fields.Datetime.to_datetime(date_to) + relativedelta(days=1),
                )
            )
        return SaleOrder._read_group(
            domain,
            ["date_order:month", "user_id"],
            ["amount_untaxed:sum", "__count"],
        )
