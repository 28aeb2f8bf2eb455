"""What the benchmark scripts share: where Odoo and the addon are, and a scratch
database made on first use.

Odoo is found as the project's commands find it (bin/setup --print-odoo-home:
ODOO_HOME, else /opt/odoo, else an `odoo` command on PATH, else bin/setup's
default place), the addon from this file's own location, so that each script
runs from a fresh clone with its defaults once `bin/setup` (or `bin/test`) has
run. Run the scripts with Odoo's Python:

    "$(bin/setup --print-odoo-home)/.venv/bin/python" benchmarks/<script>.py
"""

import os
import statistics
import subprocess
import sys
import time
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PGHOST = os.environ.get("PGHOST", "127.0.0.1")
PGPORT = os.environ.get("PGPORT", "5432")
PGUSER = os.environ.get("PGUSER", "root")


@cache
def odoo_home():
    """The folder with odoo-bin (empty string: an `odoo` command on PATH)."""
    return subprocess.run(
        [str(REPO / "bin" / "setup"), "--print-odoo-home"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def odoo_bin():
    """The command that starts odoo-bin, as a list."""
    home = odoo_home()
    if not home:
        return ["odoo"]
    python = Path(home) / ".venv" / "bin" / "python"
    return [str(python if python.exists() else sys.executable), f"{home}/odoo-bin"]


def addons_path():
    """Odoo's own addons and this clone's mercator_crm."""
    home = odoo_home()
    return f"{home}/odoo/addons,{REPO}" if home else str(REPO)


def db_options():
    """odoo-bin's options for the PostgreSQL server of the environment."""
    options = ["--db_host", PGHOST, "--db_port", PGPORT, "--db_user", PGUSER]
    if os.environ.get("PGPASSWORD"):
        options += ["--db_password", os.environ["PGPASSWORD"]]
    return options


def import_odoo():
    """Makes `import odoo` work from this process, and returns the module."""
    home = odoo_home()
    if home and home not in sys.path:
        sys.path.insert(0, home)
    import odoo

    return odoo


def connect(db):
    """A psycopg2 connection to ``db`` (libpq reads PGPASSWORD and ~/.pgpass)."""
    import psycopg2

    return psycopg2.connect(host=PGHOST, port=PGPORT, user=PGUSER, dbname=db)


def database_has_modules(db, modules):
    """True when ``db`` exists with every module of ``modules`` installed."""
    import psycopg2

    try:
        conn = connect(db)
    except psycopg2.OperationalError:
        return False
    with conn, conn.cursor() as cr:
        cr.execute(
            "SELECT count(*) FROM ir_module_module"
            " WHERE state = 'installed' AND name = ANY(%s)",
            [list(modules)],
        )
        found = cr.fetchone()[0]
    conn.close()
    return found == len(set(modules))


def ensure_database(db, modules, http_port=18499):
    """Creates ``db`` with ``modules`` installed (no demo data) unless it
    already has them; a benchmark fills it with its own rows."""
    if database_has_modules(db, modules):
        return
    print(f"creating database {db} with {', '.join(modules)} (a few minutes)...")
    subprocess.run(
        [
            *odoo_bin(),
            *db_options(),
            "--addons-path",
            addons_path(),
            "-d",
            db,
            "-i",
            ",".join(modules),
            "--without-demo=all",
            "--stop-after-init",
            "--max-cron-threads",
            "0",
            "--http-port",
            str(http_port),
            "--log-level",
            "warn",
        ],
        check=True,
    )


def measure(env, func, runs):
    """Median time (ms) and query count of ``func()`` over ``runs`` runs, after
    one warm-up run; the environment's caches are invalidated before each."""
    func()
    times, queries = [], []
    for _run in range(runs):
        env.invalidate_all()
        count0 = env.cr.sql_log_count
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
        queries.append(env.cr.sql_log_count - count0)
    return statistics.median(times) * 1000, statistics.median(queries)
