#!/usr/bin/env python3
"""Duplicate check of the partner form and of imports, on 100,000 partners.

Usage (with Odoo's python, see benchlib.py):
    "$(bin/setup --print-odoo-home)/.venv/bin/python" benchmarks/duplicate_bench.py \
        [--db dup_bench] [--count 100000] [--runs 7] [--import-rows 1000]

The scratch database (``--db``) is created on first use with ``mercator_crm``
(no demo data) and filled once with set-based SQL (INSERT ... SELECT
generate_series): ``--count`` prospects with a name, an email address, a VAT
number and a phone number, their comparison keys written as the ORM computes
them (the script checks one), spread over 10 representatives; then ANALYZE.

Timed, median of ``--runs`` runs after one warm-up, caches invalidated before
each run, as a representative with "own documents" (record rules on) and as
the administrator:

- the Mercator check: what the form computes for a new partner typed in
  (``mercator_duplicate_count`` and ``mercator_duplicate_html``), matching one
  existing prospect on its email, VAT number, phone and name;
- Odoo's own equivalent in the same run: base's "a partner with the same Tax
  ID already exists" check (``same_vat_partner_id``) on the same new partner;
- the whole onchange call the web client makes when the VAT number is typed in
  the prospect form (every field of the form computed, ours included);
- the Mercator check with its indexes dropped (in the transaction, rolled
  back), to show what they are for;
- an import (``load`` with base_import's context) of ``--import-rows`` new
  prospects, with and without the check (without: the same ``load`` outside
  the import screen's context), rolled back.
"""

import argparse
import statistics
import time

import benchlib

KEY_INDEXES = [
    "res_partner__email_normalized_index",
    "res_partner__mercator_name_key_index",
    "res_partner__mercator_vat_key_index",
    "res_partner__mercator_phone_key_index",
    "res_partner__mercator_mobile_key_index",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="dup_bench")
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--import-rows", type=int, default=1000)
    return parser.parse_args()


def fill(env, count):
    """The prospects, once, with set-based SQL; the representatives by ORM."""
    cr = env.cr
    cr.execute("SELECT count(*) FROM res_partner WHERE ref = 'dup_bench'")
    if cr.fetchone()[0] >= count:
        return
    group = env.ref("mercator_crm.group_mercator_user")
    users = env["res.users"].create(
        [
            {
                "name": f"Bench Rep {i}",
                "login": f"dup_bench_rep_{i}",
                "groups_id": [(6, 0, group.ids)],
            }
            for i in range(10)
        ]
    )
    extra_columns, extra_values = "", ""
    if "autopost_bills" in env["res.partner"]._fields:
        extra_columns, extra_values = ", autopost_bills", ", 'ask'"
    cr.execute(
        f"""
        INSERT INTO res_partner (
            name, complete_name, email, email_normalized, vat, phone,
            mercator_name_key, mercator_vat_key, mercator_phone_key, ref,
            active, type, is_company, mercator_status, user_id, lang,
            create_date, write_date, create_uid, write_uid {extra_columns})
        SELECT 'Bench Company ' || n, 'Bench Company ' || n,
               'bench' || n || '@example.com', 'bench' || n || '@example.com',
               'BE' || lpad(n::text, 10, '0'), '+32 9 ' || lpad(n::text, 7, '0'),
               'benchcompany' || n, 'BE' || lpad(n::text, 10, '0'),
               '+329' || lpad(n::text, 7, '0'), 'dup_bench',
               TRUE, 'contact', TRUE, 'prospect',
               (%(users)s::int[])[1 + n %% 10], 'en_US',
               NOW(), NOW(), 1, 1 {extra_values}
          FROM generate_series(1, %(count)s) n
        """,
        {"count": count, "users": users.ids},
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id"
        " WHERE commercial_partner_id IS NULL"
    )
    cr.execute("ANALYZE res_partner")
    cr.commit()


def check_keys(env):
    """The SQL above writes the keys the ORM computes."""
    sample = env["res.partner"].search([("name", "=", "Bench Company 42")])
    keys = sample._mercator_get_duplicate_keys()
    stored = (
        sample.mercator_name_key,
        sample.mercator_vat_key,
        sample.mercator_phone_key,
        sample.email_normalized,
    )
    computed = (keys["name"], keys["vat"], keys["phone"], keys["email"])
    assert stored == computed, (stored, computed)


def explain(env, label):
    """EXPLAIN ANALYZE of the check's query (the sudo search of the matches),
    the representative's record rules aside."""
    from odoo.tools import SQL

    Partner = env["res.partner"]
    keys = Partner.new(NEW_PARTNER)._mercator_get_duplicate_keys()
    domain = Partner._mercator_duplicate_domain([keys])
    query = Partner.sudo().with_context(active_test=False)._search(domain, limit=10)
    env.cr.execute(SQL("EXPLAIN (ANALYZE, BUFFERS) %s", query.select()))
    print(f"  {label}:")
    for (line,) in env.cr.fetchall():
        print(f"    {line}")


NEW_PARTNER = {
    "name": "BENCH COMPANY 77777 S.A.",
    "is_company": True,
    "email": "Bench77777@example.com",
    "vat": "BE 0000077777",
    "phone": "+32 9 007 77 77",
}


def main():
    args = parse_args()
    benchlib.ensure_database(args.db, ["mercator_crm"])
    odoo = benchlib.import_odoo()
    odoo.tools.config.parse_config(
        [*benchlib.db_options(), "--addons-path", benchlib.addons_path(), "-d", args.db]
    )
    registry = odoo.modules.registry.Registry(args.db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        fill(env, args.count)
        check_keys(env)
        total = env["res.partner"].with_context(active_test=False).search_count([])
        print(f"partners: {total}")
        admin = env.ref("base.user_admin")
        # The representative of the matching prospect: it is one of theirs.
        rep = env["res.partner"].search([("name", "=", "Bench Company 77777")]).user_id
        view = env.ref("mercator_crm.res_partner_view_form_mercator")
        for user in (rep, admin):
            uenv = env(user=user, context={"lang": "en_US"})
            Partner = uenv["res.partner"]

            def mercator_check(Partner=Partner):
                partner = Partner.new(NEW_PARTNER)
                assert partner.mercator_duplicate_count == 1
                return str(partner.mercator_duplicate_html)

            def odoo_same_vat(Partner=Partner):
                # Odoo's check compares the raw VAT: given as stored.
                partner = Partner.new({**NEW_PARTNER, "vat": "BE0000077777"})
                assert partner.same_vat_partner_id
                return partner.same_vat_partner_id.display_name

            spec = Partner.get_views([(view.id, "form")])["models"]["res.partner"]
            form_spec = {fname: {} for fname in spec["fields"]}
            for fname, field in spec["fields"].items():
                if field["type"] in ("many2one", "one2many", "many2many"):
                    form_spec[fname] = {"fields": {"display_name": {}}}

            def form_onchange(Partner=Partner, form_spec=form_spec):
                values = {**NEW_PARTNER, "is_company": True}
                result = Partner.with_context(
                    default_mercator_status="prospect"
                ).onchange(values, ["vat"], form_spec)
                assert result["value"].get("mercator_duplicate_count", 1) == 1

            print(f"\nas {user.login}:")
            for label, func in (
                ("Mercator duplicate check (form compute)", mercator_check),
                ("Odoo same Tax ID check (same_vat_partner_id)", odoo_same_vat),
                ("prospect form onchange on the VAT (whole form)", form_onchange),
            ):
                ms, queries = benchlib.measure(uenv, func, args.runs)
                print(f"  {label}: {ms:.2f} ms median, {queries:.0f} queries")
            explain(uenv, "plan of the check's query")
            savepoint = cr.savepoint(flush=False)
            for index in KEY_INDEXES:
                cr.execute(f'DROP INDEX IF EXISTS "{index}"')
            ms, queries = benchlib.measure(uenv, mercator_check, args.runs)
            print(
                f"  Mercator duplicate check WITHOUT its indexes: {ms:.2f} ms "
                f"median, {queries:.0f} queries"
            )
            explain(uenv, "plan of the check's query WITHOUT its indexes")
            savepoint.close(rollback=True)

        # Import: new rows, no duplicate among them.
        rows = [
            [
                f"Imported Oak {i}",
                f"oak{i}@import.example.com",
                f"+32 4 {i:07d}",
            ]
            for i in range(args.import_rows)
        ]
        fields = ["name", "email", "phone"]
        Partner = env(user=admin)["res.partner"].with_context(
            default_mercator_status="prospect", default_is_company=True
        )
        for label, model in (
            (
                "import with the duplicate check (import screen)",
                Partner.with_context(import_file=True),
            ),
            ("same load without the check (outside the import screen)", Partner),
        ):
            times = []
            for _run in range(3):
                savepoint = cr.savepoint(flush=False)
                env.invalidate_all()
                start = time.perf_counter()
                result = model.load(fields, rows)
                times.append(time.perf_counter() - start)
                assert result["ids"] and len(result["ids"]) == len(rows), result
                savepoint.close(rollback=True)
                env.invalidate_all()
            ms = statistics.median(times) * 1000
            print(
                f"\n{label}, {len(rows)} rows: {ms:.0f} ms median of 3 "
                f"({ms / len(rows):.2f} ms per row)"
            )
        cr.rollback()


if __name__ == "__main__":
    main()
