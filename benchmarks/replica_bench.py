#!/usr/bin/env python3
"""The dashboard's read-only calls served by a PostgreSQL hot standby.

Usage (with Odoo's python, see benchlib.py; root or the PostgreSQL server's
owner, on the machine of the PostgreSQL server):
    "$(bin/setup --print-odoo-home)/.venv/bin/python" benchmarks/replica_bench.py \\
        [--db replica_bench] [--replica-port 5434] [--http-port 18469] [--calls 10]

What it does, and undoes at the end (also after an error or Ctrl+C):

1. The scratch database (``--db``, mercator_crm without demo data) gets a
   manager, 300 opportunities of 3 reps, their targets and open actions, and
   the ``pg_stat_statements`` extension (its view, replicated to the standby).
2. A second PostgreSQL cluster on ``--replica-port``: a base backup of the
   main one (``pg_basebackup -X stream -R``: ``standby.signal`` and
   ``primary_conninfo``) in a temporary folder, started as a hot standby
   streaming from the primary, with ``pg_stat_statements`` loaded. When the
   primary's ``pg_hba.conf`` lets no replication connection in from
   127.0.0.1, one line is added for the time of the run (and removed after).
3. Odoo started on the database with ``--db_replica_host``/``--db_replica_port``
   pointing at the standby.
4. As the manager, over HTTP (JSON-RPC, as the web client calls them): the
   dashboard's figures, the objectives (one rep; the team), My day and the
   objectives board's kanban calls, ``--calls`` times each; then one "Done"
   (a write) as a control.
5. The proof: the standby's ``pg_stat_statements`` for the database lists the
   queries of those calls (on mercator_action, mercator_target...), and the
   primary's counters of scans on mercator_action (``pg_stat_user_tables``)
   did not move during the read-only calls; the write went to the primary.
6. Odoo stopped, the standby stopped and its folder removed, the primary's
   ``pg_hba.conf`` restored, the extension dropped.
"""

import argparse
import contextlib
import os
import pwd
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import benchlib

PASSWORD = "replica-bench"
HBA_MARK = "# mercator_crm replica_bench (removed at the end of the run)"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="replica_bench")
    parser.add_argument("--replica-port", type=int, default=5434)
    parser.add_argument("--http-port", type=int, default=18469)
    parser.add_argument("--calls", type=int, default=10)
    return parser.parse_args()


def sql(db, query, params=None, port=None, autocommit=True):
    """Rows of ``query`` on ``db`` (the primary, or the server on ``port``)."""
    import psycopg2

    conn = psycopg2.connect(
        host=benchlib.PGHOST,
        port=port or benchlib.PGPORT,
        user=benchlib.PGUSER,
        dbname=db,
    )
    conn.autocommit = autocommit
    try:
        with conn.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall() if cr.description else []
    finally:
        conn.close()


# Data ------------------------------------------------------------------------


def fill(db):
    """A manager, 3 reps with targets, 300 opportunities and open actions."""
    odoo = benchlib.import_odoo()
    odoo.tools.config.parse_config(
        [*benchlib.db_options(), "--addons-path", benchlib.addons_path(), "-d", db]
    )
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        Users = env["res.users"].with_context(no_reset_password=True)
        if Users.search([("login", "=", "replica_manager")]):
            return
        manager = Users.create(
            {
                "name": "Replica Manager",
                "login": "replica_manager",
                "password": PASSWORD,
                "groups_id": [
                    (4, env.ref("mercator_crm.group_mercator_manager").id),
                    (4, env.ref("sales_team.group_sale_manager").id),
                ],
            }
        )
        reps = Users.create(
            [
                {
                    "name": f"Replica Rep {index}",
                    "login": f"replica_rep_{index}",
                    "groups_id": [(4, env.ref("mercator_crm.group_mercator_user").id)],
                }
                for index in range(3)
            ]
        )
        prospects = env["res.partner"].create(
            [
                {
                    "name": f"Replica Prospect {index}",
                    "is_company": True,
                    "mercator_status": "prospect",
                    "user_id": reps[index % 3].id,
                }
                for index in range(30)
            ]
        )
        now = odoo.fields.Datetime.now()
        Action = env["mercator.action"].with_context(tracking_disable=True)
        Action.create(
            [
                {
                    "name": f"Replica opportunity {index}",
                    "template_id": env.ref(
                        "mercator_crm.mercator_action_template_opportunity"
                    ).id,
                    "partner_id": prospects[index % 30].id,
                    "user_id": reps[index % 3].id,
                    "expected_revenue": 100.0 * (index % 50),
                    "probability": 10 + index % 80,
                    "opportunity_state": ("won", "negotiation", "lost")[index % 3],
                }
                for index in range(300)
            ]
        )
        Action.create(
            [
                {
                    "name": f"Replica task {index}",
                    "template_id": env.ref(
                        "mercator_crm.mercator_action_template_task"
                    ).id,
                    "user_id": reps[index % 3].id,
                    "date": now - timedelta(days=2),
                    "date_deadline": now - timedelta(days=1) + timedelta(hours=index),
                }
                for index in range(60)
            ]
        )
        env["mercator.target"].create(
            [
                {
                    "user_id": rep.id,
                    "period_type": "month",
                    "date_from": date.today(),
                    "revenue_target": 20_000,
                }
                for rep in reps
            ]
            + [
                {
                    "period_type": "quarter",
                    "date_from": date.today(),
                    "revenue_target": 1e5,
                }
            ]
        )
        print(f"filled {db}: manager #{manager.id}, 3 reps, 300 opportunities")


# The standby -----------------------------------------------------------------


def pg_bindir():
    """The binaries of the primary's major version (Debian's layout first)."""
    [(version,)] = sql("postgres", "SHOW server_version_num")
    major = int(version) // 10000
    debian = Path(f"/usr/lib/postgresql/{major}/bin")
    if (debian / "pg_ctl").exists():
        return debian
    found = shutil.which("pg_ctl")
    if not found:
        raise SystemExit(f"pg_ctl of PostgreSQL {major} not found")
    return Path(found).parent


def as_cluster_owner():
    """The command prefix that runs a PostgreSQL binary as a user it accepts
    (it refuses root): the postgres user when run by root."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--"]
    return []


def allow_replication():
    """Lets replication connections from 127.0.0.1 in on the primary, unless
    its pg_hba.conf already does; returns the file to restore, or None."""
    [(wal_level,)] = sql("postgres", "SHOW wal_level")
    [(senders,)] = sql("postgres", "SHOW max_wal_senders")
    if wal_level == "minimal" or int(senders) == 0:
        raise SystemExit(
            f"the primary cannot stream (wal_level={wal_level}, "
            f"max_wal_senders={senders})"
        )
    rules = sql(
        "postgres",
        """SELECT count(*) FROM pg_hba_file_rules
            WHERE 'replication' = ANY(database)
              AND (type = 'host' AND address IN ('127.0.0.1', '0.0.0.0')
                   OR type = 'host' AND address IS NULL)""",
    )
    if rules[0][0]:
        return None
    [(hba_file,)] = sql("postgres", "SHOW hba_file")
    hba = Path(hba_file)
    original = hba.read_text()
    line = f"host replication {benchlib.PGUSER} 127.0.0.1/32 trust"
    hba.write_text(f"{HBA_MARK}\n{line}\n{original}")
    sql("postgres", "SELECT pg_reload_conf()")
    print(f"primary: added '{line}' to {hba} for the run")
    return hba, original


def restore_hba(saved):
    if not saved:
        return
    hba, original = saved
    hba.write_text(original)
    sql("postgres", "SELECT pg_reload_conf()")
    print(f"primary: {hba} restored")


def start_standby(folder, port):
    """Base backup of the primary into ``folder``/data, started as a hot
    standby on ``port``; returns its data folder."""
    bindir = pg_bindir()
    owner = as_cluster_owner()
    data = folder / "data"
    if owner:
        uid = pwd.getpwnam("postgres").pw_uid
        os.chown(folder, uid, -1)
    started = time.perf_counter()
    subprocess.run(
        [
            *owner,
            str(bindir / "pg_basebackup"),
            "-h",
            benchlib.PGHOST,
            "-p",
            str(benchlib.PGPORT),
            "-U",
            benchlib.PGUSER,
            "-D",
            str(data),
            "-X",
            "stream",
            "-R",
            "-c",
            "fast",
        ],
        check=True,
    )
    size = sum(f.stat().st_size for f in data.rglob("*") if f.is_file())
    print(
        f"standby: base backup of the primary ({size / 2**20:.0f} MiB) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    # Debian keeps the configuration out of the data folder: the standby's own.
    (data / "postgresql.conf").write_text(
        "\n".join(
            [
                f"port = {port}",
                "listen_addresses = '127.0.0.1'",
                f"unix_socket_directories = '{folder}'",
                "hot_standby = on",
                "shared_preload_libraries = 'pg_stat_statements'",
                "pg_stat_statements.track = all",
                # A hot standby needs these at least as high as the primary's.
                *(
                    f"{name} = {sql('postgres', f'SHOW {name}')[0][0]}"
                    for name in (
                        "max_connections",
                        "max_worker_processes",
                        "max_wal_senders",
                        "max_prepared_transactions",
                        "max_locks_per_transaction",
                    )
                ),
                "shared_buffers = 128MB",
                "logging_collector = off",
                "",
            ]
        )
    )
    (data / "pg_hba.conf").write_text(
        "local all all trust\nhost all all 127.0.0.1/32 trust\n"
    )
    for path in (data / "postgresql.conf", data / "pg_hba.conf"):
        if owner:
            shutil.chown(path, "postgres")
    started = subprocess.run(
        [
            *owner,
            str(bindir / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(folder / "standby.log"),
            "-w",
            "start",
        ],
        check=False,
        stdout=subprocess.DEVNULL,
    )
    if started.returncode:
        log = (folder / "standby.log").read_text(errors="replace")
        raise SystemExit(f"the standby did not start:\n{log[-3000:]}")
    return data


def stop_standby(data):
    subprocess.run(
        [
            *as_cluster_owner(),
            str(pg_bindir() / "pg_ctl"),
            "-D",
            str(data),
            "-m",
            "fast",
            "-w",
            "stop",
        ],
        check=False,
        stdout=subprocess.DEVNULL,
    )


def wait_caught_up(db, port):
    """Until the standby has replayed what the primary wrote so far."""
    [(lsn,)] = sql(db, "SELECT pg_current_wal_lsn()")
    for _attempt in range(600):
        [(in_recovery, caught_up)] = sql(
            db,
            "SELECT pg_is_in_recovery(), pg_last_wal_replay_lsn() >= %s::pg_lsn",
            [lsn],
            port=port,
        )
        if in_recovery and caught_up:
            return
        time.sleep(0.1)
    raise SystemExit("the standby did not catch up with the primary in 60 s")


# Odoo ------------------------------------------------------------------------


def start_odoo(db, replica_port, http_port, logfile):
    process = subprocess.Popen(
        [
            *benchlib.odoo_bin(),
            *benchlib.db_options(),
            "--db_replica_host",
            benchlib.PGHOST,
            "--db_replica_port",
            str(replica_port),
            "--addons-path",
            benchlib.addons_path(),
            "-d",
            db,
            "--db-filter",
            f"^{db}$",
            "--http-port",
            str(http_port),
            "--max-cron-threads",
            "0",
            "--logfile",
            str(logfile),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    import requests

    for _attempt in range(300):
        with contextlib.suppress(requests.ConnectionError):
            if requests.get(f"http://127.0.0.1:{http_port}/web/login", timeout=5).ok:
                return process
        if process.poll() is not None:
            raise SystemExit(f"Odoo stopped, see {logfile}")
        time.sleep(0.5)
    raise SystemExit(f"Odoo did not answer in 150 s, see {logfile}")


def stop_odoo(process):
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)


class Client:
    """JSON-RPC as the web client: a session, then call_kw."""

    def __init__(self, base, db, login, password):
        import requests

        self.base = base
        self.session = requests.Session()
        reply = self._post(
            "/web/session/authenticate",
            {"db": db, "login": login, "password": password},
        )
        self.uid = reply["uid"]

    def _post(self, path, params):
        reply = self.session.post(
            self.base + path,
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=120,
        ).json()
        if reply.get("error"):
            raise SystemExit(f"{path}: {reply['error']['data']['message']}")
        return reply["result"]

    def call(self, model, method, *args, **kwargs):
        return self._post(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )


def scans(db, port=None):
    """Sequential and index scans of mercator_action on a server so far."""
    # A PostgreSQL 15 backend flushes its table statistics at most once a
    # second, and an idle one after 10 s: wait for every connection's.
    time.sleep(11)
    [(seq, idx)] = sql(
        db,
        """SELECT seq_scan, COALESCE(idx_scan, 0) FROM pg_stat_user_tables
            WHERE relname = 'mercator_action'""",
        port=port,
    )
    return seq + idx


def dashboard_calls(client, rep_id):
    """The dashboard's first screen, call by call, as the web client makes it."""
    board_domain = [["kind", "=", "opportunity"], ["opportunity_state", "!=", "lost"]]
    calls = {
        "get_mercator_dashboard_data": lambda: client.call(
            "mercator.action", "get_mercator_dashboard_data", user_id=False
        ),
        "get_mercator_objectives (team)": lambda: client.call(
            "mercator.action", "get_mercator_objectives", user_id=False
        ),
        "get_mercator_objectives (rep)": lambda: client.call(
            "mercator.action", "get_mercator_objectives", user_id=rep_id
        ),
        "get_mercator_my_day": lambda: client.call(
            "mercator.action", "get_mercator_my_day", user_id=rep_id
        ),
        "board web_read_group": lambda: client.call(
            "mercator.action",
            "web_read_group",
            board_domain,
            ["expected_revenue:sum"],
            ["board_column_id"],
        ),
        "board read_progress_bar": lambda: client.call(
            "mercator.action",
            "read_progress_bar",
            board_domain,
            "board_column_id",
            {
                "field": "opportunity_state",
                "colors": {},
                "sum_field": "expected_revenue",
            },
        ),
        "board web_search_read": lambda: client.call(
            "mercator.action",
            "web_search_read",
            board_domain,
            {
                "name": {},
                "expected_revenue": {},
                "representative_id": {"fields": {"display_name": {}}},
            },
            limit=40,
            count_limit=10001,
        ),
    }
    return calls


def main():
    args = parse_args()
    benchlib.ensure_database(args.db, ["mercator_crm"])
    fill(args.db)
    sql(args.db, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements")
    folder = Path(tempfile.mkdtemp(prefix="mercator_replica_"))
    saved_hba = data = odoo_process = None
    try:
        saved_hba = allow_replication()
        data = start_standby(folder, args.replica_port)
        wait_caught_up(args.db, args.replica_port)
        [(in_recovery,)] = sql(
            args.db, "SELECT pg_is_in_recovery()", port=args.replica_port
        )
        streaming = sql(
            "postgres",
            "SELECT application_name, state FROM pg_stat_replication"
            " WHERE state = 'streaming'",
        )
        print(
            f"standby on port {args.replica_port}: in recovery {in_recovery}; "
            f"primary's walsenders streaming: {len(streaming)}"
        )
        logfile = folder / "odoo.log"
        odoo_process = start_odoo(args.db, args.replica_port, args.http_port, logfile)
        client = Client(
            f"http://127.0.0.1:{args.http_port}", args.db, "replica_manager", PASSWORD
        )
        [(rep_id,)] = sql(
            args.db, "SELECT id FROM res_users WHERE login = 'replica_rep_0'"
        )
        calls = dashboard_calls(client, rep_id)
        for call in calls.values():  # warm-up (Odoo's caches, both servers)
            call()
        sql(args.db, "SELECT pg_stat_statements_reset()", port=args.replica_port)
        primary_before = scans(args.db)
        replica_before = scans(args.db, args.replica_port)
        timings = {label: [] for label in calls}
        for _round in range(args.calls):
            for label, call in calls.items():
                start = time.perf_counter()
                call()
                timings[label].append((time.perf_counter() - start) * 1000)
        primary_after = scans(args.db)
        replica_after = scans(args.db, args.replica_port)
        print(
            f"\n{args.calls} rounds of the dashboard's calls over HTTP as the manager:"
        )
        for label, times in timings.items():
            print(f"  {label}: {statistics.median(times):.0f} ms median")
        print(
            f"\nscans of mercator_action during those calls: primary "
            f"{primary_after - primary_before}, "
            f"standby {replica_after - replica_before}"
        )
        rows = sql(
            args.db,
            """SELECT s.calls, s.rows, regexp_replace(s.query, '\\s+', ' ', 'g')
                 FROM pg_stat_statements s
                 JOIN pg_database d ON d.oid = s.dbid
                WHERE d.datname = current_database()
                  AND (s.query ILIKE '%%mercator_action%%'
                       OR s.query ILIKE '%%mercator_target%%')
                ORDER BY s.calls DESC, s.query""",
            port=args.replica_port,
        )
        total = sum(calls_ for calls_, _rows, _query in rows)
        print(
            f"\nstandby's pg_stat_statements for {args.db}: {len(rows)} statements on "
            f"mercator_action / mercator_target, {total} executions:"
        )
        for calls_, rows_, query in rows:
            print(f"  {calls_:5d} calls {rows_:7d} rows  {query[:150]}")
        # Control: a write goes to the primary (the task reopened first, as a
        # former run marked it done).
        [(task_id,)] = sql(
            args.db,
            "UPDATE mercator_action SET done = false, date_done = NULL,"
            " done_user_id = NULL WHERE name = 'Replica task 0' RETURNING id",
        )
        client.call("mercator.action", "action_mark_done", [task_id])
        wait_caught_up(args.db, args.replica_port)
        [(done_on_standby,)] = sql(
            args.db,
            "SELECT done FROM mercator_action WHERE id = %s",
            [task_id],
            port=args.replica_port,
        )
        updates = sql(
            args.db,
            """SELECT count(*) FROM pg_stat_statements s
                 JOIN pg_database d ON d.oid = s.dbid
                WHERE d.datname = current_database()
                  AND s.query ILIKE 'UPDATE%%mercator_action%%'""",
            port=args.replica_port,
        )[0][0]
        print(
            f"\ncontrol: Done (a write) ran on the primary; the standby replayed it "
            f"(done = {done_on_standby}) and ran no UPDATE of mercator_action "
            f"itself ({updates} statements)"
        )
        ok = rows and replica_after > replica_before and primary_after == primary_before
        print(f"\nRESULT: {'PASS' if ok else 'FAIL'}")
        if not ok:
            sys.exit(1)
    finally:
        stop_odoo(odoo_process)
        if data:
            stop_standby(data)
        shutil.rmtree(folder, ignore_errors=True)
        restore_hba(saved_hba)
        with contextlib.suppress(Exception):
            sql(args.db, "DROP EXTENSION IF EXISTS pg_stat_statements")
        print("torn down: Odoo and the standby stopped, its folder removed")


if __name__ == "__main__":
    main()
