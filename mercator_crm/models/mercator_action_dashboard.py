from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz

from odoo import _, api, fields, models
from odoo.osv import expression
from odoo.tools.safe_eval import safe_eval
from odoo.tools.sql import create_index

# How many actions "My day" lists; the rest is a click away (the Tasks screen).
MY_DAY_LIMIT = 20


class MercatorAction(models.Model):
    """The widgets of the main screen next to the objectives board, and the
    screens managers open on every representative:

    - objectives: won against the targets (``mercator.target``) of the chosen
      representative, or of the team and each rep, for a month or a quarter,
      with the opportunities in negotiation weighted by their probability, in
      total and per board column;
    - "My day": the chosen representative's actions due today or overdue;
    - Calendar and Tasks: on every representative for a manager, on one's own
      for the others.

    The read-only calls are ``@api.readonly``: Odoo serves them on a read-only
    cursor, from a hot standby when it is started with ``--db_replica_host``.
    They read under the record rules: a rep with "own documents" only ever
    gets their own figures, whatever ``user_id`` they ask for.
    """

    _inherit = "mercator.action"

    def init(self):
        res = super().init()
        # My day and the overdue actions: the open actions by deadline (the
        # condition is the ORM's for done = False, so the planner matches it).
        create_index(
            self.env.cr,
            "mercator_action_open_deadline_index",
            self._table,
            ["date_deadline", "user_id"],
            where="done IS NULL OR done = false",
        )
        return res

    # Objectives ----------------------------------------------------------------

    @api.model
    @api.readonly
    def get_mercator_objectives(self, user_id=False, period_type="month", day=False):
        """Won against target for the main screen's objectives widget.

        Called by the dashboard on load, on a change of representative or
        period, and on Refresh. ``user_id``: a representative, or False for the
        team (a line for the team, then one per representative with a target
        or opportunities in the period). ``period_type``: "month" or
        "quarter"; ``day``: a day of the period (default today).

        Won: opportunities won in the period (closing date). In negotiation:
        the open opportunities expected to close in the period (their
        deadline); in the current period also those whose deadline passed or
        is not set, so each open opportunity counts in one period only, none
        in past periods. A fixed number of queries.
        """
        self.check_access("read")
        if not self._mercator_sees_all():
            user_id = self.env.uid
        user_id = self._mercator_check_user_id(user_id)
        Target = self.env["mercator.target"]
        period = Target._get_period(period_type, day)
        figures, columns = self._get_objective_figures(period, user_id)
        targets = Target.search_fetch(
            [
                ("date_from", "<=", period["end"]),
                ("date_to", ">=", period["start"]),
                *([("user_id", "=", user_id)] if user_id else []),
            ],
            [
                "user_id",
                "period_type",
                "date_from",
                "revenue_target",
                "won_count_target",
            ],
        )
        targets_by_user = defaultdict(Target.browse)
        for target in targets:
            targets_by_user[target.user_id] |= target
        if user_id:
            users = self.env["res.users"].browse(user_id).exists()
        else:
            users = self.env["res.users"].union(
                *(user for user in (*figures, *targets_by_user) if user)
            )
        lines = [
            self._get_objective_line(
                user, figures.get(user), targets_by_user.get(user), period
            )
            for user in users.sorted("name")
        ]
        if not user_id:
            lines.insert(
                0,
                self._get_objective_team_line(
                    figures, targets_by_user.get(self.env["res.users"]), lines, period
                ),
            )
        return {
            "user_id": user_id,
            "period": {
                "type": period["type"],
                "label": period["label"],
                **{
                    key: fields.Date.to_string(period[key])
                    for key in ("start", "end", "previous", "next")
                },
            },
            "currency_id": self.env.company.currency_id.id,
            "lines": lines,
            "columns": columns,
            "can_edit_targets": Target.has_access("write"),
        }

    @api.model
    def _mercator_sees_all(self):
        return self.env.user.has_group("mercator_crm.group_mercator_user_all")

    @api.model
    def _mercator_check_user_id(self, user_id):
        """A representative's id from the client, or False."""
        if not user_id:
            return False
        if not isinstance(user_id, int) or isinstance(user_id, bool):
            raise ValueError(f"user_id must be a user's id, not {user_id!r}")
        return user_id

    @api.model
    def _get_objective_figures(self, period, user_id):
        """One ``_read_group``: won and in negotiation in ``period``, per
        representative ({user: figures}; an opportunity counts for its
        ``representative_id``, as the dashboard's figures) and per board column
        (a list in the board's order, with the opportunities without column
        last)."""
        won = [
            ("opportunity_state", "=", "won"),
            ("date_closed", ">=", period["datetime_start"]),
            ("date_closed", "<", period["datetime_end"]),
        ]
        domain = [
            ("kind", "=", "opportunity"),
            *([("representative_id", "=", user_id)] if user_id else []),
            *expression.OR([won, self._get_objective_negotiation_domain(period)]),
        ]
        by_user = defaultdict(self._new_objective_figures)
        by_column = defaultdict(self._new_objective_figures)
        for user, column, state, revenue, weighted, count in self._read_group(
            domain,
            ["representative_id", "board_column_id", "opportunity_state"],
            ["expected_revenue:sum", "weighted_revenue:sum", "__count"],
        ):
            for figures in (by_user[user], by_column[column]):
                if state == "won":
                    figures["won"] += revenue
                    figures["won_count"] += count
                else:
                    figures["negotiation"] += revenue
                    figures["negotiation_weighted"] += weighted
                    figures["negotiation_count"] += count
        Column = self.env["mercator.board.column"]
        board_columns = Column.search_fetch([], ["name"])
        columns = [
            {
                "id": column.id,
                "name": column.name,
                **by_column.get(column, self._new_objective_figures()),
            }
            for column in board_columns
        ]
        if Column in by_column:
            columns.append({"id": False, "name": _("No column"), **by_column[Column]})
        return by_user, columns

    @api.model
    def _get_objective_negotiation_domain(self, period):
        """The open opportunities counted in ``period``: expected to close in
        it (deadline); in the current period also those whose deadline passed
        or is not set; none in a past period."""
        today = fields.Date.context_today(self)
        negotiation = [("opportunity_state", "=", "negotiation")]
        if period["end"] < today:
            return expression.FALSE_DOMAIN
        if period["start"] > today:
            return [
                *negotiation,
                ("date_deadline", ">=", period["datetime_start"]),
                ("date_deadline", "<", period["datetime_end"]),
            ]
        return [
            *negotiation,
            "|",
            ("date_deadline", "=", False),
            ("date_deadline", "<", period["datetime_end"]),
        ]

    @staticmethod
    def _new_objective_figures():
        return {
            "won": 0.0,
            "won_count": 0,
            "negotiation": 0.0,
            "negotiation_weighted": 0.0,
            "negotiation_count": 0,
        }

    @api.model
    def _get_objective_line(self, user, figures, targets, period):
        """A representative's line: their figures and their target for the
        period (see ``_get_objective_target``)."""
        target = self._get_objective_target(targets, period)
        return {
            "user_id": user.id,
            "name": user.name,
            "is_team": False,
            **(figures or self._new_objective_figures()),
            **target,
        }

    @api.model
    def _get_objective_team_line(self, figures, team_targets, rep_lines, period):
        """The team's line: every opportunity, against the team's target for
        the period, or else the sum of the representatives' targets."""
        totals = self._new_objective_figures()
        for user_figures in figures.values():
            for key, value in user_figures.items():
                totals[key] += value
        target = self._get_objective_target(team_targets, period)
        with_target = [line for line in rep_lines if line["target"] is not False]
        if target["target"] is False and with_target:
            counts = [line["target_count"] for line in with_target]
            target = {
                "target": sum(line["target"] for line in with_target),
                "target_count": sum(counts) if all(counts) else False,
                "target_id": False,
                "target_note": _("sum of the representatives' targets"),
            }
        return {
            "user_id": False,
            "name": _("Whole team"),
            "is_team": True,
            **totals,
            **target,
        }

    @api.model
    def _get_objective_target(self, targets, period):
        """The target of one representative (or the team) for ``period``, from
        ``targets`` (theirs that overlap it; they do not overlap each other):
        the period's own target; for a month without one, a third of its
        quarter's; for a quarter without one, the sum of its months'."""
        none = {
            "target": False,
            "target_count": False,
            "target_id": False,
            "target_note": "",
        }
        targets = targets or self.env["mercator.target"]
        own = targets.filtered(
            lambda t: t.period_type == period["type"] and t.date_from == period["start"]
        )
        if own:
            return {
                "target": own.revenue_target,
                "target_count": own.won_count_target,
                "target_id": own.id,
                "target_note": "",
            }
        if period["type"] == "month":
            quarter = targets.filtered(lambda t: t.period_type == "quarter")[:1]
            if not quarter:
                return none
            return {
                **none,
                "target": quarter.revenue_target / 3,
                "target_note": _(
                    "a third of the target of %(quarter)s",
                    quarter=quarter._period_label("quarter", quarter.date_from),
                ),
            }
        months = targets.filtered(lambda t: t.period_type == "month")
        if not months:
            return none
        counts = months.mapped("won_count_target")
        return {
            **none,
            "target": sum(months.mapped("revenue_target")),
            "target_count": sum(counts) if all(counts) else False,
            "target_note": _("sum of %(count)s monthly targets", count=len(months)),
        }

    # My day ------------------------------------------------------------------

    @api.model
    @api.readonly
    def get_mercator_my_day(self, user_id=False, limit=MY_DAY_LIMIT):
        """ "My day" on the main screen: the chosen representative's actions
        (all of them for False) not done and due today or overdue, the most
        overdue first, at most ``limit`` of them with their total.

        Called by the dashboard on load, on a change of representative, on
        Refresh and after Done. Calls, appointments, tasks, emails, letters:
        every action but opportunities and the sends of mailings (reviewed in
        Pending Sends). Due today: the deadline is today (the user's day), or
        no deadline and the date is today. A fixed number of queries.
        """
        self.check_access("read")
        if not self._mercator_sees_all():
            user_id = self.env.uid
        user_id = self._mercator_check_user_id(user_id)
        limit = max(1, min(int(limit), 200))
        domain = self._get_my_day_domain(user_id)
        actions = self.search_fetch(
            domain,
            [
                "name",
                "kind",
                "template_id",
                "partner_id",
                "user_id",
                "date",
                "date_deadline",
                "sale_order_id",
            ],
            limit=limit,
            order="date_deadline, date, id",
        )
        total = len(actions)
        if total == limit:
            total = self.search_count(domain)
        now = fields.Datetime.now()
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        return {
            "user_id": user_id,
            "total": total,
            "overdue": self.search_count([*domain, ("date_deadline", "<", now)]),
            "domain": domain,
            "actions": [
                {
                    "id": action.id,
                    "name": action.name,
                    "kind": action.kind,
                    "kind_label": kinds.get(action.kind, ""),
                    "template": action.template_id.name,
                    "partner": action.partner_id.display_name or "",
                    "user_id": action.user_id.id,
                    "user": action.user_id.name or "",
                    "date": fields.Datetime.to_string(action.date),
                    "deadline": fields.Datetime.to_string(action.date_deadline),
                    "overdue": bool(
                        action.date_deadline and action.date_deadline < now
                    ),
                    # An offer with a quote is done by validating it (offers).
                    "can_mark_done": not (
                        action.kind == "offer" and action.sale_order_id
                    ),
                }
                for action in actions
            ],
        }

    @api.model
    def _get_my_day_domain(self, user_id):
        """Not done, due before the end of the user's today (so overdue too),
        or without deadline and dated today."""
        start, end = self._mercator_today_bounds()
        return [
            ("done", "=", False),
            ("kind", "!=", "opportunity"),
            ("mailing_id", "=", False),
            *([("user_id", "=", user_id)] if user_id else []),
            "|",
            ("date_deadline", "<", end),
            "&",
            ("date_deadline", "=", False),
            "&",
            ("date", ">=", start),
            ("date", "<", end),
        ]

    @api.model
    def _mercator_today_bounds(self):
        """The user's today as UTC datetimes: its midnight and the next one."""
        tz = pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")
        today = fields.Date.context_today(self)
        return tuple(
            tz.localize(datetime.combine(day, time.min))
            .astimezone(pytz.utc)
            .replace(tzinfo=None)
            for day in (today, today + timedelta(days=1))
        )

    # Managers' screens -------------------------------------------------------

    @api.model
    def action_open_calendar(self):
        """Menu Calendar: the appointments of every representative for a
        manager (one filter per rep in the side panel), one's own for the
        others."""
        return self._get_mercator_screen_action(
            "mercator_crm.mercator_action_action_calendar"
        )

    @api.model
    def action_open_tasks(self):
        """Menu Tasks: the open tasks (a filter: all open actions without it)
        of every representative for a manager, one's own for the others."""
        return self._get_mercator_screen_action(
            "mercator_crm.mercator_action_action_task"
        )

    @api.model
    def _get_mercator_screen_action(self, xml_id):
        """The window action ``xml_id``, without its "My Actions" default
        filter for a manager."""
        self.check_access("read")
        action = self.env["ir.actions.act_window"]._for_xml_id(xml_id)
        context = safe_eval(action.get("context") or "{}", {"uid": self.env.uid})
        if self.env.user.has_group("mercator_crm.group_mercator_manager"):
            context.pop("search_default_filter_my", None)
        action["context"] = context
        return action
