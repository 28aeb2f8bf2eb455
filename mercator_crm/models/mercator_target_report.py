from odoo import fields, models
from odoo.tools import SQL

from .mercator_target import TARGET_PERIODS


class MercatorTargetReport(models.Model):
    """Won against target, one row per target: what the targets list and the
    "Mercator CRM" spreadsheet of the Dashboards app read (pivots need stored
    measures, and what was won is a sum over the period's opportunities).

    A representative's row counts the opportunities they won in the period
    (``representative_id``, as the dashboard); the team's row (no
    representative) every won opportunity of the company.
    Same record rules as the targets: a rep reads their own rows."""

    _name = "mercator.target.report"
    _description = "Mercator Won against Target"
    _auto = False
    _order = "date_from desc, user_id"
    _depends = {
        "mercator.target": [
            "user_id",
            "company_id",
            "period_type",
            "date_from",
            "date_to",
            "revenue_target",
            "won_count_target",
        ],
        "mercator.action": [
            "kind",
            "active",
            "opportunity_state",
            "company_id",
            "representative_id",
            "date_closed",
            "expected_revenue",
        ],
    }

    target_id = fields.Many2one("mercator.target", readonly=True)
    user_id = fields.Many2one("res.users", "Representative", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_type = fields.Selection(TARGET_PERIODS, "Period", readonly=True)
    date_from = fields.Date("Period Start", readonly=True)
    date_to = fields.Date("Period End", readonly=True)
    revenue_target = fields.Monetary(currency_field="currency_id", readonly=True)
    won_count_target = fields.Integer("Opportunities to Win", readonly=True)
    won_amount = fields.Monetary(
        "Won Revenue", currency_field="currency_id", readonly=True
    )
    won_count = fields.Integer("Opportunities Won", readonly=True)
    gap = fields.Monetary(
        "Gap to Target",
        currency_field="currency_id",
        readonly=True,
        help="Revenue target minus the won revenue: negative once the target is "
        "exceeded.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT t.id, t.id AS target_id, t.user_id, t.company_id,
                   t.period_type, t.date_from, t.date_to, t.revenue_target,
                   t.won_count_target,
                   COALESCE(won.amount, 0) AS won_amount,
                   COALESCE(won.count, 0) AS won_count,
                   t.revenue_target - COALESCE(won.amount, 0) AS gap
              FROM mercator_target t
              LEFT JOIN LATERAL (
                    SELECT SUM(a.expected_revenue) AS amount, COUNT(*) AS count
                      FROM mercator_action a
                     WHERE a.kind = 'opportunity'
                       AND a.opportunity_state = 'won'
                       AND a.active
                       AND a.company_id = t.company_id
                       AND (t.user_id IS NULL OR a.representative_id = t.user_id)
                       AND a.date_closed >= t.date_from
                       AND a.date_closed < t.date_to + 1
              ) won ON TRUE
            """
        )
