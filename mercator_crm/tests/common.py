"""Fixtures of the mercator_crm tests: one tree, as crm/tests/common.py has.

- ``MercatorCommon``: users per group (and a portal user, and a rep of
  another company), a prospect with two contact persons, another rep's
  prospect, the action templates and a won and a lost reason. Every test
  class extends it.

  - ``MercatorActionCommon``: an opportunity whose first step (a call) is done
    and followed by a meeting.

    - ``MercatorOfferCommon``: a product to offer and ``_make_offer()``.

  - ``MercatorCalendarCommon``: an appointment type, only the test's reminders
    pending, the reminders cron's triggers and the bus.
  - ``MercatorDashboardCommon``: two board columns, four opportunities and three
    calls whose figures the tests compute by hand.

    - ``MercatorObjectivesCommon``: the same alone on the board, with targets
      and the actions of "My day".
  - ``MercatorMailingCommon``: five recipients and a mailing to them.

Browser tests (tours) are ``HttpCase`` subclasses of the same bases. The bases
define no ``test_*`` method. The users log in with their login as password.
"""

from contextlib import contextmanager
from datetime import datetime

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.addons.base.tests.test_ir_cron import CronMixinCase
from odoo.addons.mail.tests.common import MailCase
from odoo.addons.mercator_crm.models.mercator_action_reminder_recipient import (
    REMINDER_BUS_TYPE,
)
from odoo.tests import TransactionCase, new_test_user


class MercatorCommon(TransactionCase, MailCase):
    """Users per group, a prospect with contacts, the action templates."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._init_mail_gateway()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.rep, cls.rep_other, cls.rep_all, cls.manager, cls.employee = (
            new_test_user(
                cls.env,
                login,
                groups=groups,
                name=name,
                email=f"{login}@example.com",
                tz="UTC",
            )
            for login, groups, name in (
                # Own documents only: their prospects and actions.
                ("mercator_rep", "mercator_crm.group_mercator_user", "Rita Rep"),
                (
                    "mercator_rep_other",
                    "mercator_crm.group_mercator_user",
                    "Oscar Other",
                ),
                # Every prospect and action.
                (
                    "mercator_rep_all",
                    "mercator_crm.group_mercator_user_all",
                    "Alice All",
                ),
                (
                    "mercator_manager",
                    "mercator_crm.group_mercator_manager",
                    "Max Manager",
                ),
                # An employee without Mercator CRM.
                ("mercator_employee", "base.group_user", "Emil Employee"),
            )
        )
        # Outsiders: a portal user (a customer's login), and an all-documents
        # rep of another company only.
        cls.portal = new_test_user(
            cls.env,
            "mercator_portal_customer",
            groups="base.group_portal",
            name="Paul Portal",
            email="mercator_portal_customer@example.com",
        )
        cls.other_company = cls.env["res.company"].create(
            {"name": "Mercator Elsewhere"}
        )
        cls.rep_foreign = new_test_user(
            cls.env,
            "mercator_rep_foreign",
            groups="mercator_crm.group_mercator_user_all",
            name="Fiona Foreign",
            email="mercator_rep_foreign@example.com",
            company_id=cls.other_company.id,
            company_ids=[Command.set(cls.other_company.ids)],
        )
        ref = cls.env.ref
        cls.tpl_opportunity = ref("mercator_crm.mercator_action_template_opportunity")
        cls.tpl_call = ref("mercator_crm.mercator_action_template_call")
        cls.tpl_meeting = ref("mercator_crm.mercator_action_template_meeting")
        cls.tpl_offer = ref("mercator_crm.mercator_action_template_offer")
        cls.tpl_documentation = ref(
            "mercator_crm.mercator_action_template_documentation"
        )
        cls.tpl_email = ref("mercator_crm.mercator_action_template_email")
        cls.tpl_task = ref("mercator_crm.mercator_action_template_task")
        cls.tpl_letter = ref("mercator_crm.mercator_action_template_letter")
        cls.reason_won = ref("mercator_crm.mercator_close_reason_price")
        cls.reason_lost = ref("mercator_crm.mercator_close_reason_too_expensive")
        cls.source = cls.env["utm.source"].create({"name": "Test Fair"})
        cls.prospect_type = ref("mercator_crm.mercator_prospect_type_company")
        cls.prospect = cls.env["res.partner"].create(
            {
                "name": "Pixel Furniture",
                "is_company": True,
                "mercator_status": "prospect",
                "mercator_type_id": cls.prospect_type.id,
                "mercator_source_id": cls.source.id,
                "user_id": cls.rep.id,
                "email": "info@pixel.example.com",
                "street": "12 rue Neuve",
                "city": "Bruxelles",
                "zip": "1000",
            }
        )
        cls.contact, cls.contact_2 = cls.env["res.partner"].create(
            [
                {
                    "name": "Paula Pixel",
                    "parent_id": cls.prospect.id,
                    "type": "contact",
                    "email": "paula@pixel.example.com",
                },
                {
                    "name": "Pierre Pixel",
                    "parent_id": cls.prospect.id,
                    "type": "contact",
                },
            ]
        )
        # HTML in the name: reports and the board must show it as text.
        cls.other_prospect = cls.env["res.partner"].create(
            {
                "name": "<b>Bold & Co</b>",
                "is_company": True,
                "mercator_status": "prospect",
                "user_id": cls.rep_other.id,
            }
        )

    @contextmanager
    def assertRefused(self, exception, regex):
        """``assertRaisesRegex`` in a savepoint, as Odoo's ``assertRaises``:
        what the refused operation wrote before failing is rolled back, so the
        test reads the records as they are after the refusal."""
        with self.assertRaises(exception) as capture:
            yield capture
        self.assertRegex(str(capture.exception), regex)

    @classmethod
    def _create_action(cls, template, **values):
        """An action of ``template`` for the prospect, as the superuser."""
        return cls.env["mercator.action"].create(
            {"template_id": template.id, "partner_id": cls.prospect.id, **values}
        )


class MercatorActionCommon(MercatorCommon):
    """An opportunity of the rep whose first step, a call, is done and followed
    by a meeting."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.opportunity = cls._create_action(
            cls.tpl_opportunity,
            name="Pixel open space",
            contact_id=cls.contact.id,
            user_id=cls.rep.id,
            expected_revenue=12000,
            date=datetime(2026, 3, 2, 9, 0),
        )
        cls.call = cls._create_action(
            cls.tpl_call,
            parent_id=cls.opportunity.id,
            user_id=cls.rep.id,
            date=datetime(2026, 3, 3, 10, 0),
            done=True,
            date_done=datetime(2026, 3, 3, 10, 30),
        )
        cls.meeting = cls._create_action(
            cls.tpl_meeting,
            parent_id=cls.opportunity.id,
            previous_id=cls.call.id,
            user_id=cls.rep.id,
            date=datetime(2026, 3, 10, 14, 0),
        )


class MercatorOfferCommon(MercatorActionCommon):
    """A product to offer on the opportunity, and ``_make_offer()``."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {
                "name": "Steel Shelf 2m",
                "type": "consu",
                "list_price": 250.0,
                "taxes_id": [Command.clear()],
            }
        )

    def _make_offer(self, quantity=4.0):
        """ "Make an Offer" on the opportunity as the test's user, with one line
        of ``quantity`` shelves when ``quantity`` is set."""
        action = self.opportunity.with_env(self.env).action_make_offer()
        offer = self.env["mercator.action"].browse(action["res_id"])
        if quantity:
            offer.sale_order_id.order_line = [
                Command.create(
                    {"product_id": self.product.id, "product_uom_qty": quantity}
                )
            ]
        return offer


class MercatorCalendarCommon(MercatorCommon, CronMixinCase):
    """An appointment type of its own, only the test's reminders pending, and
    the bus emptied before each test."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The demo reminders are out of the way of the cron.
        cls.env["mercator.action.reminder.recipient"].search(
            [("state", "=", "pending")]
        ).write({"state": "cancelled"})
        cls.tpl_video = cls.env["mercator.action.template"].create(
            {"name": "Test Video Call", "kind": "appointment", "color": 6}
        )

    def setUp(self):
        super().setUp()
        self._reset_bus()

    def assertReminded(self, expected):
        """The reminders on the bus since the test started: one notification per
        ``(user, action)`` pair, in the order they were sent."""
        messages = []
        for user, action in expected:
            recipient = action.reminder_recipient_ids.filtered(
                lambda r, user=user: r.user_id == user
            )
            payload = dict(action._reminder_payload(), recipient_id=recipient.id)
            messages.append({"type": REMINDER_BUS_TYPE, "payload": payload})
        self.assertBusNotifications(
            [
                (self.cr.dbname, "res.partner", user.partner_id.id)
                for user, _a in expected
            ],
            messages,
        )


# Fields of a card of the objectives board, as the kanban asks for them.
BOARD_SPECIFICATION = {
    "name": {},
    "partner_id": {"fields": {"display_name": {}}},
    "expected_revenue": {},
    "currency_id": {"fields": {}},
    "probability": {},
    "opportunity_state": {},
    "representative_id": {"fields": {"display_name": {}}},
    "board_color": {},
    "board_column_id": {"fields": {"display_name": {}}},
}
BOARD_PROGRESS_BAR = {
    "field": "opportunity_state",
    "colors": {"won": "success", "negotiation": "info", "lost": "danger"},
    "sum_field": "expected_revenue",
}


class MercatorDashboardCommon(MercatorCommon):
    """Two board columns; the rep's prospect has an opportunity in negotiation
    (1,000 at 50 %) and a won one (2,000), the other rep's prospect one in
    negotiation (4,000 at 25 %) and a lost one (8,000); the rep has a call done
    now, an overdue one and one to do later. The rep with all documents has no
    opportunity at all."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.column_1, cls.column_2 = cls.env["mercator.board.column"].create(
            [
                {"name": "Dash First", "sequence": 1},
                {"name": "Dash Second", "sequence": 2},
            ]
        )
        now = fields.Datetime.now()
        opportunity = {"template_id": cls.tpl_opportunity.id}
        mine = {**opportunity, "partner_id": cls.prospect.id, "user_id": cls.rep.id}
        others = {
            **opportunity,
            "partner_id": cls.other_prospect.id,
            "user_id": cls.rep_other.id,
        }
        Action = cls.env["mercator.action"]
        cls.opp_negotiation, cls.opp_won, cls.opp_other, cls.opp_other_lost = (
            Action.create(
                [
                    {
                        **mine,
                        "name": "<i>Open space</i>",
                        "board_column_id": cls.column_1.id,
                        "expected_revenue": 1000.0,
                        "probability": 50.0,
                    },
                    {
                        **mine,
                        "name": "Won desks",
                        "board_column_id": cls.column_1.id,
                        "expected_revenue": 2000.0,
                        "probability": 100.0,
                        "opportunity_state": "won",
                        "date_closed": now,
                    },
                    {
                        **others,
                        "name": "Beta chairs",
                        "board_column_id": cls.column_2.id,
                        "expected_revenue": 4000.0,
                        "probability": 25.0,
                    },
                    {
                        **others,
                        "name": "Beta lost lamps",
                        "board_column_id": cls.column_2.id,
                        "expected_revenue": 8000.0,
                        "probability": 0.0,
                        "opportunity_state": "lost",
                        "date_closed": now,
                    },
                ]
            )
        )
        call = {**mine, "template_id": cls.tpl_call.id}
        cls.call_done, cls.call_overdue, cls.call_later = Action.create(
            [
                {
                    **call,
                    "name": "Done call <script>",
                    "parent_id": cls.opp_negotiation.id,
                    "date": now - relativedelta(hours=2),
                    "done": True,
                    "date_done": now - relativedelta(hours=1),
                },
                {
                    **call,
                    "name": "Overdue call",
                    "contact_id": cls.contact.id,
                    "parent_id": cls.opp_negotiation.id,
                    "date": now - relativedelta(days=10),
                    "date_deadline": now - relativedelta(days=3),
                },
                {
                    **call,
                    "name": "Later call",
                    "parent_id": cls.opp_won.id,
                    "date": now + relativedelta(days=3),
                    "date_deadline": now + relativedelta(days=5),
                },
            ]
        )
        cls.fixture_domain = [
            ("kind", "=", "opportunity"),
            ("partner_id", "in", (cls.prospect | cls.other_prospect).ids),
        ]

    def _count_queries(self, func):
        """The queries of ``func()`` once Odoo's caches (access rights, record
        rules, groups) are warm and the records' cache is empty."""
        func()
        func()
        self.env.invalidate_all()
        count0 = self.cr.sql_log_count
        func()
        return self.cr.sql_log_count - count0

    def _board_data(self, env, domain, limit=40):
        """The calls the board's kanban makes: groups, progress bars, then the
        cards of each unfolded column."""
        Action = env["mercator.action"]
        groups = Action.web_read_group(
            domain,
            ["expected_revenue:sum"],
            ["board_column_id"],
        )["groups"]
        progress = Action.read_progress_bar(
            domain,
            "board_column_id",
            BOARD_PROGRESS_BAR,
        )
        cards = {}
        for group in groups:
            if group.get("__fold"):
                continue
            cards[group["board_column_id"][0]] = Action.web_search_read(
                group["__domain"],
                BOARD_SPECIFICATION,
                limit=limit,
            )
        return groups, progress, cards


class MercatorObjectivesCommon(MercatorDashboardCommon):
    """The dashboard's fixture alone on the board (the demo opportunities
    archived, the demo targets removed) with known deadlines: the rep's
    opportunity in negotiation has none (it counts in the current period),
    the other rep's closes next month. Targets for this month: 4,000 and 2
    opportunities for the rep, 10,000 for the whole team; 9,000 this quarter
    for the other rep. Actions of "My day" for the rep: a task due today, an
    appointment today, a task dated today without deadline (with the
    fixture's overdue call), and a task due tomorrow that is not of the day."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Action = cls.env["mercator.action"]
        fixture = cls.opp_negotiation | cls.opp_won | cls.opp_other | cls.opp_other_lost
        Action.search(
            [("kind", "=", "opportunity"), ("id", "not in", fixture.ids)]
        ).write({"active": False})
        cls.env["mercator.target"].search([]).unlink()
        cls.today = fields.Date.context_today(cls.env["mercator.action"])
        cls.month_start = cls.today.replace(day=1)
        cls.next_month = cls.month_start + relativedelta(months=1)
        cls.opp_negotiation.date_deadline = False
        cls.opp_other.date_deadline = datetime.combine(
            cls.next_month, datetime.min.time()
        ) + relativedelta(days=1, hours=10)
        cls.target_rep, cls.target_team, cls.target_other = cls.env[
            "mercator.target"
        ].create(
            [
                {
                    "user_id": cls.rep.id,
                    "period_type": "month",
                    "date_from": cls.today,
                    "revenue_target": 4000.0,
                    "won_count_target": 2,
                },
                {
                    "period_type": "month",
                    "date_from": cls.today,
                    "revenue_target": 10000.0,
                },
                {
                    "user_id": cls.rep_other.id,
                    "period_type": "quarter",
                    "date_from": cls.today,
                    "revenue_target": 9000.0,
                },
            ]
        )
        # "My day" of the rep, the user's day being UTC's (the users' tz); the
        # tests look at it at 8:00.
        midnight = datetime.combine(cls.today, datetime.min.time())
        cls.morning = midnight + relativedelta(hours=8)
        task = {
            "template_id": cls.tpl_task.id,
            "partner_id": cls.prospect.id,
            "user_id": cls.rep.id,
        }
        cls.task_today, cls.task_undated, cls.task_tomorrow = Action.create(
            [
                {
                    **task,
                    "name": "Task due today",
                    "date": midnight,
                    "date_deadline": midnight + relativedelta(hours=23, minutes=59),
                },
                {
                    **task,
                    "name": "Task of today without deadline",
                    "date": midnight + relativedelta(minutes=1),
                    "date_deadline": False,
                },
                {
                    **task,
                    "name": "Task due tomorrow",
                    "date": midnight,
                    "date_deadline": midnight + relativedelta(days=1, hours=12),
                },
            ]
        )
        cls.appointment_today = Action.create(
            {
                "template_id": cls.tpl_meeting.id,
                "partner_id": cls.prospect.id,
                "user_id": cls.rep.id,
                "name": "Appointment of today",
                "date": midnight + relativedelta(hours=10),
                "date_deadline": midnight + relativedelta(hours=11),
            }
        )


class MercatorMailingCommon(MercatorCommon):
    """Five prospects with an email and an address, tagged for the test, and a
    draft email mailing to them (tracking on: the mailing's chatter counts)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False))
        # Lifted, as mail's test base does and as these tests always ran: with
        # the restriction on, a rep who is no template editor cannot render the
        # mailing's default language placeholder "{{ object.lang }}" (a known
        # limitation, left to the access-rights work).
        cls.env["ir.config_parameter"].set_param(
            "mail.restrict.template.rendering", False
        )
        cls.tag = cls.env["res.partner.category"].create({"name": "Mailing Test"})
        cls.recipients = cls.env["res.partner"].create(
            [
                {
                    "name": f"Mailing Prospect {index}",
                    "email": f"prospect{index}@example.com",
                    "street": f"{index} rue Neuve",
                    "city": "Bruxelles",
                    "zip": "1000",
                    "mercator_status": "prospect",
                    "category_id": [Command.link(cls.tag.id)],
                }
                for index in range(5)
            ]
        )
        cls.mailing = cls.env["mercator.mailing"].create(
            {
                "name": "Test Mailing",
                "medium": "email",
                "email_from": "sales@example.com",
                "recipient_domain": repr([("category_id", "in", cls.tag.ids)]),
                "subject": "Hello {{ object.name }}",
                "body_html": '<p>Dear <t t-out="object.name"/>, news.</p>',
            }
        )

    def _add_recipient(self, **values):
        return self.env["res.partner"].create(
            {
                "name": "Extra",
                "mercator_status": "prospect",
                "category_id": [Command.link(self.tag.id)],
                **values,
            }
        )

    def _sends(self, mailing=None, state=None):
        domain = [("mailing_id", "=", (mailing or self.mailing).id)]
        if state:
            domain.append(("mailing_state", "=", state))
        return (
            self.env["mercator.action"].with_context(active_test=False).search(domain)
        )

    def _run_queue(self, batch_size=500):
        """Our cron, then Odoo's mail queue, as the two crons would."""
        self.env["mercator.action"]._cron_send_mailings(batch_size=batch_size)
        self.env["mail.mail"].process_email_queue()
