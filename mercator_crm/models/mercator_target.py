from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import date_utils
from odoo.tools.misc import format_date

TARGET_PERIODS = [("month", "Month"), ("quarter", "Quarter")]


class MercatorTarget(models.Model):
    """A quantified objective: the revenue a representative (or, without one,
    the whole team) should win in a month or a quarter, and optionally a number
    of opportunities to win.

    Odoo's sales teams have a monthly "Invoicing Target" per team
    (``crm.team.invoiced_target``, from ``sale``): one amount for the current
    month, on invoices, without representatives or history. Mercator's targets
    are per representative and period, on won opportunities, so they are
    records of their own; the team's target is the one without representative.

    A period starts on the first day of its month or quarter (``create`` and
    ``write`` move ``date_from`` there) and ends on its last day
    (``date_to``). The periods of one representative, or of the team, do not
    overlap. What was won counts by the opportunities' closing date
    (``date_closed``), from midnight of the first day to midnight after the
    last one, as the dashboard's figures do.

    Managers write the targets; the reps read their own (record rules).
    """

    _name = "mercator.target"
    _description = "Mercator Target"
    _order = "date_from desc, user_id, id"
    _check_company_auto = True

    user_id = fields.Many2one(
        "res.users",
        string="Representative",
        index=True,
        check_company=True,
        domain=lambda self: [
            ("share", "=", False),
            ("groups_id", "in", self.env.ref("mercator_crm.group_mercator_user").ids),
        ],
        help="Empty: the target of the whole team.",
    )
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    period_type = fields.Selection(
        TARGET_PERIODS, string="Period", required=True, default="month"
    )
    date_from = fields.Date(
        "Period Start",
        required=True,
        default=lambda self: date_utils.start_of(
            fields.Date.context_today(self), "month"
        ),
        help="First day of the month or quarter: any day of the period may be "
        "entered, it is moved to the first one.",
    )
    date_to = fields.Date(
        "Period End", compute="_compute_date_to", store=True, precompute=True
    )
    revenue_target = fields.Monetary(
        currency_field="currency_id",
        required=True,
        help="Expected revenue of the opportunities to win in the period.",
    )
    won_count_target = fields.Integer(
        "Opportunities to Win",
        help="Optional: how many opportunities should be won in the period.",
    )
    # What was won so far (mercator.target.report, one query for the records).
    won_amount = fields.Monetary(
        "Won Revenue", currency_field="currency_id", compute="_compute_won"
    )
    won_count = fields.Integer("Opportunities Won", compute="_compute_won")
    progress = fields.Float(
        "Progress (%)",
        compute="_compute_won",
        help="Won revenue as a percentage of the revenue target.",
    )

    _sql_constraints = [
        (
            "revenue_target_positive",
            "CHECK(revenue_target >= 0)",
            "A revenue target cannot be negative.",
        ),
        (
            "won_count_target_positive",
            "CHECK(won_count_target >= 0)",
            "The number of opportunities to win cannot be negative.",
        ),
    ]

    @api.depends("user_id", "period_type", "date_from")
    def _compute_display_name(self):
        for target in self:
            target.display_name = _(
                "%(who)s, %(period)s",
                who=target.user_id.name or _("Whole team"),
                period=self._period_label(target.period_type, target.date_from),
            )

    @api.depends("period_type", "date_from")
    def _compute_date_to(self):
        for target in self:
            target.date_to = target.date_from and date_utils.end_of(
                target.date_from, target.period_type
            )

    def _compute_won(self):
        targets = self.filtered("id")
        won = {
            target: (amount, count)
            for target, amount, count in self.env["mercator.target.report"]._read_group(
                [("target_id", "in", targets.ids)],
                ["target_id"],
                ["won_amount:sum", "won_count:sum"],
            )
        }
        for target in self:
            amount, count = won.get(target, (0.0, 0))
            target.won_amount = amount
            target.won_count = count
            target.progress = (
                100.0 * amount / target.revenue_target if target.revenue_target else 0.0
            )

    @api.constrains("user_id")
    def _check_user_id(self):
        group = self.env.ref("mercator_crm.group_mercator_user")
        for target in self:
            user = target.user_id
            if user and (user.share or group not in user.groups_id):
                raise ValidationError(
                    _(
                        "%(user)s has no access to Mercator CRM: targets are set "
                        "for its representatives only. Give them a Mercator CRM "
                        "access right first.",
                        user=user.name,
                    )
                )

    @api.constrains("user_id", "company_id", "period_type", "date_from")
    def _check_period_overlap(self):
        """One target per representative (or for the team) and period: a
        month and the quarter holding it overlap too. One search for the batch."""
        others = self.search(
            [
                ("company_id", "in", self.company_id.ids),
                "|",
                ("user_id", "in", self.user_id.ids),
                ("user_id", "=", False),
                ("date_from", "<=", max(self.mapped("date_to"))),
                ("date_to", ">=", min(self.mapped("date_from"))),
            ]
        )
        for target in self:
            clash = others.filtered(
                lambda other, target=target: (
                    other != target
                    and other.company_id == target.company_id
                    and other.user_id == target.user_id
                    and other.date_from <= target.date_to
                    and other.date_to >= target.date_from
                )
            )[:1]
            if clash:
                raise ValidationError(
                    _(
                        "%(who)s already has a target for %(period)s, which "
                        "overlaps %(new_period)s: change or delete that target "
                        "first.",
                        who=target.user_id.name or _("The whole team"),
                        period=self._period_label(clash.period_type, clash.date_from),
                        new_period=self._period_label(
                            target.period_type, target.date_from
                        ),
                    )
                )

    @api.onchange("period_type", "date_from")
    def _onchange_period(self):
        if self.date_from:
            self.date_from = date_utils.start_of(self.date_from, self.period_type)

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("date_from"):
                vals["date_from"] = date_utils.start_of(
                    fields.Date.to_date(vals["date_from"]),
                    vals.get("period_type") or "month",
                )
        return super().create(vals_list)

    def write(self, vals):
        if "date_from" not in vals and "period_type" not in vals:
            return super().write(vals)
        # Each target's start moves to the first day of its period: one write
        # per resulting start date.
        by_start = defaultdict(lambda: self.browse())
        for target in self:
            period_type = vals.get("period_type") or target.period_type
            date_from = fields.Date.to_date(vals.get("date_from")) or target.date_from
            by_start[date_utils.start_of(date_from, period_type)] |= target
        for date_from, targets in by_start.items():
            super(MercatorTarget, targets).write({**vals, "date_from": date_from})
        return True

    # Periods -----------------------------------------------------------------

    @api.model
    def _get_period(self, period_type, day):
        """The month or quarter holding ``day`` (a date or an ISO string): a
        dict with its first and last days, the datetimes that bound it (from
        midnight of the first day to midnight after the last one), its label
        and a day of the periods before and after it."""
        if period_type not in dict(TARGET_PERIODS):
            raise UserError(
                _("Unknown period %(period)r: month or quarter.", period=period_type)
            )
        try:
            day = fields.Date.to_date(day) or fields.Date.context_today(self)
        except ValueError as error:
            raise UserError(
                _("%(day)r is not a date.", day=day),
            ) from error
        start = date_utils.start_of(day, period_type)
        end = date_utils.end_of(day, period_type)
        return {
            "type": period_type,
            "start": start,
            "end": end,
            "datetime_start": datetime.combine(start, time.min),
            "datetime_end": datetime.combine(end + timedelta(days=1), time.min),
            "label": self._period_label(period_type, start),
            "previous": start - timedelta(days=1),
            "next": end + timedelta(days=1),
        }

    @api.model
    def _period_label(self, period_type, day):
        """ "March 2026", "Q1 2026", in the user's language."""
        if not day:
            return ""
        return format_date(
            self.env, day, date_format="QQQ y" if period_type == "quarter" else "MMMM y"
        )
