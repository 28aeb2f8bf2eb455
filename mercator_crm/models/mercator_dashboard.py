from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.tools import date_utils


class MercatorAction(models.Model):
    _inherit = "mercator.action"

    @api.model
    def get_mercator_dashboard_data(self, user_id=False):
        """Everything the dashboard shows next to the board, in one call.

        Called by the dashboard client action on load, on a change of
        representative and on refresh. ``user_id`` is a representative's id, or
        False for all of them. Record rules apply: a rep with "own documents"
        only ever counts their own opportunities and actions. A fixed number of
        queries (one ``_read_group`` per figure), whatever the number of records.
        """
        Action = self.env["mercator.action"]
        user_domain = [("user_id", "=", user_id)] if user_id else []
        opportunity_domain = [("kind", "=", "opportunity"), *user_domain]
        today = fields.Date.context_today(self)
        month_start = datetime.combine(date_utils.start_of(today, "month"), time.min)
        quarter_start = datetime.combine(
            date_utils.start_of(today, "quarter"), time.min
        )
        week_start = datetime.combine(date_utils.start_of(today, "week"), time.min)

        # The representatives to choose from: every Mercator user for those who
        # see all documents, oneself for the others; with their opportunities.
        counts = dict(
            Action._read_group(
                [("kind", "=", "opportunity"), ("user_id", "!=", False)],
                ["user_id"],
                ["__count"],
            )
        )
        if self.env.user.has_group("mercator_crm.group_mercator_user_all"):
            reps = self.env["res.users"].search(
                [
                    (
                        "groups_id",
                        "in",
                        self.env.ref("mercator_crm.group_mercator_user").id,
                    ),
                    ("share", "=", False),
                ],
                order="name",
            )
        else:
            reps = self.env.user
        users = [
            {"id": rep.id, "name": rep.name, "count": counts.get(rep, 0)}
            for rep in reps
        ]
        won_domain = [
            *opportunity_domain,
            ("opportunity_state", "=", "won"),
            ("date_closed", ">=", quarter_start),
        ]
        [(won_quarter, won_quarter_count)] = Action._read_group(
            won_domain,
            [],
            ["expected_revenue:sum", "__count"],
        )
        [(won_month, won_month_count)] = Action._read_group(
            [*won_domain, ("date_closed", ">=", month_start)],
            [],
            ["expected_revenue:sum", "__count"],
        )
        [(negotiation, negotiation_weighted, negotiation_count)] = Action._read_group(
            [*opportunity_domain, ("opportunity_state", "=", "negotiation")],
            [],
            ["expected_revenue:sum", "weighted_revenue:sum", "__count"],
        )
        [(opportunity_count,)] = Action._read_group(
            opportunity_domain,
            [],
            ["__count"],
        )
        [(done_week,)] = Action._read_group(
            [
                *user_domain,
                ("done", "=", True),
                ("date_done", ">=", week_start),
                ("date_done", "<", week_start + timedelta(days=7)),
            ],
            [],
            ["__count"],
        )
        [(overdue,)] = Action._read_group(
            [*user_domain, ("is_overdue", "=", True)],
            [],
            ["__count"],
        )
        currency = self.env.company.currency_id
        return {
            "user_id": user_id or False,
            "users": users,
            "opportunity_count": opportunity_count,
            "won_month": won_month,
            "won_month_count": won_month_count,
            "won_quarter": won_quarter,
            "won_quarter_count": won_quarter_count,
            "negotiation": negotiation,
            "negotiation_weighted": negotiation_weighted,
            "negotiation_count": negotiation_count,
            "done_week": done_week,
            "overdue": overdue,
            "currency": {
                "symbol": currency.symbol,
                "position": currency.position,
                "digits": currency.decimal_places,
            },
            **self._get_mercator_dashboard_sale_data(
                user_id, month_start, quarter_start
            ),
        }

    @api.model
    def _get_mercator_dashboard_sale_data(self, user_id, month_start, quarter_start):
        """Untaxed total of the confirmed quotes of opportunities, this month and
        quarter; nothing for a user who may not read sales orders."""
        SaleOrder = self.env["sale.order"]
        if not SaleOrder.has_access("read"):
            return {}
        domain = [
            ("mercator_opportunity_id", "!=", False),
            ("state", "=", "sale"),
            ("date_order", ">=", quarter_start),
        ]
        if user_id:
            domain.append(("user_id", "=", user_id))
        [(quarter,)] = SaleOrder._read_group(domain, [], ["amount_untaxed:sum"])
        [(month,)] = SaleOrder._read_group(
            [*domain, ("date_order", ">=", month_start)],
            [],
            ["amount_untaxed:sum"],
        )
        return {"quotes_month": month or 0.0, "quotes_quarter": quarter or 0.0}
