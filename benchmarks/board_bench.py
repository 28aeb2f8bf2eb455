#!/usr/bin/env python3
"""Objectives board vs Odoo's crm pipeline: data-call time on 100,000 cards.

Usage (with Odoo's python, see benchlib.py):
    "$(bin/setup --print-odoo-home)/.venv/bin/python" benchmarks/board_bench.py \
        [--db dash_bench] [--count 100000] [--runs 9] [--other-actions 0]

The scratch database (``--db``) is created on first use with ``mercator_crm``
and ``crm`` installed (crm only here, it is not a dependency of mercator_crm).

The script fills it once with set-based SQL (INSERT ... SELECT generate_series):
``--count`` Mercator opportunities over 4 board columns and as many crm.lead
opportunities over crm's stages, spread over 10 representatives and 200
prospects, plus targets of the month for the reps and the team; with
``--other-actions N``, N more Mercator actions that are not opportunities
(tasks: the table holds every action, the board reads opportunities only).
Then ``VACUUM ANALYZE``, as autovacuum does on a live database (index-only
scans need the visibility map).

As the admin user it times the calls each kanban makes to show its first
screen, as the web client makes them: ``web_read_group`` (columns, counts,
sums), ``read_progress_bar`` and one ``web_search_read`` of the first 40 cards
per unfolded column (``count_limit`` 10,001, the client's). Then the
dashboard's other calls: its figures, the objectives (a rep; the team and every
rep) and My day. One warm-up run, then ``--runs`` rounds in which each call
runs once in turn (so the machine's load falls on all of them alike), caches
invalidated before every call; medians, and the board's time as a ratio of
crm's (the median of the per-round ratios).
"""

import argparse
import statistics
from datetime import date

import benchlib

BOARD_SPEC = {
    "name": {},
    "partner_id": {"fields": {"display_name": {}}},
    "expected_revenue": {},
    "currency_id": {"fields": {}},
    "probability": {},
    "opportunity_state": {},
    "representative_id": {"fields": {"display_name": {}}},
    "board_color": {},
    "board_column_id": {"fields": {"display_name": {}}},
}
BOARD_PROGRESS = {
    "field": "opportunity_state",
    "colors": {"won": "success", "negotiation": "info", "lost": "danger"},
    "sum_field": "expected_revenue",
}
# The fields of crm's opportunity kanban (crm.crm_case_kanban_view_leads).
CRM_SPEC = {
    "stage_id": {"fields": {"display_name": {}}},
    "probability": {},
    "active": {},
    "company_currency": {"fields": {}},
    "recurring_revenue_monthly": {},
    "team_id": {"fields": {}},
    "color": {},
    "name": {},
    "expected_revenue": {},
    "recurring_revenue": {},
    "recurring_plan": {"fields": {"display_name": {}}},
    "partner_id": {"fields": {"display_name": {}}},
    "tag_ids": {"fields": {"display_name": {}, "color": {}}},
    "lead_properties": {},
    "priority": {},
    "activity_ids": {"fields": {}},
    "activity_exception_decoration": {},
    "activity_exception_icon": {},
    "activity_state": {},
    "activity_summary": {},
    "activity_type_icon": {},
    "activity_type_id": {"fields": {"display_name": {}}},
    "user_id": {"fields": {"display_name": {}}},
}
CRM_PROGRESS = {
    "field": "activity_state",
    "colors": {"planned": "success", "today": "warning", "overdue": "danger"},
    "sum_field": "expected_revenue",
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="dash_bench")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--other-actions", type=int, default=0)
    return parser.parse_args()


def fill(env, count):
    """Create the cards once, with set-based SQL; users and prospects by ORM."""
    cr = env.cr
    cr.execute("SELECT count(*) FROM mercator_action WHERE name LIKE 'Bench %%'")
    if cr.fetchone()[0] >= count:
        return
    group = env.ref("mercator_crm.group_mercator_user_all")
    sales = env.ref("sales_team.group_sale_salesman")
    users = env["res.users"].create(
        [
            {
                "name": f"Bench Rep {i}",
                "login": f"bench_rep_{i}",
                "groups_id": [(6, 0, [group.id, sales.id])],
            }
            for i in range(10)
        ]
    )
    partners = env["res.partner"].create(
        [
            {
                "name": f"Bench Prospect {i}",
                "is_company": True,
                "mercator_status": "prospect",
                "user_id": users[i % 10].id,
            }
            for i in range(200)
        ]
    )
    env.flush_all()
    template = env.ref("mercator_crm.mercator_action_template_opportunity")
    columns = env["mercator.board.column"].search([])
    stages = env["crm.stage"].search([])
    team = env["crm.team"].search([], limit=1)
    params = {
        "count": count,
        "template": template.id,
        "company": env.company.id,
        "users": users.ids,
        "partners": partners.ids,
        "columns": columns.ids,
        "stages": stages.ids,
        "team": team.id,
        "uid": env.uid,
    }
    cr.execute(
        """
        INSERT INTO mercator_action (
            name, template_id, kind, company_id, partner_id, commercial_partner_id,
            user_id, representative_id, board_column_id, date, active, done,
            expected_revenue,
            probability, weighted_revenue, conversion_rate, opportunity_state,
            date_closed, create_uid, write_uid, create_date, write_date)
        SELECT 'Bench ' || n, %(template)s, 'opportunity', %(company)s,
               p.id, p.id, (%(users)s::int[])[1 + n %% 10],
               (%(users)s::int[])[1 + n %% 10],
               (%(columns)s::int[])[1 + n %% array_length(%(columns)s::int[], 1)],
               now() - (n %% 365) * interval '1 day', true, false,
               (n %% 97) * 100, 10 + n %% 90, (n %% 97) * (10 + n %% 90),
               CASE WHEN n %% 5 = 0 THEN 100 ELSE 0 END,
               CASE n %% 5 WHEN 0 THEN 'won' WHEN 1 THEN 'lost' ELSE 'negotiation' END,
               CASE WHEN n %% 5 IN (0, 1) THEN now() - (n %% 90) * interval '1 day' END,
               %(uid)s, %(uid)s, now(), now()
          FROM generate_series(1, %(count)s) n
          JOIN res_partner p ON p.id = (%(partners)s::int[])[1 + n %% 200]
    """,
        params,
    )
    cr.execute(
        """
        INSERT INTO crm_lead (
            name, type, active, company_id, partner_id, user_id, team_id,
            stage_id, expected_revenue, prorated_revenue, probability,
            automated_probability, priority, color, date_open, date_last_stage_update,
            create_uid, write_uid, create_date, write_date)
        SELECT 'Bench ' || n, 'opportunity', true, %(company)s,
               (%(partners)s::int[])[1 + n %% 200], (%(users)s::int[])[1 + n %% 10],
               %(team)s,
               (%(stages)s::int[])[1 + n %% array_length(%(stages)s::int[], 1)],
               (n %% 97) * 100, (n %% 97) * (10 + n %% 90), 10 + n %% 90,
               10 + n %% 90, '0', 0, now(), now(), %(uid)s, %(uid)s, now(), now()
          FROM generate_series(1, %(count)s) n
    """,
        params,
    )
    cr.commit()


def fill_targets(env):
    """This month's target of each rep, this quarter's of the team."""
    Target = env["mercator.target"]
    if Target.search_count([("date_from", "<=", date.today())]):
        return
    users = env["res.users"].search([("login", "=like", "bench_rep_%")])
    Target.create(
        [
            {
                "user_id": user.id,
                "period_type": "month",
                "date_from": date.today(),
                "revenue_target": 500_000,
            }
            for user in users
        ]
        + [{"period_type": "quarter", "date_from": date.today(), "revenue_target": 1e7}]
    )
    env.cr.commit()


def fill_other_actions(env, count):
    """``count`` tasks of the reps in the same table as the opportunities, over
    the past year, 18 of 19 of them done."""
    cr = env.cr
    cr.execute("SELECT count(*) FROM mercator_action WHERE name LIKE 'Bench task %%'")
    missing = count - cr.fetchone()[0]
    if missing <= 0:
        return
    users = env["res.users"].search([("login", "=like", "bench_rep_%")])
    cr.execute(
        """
        INSERT INTO mercator_action (
            name, template_id, kind, company_id, user_id, date, date_deadline,
            active, done, expected_revenue, probability, weighted_revenue,
            conversion_rate, create_uid, write_uid, create_date, write_date)
        SELECT 'Bench task ' || n, %(template)s, 'task', %(company)s,
               (%(users)s::int[])[1 + n %% 10],
               now() - (n %% 365) * interval '1 day',
               now() - (n %% 365) * interval '1 day' + interval '2 days',
               true, n %% 19 > 0, 0, 0, 0, 0, %(uid)s, %(uid)s, now(), now()
          FROM generate_series(1, %(count)s) n
    """,
        {
            "count": missing,
            "template": env.ref("mercator_crm.mercator_action_template_task").id,
            "company": env.company.id,
            "users": users.ids,
            "uid": env.uid,
        },
    )
    cr.commit()


def vacuum(db):
    """VACUUM ANALYZE the two tables, as autovacuum would (outside a
    transaction block, so on a connection of its own)."""
    conn = benchlib.connect(db)
    conn.autocommit = True
    with conn.cursor() as cr:
        cr.execute("VACUUM ANALYZE mercator_action")
        cr.execute("VACUUM ANALYZE crm_lead")
    conn.close()


# The web client's count_limit for the records of a kanban column
# (RelationalModel.DEFAULT_COUNT_LIMIT + 1).
COUNT_LIMIT = 10_001


def kanban_load(model, domain, groupby, aggregates, progress, spec):
    """What the web client's kanban asks for its first screen."""
    groups = model.web_read_group(domain, aggregates, [groupby])["groups"]
    model.read_progress_bar(domain, groupby, progress)
    for group in groups:
        if not group.get("__fold") and group[f"{groupby}_count"]:
            model.web_search_read(
                group["__domain"], spec, limit=40, count_limit=COUNT_LIMIT
            )
    return len(groups)


def main():
    args = parse_args()
    benchlib.ensure_database(args.db, ["mercator_crm", "crm"])
    odoo = benchlib.import_odoo()
    odoo.tools.config.parse_config(
        [*benchlib.db_options(), "--addons-path", benchlib.addons_path(), "-d", args.db]
    )
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        fill(env, args.count)
        fill_targets(env)
        fill_other_actions(env, args.other_actions)
    vacuum(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        env = env(user=admin)
        Action = env["mercator.action"]
        Lead = env["crm.lead"]
        board_domain = [
            ("kind", "=", "opportunity"),
            ("opportunity_state", "!=", "lost"),
        ]
        crm_domain = [("type", "=", "opportunity")]

        def board():
            return kanban_load(
                Action,
                board_domain,
                "board_column_id",
                ["expected_revenue:sum"],
                BOARD_PROGRESS,
                BOARD_SPEC,
            )

        def board_with_lost():
            return kanban_load(
                Action,
                [("kind", "=", "opportunity")],
                "board_column_id",
                ["expected_revenue:sum"],
                BOARD_PROGRESS,
                BOARD_SPEC,
            )

        def pipeline():
            return kanban_load(
                Lead,
                crm_domain,
                "stage_id",
                ["expected_revenue:sum", "recurring_revenue_monthly:sum"],
                CRM_PROGRESS,
                CRM_SPEC,
            )

        rep = env["res.users"].search([("login", "=", "bench_rep_1")])
        funcs = {
            "Mercator objectives board (kanban data)": board,
            "Mercator objectives board, lost shown too": board_with_lost,
            "Odoo crm pipeline (kanban data)": pipeline,
            "Mercator dashboard figures": Action.get_mercator_dashboard_data,
            "Mercator objectives, one rep (month)": lambda: (
                Action.get_mercator_objectives(rep.id)
            ),
            "Mercator objectives, team and every rep (quarter)": lambda: (
                Action.get_mercator_objectives(False, "quarter")
            ),
            "Mercator My day, one rep": lambda: Action.get_mercator_my_day(rep.id),
        }
        print(
            f"cards: {Action.search_count([('kind', '=', 'opportunity')])} "
            f"opportunities, {Action.search_count([('kind', '!=', 'opportunity')])} "
            f"other actions, {Lead.search_count(crm_domain)} crm leads; "
            f"{args.runs} rounds"
        )
        results = benchlib.measure_rounds(env, funcs, args.runs)
        for label, (times, queries) in results.items():
            print(
                f"{label}: {statistics.median(times):.0f} ms median "
                f"(min {min(times):.0f}, max {max(times):.0f}), "
                f"{statistics.median(queries):.0f} queries"
            )
        crm_times = results["Odoo crm pipeline (kanban data)"][0]
        for label in list(funcs)[:2]:
            ratios = [t / c for t, c in zip(results[label][0], crm_times, strict=True)]
            print(
                f"{label} / crm pipeline: {statistics.median(ratios):.2f} "
                f"(median of the rounds' ratios; "
                f"{min(ratios):.2f} to {max(ratios):.2f})"
            )
        cr.rollback()


if __name__ == "__main__":
    main()
