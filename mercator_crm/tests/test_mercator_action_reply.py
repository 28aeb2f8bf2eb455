from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MercatorMailingCommon, MercatorOfferCommon

# A reply as a mail client sends it (Gmail's layout: multipart text and HTML,
# the quoted offer below), fed raw to Odoo's mail gateway. {placeholders}: the
# headers of the email it answers.
REPLY_EMAIL = """\
Return-Path: <{sender_email}>
Delivered-To: {delivered_to}
Received: from mail.pixel.example.com (mail.pixel.example.com [203.0.113.25])
\tby mx.test.mycompany.com (Postfix) with ESMTPS id 4Tq2Xk1mPzz
\tfor <{delivered_to}>; Tue, 10 Mar 2026 15:12:11 +0100 (CET)
MIME-Version: 1.0
References: {references}
In-Reply-To: {in_reply_to}
From: {sender}
Date: Tue, 10 Mar 2026 15:12:09 +0100
Message-ID: <{message_id}>
Subject: Re: {subject}
To: {to}
Content-Type: multipart/alternative; boundary="0000000000001c5b4a05f1d2e3a4"

--0000000000001c5b4a05f1d2e3a4
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

Bonjour,

Merci pour l'offre. Pouvez-vous passer jeudi pour en parler ?

Paula

Le lun. 9 mars 2026 =C3=A0 10:00, Rita Rep <rita@example.com> a =C3=A9crit :
> Dear Paula, please find our offer attached.

--0000000000001c5b4a05f1d2e3a4
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<div dir=3D"ltr">Bonjour,<br><br>Merci pour l'offre. Pouvez-vous passer jeudi =
pour en parler ?<br><br>Paula</div><br><div class=3D"gmail_quote"><div dir=3D=
"ltr" class=3D"gmail_attr">Le lun. 9 mars 2026 =C3=A0 10:00, Rita Rep &lt;rit=
a@example.com&gt; a =C3=A9crit&nbsp;:<br></div><blockquote class=3D"gmail_quo=
te">Dear Paula, please find our offer attached.</blockquote></div>

--0000000000001c5b4a05f1d2e3a4--
"""

REPLY_TEXT = "Merci pour l'offre. Pouvez-vous passer jeudi pour en parler ?"


class MercatorReplyMixin:
    """Feed a raw reply to an email the test sent, to Odoo's mail gateway."""

    def _sent_to(self, email):
        """The email the test sent to ``email`` (mock_mail_gateway)."""
        [mail] = [m for m in self._mails if email in m["email_to"][0]]
        return mail

    def _receive_reply(self, mail, sender, message_id="reply-1@mail.pixel.example"):
        """``mail`` (an email sent by the test) answered by ``sender``
        ("Name <address>"), through ``message_process`` as fetchmail calls it."""
        sender_email = sender.split("<")[-1].rstrip(">")
        raw = REPLY_EMAIL.format(
            sender=sender,
            sender_email=sender_email,
            delivered_to=f"{self.alias_catchall}@{self.alias_domain}",
            to=mail["reply_to"],
            subject=mail["subject"],
            in_reply_to=mail["message_id"],
            references=mail["message_id"],
            message_id=message_id,
        )
        partners = self.env["res.partner"].with_context(active_test=False)
        partner_count = partners.search_count([])
        thread_id = (
            self.env["mail.thread"]
            .with_context(tracking_disable=False)
            .message_process(False, raw.encode())
        )
        self.assertEqual(
            partners.search_count([]), partner_count, "no partner created silently"
        )
        return raw, thread_id


@tagged("post_install", "-at_install", "mercator_reply")
class TestMercatorActionReply(MercatorReplyMixin, MercatorOfferCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        cls.catchall = f"{cls.alias_catchall}@{cls.alias_domain}"

    def _validate_offer(self):
        """The rep validates an offer: its email goes to Paula."""
        offer = self._make_offer().with_user(self.rep)
        with self.mock_mail_gateway():
            offer.action_validate_offer()
        return offer.next_id, self._sent_to(self.contact.email)

    def test_reply_to_offer_becomes_next_action(self):
        """Paula answers the offer's email: the reply lands on the email action,
        a "Reply Received" action follows it for the prospect's rep, who is
        notified, and the prospect's History shows it."""
        email_action, mail = self._validate_offer()
        # Replies come back to Odoo (the catchall), naming the email action's
        # message.
        self.assertIn(self.catchall, mail["reply_to"])
        message = email_action.message_ids.filtered(
            lambda m: m.message_id == mail["message_id"]
        )
        self.assertTrue(message, "the email is the email action's message")

        _raw, thread_id = self._receive_reply(
            mail, "Paula Pixel <paula@pixel.example.com>"
        )
        self.assertEqual(thread_id, email_action.id)
        reply_message = email_action.message_ids.filtered(
            lambda m: m.message_type == "email" and REPLY_TEXT in m.body
        )
        self.assertEqual(reply_message.author_id, self.contact)

        reply = email_action.next_ids.filtered("reply_to_action_id")
        self.assertEqual(len(reply), 1)
        self.assertEqual(
            reply.template_id,
            self.env.ref("mercator_crm.mercator_action_template_reply"),
        )
        self.assertEqual(reply.kind, "email")
        self.assertEqual(reply.previous_id, email_action)
        self.assertEqual(reply.reply_to_action_id, email_action)
        self.assertEqual(reply.reply_message_id, reply_message)
        self.assertEqual(reply.parent_id, self.opportunity)
        self.assertEqual(reply.partner_id, self.prospect)
        self.assertEqual(reply.contact_id, self.contact)
        self.assertEqual(reply.user_id, self.prospect.user_id)
        self.assertEqual(reply.company_id, email_action.company_id)
        self.assertFalse(reply.done)
        self.assertFalse(reply.reply_unknown_sender)
        self.assertIn(REPLY_TEXT, reply.description)
        self.assertEqual(reply.name, f"Re: {mail['subject']}")
        self.assertTrue(reply.date_deadline, "to handle within a day")
        # << >> walk to it.
        self.assertEqual(
            email_action.with_user(self.rep).action_open_next()["res_id"], reply.id
        )
        # The rep is notified (inbox or email, their preference).
        note = reply.message_ids.filtered(
            lambda m: self.rep.partner_id in m.notification_ids.res_partner_id
        )
        self.assertEqual(len(note), 1)
        self.assertIn("Paula Pixel replied to", note.body)
        # The prospect's History: the reply first, still to handle.
        history = self.prospect.with_user(self.rep).mercator_history_ids
        self.assertEqual(history[:1], reply)

        # She writes again: no second action while the first is open.
        self._receive_reply(
            mail, "Paula Pixel <paula@pixel.example.com>", "reply-2@mail.pixel.example"
        )
        self.assertEqual(email_action.next_ids.filtered("reply_to_action_id"), reply)
        self.assertIn("replied again", reply.message_ids[0].body)
        # Handled, the next reply opens a new one.
        reply.action_mark_done()
        self._receive_reply(
            mail, "Paula Pixel <paula@pixel.example.com>", "reply-3@mail.pixel.example"
        )
        self.assertEqual(len(email_action.next_ids.filtered("reply_to_action_id")), 2)

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_reply_from_unknown_address(self):
        """A reply from an address nobody has: it lands on the action, its
        follow-up is flagged, no partner is created."""
        email_action, mail = self._validate_offer()
        self._receive_reply(mail, "Jean Inconnu <jean.inconnu@elsewhere.example.org>")
        reply = email_action.next_ids.filtered("reply_to_action_id")
        self.assertTrue(reply.reply_unknown_sender)
        self.assertIn("jean.inconnu@elsewhere.example.org", reply.reply_email_from)
        self.assertFalse(reply.contact_id)
        self.assertEqual(reply.partner_id, self.prospect)
        self.assertEqual(reply.user_id, self.rep)
        self.assertFalse(reply.reply_message_id.author_id)
        self.assertIn("neither the prospect", reply.message_ids[0].body)
        self.assertIn(
            reply,
            self.env["mercator.action"].search([("reply_unknown_sender", "=", True)]),
        )

    def test_reply_of_internal_user_chains_nothing(self):
        """The rep answering from their mailbox is not a prospect's reply."""
        email_action, mail = self._validate_offer()
        self._receive_reply(mail, "Rita Rep <mercator_rep@example.com>")
        self.assertTrue(
            email_action.message_ids.filtered(
                lambda m: m.author_id == self.rep.partner_id and REPLY_TEXT in m.body
            )
        )
        self.assertFalse(email_action.next_ids)

    def test_reply_to_email_action_sent_with_composer(self):
        """An Email action sent from its chatter with Odoo's composer (comment
        mode), then answered: the same chain."""
        email_action = self._create_action(
            self.tpl_email,
            name="Documentation",
            contact_id=self.contact.id,
            user_id=self.rep.id,
            done=True,
        )
        composer = (
            self.env["mail.compose.message"]
            .with_user(self.rep)
            .with_context(
                default_model="mercator.action",
                default_res_ids=email_action.ids,
                default_composition_mode="comment",
            )
            .create(
                {
                    "subject": "Our documentation",
                    "body": "<p>Here it is.</p>",
                    "partner_ids": self.contact.ids,
                }
            )
        )
        with self.mock_mail_gateway():
            composer._action_send_mail()
        mail = self._sent_to(self.contact.email)
        self.assertIn(self.catchall, mail["reply_to"])
        self._receive_reply(mail, "Paula Pixel <paula@pixel.example.com>")
        reply = email_action.next_ids
        self.assertEqual(reply.reply_to_action_id, email_action)
        self.assertEqual(reply.user_id, self.rep)
        self.assertFalse(reply.parent_id, "a standalone email: its reply too")

    def test_reply_to_action_not_done(self):
        """An action still to do cannot be followed (its chain needs it done):
        the reply action is not chained, but still points to it."""
        call = self.meeting
        message = call.message_post(
            body="<p>Are you free on Tuesday?</p>",
            partner_ids=self.contact.ids,
            subtype_xmlid="mail.mt_comment",
        )
        mail = {
            "reply_to": f"{self.catchall}",
            "subject": "Meeting",
            "message_id": message.message_id,
        }
        self._receive_reply(mail, "Paula Pixel <paula@pixel.example.com>")
        reply = self.env["mercator.action"].search(
            [("reply_to_action_id", "=", call.id)]
        )
        self.assertEqual(len(reply), 1)
        self.assertFalse(reply.previous_id)
        self.assertEqual(reply.parent_id, self.opportunity)

    def test_rpc_post_chains_nothing(self):
        """A user posting an "email" message over RPC, with the gateway's
        context key, does not get the superuser's path."""
        email_action, _mail = self._validate_offer()
        email_action.with_user(self.rep).with_context(from_alias=True).message_post(
            body="<p>Looks like a reply</p>", message_type="email"
        )
        self.assertFalse(email_action.next_ids)


@tagged("post_install", "-at_install", "mercator_reply")
class TestMercatorMailingReply(MercatorReplyMixin, MercatorMailingCommon):
    def test_reply_to_mailing_send(self):
        """A recipient answers a mailing: the reply lands on their send-action,
        and the "Reply Received" action follows it."""
        self.mailing.action_generate()
        with self.mock_mail_gateway():
            self.mailing.action_send_all()
            self._run_queue()
        recipient = self.recipients[1]
        send = self._sends().filtered(lambda a: a.mailing_recipient_id == recipient)
        mail = self._sent_to(recipient.email)
        self.assertIn(f"{self.alias_catchall}@{self.alias_domain}", mail["reply_to"])
        self.assertEqual(mail["message_id"], send.mail_mail_id.message_id)
        self._receive_reply(mail, f"{recipient.name} <{recipient.email}>")
        self.assertTrue(
            send.message_ids.filtered(
                lambda m: m.message_type == "email" and REPLY_TEXT in m.body
            )
        )
        reply = send.next_ids
        self.assertEqual(reply.reply_to_action_id, send)
        self.assertEqual(reply.partner_id, recipient)
        self.assertFalse(reply.contact_id)
        self.assertEqual(reply.user_id, self.mailing.user_id, "nobody represents it")
        self.assertFalse(reply.mailing_id)
        self.assertIn(reply, recipient.mercator_history_ids)
