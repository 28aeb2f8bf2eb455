"""Issue 12, class 4: links are checked on the server, not only hidden in the
view. Over RPC a user sends any id in any field: what the view shows read-only
or filters with a domain is checked by the models."""

from datetime import datetime

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged, users

from .common import MercatorMailingCommon, MercatorOfferCommon


@tagged("post_install", "-at_install")
class TestSecurityLinks(MercatorOfferCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_opportunity = cls.env["mercator.action"].create(
            {
                "name": "Bold deal",
                "template_id": cls.tpl_opportunity.id,
                "partner_id": cls.other_prospect.id,
                "user_id": cls.rep_other.id,
            }
        )
        cls.other_call = cls.env["mercator.action"].create(
            {
                "name": "Bold call",
                "template_id": cls.tpl_call.id,
                "parent_id": cls.other_opportunity.id,
                "user_id": cls.rep_other.id,
                "done": True,
            }
        )
        cls.other_contact = cls.env["res.partner"].create(
            {"name": "Bold Contact", "parent_id": cls.other_prospect.id}
        )

    def _quote_values(self, partner, opportunity):
        return {
            "partner_id": partner.id,
            "mercator_opportunity_id": opportunity.id,
            "order_line": [
                Command.create({"product_id": self.product.id, "product_uom_qty": 1})
            ],
        }

    # Quotes and opportunities ---------------------------------------------

    @users("mercator_rep")
    def test_quote_cannot_win_another_reps_opportunity(self):
        """A rep linking a quote of hers to another rep's opportunity, then
        confirming it, would win that opportunity."""
        SaleOrder = self.env["sale.order"]
        with self.assertRaises(AccessError):
            SaleOrder.create(self._quote_values(self.prospect, self.other_opportunity))
        with self.assertRaises(AccessError):
            SaleOrder.create(
                self._quote_values(self.other_prospect, self.other_opportunity)
            )
        with self.assertRaises(AccessError):
            SaleOrder.with_context(
                default_mercator_opportunity_id=self.other_opportunity.id
            ).create({"partner_id": self.prospect.id})
        order = SaleOrder.create({"partner_id": self.prospect.id})
        with self.assertRaises(AccessError):
            order.write({"mercator_opportunity_id": self.other_opportunity.id})
        order.action_confirm()
        self.assertEqual(self.other_opportunity.opportunity_state, "negotiation")
        self.assertEqual(self.other_prospect.mercator_status, "prospect")

    @users("mercator_rep_all", "mercator_manager")
    def test_quote_belongs_to_an_opportunity_of_its_customer(self):
        """Who may write every opportunity still links a quote only to one of
        its own customer (and to an offer of that opportunity)."""
        SaleOrder = self.env["sale.order"]
        with self.assertRefused(ValidationError, "opportunity of its customer"):
            SaleOrder.create(self._quote_values(self.prospect, self.other_opportunity))
        with self.assertRefused(ValidationError, "opportunity of its customer"):
            SaleOrder.create(self._quote_values(self.prospect, self.meeting))
        order = SaleOrder.create(self._quote_values(self.prospect, self.opportunity))
        with self.assertRefused(ValidationError, "offer of its own opportunity"):
            order.mercator_offer_action_id = self.meeting
        with self.assertRefused(ValidationError, "opportunity of its customer"):
            order.partner_id = self.other_prospect
        order.action_confirm()
        self.assertEqual(self.opportunity.opportunity_state, "won")

    def test_outsiders_cannot_link_quotes(self):
        """No sales rights (employee, portal), or another company."""
        for user in (self.employee, self.portal, self.rep_foreign):
            with self.subTest(user=user.login):
                SaleOrder = (
                    self.env["sale.order"]
                    .with_user(user)
                    .with_context(allowed_company_ids=user.company_ids.ids)
                )
                with self.assertRaises(AccessError):
                    SaleOrder.create(
                        self._quote_values(self.prospect, self.opportunity)
                    )

    # Fields set by the addon only ------------------------------------------

    def test_system_fields_not_writable(self):
        """The fields the form shows read-only because the addon sets them are
        refused to every user over RPC, on write and on create (also through
        the context's defaults); saving the value they hold passes."""
        rep_offer = self._make_offer().with_user(self.rep)
        other_order = self.env["sale.order"].create({"partner_id": self.prospect.id})
        foreign_event = self.env["calendar.event"].create(
            {
                "name": "Someone's event",
                "start": datetime(2030, 1, 1, 9, 0),
                "stop": datetime(2030, 1, 1, 10, 0),
            }
        )
        mailing = self.env["mercator.mailing"].create(
            {"name": "Rep's mailing", "user_id": self.rep.id}
        )
        forged = {
            "sale_order_id": other_order.id,
            "calendar_event_id": foreign_event.id,
            "mailing_id": mailing.id,
            "mailing_recipient_id": self.contact.id,
            "mailing_state": "sent",
            "date_done": datetime(2020, 1, 1),
            "done_user_id": self.manager.id,
        }
        done_info = {"date_done", "done_user_id"}
        for user in (self.rep, self.rep_all, self.manager):
            meeting = self.meeting.with_user(user)
            for fname, value in forged.items():
                if user == self.manager and fname in done_info:
                    continue  # administrators correct who did it and when
                with self.subTest(user=user.login, field=fname):
                    with self.assertRefused(AccessError, "set by Mercator CRM"):
                        meeting.write({fname: value})
                    with self.assertRefused(AccessError, "set by Mercator CRM"):
                        meeting.create(
                            {
                                "template_id": self.tpl_task.id,
                                "user_id": user.id,
                                fname: value,
                            }
                        )
                    with self.assertRefused(AccessError, "set by Mercator CRM"):
                        meeting.with_context(**{f"default_{fname}": value}).create(
                            {"template_id": self.tpl_task.id, "user_id": user.id}
                        )
            with self.assertRefused(AccessError, "set by Mercator CRM"):
                rep_offer.with_user(user).write({"sale_order_id": False})
            with self.assertRefused(AccessError, "set by Mercator CRM"):
                mailing.with_user(user).write({"state": "done"})
        self.assertFalse(self.meeting.done)
        self.assertFalse(self.meeting.sale_order_id)
        self.assertEqual(mailing.state, "draft")
        self.call.with_user(self.manager).write(
            {"date_done": datetime(2026, 3, 3, 11, 0), "done_user_id": self.rep_all.id}
        )
        self.assertEqual(self.call.done_user_id, self.rep_all)
        # A client saving what it read (the form of an offer) is no change.
        rep_offer.write({"sale_order_id": rep_offer.sale_order_id.id, "name": "Mine"})
        with Form(rep_offer) as form:
            form.name = "Mine again"
        self.assertEqual(rep_offer.name, "Mine again")

    # Links of an action ----------------------------------------------------

    @users("mercator_rep")
    def test_action_links_what_the_rep_may_reach(self):
        """An own-documents rep links her actions neither to another rep's
        prospect or contact, nor into another rep's opportunity or chain."""
        Action = self.env["mercator.action"]
        task = {"template_id": self.tpl_documentation.id, "user_id": self.rep.id}
        for fname, value in (
            ("partner_id", self.other_prospect.id),
            ("contact_id", self.other_contact.id),
        ):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                Action.create({**task, "partner_id": self.prospect.id, fname: value})
        with self.assertRaises(AccessError):
            Action.with_context(default_partner_id=self.other_prospect.id).create(task)
        call = {"template_id": self.tpl_call.id, "user_id": self.rep.id}
        with self.assertRaises(AccessError):
            Action.create({**call, "parent_id": self.other_opportunity.id})
        with self.assertRaises(AccessError):
            self.meeting.with_env(self.env).write({"previous_id": self.other_call.id})
        self.assertFalse(
            Action.sudo().search(
                [
                    ("user_id", "=", self.rep.id),
                    ("partner_id", "=", self.other_prospect.id),
                ]
            )
        )

    def test_responsible_is_an_internal_user(self):
        for user in (self.rep, self.manager):
            with self.subTest(user=user.login):
                with self.assertRefused(ValidationError, "must be an internal"):
                    self.meeting.with_user(user).write({"user_id": self.portal.id})

    # Related fields ----------------------------------------------------------

    @users("mercator_rep")
    def test_quote_tab_shows_only_a_readable_quote(self):
        """The rep's offer whose quote went to another salesperson: the Quote
        tab shows nothing of it (and still opens)."""
        offer = self._make_offer()
        offer.sale_order_id.sudo().user_id = self.rep_other
        offer.invalidate_recordset()
        with self.assertRaises(AccessError):
            offer.sale_order_id.read(["amount_total"])
        fields = [
            "sale_order_line_ids",
            "sale_order_partner_id",
            "sale_order_state",
            "sale_order_validity_date",
            "sale_order_amount_untaxed",
            "sale_order_amount_total",
        ]
        [values] = offer.read(fields)
        self.assertFalse(any(values[fname] for fname in fields), values)
        self.assertEqual(offer.sale_order_amount_total, 0.0)


@tagged("post_install", "-at_install")
class TestSecurityLinksMailing(MercatorMailingCommon):
    @users("mercator_rep")
    def test_send_shows_only_a_readable_recipient_email(self):
        """A send of the rep's mailing whose recipient went to another rep shows
        no email address."""
        mailing = self.mailing.sudo().copy({"user_id": self.rep.id})
        recipients = self.recipients.sudo()
        recipients.user_id = self.rep
        mailing.with_env(self.env).action_generate()
        send = self._sends(mailing)[:1].with_env(self.env)
        self.assertEqual(send.mailing_email, send.mailing_recipient_id.sudo().email)
        # Sent, it stays the rep's when the recipient goes to another rep.
        send.sudo()._mailing_mark_sent()
        send.mailing_recipient_id.sudo().user_id = self.rep_other
        send.invalidate_recordset()
        self.assertFalse(send.mailing_email)
