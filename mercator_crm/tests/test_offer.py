import subprocess
from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, tagged, users
from odoo.tools import config, mute_logger

from .common import MercatorOfferCommon


def pdf_text(pdf):
    """The text of a PDF, as pdftotext (poppler) extracts it."""
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()


@tagged("post_install", "-at_install", "mercator_offer")
class TestOffer(MercatorOfferCommon):
    @users("mercator_rep")
    def test_make_offer(self):
        """ "Make an Offer": an offer nested in the opportunity, and its quote for
        the prospect itself with the opportunity's rep as salesperson."""
        offer = self._make_offer(quantity=0)
        order = offer.sale_order_id
        self.assertEqual(offer.kind, "offer")
        self.assertEqual(offer.name, "Offer - Pixel open space")
        self.assertEqual(offer.parent_id, self.opportunity)
        self.assertEqual(offer.partner_id, self.prospect)
        self.assertEqual(offer.contact_id, self.contact)
        self.assertEqual(offer.user_id, self.rep)
        self.assertEqual(order.partner_id, self.prospect)
        self.assertEqual(order.user_id, self.rep)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.mercator_opportunity_id, self.opportunity)
        self.assertEqual(order.mercator_offer_action_id, offer)
        self.assertEqual(self.opportunity.sale_order_ids, order)
        self.assertEqual(self.opportunity.sale_order_count, 1)
        # Smart buttons both ways.
        self.assertEqual(offer.action_view_sale_order()["res_id"], order.id)
        self.assertEqual(order.action_view_mercator_offer()["res_id"], offer.id)
        self.assertEqual(
            order.action_view_mercator_opportunity()["res_id"], self.opportunity.id
        )
        quotes = self.env["sale.order"].search(
            self.opportunity.action_view_sale_orders()["domain"]
        )
        self.assertEqual(quotes, order)

    @users("mercator_rep")
    def test_offer_from_template_choice(self):
        """Choosing "Make an Offer" as the template of a new step (the original's
        path) also makes the quote."""
        offer = self.env["mercator.action"].create(
            {
                "name": "Our offer",
                "template_id": self.tpl_offer.id,
                "parent_id": self.opportunity.id,
                "partner_id": self.prospect.id,
            }
        )
        self.assertEqual(offer.sale_order_id.partner_id, self.prospect)
        self.assertEqual(offer.sale_order_id.mercator_opportunity_id, self.opportunity)

    @users("mercator_rep")
    def test_quote_tab_edits_lines(self):
        """The Quote tab of the offer edits the quote's lines; totals follow."""
        offer = self._make_offer(quantity=0)
        with Form(offer) as form:
            with form.sale_order_line_ids.new() as line:
                line.product_id = self.product
                line.product_uom_qty = 3
        order = offer.sale_order_id
        self.assertEqual(order.order_line.product_id, self.product)
        self.assertEqual(order.amount_untaxed, 750.0)
        self.assertEqual(offer.sale_order_amount_total, 750.0)

    @users("mercator_rep")
    def test_quote_lines_before_the_first_save(self):
        """The guide's path: "Add a Step" on the opportunity, then the "Make an
        Offer" template: the Quote tab edits lines at once, priced as the quote
        will price them; saving creates the quote with these lines."""
        context = self.opportunity.with_env(self.env).action_new_step()["context"]
        form = Form(
            self.env["mercator.action"].with_context(**context),
            view="mercator_crm.mercator_action_view_form",
        )
        form.template_id = self.tpl_offer
        self.assertEqual(form.name, "Make an Offer")
        self.assertFalse(form.sale_order_id)
        with form.sale_order_line_ids.new() as line:
            line.product_id = self.product
            self.assertEqual(line.price_unit, 250.0)
            self.assertEqual(line.name, "Steel Shelf 2m")
            line.product_uom_qty = 2
        offer = form.save()
        order = offer.sale_order_id
        self.assertEqual(order.partner_id, self.prospect)
        self.assertEqual(order.mercator_offer_action_id, offer)
        self.assertEqual(order.order_line.product_id, self.product)
        self.assertEqual(order.order_line.product_uom_qty, 2)
        self.assertEqual(order.amount_untaxed, 500.0)
        self.assertEqual(self.opportunity.expected_revenue, 500.0)

    def test_quote_lines_need_an_offer(self):
        """Quote lines on an action that makes no quote: refused, not lost."""
        with self.assertRaises(UserError) as catcher:
            self._create_action(
                self.tpl_documentation,
                sale_order_line_ids=[Command.create({"product_id": self.product.id})],
            )
        self.assertIn("only offers have quote lines", str(catcher.exception))

    @users("mercator_rep")
    def test_expected_revenue_follows_quote(self):
        """The opportunity's expected revenue is the amount of its open quote; an
        empty quote keeps the rep's estimate."""
        offer = self._make_offer(quantity=0)
        self.assertEqual(self.opportunity.expected_revenue, 12000.0)
        offer.sale_order_id.order_line = [
            Command.create({"product_id": self.product.id, "product_uom_qty": 2})
        ]
        self.assertEqual(self.opportunity.expected_revenue, 500.0)
        offer.sale_order_id.order_line.product_uom_qty = 10
        self.assertEqual(self.opportunity.expected_revenue, 2500.0)

    def test_offer_report_in_contact_language(self):
        """The offer prints in the language of its contact person."""
        self.env["res.lang"]._activate_lang("fr_FR")
        offer = self._make_offer()
        offer.sale_order_id.validity_date = date(2031, 12, 24)
        report = self.env["ir.actions.report"]
        for lang, validity in (("fr_FR", "24/12/2031"), ("en_US", "12/24/2031")):
            self.contact.lang = lang
            html = report._render_qweb_html(
                "mercator_crm.action_report_offer", offer.ids
            )[0].decode()
            self.assertIn(validity, html)

    @users("mercator_rep")
    def test_validate_offer(self):
        """Validating emails the offer once to the contact, marks the quote sent and
        the offer done, and records a done email action chained after it."""
        offer = self._make_offer()
        order = offer.sale_order_id
        with self.mock_mail_gateway():
            action = offer.action_validate_offer()
        to_contact = [
            mail for mail in self._mails if self.contact.email in mail["email_to"][0]
        ]
        self.assertEqual(len(to_contact), 1, "the offer is emailed once")
        attachments = to_contact[0]["attachments"]
        self.assertEqual(len(attachments), 1)
        self.assertEqual(attachments[0][0], f"Offer {order.name}.pdf")
        self.assertIn(order.name, to_contact[0]["subject"])
        self.assertIn("Paula Pixel", to_contact[0]["body"])

        self.assertTrue(offer.done)
        self.assertEqual(order.state, "sent")
        email_action = offer.next_id
        self.assertEqual(action["res_id"], email_action.id)
        self.assertEqual(email_action.kind, "email")
        self.assertTrue(email_action.done)
        self.assertEqual(email_action.previous_id, offer)
        self.assertEqual(email_action.parent_id, self.opportunity)
        self.assertEqual(email_action.contact_id, self.contact)
        self.assertEqual(email_action.user_id, self.rep)
        attachment = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", "mercator.action"),
                    ("res_id", "=", email_action.id),
                ]
            )
        )
        self.assertEqual(attachment.name, f"Offer {order.name}.pdf")
        self.assertIn(attachment, email_action.message_ids.attachment_ids)
        # Visible from the prospect: its chatter and its History tab.
        note = self.prospect.message_ids[:1]
        self.assertIn(order.name, note.body)
        self.assertEqual(note.attachment_ids, attachment)
        self.assertIn(email_action, self.prospect.mercator_history_ids)
        self.assertIn(offer, self.prospect.mercator_history_ids)

    @users("mercator_rep")
    def test_chain_offer_email_walks(self):
        """The chain offer -> email walks both ways."""
        offer = self._make_offer()
        with self.mock_mail_gateway():
            offer.action_validate_offer()
        email_action = offer.next_id
        self.assertEqual(offer.action_open_next()["res_id"], email_action.id)
        self.assertEqual(email_action.action_open_previous()["res_id"], offer.id)
        chain = offer._get_chain()
        self.assertEqual(chain[-2:], offer | email_action)
        with self.assertRaises(UserError):
            email_action.action_open_next()

    @users("mercator_rep")
    def test_email_falls_back_to_partner(self):
        """Without a contact person the prospect itself receives the offer."""
        self.opportunity.contact_id = False
        offer = self._make_offer()
        with self.mock_mail_gateway():
            offer.action_validate_offer()
        self.assertEqual(
            len([m for m in self._mails if self.prospect.email in m["email_to"][0]]), 1
        )

    def _assert_nothing_done(self, offer):
        self.assertFalse(offer.done)
        self.assertEqual(offer.sale_order_id.state, "draft")
        self.assertFalse(offer.with_context(active_test=False).next_ids)
        self.assertFalse(self._mails)

    def test_bad_input(self):
        """No email, an invalid email, a quote without lines, no mail server: a
        clear message and nothing half-done."""
        offer = self._make_offer()
        cases = [
            ("no email", lambda: self.contact.write({"email": False}), "no email"),
            (
                "invalid email",
                lambda: self.contact.write({"email": "paula@"}),
                "is not valid",
            ),
        ]
        for label, breaks, message in cases:
            with self.subTest(label), self.mock_mail_gateway():
                self.contact.email = "paula@pixel.example.com"
                breaks()
                with self.assertRaisesRegex(UserError, message):
                    offer.action_validate_offer()
                self._assert_nothing_done(offer)
        self.contact.email = "paula@pixel.example.com"

        empty = self._make_offer(quantity=0)
        with self.mock_mail_gateway():
            with self.assertRaisesRegex(UserError, "has no lines"):
                empty.action_validate_offer()
            self._assert_nothing_done(empty)

        self.env["ir.mail_server"].search([]).unlink()
        with self.mock_mail_gateway(), patch.dict(config.options, {"smtp_server": ""}):
            with self.assertRaisesRegex(UserError, "No outgoing mail server"):
                offer.action_validate_offer()
            self._assert_nothing_done(offer)

    def test_validate_twice(self):
        offer = self._make_offer()
        with self.mock_mail_gateway():
            offer.action_validate_offer()
        with self.assertRaisesRegex(UserError, "already done"):
            offer.action_validate_offer()

    def test_confirm_quote_wins_opportunity(self):
        """Confirming the quote wins the opportunity and turns the prospect into a
        customer, everything staying linked."""
        offer = self._make_offer()
        order = offer.sale_order_id
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(self.opportunity.opportunity_state, "won")
        self.assertEqual(self.opportunity.probability, 100.0)
        self.assertEqual(self.prospect.mercator_status, "customer")
        self.assertEqual(self.opportunity.expected_revenue, order.amount_untaxed)
        self.assertEqual(order.mercator_opportunity_id, self.opportunity)
        self.assertEqual(offer.sale_order_id, order)

    def test_cancel_quote_keeps_opportunity(self):
        """A cancelled quote does not mark the opportunity lost: its rep is told."""
        offer = self._make_offer()
        order = offer.sale_order_id
        order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(self.opportunity.opportunity_state, "negotiation")
        self.assertEqual(self.prospect.mercator_status, "prospect")
        self.assertIn(order.name, self.opportunity.message_ids[:1].body)
        self.assertIn("mark it lost", self.opportunity.message_ids[:1].body)

    @users("mercator_rep")
    def test_offer_with_quote_done_only_by_validating(self):
        """The form hides "Done" on an offer with a quote: validating it emails
        it. The model refuses the other ways too (lists, kanban, reminders)."""
        offer = self._make_offer()
        for label, mark_done in (
            ("Done", offer.action_mark_done),
            ("Done and Plan Next", offer.action_done_and_plan_next),
            ("a list's toggle", lambda: offer.write({"done": True})),
            # An RPC call carries any context: the validation's own key is not
            # a context key, so naming it opens nothing.
            (
                "a forged context",
                lambda: offer.with_context(
                    mercator_offer_validation=True,
                    **{"mercator_crm.offer_validation": True},
                ).write({"done": True}),
            ),
        ):
            with (
                self.subTest(label),
                self.assertRaisesRegex(UserError, "done by validating it"),
            ):
                mark_done()
        self.assertFalse(offer.done)
        with self.mock_mail_gateway():
            offer.action_validate_offer()
        self.assertTrue(offer.done)
        self.assertEqual(offer.done_user_id, self.rep)

    @users("mercator_rep")
    def test_offer_buttons_refused_on_other_kinds(self):
        """The offer buttons the form shows on opportunities or offers only are
        refused on other actions, and offers are made while negotiating."""
        meeting = self.meeting.with_env(self.env)
        for button, message in (
            (meeting.action_make_offer, "is for opportunities only"),
            (meeting.action_view_sale_orders, "is for opportunities only"),
            (meeting.action_view_sale_order, "has no quote"),
            (meeting.action_print_offer, "Only offers with a quote"),
            (meeting.action_validate_offer, "Only offers with a quote"),
        ):
            with (
                self.subTest(button=button.__name__),
                self.assertRaisesRegex(UserError, message),
            ):
                button()
        self.opportunity.action_set_lost()
        with self.assertRaisesRegex(UserError, "reopen its negotiation"):
            self.opportunity.with_env(self.env).action_make_offer()
        self.assertFalse(self.opportunity.sale_order_ids)

    @users("mercator_rep_other")
    @mute_logger("odoo.addons.base.models.ir_rule")
    def test_rights_own_documents(self):
        """A rep with "own documents" makes offers on their own opportunities
        only."""
        opportunity = self.opportunity.with_env(self.env)
        with self.assertRaises(AccessError):
            opportunity.action_make_offer()
        # Even on an opportunity nobody is responsible for, which they can see.
        self.opportunity.user_id = False
        self.prospect.user_id = False
        with self.assertRaisesRegex(AccessError, "your own opportunities"):
            opportunity.action_make_offer()
        with self.assertRaisesRegex(AccessError, "your own opportunities"):
            self.env["mercator.action"].create(
                {
                    "name": "Not my offer",
                    "template_id": self.tpl_offer.id,
                    "parent_id": self.opportunity.id,
                    "partner_id": self.prospect.id,
                }
            )
        # A rep seeing all documents may.
        self.rep_other.groups_id += self.env.ref("mercator_crm.group_mercator_user_all")
        offer = self._make_offer()
        self.assertTrue(offer.sale_order_id)


@tagged("post_install", "-at_install", "mercator_offer")
class TestOfferPdf(HttpCase, MercatorOfferCommon):
    """Real PDFs: wkhtmltopdf fetches the report's CSS from the test server, so
    these tests run as HttpCase, as Odoo's own report tests do."""

    @users("mercator_rep")
    def test_offer_pdf(self):
        """The offer PDF is a real PDF holding the quote and the prospect; two
        offers print at once (one wkhtmltopdf call each, merged)."""
        offer = self._make_offer()
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, report_type = report._render_qweb_pdf(
            "mercator_crm.action_report_offer", offer.ids
        )
        self.assertEqual(report_type, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = pdf_text(pdf)
        self.assertIn(offer.sale_order_id.name, text)
        self.assertIn("Pixel Furniture", text)
        self.assertIn("Steel Shelf 2m", text)
        self.assertIn("Rita Rep", text)

        other = self._make_offer(quantity=1)
        pdf, _report_type = report._render_qweb_pdf(
            "mercator_crm.action_report_offer", (offer | other).ids
        )
        self.assertTrue(pdf.startswith(b"%PDF"))
        text = pdf_text(pdf)
        self.assertEqual(text.count("\f"), 2, "one page per offer")
        self.assertIn(offer.sale_order_id.name, text)
        self.assertIn(other.sale_order_id.name, text)
        # From the quote too.
        action = other.sale_order_id.action_print_mercator_offer()
        self.assertEqual(action["report_name"], "mercator_crm.report_offer")
        with self.assertRaises(UserError):
            self.opportunity.action_print_offer()

    @users("mercator_rep")
    def test_validate_offer_emails_real_pdf(self):
        """The email of a validated offer carries the real offer PDF."""
        offer = self._make_offer()
        order = offer.sale_order_id
        with self.mock_mail_gateway():
            offer.with_context(force_report_rendering=True).action_validate_offer()
        to_contact = [
            mail for mail in self._mails if self.contact.email in mail["email_to"][0]
        ]
        self.assertEqual(len(to_contact), 1, "the offer is emailed once")
        name, content, mimetype = to_contact[0]["attachments"][0]
        self.assertEqual(name, f"Offer {order.name}.pdf")
        self.assertEqual(mimetype, "application/pdf")
        self.assertTrue(content.startswith(b"%PDF"))
        self.assertIn(order.name, pdf_text(content))
