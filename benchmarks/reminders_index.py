#!/usr/bin/env python3
"""Due reminders with 1,000,000 actions: partial index scan vs sequential scan.

Copies a database where mercator_crm is installed into a scratch database, fills
it with set-based SQL (INSERT ... SELECT generate_series) with N actions, each
with one reminder recipient row: most reminders already sent, a small queue
still pending (half of it due). Then, in the same run, it shows EXPLAIN ANALYZE
of the reminders cron's own query (DUE_REMINDERS_QUERY, the partial index
``mercator_action_reminder_recipient_pending_idx`` on rows not sent yet) and of
the same query with index and bitmap scans disabled (a forced sequential scan).

Usage (Odoo's python, see benchlib.py; the source database, default cal_src,
is created on first use with mercator_crm installed):
    "$(bin/setup --print-odoo-home)/.venv/bin/python" benchmarks/reminders_index.py \\
        [--source cal_src] [--db cal_bench] [--actions 1000000] [--pending 2000]

The scratch database is dropped first and kept afterwards for inspection.
"""

import argparse
import statistics
import subprocess
import time
from datetime import datetime

import benchlib

odoo = benchlib.import_odoo()
odoo.addons.__path__.append(str(benchlib.REPO))
from odoo.addons.mercator_crm.models.mercator_action_reminder_recipient import (  # noqa: E402
    DUE_REMINDERS_QUERY,
    REMINDER_BATCH_SIZE,
)

NOW = datetime(2030, 1, 1, 12, 0)


def run(cmd):
    subprocess.run(cmd, check=True)


def fill(cr, actions, pending):
    """N actions with one reminder row each: ``pending`` not sent yet (half due
    at NOW, half in the future), the others sent in the past."""
    cr.execute(
        "SELECT id, kind FROM mercator_action_template WHERE kind = 'task' LIMIT 1"
    )
    template_id, kind = cr.fetchone()
    cr.execute("SELECT id FROM res_users WHERE login = 'admin'")
    user_id = cr.fetchone()[0]
    started = time.monotonic()
    cr.execute(
        """
        INSERT INTO mercator_action (name, template_id, kind, company_id, user_id,
                                     date, date_deadline, reminder_date, active, done,
                                     create_uid, write_uid, create_date, write_date)
        SELECT 'Bench task ' || g, %(template)s, %(kind)s, 1, %(user)s,
               %(now)s - (g || ' minutes')::interval,
               %(now)s - (g || ' minutes')::interval + interval '7 days',
               %(now)s - (g || ' minutes')::interval + interval '1 day',
               true, g %% 3 = 0, 1, 1, %(now)s, %(now)s
          FROM generate_series(1, %(n)s) g
    """,
        {
            "template": template_id,
            "kind": kind,
            "user": user_id,
            "now": NOW,
            "n": actions,
        },
    )
    # The ids the sequence gave (it may be ahead of max(id) after deletions).
    cr.execute("SELECT min(id) FROM mercator_action WHERE name LIKE 'Bench task %%'")
    first = cr.fetchone()[0]
    cr.execute(
        """
        INSERT INTO mercator_action_reminder_recipient
               (action_id, user_id, date_due, state, date_sent,
                create_uid, write_uid, create_date, write_date)
        SELECT a.id, a.user_id,
               CASE WHEN a.id - %(first)s < %(pending)s
                    THEN %(now)s + ((a.id - %(first)s - %(pending)s / 2)
                                    || ' minutes')::interval
                    ELSE a.reminder_date END,
               CASE WHEN a.id - %(first)s < %(pending)s THEN 'pending' ELSE 'sent' END,
               CASE WHEN a.id - %(first)s < %(pending)s THEN NULL
                    ELSE a.reminder_date END,
               1, 1, %(now)s, %(now)s
          FROM mercator_action a
         WHERE a.id >= %(first)s
    """,
        {"first": first, "pending": pending, "now": NOW},
    )
    cr.execute("ANALYZE mercator_action")
    cr.execute("ANALYZE mercator_action_reminder_recipient")
    return time.monotonic() - started


def explain(cr, repeat):
    """EXPLAIN ANALYZE the cron's query ``repeat`` times (rolled back: the query
    locks the rows it takes); return the last plan and the execution times."""
    plan, times = None, []
    for _i in range(repeat):
        cr.execute("SAVEPOINT bench")
        cr.execute(
            "EXPLAIN (ANALYZE, BUFFERS) " + DUE_REMINDERS_QUERY,
            (NOW, REMINDER_BATCH_SIZE),
        )
        plan = [row[0] for row in cr.fetchall()]
        cr.execute("ROLLBACK TO SAVEPOINT bench")
        times.append(float(plan[-1].split(":")[1].strip().split()[0]))
    return plan, times


def two_workers(db):
    """Two cron workers at the same minute: each takes a batch with the cron's
    query in its own open transaction; SKIP LOCKED gives them disjoint rows."""
    batches = []
    conns = [benchlib.connect(db) for _i in range(2)]
    try:
        for conn in conns:
            with conn.cursor() as cr:
                cr.execute(DUE_REMINDERS_QUERY, (NOW, REMINDER_BATCH_SIZE))
                batches.append({row[0] for row in cr.fetchall()})
    finally:
        for conn in conns:
            conn.rollback()
            conn.close()
    return [len(batch) for batch in batches], len(batches[0] & batches[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", default="cal_src")
    parser.add_argument("--db", default="cal_bench")
    parser.add_argument("--actions", type=int, default=1_000_000)
    parser.add_argument("--pending", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    benchlib.ensure_database(args.source, ["mercator_crm"])
    pg = ["-h", benchlib.PGHOST, "-p", benchlib.PGPORT, "-U", benchlib.PGUSER]
    run(["dropdb", *pg, "--if-exists", args.db])
    run(["createdb", *pg, "-T", args.source, args.db])
    conn = benchlib.connect(args.db)
    try:
        with conn.cursor() as cr:
            fill_time = fill(cr, args.actions, args.pending)
            conn.commit()
            cr.execute("SELECT count(*) FROM mercator_action")
            n_actions = cr.fetchone()[0]
            cr.execute(
                "SELECT state, count(*) FROM mercator_action_reminder_recipient"
                " GROUP BY state ORDER BY state"
            )
            states = dict(cr.fetchall())
            cr.execute(
                "SELECT count(*) FROM mercator_action_reminder_recipient"
                " WHERE state = 'pending' AND date_due <= %s",
                (NOW,),
            )
            due = cr.fetchone()[0]
            print(
                f"# {n_actions} actions, recipients {states}, due now {due}, "
                f"filled in {fill_time:.1f} s"
            )

            index_plan, index_times = explain(cr, args.repeat)
            cr.execute("SET enable_indexscan = off")
            cr.execute("SET enable_bitmapscan = off")
            seq_plan, seq_times = explain(cr, args.repeat)
            conn.rollback()
    finally:
        conn.close()
    print("\n## With the partial index\n")
    print("\n".join(index_plan))
    print("\n## Forced sequential scan (enable_indexscan/bitmapscan off)\n")
    print("\n".join(seq_plan))
    sizes, overlap = two_workers(args.db)
    print(
        f"\ntwo workers at once: batches of {sizes[0]} and {sizes[1]} rows, "
        f"{overlap} row(s) in both"
    )
    index_ms, seq_ms = statistics.median(index_times), statistics.median(seq_times)
    print(
        f"\nmedian of {args.repeat}: partial index {index_ms:.3f} ms, "
        f"sequential scan {seq_ms:.3f} ms, ratio x{seq_ms / index_ms:.0f}"
    )


if __name__ == "__main__":
    main()
