#!/usr/bin/env python3
"""Crash test: kill the Odoo server (its cron workers) while a mailing is sent.

Run with Odoo's python (see benchlib.py); the database (``-d``, default
mail_crash) is created on first use with mercator_crm installed:

    "$(bin/setup --print-odoo-home)/.venv/bin/python" \\
        benchmarks/mailing_crash_test.py [-d mail_crash] [--recipients 2000]

What it does:
1. starts an aiosmtpd SMTP sink on 127.0.0.1 (it lives in this process, across
   the server's deaths) counting the messages received per recipient;
2. inserts N prospects (set-based SQL), makes a mailing, generates its
   send-actions, "Send all" (queued), commits; Odoo's crons are the real ones;
3. starts ``odoo-bin`` with 2 cron threads; kills it with SIGKILL once while
   ``_cron_send_mailings`` is committing batches (some sends done, some still
   pending), restarts it, kills it again while Odoo's mail queue is sending
   (half of the emails at the sink), restarts it and waits for the end;
4. checks: every recipient received exactly one email, no send-action is left
   pending, every action is sent with its mail.
"""

import argparse
import os
import signal
import subprocess
import sys
import time

import benchlib

SUBJECT = "Crash test for {{ object.name }}"
BODY = '<p>Dear <t t-out="object.name"/>, this is the crash test.</p>'


class Sink:
    def __init__(self):
        self.per_rcpt = {}

    @property
    def count(self):
        return sum(self.per_rcpt.values())

    async def handle_DATA(self, server, session, envelope):
        for rcpt in envelope.rcpt_tos:
            self.per_rcpt[rcpt] = self.per_rcpt.get(rcpt, 0) + 1
        return "250 OK"


def db(args):
    conn = benchlib.connect(args.database)
    conn.autocommit = True
    return conn


def scalar(conn, query, params=()):
    with conn.cursor() as cr:
        cr.execute(query, params)
        return cr.fetchone()[0]


def prepare(args, tag):
    odoo = benchlib.import_odoo()
    from odoo import SUPERUSER_ID, api

    odoo.tools.config.parse_config(
        [
            *benchlib.db_options(),
            "--addons-path",
            benchlib.addons_path(),
            "--log-level",
            "warn",
        ]
    )
    registry = odoo.modules.registry.Registry(args.database)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        env["ir.mail_server"].search([]).write({"active": False})
        env["ir.mail_server"].create(
            {
                "name": "crash test sink",
                "smtp_host": "127.0.0.1",
                "smtp_port": args.port,
                "smtp_encryption": "none",
            }
        )
        env["ir.config_parameter"].set_param("mercator_crm.mailing_batch_size", 100)
        env["ir.config_parameter"].set_param("mail.mail.queue.batch.size", 200)
        cr.execute("UPDATE ir_cron SET active = FALSE")
        for xmlid in (
            "mercator_crm.ir_cron_mercator_mailing_send",
            "mail.ir_cron_mail_scheduler_action",
        ):
            env.ref(xmlid).write({"active": True})
        cr.execute(
            """
            INSERT INTO res_partner (name, complete_name, email, email_normalized,
                                     ref, lang, active, type, is_company,
                                     mercator_status, create_date, write_date)
            SELECT 'Crash ' || n, 'Crash ' || n,
                   %(tag)s || '.' || n || '@crash.example.com',
                   %(tag)s || '.' || n || '@crash.example.com',
                   %(tag)s, 'en_US', TRUE, 'contact', TRUE, 'prospect',
                   NOW() AT TIME ZONE 'UTC', NOW() AT TIME ZONE 'UTC'
              FROM generate_series(1, %(n)s) n
        """,
            {"tag": tag, "n": args.recipients},
        )
        cr.execute(
            "UPDATE res_partner SET commercial_partner_id = id WHERE ref = %s", (tag,)
        )
        mailing = env["mercator.mailing"].create(
            {
                "name": f"Crash test {tag}",
                "medium": "email",
                "email_from": "crash@example.com",
                "recipient_domain": repr([("ref", "=", tag)]),
                "subject": SUBJECT,
                "body_html": BODY,
            }
        )
        mailing.action_generate()
        mailing.action_send_all()
        mailing_id = mailing.id
    odoo.sql_db.close_all()
    return mailing_id


def start_server(args, log):
    command = [
        *benchlib.odoo_bin(),
        *benchlib.db_options(),
        "--addons-path",
        benchlib.addons_path(),
        "-d",
        args.database,
        "--db-filter",
        f"^{args.database}$",
        "--http-port",
        str(args.http_port),
        "--gevent-port",
        str(args.http_port + 1),
        "--max-cron-threads",
        "2",
        "--log-level",
        "info",
    ]
    server = subprocess.Popen(
        command,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    # Wake the cron threads up now rather than at their next poll.
    time.sleep(6)
    with db(args) as conn, conn.cursor() as cr:
        cr.execute("NOTIFY cron_trigger, %s", (args.database,))
    return server


def kill(server):
    os.killpg(server.pid, signal.SIGKILL)
    server.wait()


def wait_for(predicate, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-d", "--database", default="mail_crash")
    parser.add_argument("--recipients", type=int, default=2000)
    parser.add_argument("--port", type=int, default=8135, help="SMTP sink port")
    parser.add_argument("--http-port", type=int, default=8132)
    args = parser.parse_args()
    benchlib.ensure_database(args.database, ["mercator_crm"])

    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # no line per SMTP command

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=args.port)
    controller.start()
    tag = f"crash{int(time.time())}"
    mailing_id = prepare(args, tag)
    conn = db(args)

    def sent_actions():
        return scalar(
            conn,
            """SELECT COUNT(*) FROM mercator_action
                               WHERE mailing_id = %s AND mailing_state = 'sent'""",
            (mailing_id,),
        )

    def pending_actions():
        return scalar(
            conn,
            """SELECT COUNT(*) FROM mercator_action
                               WHERE mailing_id = %s AND mailing_state = 'pending'""",
            (mailing_id,),
        )

    def outgoing_mails():
        return scalar(
            conn,
            """SELECT COUNT(*) FROM mail_mail m
                                 JOIN mercator_action a ON a.mail_mail_id = m.id
                                WHERE a.mailing_id = %s AND m.state = 'outgoing'""",
            (mailing_id,),
        )

    n = args.recipients
    events = []
    with open(f"/tmp/{args.database}_crash_server.log", "w") as log:
        server = start_server(args, log)
        ok = wait_for(lambda: 0 < sent_actions() and pending_actions() > 0, 300)
        kill(server)
        events.append(
            f"kill 1 (cron committing batches): {sent_actions()} sent, "
            f"{pending_actions()} pending, {sink.count} at the sink"
            + ("" if ok else " [condition not reached]")
        )
        server = start_server(args, log)
        ok = wait_for(lambda: sink.count >= n // 2, 600)
        kill(server)
        events.append(
            f"kill 2 (mail queue sending): {sent_actions()} sent, "
            f"{pending_actions()} pending, {outgoing_mails()} mails "
            f"outgoing, {sink.count} at the sink"
            + ("" if ok else " [condition not reached]")
        )
        server = start_server(args, log)
        wait_for(lambda: not pending_actions() and not outgoing_mails(), 900)
        time.sleep(2)
        kill(server)
    controller.stop()
    received = {
        rcpt: count for rcpt, count in sink.per_rcpt.items() if rcpt.startswith(tag)
    }
    expected = {f"{tag}.{i}@crash.example.com" for i in range(1, n + 1)}
    missing = expected - set(received)
    twice = {rcpt: count for rcpt, count in received.items() if count > 1}
    states = dict(
        _rows(
            conn,
            """SELECT mailing_state, COUNT(*) FROM mercator_action
                                  WHERE mailing_id = %s GROUP BY 1""",
            (mailing_id,),
        )
    )
    without_mail = scalar(
        conn,
        """SELECT COUNT(*) FROM mercator_action
                                   WHERE mailing_id = %s AND mailing_state = 'sent'
                                     AND mail_mail_id IS NULL""",
        (mailing_id,),
    )
    for event in events:
        print(event)
    print(
        f"recipients: {n}; received exactly once: "
        f"{sum(1 for c in received.values() if c == 1)}; missing: {len(missing)}; "
        f"more than once: {len(twice)} {sorted(twice.items())[:5]}"
    )
    print(f"send-actions by state: {states}; sent without mail: {without_mail}")
    success = not missing and not twice and states == {"sent": n} and not without_mail
    print("RESULT:", "PASS" if success else "FAIL")
    sys.exit(0 if success else 1)


def _rows(conn, query, params):
    with conn.cursor() as cr:
        cr.execute(query, params)
        return cr.fetchall()


if __name__ == "__main__":
    main()
