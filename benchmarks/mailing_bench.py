#!/usr/bin/env python3
"""Benchmark Mercator mailings against Odoo's mass_mailing and a bare smtplib loop.

Run with Odoo's python (see benchlib.py); the database (``-d``, default
mail_bench) is created on first use with mercator_crm AND mass_mailing installed
(mass_mailing only for the comparison, it is not a dependency):

    "$(bin/setup --print-odoo-home)/.venv/bin/python" benchmarks/mailing_bench.py \\
        [-d mail_bench] [--sizes 2000 10000]

For each size N, N partners are inserted with set-based SQL, then each phase
runs in its own forked process (so that its peak memory is its own):

- mercator generate: ``mercator.mailing.action_generate()`` (N send-actions);
- mercator send: "Send all", then ``_cron_send_mailings`` batches (one commit
  per batch, as the cron engine does) and Odoo's mail queue
  (``mail.mail.process_email_queue``, one commit per mail) until the SMTP sink
  has received N messages;
- mass_mailing generate: ``mailing.mailing.action_send_mail()`` (composer,
  mail.mail + mailing.trace per recipient), same subject, body, recipients;
- mass_mailing send: Odoo's mail queue until the sink has N more messages;
- smtplib: a bare loop sending the same rendered message to the same sink.

Queries are counted with ``odoo.sql_db.sql_counter`` (every query of the
process), peak memory is the process' VmHWM (reset at the start of the phase).
The SMTP sink is aiosmtpd (``pip install aiosmtpd`` in Odoo's venv), bound to
127.0.0.1 only.
"""

import argparse
import json
import os
import smtplib
import time
from email.message import EmailMessage

import benchlib

SUBJECT = "Our offer for {{ object.name }}"
BODY = (
    '<div><p>Dear <t t-out="object.name"/>,</p>'
    "<p>This spring, our whole catalogue is 10% off for new customers. Your "
    "representative will be happy to tell you more.</p><p>Best regards,</p></div>"
)


class Sink:
    """aiosmtpd handler counting the messages received per recipient."""

    def __init__(self):
        self.count = 0
        self.per_rcpt = {}

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        for rcpt in envelope.rcpt_tos:
            self.per_rcpt[rcpt] = self.per_rcpt.get(rcpt, 0) + 1
        return "250 OK"


def start_sink(port):
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # no line per SMTP command

    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, handler


def vm_status(key):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key):
                return int(line.split()[1]) // 1024  # MiB
    return 0


def reset_peak():
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass


def in_child(func, *args):
    """Run func(*args) in a forked process; return the dict it returns."""
    from odoo import sql_db

    sql_db.close_all()  # the child opens its own database connections
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        try:
            result = func(*args)
        except BaseException as error:
            result = {"error": repr(error)}
        with os.fdopen(write_fd, "w") as out:
            json.dump(result, out)
        os._exit(0)
    os.close(write_fd)
    with os.fdopen(read_fd) as inp:
        data = inp.read()
    os.waitpid(pid, 0)
    return json.loads(data)


def measured(func):
    """Decorate a phase: time, query count and peak memory around it."""

    def wrapper(*args):
        from odoo import sql_db

        reset_peak()
        rss_start = vm_status("VmRSS")
        queries_start = sql_db.sql_counter
        start = time.perf_counter()
        extra = func(*args) or {}
        elapsed = time.perf_counter() - start
        return {
            "seconds": round(elapsed, 2),
            "queries": sql_db.sql_counter - queries_start,
            "peak_mib": vm_status("VmHWM"),
            "peak_delta_mib": vm_status("VmHWM") - rss_start,
            **extra,
        }

    return wrapper


def env_for(dbname):
    import odoo
    from odoo import SUPERUSER_ID, api

    registry = odoo.modules.registry.Registry(dbname)
    cr = registry.cursor()
    return api.Environment(cr, SUPERUSER_ID, {})


def drain_mail_queue(env, timeout=3600):
    """Run Odoo's mail queue (one commit per mail) until no mail is outgoing."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        env["mail.mail"].process_email_queue()
        env.cr.commit()
        if not env["mail.mail"].search_count([("state", "=", "outgoing")]):
            break


@measured
def mercator_generate(dbname, tag, size):
    env = env_for(dbname)
    mailing = env["mercator.mailing"].create(
        {
            "name": f"Bench {tag}",
            "medium": "email",
            "email_from": "bench@example.com",
            "recipient_domain": repr([("ref", "=", tag)]),
            "subject": SUBJECT,
            "body_html": BODY,
        }
    )
    mailing.action_generate()
    env.cr.commit()
    result = {"pending": mailing.pending_count, "mailing_id": mailing.id}
    env.cr.close()
    return result


def make_mercator_send():
    @measured
    def mercator_send(dbname, mailing_id):
        env = env_for(dbname)
        mailing = env["mercator.mailing"].browse(mailing_id)
        mailing.action_send_all()
        env.cr.commit()
        while env["mercator.action"]._cron_send_mailings():
            env.cr.commit()  # the cron engine commits after each batch
        env.cr.commit()
        drain_mail_queue(env)
        mailing.invalidate_recordset()
        result = {"sent": mailing.sent_count, "state": mailing.state}
        env.cr.close()
        return result

    return mercator_send


@measured
def mass_mailing_generate(dbname, tag):
    env = env_for(dbname)
    mailing = env["mailing.mailing"].create(
        {
            "subject": SUBJECT,
            "body_html": BODY,
            "body_arch": BODY,
            "email_from": "bench@example.com",
            "mailing_model_id": env["ir.model"]._get_id("res.partner"),
            "mailing_domain": repr([("ref", "=", tag)]),
        }
    )
    mailing.action_send_mail()
    env.cr.commit()
    result = {"mailing_id": mailing.id}
    env.cr.close()
    return result


def make_mass_send():
    @measured
    def mass_mailing_send(dbname):
        env = env_for(dbname)
        drain_mail_queue(env)
        env.cr.close()
        return {}

    return mass_mailing_send


def make_smtplib(port):
    @measured
    def smtplib_loop(emails):
        with smtplib.SMTP("127.0.0.1", port) as smtp:
            for email in emails:
                message = EmailMessage()
                message["From"] = "bench@example.com"
                message["To"] = email
                message["Subject"] = "Our offer for you"
                message.set_content(BODY, subtype="html")
                smtp.send_message(message)
        return {}

    return smtplib_loop


def insert_partners(dbname, tag, size):
    env = env_for(dbname)
    cr = env.cr
    # Required columns that other installed addons add (account, with Sales).
    extra_columns, extra_values = "", ""
    if "autopost_bills" in env["res.partner"]._fields:
        extra_columns, extra_values = ", autopost_bills", ", 'ask'"
    cr.execute(
        f"""
        INSERT INTO res_partner (name, complete_name, email, email_normalized, ref,
                                 lang, active, type, is_company, mercator_status,
                                 create_date, write_date, create_uid, write_uid
                                 {extra_columns})
        SELECT 'Bench ' || %(tag)s || ' ' || n, 'Bench ' || %(tag)s || ' ' || n,
               %(tag)s || '.' || n || '@bench.example.com',
               %(tag)s || '.' || n || '@bench.example.com',
               %(tag)s, 'en_US', TRUE, 'contact', TRUE, 'prospect',
               NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC', 1, 1
               {extra_values}
          FROM generate_series(1, %(size)s) n
    """,
        {"tag": tag, "size": size},
    )
    cr.execute(
        "UPDATE res_partner SET commercial_partner_id = id WHERE ref = %s", (tag,)
    )
    cr.execute("SELECT email FROM res_partner WHERE ref = %s ORDER BY id", (tag,))
    emails = [row[0] for row in cr.fetchall()]
    cr.commit()
    cr.close()
    return emails


def setup_mail_server(dbname, port):
    env = env_for(dbname)
    env["ir.mail_server"].search([]).write({"active": False})
    env["ir.mail_server"].create(
        {
            "name": "bench sink",
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
            "smtp_encryption": "none",
        }
    )
    env["ir.config_parameter"].set_param("mail.catchall.domain", "bench.example.com")
    env["ir.config_parameter"].set_param("mail.default.from", "bench")
    # The crons stay out of the way: this script plays their part.
    env.cr.execute("UPDATE ir_cron SET active = FALSE")
    env.cr.commit()
    env.cr.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", default="mail_bench")
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--port", type=int, default=8134)
    parser.add_argument("--skip-mass-mailing", action="store_true")
    args = parser.parse_args()

    benchlib.ensure_database(args.database, ["mercator_crm", "mass_mailing"])
    odoo = benchlib.import_odoo()
    odoo.tools.config.parse_config(
        [
            *benchlib.db_options(),
            "--addons-path",
            benchlib.addons_path(),
            "--log-level",
            "warn",
            "--limit-memory-hard",
            "0",
        ]
    )
    controller, handler = start_sink(args.port)
    setup_mail_server(args.database, args.port)
    results = {}
    for size in args.sizes:
        tag = f"mb{size}t{int(time.time())}"
        emails = insert_partners(args.database, tag, size)
        row = results[size] = {}
        row["mercator_generate"] = gen = in_child(
            mercator_generate, args.database, tag, size
        )
        print(size, "mercator generate", gen, flush=True)
        before = handler.count
        row["mercator_send"] = in_child(
            make_mercator_send(), args.database, gen["mailing_id"]
        )
        # the child's sink counter is a copy: read the sink in this process
        row["mercator_send"]["received"] = handler.count - before
        print(size, "mercator send", row["mercator_send"], flush=True)
        if not args.skip_mass_mailing:
            before = handler.count
            row["mass_generate"] = in_child(mass_mailing_generate, args.database, tag)
            print(size, "mass_mailing generate", row["mass_generate"], flush=True)
            row["mass_send"] = in_child(make_mass_send(), args.database)
            row["mass_send"]["received"] = handler.count - before
            print(size, "mass_mailing send", row["mass_send"], flush=True)
        before = handler.count
        row["smtplib"] = in_child(make_smtplib(args.port), emails)
        row["smtplib"]["received"] = handler.count - before
        print(size, "smtplib", row["smtplib"], flush=True)
        twice = [
            rcpt
            for rcpt, n in handler.per_rcpt.items()
            if rcpt.startswith(tag) and n != (3 if not args.skip_mass_mailing else 2)
        ]
        row["recipients_with_wrong_count"] = len(twice)
    controller.stop()
    print(json.dumps(results, indent=1))
    print_table(results)


def print_table(results):
    print(
        "| N | phase | seconds | recipients/s | queries | queries/recipient "
        "| peak RSS MiB (delta) |"
    )
    print("|---|---|---|---|---|---|---|")
    labels = [
        ("mercator_generate", "Mercator generate"),
        ("mercator_send", "Mercator send (cron + mail queue)"),
        ("mass_generate", "mass_mailing generate (composer)"),
        ("mass_send", "mass_mailing send (mail queue)"),
        ("smtplib", "bare smtplib loop"),
    ]
    for size, row in results.items():
        for key, label in labels:
            data = row.get(key)
            if not data or "seconds" not in data:
                continue
            rate = size / data["seconds"] if data["seconds"] else 0
            print(
                f"| {size} | {label} | {data['seconds']} | {rate:.0f} | "
                f"{data['queries']} | {data['queries'] / size:.2f} | "
                f"{data['peak_mib']} ({data['peak_delta_mib']:+d}) |"
            )


if __name__ == "__main__":
    main()
