from unittest.mock import patch

from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged, users

from .common import MercatorObjectivesCommon


@tagged("post_install", "-at_install")
class TestMercatorObjectives(MercatorObjectivesCommon):
    def _objectives(self, rep=False, period_type="month", day=False):
        return self.env["mercator.action"].get_mercator_objectives(
            rep.id if rep else False, period_type, day
        )

    def _line(self, data, user=False):
        [line] = [
            line for line in data["lines"] if line["user_id"] == (user and user.id)
        ]
        return line

    @users("mercator_manager")
    def test_rep_against_target(self):
        """This month the rep won 2,000 of their 4,000 (one of two
        opportunities); their opportunity in negotiation without deadline
        (1,000 at 50 %) counts 500 weighted; all of it in the first column."""
        data = self._objectives(self.rep)
        self.assertEqual(data["period"]["type"], "month")
        self.assertEqual(
            data["period"]["start"], fields.Date.to_string(self.month_start)
        )
        self.assertTrue(data["can_edit_targets"])
        [line] = data["lines"]
        self.assertEqual(line["user_id"], self.rep.id)
        self.assertEqual(line["target"], 4000.0)
        self.assertEqual(line["target_count"], 2)
        self.assertEqual(line["target_id"], self.target_rep.id)
        self.assertEqual((line["won"], line["won_count"]), (2000.0, 1))
        self.assertEqual(line["negotiation"], 1000.0)
        self.assertEqual(line["negotiation_weighted"], 500.0)
        self.assertEqual(line["negotiation_count"], 1)
        columns = {column["id"]: column for column in data["columns"]}
        self.assertEqual(columns[self.column_1.id]["won"], 2000.0)
        self.assertEqual(columns[self.column_1.id]["negotiation_weighted"], 500.0)
        self.assertEqual(columns[self.column_2.id]["won"], 0.0)
        self.assertEqual(columns[self.column_2.id]["negotiation_weighted"], 0.0)

    @users("mercator_manager")
    def test_counts_for_the_representative(self):
        """An opportunity counts for its representative (the prospect's), as
        the dashboard's figures and the board, not for its responsible."""
        self.opp_negotiation.sudo().user_id = self.rep_other
        self.assertEqual(self.opp_negotiation.representative_id, self.rep)
        [line] = self._objectives(self.rep)["lines"]
        self.assertEqual(line["negotiation_weighted"], 500.0)
        [other] = self._objectives(self.rep_other)["lines"]
        self.assertEqual(other["negotiation_weighted"], 0.0)

    @users("mercator_manager")
    def test_team_and_every_rep(self):
        """All representatives: the team's line first, against the team's
        target, then a line per rep with a target or figures: the other rep
        has a third of their quarter's target and nothing closing this month
        (their opportunity closes next month, the lost one never counts)."""
        data = self._objectives()
        team = data["lines"][0]
        self.assertTrue(team["is_team"])
        self.assertEqual(team["target"], 10000.0)
        self.assertEqual(team["target_id"], self.target_team.id)
        self.assertEqual((team["won"], team["negotiation_weighted"]), (2000.0, 500.0))
        self.assertEqual(
            [line["user_id"] for line in data["lines"][1:]],
            [user.id for user in (self.rep_other | self.rep).sorted("name")],
        )
        other = self._line(data, self.rep_other)
        self.assertEqual(other["target"], 3000.0)
        self.assertEqual(other["target_id"], False)
        self.assertIn("Q", other["target_note"])
        self.assertEqual((other["won"], other["negotiation_weighted"]), (0.0, 0.0))
        # Next month: the other rep's opportunity (4,000 at 25 %) is expected.
        next_month = self._objectives(day=fields.Date.to_string(self.next_month))
        self.assertEqual(
            self._line(next_month, self.rep_other)["negotiation_weighted"], 1000.0
        )
        # No team target next month: the sum of the reps' (the other rep's
        # third of the quarter, when next month is in the same quarter).
        same_quarter = (self.next_month.month - 1) // 3 == (self.today.month - 1) // 3
        self.assertEqual(
            next_month["lines"][0]["target"], 3000.0 if same_quarter else False
        )
        # The quarter: the other rep's own target; the team's and the rep's
        # are the sums of their months.
        quarter = self._objectives(period_type="quarter")
        self.assertEqual(self._line(quarter, self.rep_other)["target"], 9000.0)
        self.assertEqual(self._line(quarter, self.rep)["target"], 4000.0)
        self.assertEqual(self._line(quarter, self.rep)["target_count"], 2)
        self.assertEqual(quarter["lines"][0]["target"], 10000.0)

    @users("mercator_manager")
    def test_team_target_from_the_reps_targets(self):
        """Without a team target, the team's is the sum of the reps'."""
        self.target_team.sudo().unlink()
        team = self._objectives()["lines"][0]
        self.assertEqual(team["target"], 4000.0 + 3000.0)
        self.assertEqual(team["target_id"], False)
        self.assertTrue(team["target_note"])

    @users("mercator_manager")
    def test_past_period_counts_no_negotiation(self):
        last_month = self._objectives(
            day=fields.Date.to_string(self.month_start - relativedelta(days=1))
        )
        team = last_month["lines"][0]
        self.assertEqual(team["negotiation_weighted"], 0.0)
        self.assertEqual(team["won"], 0.0)
        self.assertEqual(
            last_month["period"]["next"], fields.Date.to_string(self.month_start)
        )

    @users("mercator_rep")
    def test_rights_own_documents_rep_sees_own_objectives(self):
        """A rep with own documents gets their own line, whoever they ask for,
        and cannot edit targets."""
        for asked in (False, self.rep_other):
            data = self._objectives(asked)
            self.assertEqual([line["user_id"] for line in data["lines"]], [self.rep.id])
            self.assertEqual(data["lines"][0]["target"], 4000.0)
            self.assertFalse(data["can_edit_targets"])

    def test_rights_employee_and_portal_refused(self):
        portal = new_test_user(self.env, "mercator_portal", groups="base.group_portal")
        for user in (self.employee, portal):
            Action = self.env["mercator.action"].with_user(user)
            for method in (
                Action.get_mercator_objectives,
                Action.get_mercator_my_day,
                Action.action_open_tasks,
                Action.action_open_calendar,
            ):
                with (
                    self.subTest(user=user.login, method=method.__name__),
                    self.assertRaises(AccessError),
                ):
                    method()

    @users("mercator_manager")
    def test_bad_input(self):
        with self.assertRaisesRegex(UserError, "month or quarter"):
            self._objectives(period_type="year")
        with self.assertRaisesRegex(UserError, "is not a date"):
            self._objectives(day="31/31/2031")
        with self.assertRaises(ValueError):
            self.env["mercator.action"].get_mercator_objectives("1 OR 1=1")

    def test_read_only_methods(self):
        """The dashboard's calls are read-only RPC methods: Odoo serves them on
        a read-only cursor (a hot standby with --db_replica_host)."""
        Action = self.env.registry["mercator.action"]
        for name in (
            "get_mercator_dashboard_data",
            "get_mercator_objectives",
            "get_mercator_my_day",
            "web_read_group",
            "read_progress_bar",
            "web_search_read",
        ):
            self.assertTrue(getattr(getattr(Action, name), "_readonly", False), name)
        self.assertFalse(getattr(Action.action_mark_done, "_readonly", False))


@tagged("post_install", "-at_install")
class TestMercatorObjectivesQueries(MercatorObjectivesCommon):
    """The objectives and My day cost the same number of queries for 10 and
    for 1,000 opportunities and actions."""

    def _create_records(self, count):
        columns = self.column_1 | self.column_2
        Action = self.env["mercator.action"].with_context(tracking_disable=True)
        now = fields.Datetime.now()
        Action.create(
            [
                {
                    "name": f"Opportunity {index}",
                    "template_id": self.tpl_opportunity.id,
                    "partner_id": self.prospect.id,
                    "user_id": (self.rep, self.rep_other)[index % 2].id,
                    "board_column_id": columns[index % 2].id,
                    "expected_revenue": 100.0 * index,
                    "probability": 30.0,
                    "opportunity_state": "won" if index % 3 == 0 else "negotiation",
                    "date_closed": now if index % 3 == 0 else False,
                    "date_deadline": False,
                }
                for index in range(count)
            ]
        )
        Action.create(
            [
                {
                    "name": f"Overdue task {index}",
                    "template_id": self.tpl_task.id,
                    "user_id": self.rep.id,
                    "date": now - relativedelta(days=3),
                    "date_deadline": now - relativedelta(days=1),
                }
                for index in range(count)
            ]
        )
        self.env.flush_all()

    @users("mercator_manager")
    def test_query_count_10_and_1000(self):
        Action = self.env["mercator.action"]
        calls = {
            "rep": lambda: Action.get_mercator_objectives(self.rep.id),
            "team": lambda: Action.get_mercator_objectives(False, "quarter"),
            "my_day": lambda: Action.get_mercator_my_day(self.rep.id),
            "my_day_team": lambda: Action.get_mercator_my_day(False),
        }
        self._create_records(10)
        counts_10 = {name: self._count_queries(call) for name, call in calls.items()}
        self._create_records(990)
        for name, call in calls.items():
            call()
            self.env.invalidate_all()
            with self.subTest(name), self.assertQueryCount(counts_10[name]):
                call()
        team = Action.get_mercator_objectives(False)["lines"][0]
        self.assertEqual(team["won_count"], 1 + 334)
        self.assertGreater(Action.get_mercator_my_day(self.rep.id)["total"], 1000)


@tagged("post_install", "-at_install")
class TestMercatorObjectivesReadonlyRpc(HttpCase, MercatorObjectivesCommon):
    def test_dashboard_calls_run_on_a_read_only_cursor(self):
        """Over JSON-RPC, as the web client calls them, the dashboard's calls
        run on a read-only cursor; Done does not."""
        self.authenticate("mercator_manager", "mercator_manager")
        cursors = []
        Action = self.env.registry["mercator.action"]

        def spy(name):
            original = getattr(Action, name)

            def method(self, *args, **kwargs):
                cursors.append((name, self.env.cr.readonly))
                return original(self, *args, **kwargs)

            return patch.object(Action, name, method)

        with (
            spy("_get_dashboard_users"),
            spy("_get_objective_figures"),
            spy("_get_my_day_domain"),
        ):
            for method, kwargs in (
                ("get_mercator_dashboard_data", {}),
                ("get_mercator_objectives", {"user_id": self.rep.id}),
                ("get_mercator_my_day", {"user_id": self.rep.id}),
            ):
                self.make_jsonrpc_request(
                    f"/web/dataset/call_kw/mercator.action/{method}",
                    {
                        "model": "mercator.action",
                        "method": method,
                        "args": [],
                        "kwargs": kwargs,
                    },
                )
        self.assertEqual(
            cursors,
            [
                ("_get_dashboard_users", True),
                ("_get_objective_figures", True),
                ("_get_my_day_domain", True),
            ],
        )
        self.make_jsonrpc_request(
            "/web/dataset/call_kw/mercator.action/action_mark_done",
            {
                "model": "mercator.action",
                "method": "action_mark_done",
                "args": [self.task_today.ids],
                "kwargs": {},
            },
        )
        self.assertTrue(self.task_today.done)
