#!/usr/bin/env python3
"""Objectives board vs Odoo's crm pipeline: data-call time on 100,000 cards.

Usage (with Odoo's python, see benchlib.py):
    "$(bin/setup --print-odoo-home)/.venv/bin/python" benchmarks/board_bench.py \
        [--db dash_bench] [--count 100000] [--runs 5]

The scratch database (``--db``) is created on first use with ``mercator_crm``
and ``crm`` installed (crm only here, it is not a dependency of mercator_crm).

The script fills it once with set-based SQL (INSERT ... SELECT generate_series):
``--count`` Mercator opportunities over 4 board columns and as many crm.lead
opportunities over crm's stages, spread over 10 representatives and 200
prospects. Then, as the admin user, it times the calls each kanban makes to
show its first screen: ``web_read_group`` (columns, counts, sums),
``read_progress_bar`` and one ``web_search_read`` of the first 40 cards per
unfolded column. Median of ``--runs`` runs after one warm-up run, caches
invalidated before every run.
"""

import argparse

import benchlib

BOARD_SPEC = {
    "name": {},
    "partner_id": {"fields": {"display_name": {}}},
    "expected_revenue": {},
    "currency_id": {"fields": {}},
    "probability": {},
    "opportunity_state": {},
    "user_id": {"fields": {"display_name": {}}},
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
    parser.add_argument("--runs", type=int, default=5)
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
            user_id, board_column_id, date, active, done, expected_revenue,
            probability, weighted_revenue, conversion_rate, opportunity_state,
            date_closed, create_uid, write_uid, create_date, write_date)
        SELECT 'Bench ' || n, %(template)s, 'opportunity', %(company)s,
               p.id, p.id, (%(users)s::int[])[1 + n %% 10],
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
    cr.execute("ANALYZE mercator_action")
    cr.execute("ANALYZE crm_lead")
    cr.commit()


def kanban_load(model, domain, groupby, aggregates, progress, spec):
    """What the web client's kanban asks for its first screen."""
    groups = model.web_read_group(domain, aggregates, [groupby])["groups"]
    model.read_progress_bar(domain, groupby, progress)
    for group in groups:
        if not group.get("__fold") and group[f"{groupby}_count"]:
            model.web_search_read(group["__domain"], spec, limit=40)
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

        def dashboard():
            return Action.get_mercator_dashboard_data()

        print(
            f"cards: {Action.search_count([('kind', '=', 'opportunity')])} "
            f"opportunities, {Lead.search_count(crm_domain)} crm leads"
        )
        for label, func in (
            ("Mercator objectives board (kanban data)", board),
            ("Mercator objectives board, lost shown too", board_with_lost),
            ("Odoo crm pipeline (kanban data)", pipeline),
            ("Mercator dashboard figures", dashboard),
        ):
            ms, queries = benchlib.measure(env, func, args.runs)
            print(f"{label}: {ms:.0f} ms median, {queries:.0f} queries")
        cr.rollback()


if __name__ == "__main__":
    main()
