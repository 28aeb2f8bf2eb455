from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import date_utils


class MercatorAction(models.Model):
    """What managers read: the dashboard's figures, the revenue per
    representative (Documents reports) and the stored fields the analyses and
    the spreadsheet dashboard group by.

    Every figure is one ``_read_group`` under the record rules: a rep with "own
    documents" only ever counts the opportunities and actions she may read.

    Opportunities count for their ``representative_id``: the representative of
    the prospect while the opportunity is in negotiation, kept once it is won or
    lost (who represented the prospect then), so reassigning a prospect moves
    its open revenue to the new representative and leaves the closed one where
    it was made. The dashboard, the objectives board and the revenue per
    representative read it; the action figures (done, overdue) read the
    actions' responsible (``user_id``).
    """

    _inherit = "mercator.action"

    representative_id = fields.Many2one(
        "res.users",
        compute="_compute_representative_id",
        store=True,
        index="btree_not_null",
        help="On an opportunity: the representative of its prospect (its "
        "responsible when the prospect has none), kept once the opportunity is "
        "won or lost. The dashboard, the objectives board and the revenue per "
        "representative count the opportunity for this user.",
    )

    weighted_revenue = fields.Monetary(
        currency_field="currency_id",
        compute="_compute_weighted_revenue",
        store=True,
        help="Expected revenue multiplied by the probability.",
    )
    conversion_rate = fields.Float(
        "Conversion Rate (%)",
        compute="_compute_conversion_rate",
        store=True,
        aggregator="avg",
        help="100 for a won opportunity, 0 otherwise: its average over a group of "
        "opportunities is the share of them that was won.",
    )
    source_id = fields.Many2one(
        related="partner_id.mercator_source_id",
        store=True,
        string="Origin",
        index="btree_not_null",
    )
    partner_type_id = fields.Many2one(
        related="partner_id.mercator_type_id",
        store=True,
        string="Prospect Type",
        index="btree_not_null",
    )

    @api.depends(
        "kind",
        "opportunity_state",
        "partner_id.commercial_partner_id.user_id",
        "user_id",
    )
    def _compute_representative_id(self):
        for action in self:
            if action.kind != "opportunity":
                action.representative_id = False
            elif action.opportunity_state == "negotiation" or not (
                action.representative_id
            ):
                action.representative_id = (
                    action.partner_id.commercial_partner_id.user_id or action.user_id
                )

    @api.depends("expected_revenue", "probability")
    def _compute_weighted_revenue(self):
        for action in self:
            action.weighted_revenue = action.expected_revenue * action.probability / 100

    @api.depends("kind", "opportunity_state")
    def _compute_conversion_rate(self):
        for action in self:
            won = action.kind == "opportunity" and action.opportunity_state == "won"
            action.conversion_rate = 100.0 if won else 0.0

    # Dashboard -------------------------------------------------------------

    @api.model
    def get_mercator_dashboard_data(self, user_id=False):
        """Everything the dashboard shows next to the board, in one call.

        Called by the dashboard client action on load, on a change of
        representative and on refresh. ``user_id`` is a representative's id, or
        False for all of them. A fixed number of queries (one ``_read_group``
        per figure), whatever the number of records.
        """
        today = fields.Date.context_today(self)
        month_start, quarter_start, week_start = (
            datetime.combine(date_utils.start_of(today, period), time.min)
            for period in ("month", "quarter", "week")
        )
        # Opportunities count for their representative, actions for their
        # responsible.
        representative_domain = [("representative_id", "=", user_id)] if user_id else []
        user_domain = [("user_id", "=", user_id)] if user_id else []
        return {
            "user_id": user_id or False,
            "users": self._get_dashboard_users(),
            **self._get_dashboard_opportunity_figures(
                representative_domain, month_start, quarter_start
            ),
            **self._get_dashboard_action_figures(user_domain, week_start),
            "currency_id": self.env.company.currency_id.id,
            **self._get_mercator_dashboard_sale_data(
                user_id, month_start, quarter_start
            ),
        }

    @api.model
    def _get_dashboard_users(self):
        """The representatives to choose from, with the number of opportunities
        they represent: every Mercator user for those who see all documents,
        oneself for the others."""
        counts = dict(
            self._read_group(
                [("kind", "=", "opportunity"), ("representative_id", "!=", False)],
                ["representative_id"],
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
        return [
            {"id": rep.id, "name": rep.name, "count": counts.get(rep, 0)}
            for rep in reps
        ]

    @api.model
    def _get_dashboard_opportunity_figures(
        self, representative_domain, month_start, quarter_start
    ):
        """Won this month and quarter, in negotiation (in full and weighted by
        the probability), and the number of opportunities."""
        opportunity_domain = [("kind", "=", "opportunity"), *representative_domain]
        won_domain = [
            *opportunity_domain,
            ("opportunity_state", "=", "won"),
            ("date_closed", ">=", quarter_start),
        ]
        [(won_quarter, won_quarter_count)] = self._read_group(
            won_domain, [], ["expected_revenue:sum", "__count"]
        )
        [(won_month, won_month_count)] = self._read_group(
            [*won_domain, ("date_closed", ">=", month_start)],
            [],
            ["expected_revenue:sum", "__count"],
        )
        [(negotiation, negotiation_weighted, negotiation_count)] = self._read_group(
            [*opportunity_domain, ("opportunity_state", "=", "negotiation")],
            [],
            ["expected_revenue:sum", "weighted_revenue:sum", "__count"],
        )
        [(opportunity_count,)] = self._read_group(opportunity_domain, [], ["__count"])
        return {
            "opportunity_count": opportunity_count,
            "won_month": won_month,
            "won_month_count": won_month_count,
            "won_quarter": won_quarter,
            "won_quarter_count": won_quarter_count,
            "negotiation": negotiation,
            "negotiation_weighted": negotiation_weighted,
            "negotiation_count": negotiation_count,
        }

    @api.model
    def _get_dashboard_action_figures(self, user_domain, week_start):
        """Actions done this week, and the overdue ones."""
        [(done_week,)] = self._read_group(
            [
                *user_domain,
                ("done", "=", True),
                ("date_done", ">=", week_start),
                ("date_done", "<", week_start + timedelta(days=7)),
            ],
            [],
            ["__count"],
        )
        [(overdue,)] = self._read_group(
            [*user_domain, ("is_overdue", "=", True)], [], ["__count"]
        )
        return {"done_week": done_week, "overdue": overdue}

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

    # Documents (reports) ---------------------------------------------------

    @api.model
    def _get_report_domain(
        self,
        date_field,
        partner=None,
        users=None,
        date_from=None,
        date_to=None,
        partner_field="commercial_partner_id",
        user_field="user_id",
    ):
        """The filters of the Documents: a prospect or customer (with its
        contacts, through ``partner_field``), representatives (through
        ``user_field``), and a period of days on ``date_field``, both ends
        included. Works for actions and for sales orders."""
        domain = []
        if partner:
            domain.append((partner_field, "=", partner.commercial_partner_id.id))
        if users:
            domain.append((user_field, "in", users.ids))
        if date_from:
            domain.append((date_field, ">=", fields.Datetime.to_datetime(date_from)))
        if date_to:
            end = fields.Datetime.to_datetime(date_to) + relativedelta(days=1)
            domain.append((date_field, "<", end))
        return domain

    @api.model
    def _get_report_actions(self, done, **filters):
        """The actions listed by the done (newest first) or not done (oldest
        first) documents; ``filters`` as ``_get_report_domain``'s."""
        date_field = "date_done" if done else "date"
        return self.search(
            [("done", "=", done), *self._get_report_domain(date_field, **filters)],
            order="date_done desc, date desc, id desc" if done else "date, id",
        )

    @api.model
    def _get_mercator_revenue_lines(
        self, partner=None, users=None, date_from=None, date_to=None
    ):
        """Revenue per representative and month, for the revenue report.

        Won opportunities count on the month they were closed, for their
        representative (``representative_id``); confirmed quotes for their
        salesperson, who follows the opportunity's responsible when the prospect
        is reassigned while the quote is open. Returns a list of
        dicts sorted by month then representative, each with ``period`` (first
        day of the month), ``user`` (res.users, maybe empty), ``won_amount``,
        ``won_count``, ``quote_amount`` and ``quote_count`` (confirmed quotes of
        opportunities, on the month of their order date). Two ``_read_group``.
        """
        filters = {
            "partner": partner,
            "users": users,
            "date_from": date_from,
            "date_to": date_to,
        }
        lines = {}

        def line_of(month, user):
            return lines.setdefault(
                (month, user),
                {
                    "period": month,
                    "user": user,
                    "won_amount": 0.0,
                    "won_count": 0,
                    "quote_amount": 0.0,
                    "quote_count": 0,
                },
            )

        for month, user, amount, count in self._read_group(
            [
                ("kind", "=", "opportunity"),
                ("opportunity_state", "=", "won"),
                *self._get_report_domain(
                    "date_closed", user_field="representative_id", **filters
                ),
            ],
            ["date_closed:month", "representative_id"],
            ["expected_revenue:sum", "__count"],
        ):
            line = line_of(month, user)
            line["won_amount"] += amount
            line["won_count"] += count
        for month, user, amount, count in self._get_mercator_quote_revenue(filters):
            line = line_of(month, user)
            line["quote_amount"] += amount
            line["quote_count"] += count
        return sorted(
            lines.values(),
            key=lambda line: (line["period"], line["user"].name or ""),
        )

    @api.model
    def _get_mercator_quote_revenue(self, filters):
        """(month, user, untaxed amount, count) of the confirmed quotes of
        opportunities; none for a user who may not read sales orders."""
        SaleOrder = self.env["sale.order"]
        if not SaleOrder.has_access("read"):
            return []
        return SaleOrder._read_group(
            [
                ("mercator_opportunity_id", "!=", False),
                ("state", "=", "sale"),
                *self._get_report_domain(
                    "date_order",
                    partner_field="partner_id.commercial_partner_id",
                    **filters,
                ),
            ],
            ["date_order:month", "user_id"],
            ["amount_untaxed:sum", "__count"],
        )
