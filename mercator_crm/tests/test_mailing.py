import io
import smtplib
from collections import Counter
from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api
from odoo.addons.base.models.ir_mail_server import IrMailServer
from odoo.exceptions import AccessError, UserError
from odoo.sql_db import db_connect
from odoo.tests import HttpCase, tagged, users
from odoo.tools import mute_logger
from odoo.tools.pdf import PdfFileReader

from .common import MercatorMailingCommon


@tagged("post_install", "-at_install", "mercator_mailing")
class TestMailingGenerate(MercatorMailingCommon):
    def test_recipient_count_and_render(self):
        self.assertEqual(self.mailing.recipient_count, 5)
        self.mailing.action_generate()
        sends = self._sends()
        self.assertEqual(len(sends), 5)
        self.assertEqual(set(sends.mapped("mailing_state")), {"pending"})
        send = sends.filtered(lambda a: a.mailing_recipient_id == self.recipients[0])
        self.assertEqual(send.mailing_subject, "Hello Mailing Prospect 0")
        self.assertIn("Dear Mailing Prospect 0, news.", send.description)
        self.assertEqual(send.template_id, self.mailing.template_id)
        self.assertEqual(send.kind, "email")
        self.assertFalse(send.done)

    def test_render_in_recipient_language(self):
        self.env["res.lang"]._activate_lang("fr_FR")
        self.recipients[1].lang = "fr_FR"
        template = self.env["mail.template"].create(
            {
                "name": "Mercator test",
                "model_id": self.env["ir.model"]._get_id("res.partner"),
                "subject": "Hello {{ object.name }}",
                "body_html": "<p>Hello</p>",
                "lang": "{{ object.lang }}",
            }
        )
        template.with_context(lang="fr_FR").write(
            {
                "subject": "Bonjour {{ object.name }}",
                "body_html": "<p>Bonjour</p>",
            }
        )
        self.mailing.mail_template_id = template
        self.mailing.action_generate()
        by_recipient = {a.mailing_recipient_id: a for a in self._sends()}
        self.assertEqual(
            by_recipient[self.recipients[1]].mailing_subject,
            "Bonjour Mailing Prospect 1",
        )
        self.assertIn("Bonjour", by_recipient[self.recipients[1]].description)
        self.assertEqual(
            by_recipient[self.recipients[0]].mailing_subject, "Hello Mailing Prospect 0"
        )

    def test_generate_idempotent(self):
        self.mailing.action_generate()
        sends = self._sends()
        sends[0]._mailing_mark_sent()
        sends[1].mailing_subject = "Edited by hand"
        extra = self._add_recipient(email="extra@example.com")
        self.mailing.action_generate()
        self.mailing.action_generate()
        again = self._sends()
        self.assertEqual(len(again), 6, "only the new recipient got a send-action")
        self.assertEqual(
            again - sends, again.filtered(lambda a: a.mailing_recipient_id == extra)
        )
        self.assertEqual(sends[0].mailing_state, "sent", "a sent action is untouched")
        self.assertEqual(sends[1].mailing_subject, "Edited by hand")
        self.assertEqual(
            Counter(again.mapped("mailing_recipient_id.id")).most_common(1)[0][1], 1
        )

    def test_skip_reasons(self):
        no_email = self._add_recipient(name="No Email")
        invalid = self._add_recipient(name="Invalid", email="not an email")
        blacklisted = self._add_recipient(name="Opted out", email="out@example.com")
        duplicate = self._add_recipient(name="Twin", email="prospect0@example.com")
        self.env["mail.blacklist"].create({"email": "out@example.com"})
        self.mailing.action_generate()
        sends = self._sends()
        reasons = {a.mailing_recipient_id: a.mailing_skip_reason for a in sends}
        self.assertEqual(reasons[no_email], "no_email")
        self.assertEqual(reasons[invalid], "invalid_email")
        self.assertEqual(reasons[blacklisted], "blacklisted")
        self.assertEqual(reasons[duplicate], "duplicate")
        self.assertEqual(self.mailing.skipped_count, 4)
        self.assertEqual(self.mailing.pending_count, 5)
        skipped = sends.filtered(lambda a: a.mailing_state == "skipped")
        self.assertFalse(any(skipped.mapped("active")), "skipped sends are cancelled")
        # Fixed address: generating again makes it pending, once.
        no_email.email = "fixed@example.com"
        self.mailing.action_generate()
        fixed = self._sends().filtered(lambda a: a.mailing_recipient_id == no_email)
        self.assertEqual(len(fixed), 1)
        self.assertEqual(fixed.mailing_state, "pending")
        self.assertTrue(fixed.active)
        self.assertFalse(fixed.mailing_skip_reason)

    def test_letter_skips_missing_address(self):
        homeless = self._add_recipient(name="No Address", email="x@example.com")
        letters = self.mailing.copy(
            {
                "name": "Letters",
                "medium": "letter",
                "template_id": self.tpl_letter.id,
            }
        )
        self.assertEqual(letters.template_id.kind, "letter")
        letters.action_generate()
        sends = self._sends(letters)
        self.assertEqual(
            {a.mailing_recipient_id: a.mailing_skip_reason for a in sends}[homeless],
            "no_address",
        )
        self.assertEqual(letters.pending_count, 5)

    def test_review_edit_and_remove(self):
        self.mailing.action_generate()
        sends = self._sends()
        sends[0].unlink()
        sends[1].write({"mailing_subject": "Special", "description": "<p>Hi!</p>"})
        self.assertEqual(self.mailing.pending_count, 4)
        with self.mock_mail_gateway():
            self.mailing.action_send_all()
            self._run_queue()
        self.assertEqual(len(self._mails), 4)
        special = [m for m in self._mails if m["subject"] == "Special"]
        self.assertEqual(len(special), 1)
        self.assertIn("Hi!", special[0]["body"])
        with self.assertRaises(UserError):
            sends[1].unlink()


@tagged("post_install", "-at_install", "mercator_mailing")
class TestMailingSend(MercatorMailingCommon):
    def test_send_in_batches(self):
        self.mailing.action_generate()
        with self.mock_mail_gateway():
            self.mailing.action_send_all()
            self.assertEqual(self.mailing.state, "queued")
            first = self.env["mercator.action"]._cron_send_mailings(batch_size=2)
            self.assertEqual(len(first), 2)
            self.assertEqual(self.mailing.pending_count, 3)
            self.assertEqual(self.mailing.sent_count, 2)
            self.assertEqual(len(first.mail_mail_id), 2)
            self.env["mail.mail"].process_email_queue()
            self.assertEqual(len(self._mails), 2)
            self.env["mercator.action"]._cron_send_mailings(batch_size=2)
            self.env["mercator.action"]._cron_send_mailings(batch_size=2)
            self.env["mail.mail"].process_email_queue()
        self.assertEqual(len(self._mails), 5, "exactly one email per recipient")
        self.assertEqual(
            sorted(m["email_to"][0] for m in self._mails),
            sorted(self.recipients.mapped("email_formatted")),
        )
        sends = self._sends()
        self.assertEqual(set(sends.mapped("mailing_state")), {"sent"})
        self.assertTrue(all(sends.mapped("done")))
        self.assertEqual(set(sends.mail_mail_id.mapped("state")), {"sent"})
        self.assertEqual(self.mailing.state, "done")
        self.assertEqual(self.mailing.progress, 100.0)
        # The send-action's chatter has the email (replies come back to it),
        # the recipient's History the done action.
        recipient = self.recipients[2]
        send = sends.filtered(lambda a: a.mailing_recipient_id == recipient)
        self.assertIn(send.mail_mail_id.mail_message_id, send.message_ids)
        self.assertIn(send, recipient.mercator_history_ids)

    def test_refused_send_fails_and_retry(self):
        self.mailing.action_generate()
        delivered = []
        refused_email = self.recipients[2].email

        def send_email(server, message, *args, **kwargs):
            if refused_email in message["To"] and not delivered_retry:
                raise smtplib.SMTPRecipientsRefused(
                    {refused_email: (550, b"No such user")}
                )
            delivered.append(message["To"])
            return message["Message-Id"]

        delivered_retry = []
        with (
            self.mock_mail_gateway(),
            patch.object(IrMailServer, "send_email", new=send_email),
            mute_logger("odoo.addons.mail.models.mail_mail"),
        ):
            self.mailing.action_send_all()
            self._run_queue()
            self.assertEqual(len(delivered), 4, "the rest goes on")
            failed = self._sends(state="failed")
            self.assertEqual(failed.mailing_recipient_id, self.recipients[2])
            self.assertIn("No such user", failed.mailing_failure_reason)
            self.assertFalse(failed.done)
            self.assertEqual(self.mailing.failed_count, 1)
            self.assertEqual(self.mailing.state, "done")
            delivered_retry.append(True)
            self.mailing.action_retry_failed()
            self.assertEqual(self.mailing.state, "queued")
            self._run_queue()
        self.assertEqual(len(delivered), 5)
        self.assertEqual(
            Counter(delivered),
            Counter(self.recipients.mapped("email_formatted")),
            "each recipient got exactly one email",
        )
        self.assertEqual(self.mailing.sent_count, 5)
        self.assertEqual(self.mailing.failed_count, 0)

    def test_crash_mid_batch_then_rerun(self):
        """A crash while a batch is prepared rolls the whole batch back (nothing
        of it is sent nor marked); the next run sends it: one email each."""
        self.mailing.action_generate()
        Action = type(self.env["mercator.action"])
        origin = Action._mailing_prepare_mail_values
        calls = []

        def crash_on_second(action, *args):
            calls.append(action.id)
            if len(calls) == 2:
                raise RuntimeError("worker killed")
            return origin(action, *args)

        with self.mock_mail_gateway():
            self.mailing.action_send_all()
            self._run_queue(batch_size=2)
            with (
                patch.object(
                    Action,
                    "_mailing_prepare_mail_values",
                    autospec=True,
                    side_effect=crash_on_second,
                ),
                self.assertRaises(RuntimeError),
                self.env.cr.savepoint(),
            ):
                self.env["mercator.action"]._cron_send_mailings(batch_size=2)
            self.env.invalidate_all()
            self.assertEqual(self.mailing.sent_count, 2)
            self.assertEqual(self.mailing.pending_count, 3)
            self._run_queue(batch_size=2)
            self._run_queue(batch_size=2)
            self._run_queue(batch_size=2)
        self.assertEqual(
            Counter(m["email_to"][0] for m in self._mails),
            Counter(self.recipients.mapped("email_formatted")),
        )
        self.assertEqual(self.mailing.sent_count, 5)

    def test_cron_queries_do_not_grow_with_the_batch(self):
        """A batch costs the same queries for 2 or 5 recipients: no query per
        recipient in _cron_send_mailings (the benchmark's promise)."""

        def make_mailing(count):
            tag = self.env["res.partner.category"].create({"name": f"Q{count}"})
            self.env["res.partner"].create(
                [
                    {
                        "name": f"Q{count} {i}",
                        "email": f"q{count}.{i}@example.com",
                        "category_id": [Command.link(tag.id)],
                    }
                    for i in range(count)
                ]
            )
            mailing = self.mailing.copy(
                {
                    "name": f"Q{count}",
                    "recipient_domain": repr([("category_id", "in", tag.ids)]),
                }
            )
            mailing.action_generate()
            return mailing

        def queries_of_one_batch(mailing):
            mailing.action_send_all()
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            self.env["mercator.action"]._cron_send_mailings(batch_size=10)
            self.env.flush_all()
            return self.env.cr.sql_log_count - before

        with self.mock_mail_gateway():
            queries_of_one_batch(make_mailing(1))  # warm the caches up
            two = queries_of_one_batch(make_mailing(2))
            five = queries_of_one_batch(make_mailing(5))
        self.assertEqual(five, two)

    def test_blacklisted_after_generate_is_skipped(self):
        self.mailing.action_generate()
        self.env["mail.blacklist"].create({"email": self.recipients[0].email})
        with self.mock_mail_gateway():
            self.mailing.action_send_all()
            self._run_queue()
        self.assertEqual(len(self._mails), 4)
        send = self._sends().filtered(
            lambda a: a.mailing_recipient_id == self.recipients[0]
        )
        self.assertEqual(send.mailing_state, "skipped")
        self.assertEqual(send.mailing_skip_reason, "blacklisted")

    def test_send_all_needs_pending(self):
        with self.assertRaises(UserError):
            self.mailing.action_send_all()
        self.assertEqual(self.mailing.state, "draft")

    def test_draft_mailing_is_not_sent(self):
        self.mailing.action_generate()
        with self.mock_mail_gateway():
            self._run_queue()
        self.assertFalse(self._mails)
        self.assertEqual(self.mailing.pending_count, 5)

    def test_two_workers_take_disjoint_batches(self):
        """Two transactions picking at once get disjoint sends (SKIP LOCKED).
        Uses real, committed rows in two real connections, cleaned up after."""
        dbname = self.env.cr.dbname
        template_id = self.env.ref("mercator_crm.mercator_action_template_email").id
        company_id = self.env.company.id
        with db_connect(dbname).cursor() as setup_cr:
            # The test's own transaction holds a lock on the company row:
            # skip the foreign key checks (their KEY SHARE lock would wait for
            # the test's transaction to end) of these valid, temporary rows.
            setup_cr.execute("SET LOCAL session_replication_role = replica")
            setup_cr.execute(
                """
                INSERT INTO mercator_mailing (name, state, medium, company_id,
                    user_id, template_id, recipient_domain, active)
                VALUES ('Two workers', 'queued', 'email', %s, %s, %s, '[]', TRUE)
                RETURNING id
            """,
                (company_id, SUPERUSER_ID, template_id),
            )
            mailing_id = setup_cr.fetchone()[0]
            setup_cr.execute(
                """
                INSERT INTO mercator_action (name, template_id, company_id, date,
                    active, mailing_id, mailing_state)
                SELECT 'Send ' || n, %s, %s, NOW() AT TIME ZONE 'UTC', TRUE, %s,
                       'pending'
                  FROM generate_series(1, 6) n
            """,
                (template_id, company_id, mailing_id),
            )
            setup_cr.commit()
        try:
            with db_connect(dbname).cursor() as cr1, db_connect(dbname).cursor() as cr2:
                env1 = api.Environment(cr1, SUPERUSER_ID, {})
                env2 = api.Environment(cr2, SUPERUSER_ID, {})
                batch1 = env1["mercator.action"]._mailing_pick_pending(4)
                batch2 = env2["mercator.action"]._mailing_pick_pending(4)
                batch3 = env2["mercator.action"]._mailing_pick_pending(4)
                cr1.rollback()
                cr2.rollback()
            ids1, ids2 = set(batch1.ids), set(batch2.ids)
            self.assertEqual(len(ids1), 4)
            self.assertEqual(len(ids2), 2, "the second worker takes what is left")
            self.assertFalse(ids1 & ids2)
            self.assertEqual(set(batch3.ids), ids2, "a worker sees its own locks")
        finally:
            with db_connect(dbname).cursor() as cleanup_cr:
                cleanup_cr.execute(
                    "DELETE FROM mercator_action WHERE mailing_id = %s", (mailing_id,)
                )
                cleanup_cr.execute(
                    "DELETE FROM mercator_mailing WHERE id = %s", (mailing_id,)
                )
                cleanup_cr.commit()


@tagged("post_install", "-at_install", "mercator_mailing")
class TestMailingLetters(HttpCase, MercatorMailingCommon):
    """An HttpCase: wkhtmltopdf fetches the report assets from the test server,
    which then sees the test's (uncommitted) asset bundles."""

    def test_letters_pdf_one_page_per_recipient(self):
        letters = self.mailing.copy(
            {
                "name": "Letters",
                "medium": "letter",
                "template_id": self.tpl_letter.id,
                "subject": "Invitation",
                "body_html": '<p>Dear <t t-out="object.name"/>, welcome.</p>',
            }
        )
        self.assertEqual(letters.template_id.kind, "letter")
        letters.action_generate()
        self.assertEqual(letters.pending_count, 5)
        with self.assertRaises(UserError):
            letters.action_send_all()
        action = letters.with_context(
            force_report_rendering=True
        ).action_print_letters()
        pdf = letters.letter_attachment_id.raw
        self.assertTrue(pdf.startswith(b"%PDF"))
        self.assertEqual(PdfFileReader(io.BytesIO(pdf)).getNumPages(), 5)
        self.assertIn(str(letters.letter_attachment_id.id), action["url"])
        sends = letters.action_ids
        self.assertEqual(set(sends.mapped("mailing_state")), {"sent"})
        self.assertTrue(all(sends.mapped("done")))
        self.assertEqual(letters.state, "done")
        with self.assertRaises(UserError):
            letters.action_generate()


@tagged("post_install", "-at_install", "mercator_mailing")
class TestMailingAccess(MercatorMailingCommon):
    @users("mercator_rep")
    def test_rep_sees_own_mailings_only(self):
        mailing_rep = self.env["mercator.mailing"].create(
            {
                "name": "Rep mailing",
                "email_from": "rep@example.com",
                "recipient_domain": repr([("category_id", "in", self.tag.ids)]),
                "subject": "Hi",
                "body_html": "<p>Hi</p>",
            }
        )
        self.assertEqual(mailing_rep.user_id, self.rep)
        mailing_rep.action_generate()
        sends = self._sends(mailing_rep)
        self.assertEqual(len(sends), 5, "the rep reviews the sends of their mailing")
        self.assertEqual(sends.user_id, self.rep, "the rep's own actions")
        mailing_rep.action_send_all()
        self.assertEqual(mailing_rep.state, "queued")
        self.assertEqual(
            self.env["mercator.mailing"].search(
                [("id", "in", (self.mailing | mailing_rep).ids)]
            ),
            mailing_rep,
        )
        with self.assertRaises(AccessError):
            self.mailing.with_env(self.env).read(["name"])

    @users("mercator_employee")
    def test_employee_has_no_mailings(self):
        with self.assertRaises(AccessError):
            self.mailing.with_env(self.env).read(["name"])
        with self.assertRaises(AccessError):
            self.env["mercator.mailing"].create({"name": "Not allowed"})
