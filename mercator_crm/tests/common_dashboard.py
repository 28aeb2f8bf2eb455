from dateutil.relativedelta import relativedelta

from odoo import fields
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

# Fields of a card of the objectives board, as the kanban asks for them.
BOARD_SPECIFICATION = {
    "name": {},
    "partner_id": {"fields": {"display_name": {}}},
    "expected_revenue": {},
    "currency_id": {"fields": {}},
    "probability": {},
    "opportunity_state": {},
    "user_id": {"fields": {"display_name": {}}},
    "board_color": {},
    "board_column_id": {"fields": {"display_name": {}}},
}
BOARD_PROGRESS_BAR = {
    "field": "opportunity_state",
    "colors": {"won": "success", "negotiation": "info", "lost": "danger"},
    "sum_field": "expected_revenue",
}


class MercatorDashboardCase(TransactionCase):
    """Two reps, a manager, a rep without opportunities, two columns and four
    opportunities whose totals are computed by hand in the tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.manager = new_test_user(
            cls.env,
            "dash_manager",
            groups="mercator_crm.group_mercator_manager,sales_team.group_sale_manager",
            name="Dash Manager",
        )
        cls.rep_a = new_test_user(
            cls.env,
            "dash_rep_a",
            groups="mercator_crm.group_mercator_user",
            name="Dash Rep A",
        )
        cls.rep_b = new_test_user(
            cls.env,
            "dash_rep_b",
            groups="mercator_crm.group_mercator_user",
            name="Dash Rep B",
        )
        cls.rep_empty = new_test_user(
            cls.env,
            "dash_rep_empty",
            groups="mercator_crm.group_mercator_user",
            name="Dash Rep Empty",
        )
        cls.template_opportunity = cls.env.ref(
            "mercator_crm.mercator_action_template_opportunity"
        )
        cls.template_call = cls.env.ref("mercator_crm.mercator_action_template_call")
        cls.column_1, cls.column_2 = cls.env["mercator.board.column"].create(
            [
                {"name": "Dash First", "sequence": 1},
                {"name": "Dash Second", "sequence": 2},
            ]
        )
        cls.source = cls.env["utm.source"].create({"name": "Dash Fair"})
        cls.partner_a = cls.env["res.partner"].create(
            {
                "name": "<b>Bold & Co</b>",
                "is_company": True,
                "mercator_status": "prospect",
                "user_id": cls.rep_a.id,
                "mercator_source_id": cls.source.id,
            }
        )
        cls.contact_a = cls.env["res.partner"].create(
            {
                "name": "Alice Contact",
                "parent_id": cls.partner_a.id,
                "type": "contact",
            }
        )
        cls.partner_b = cls.env["res.partner"].create(
            {
                "name": "Beta Furniture",
                "is_company": True,
                "mercator_status": "customer",
                "user_id": cls.rep_b.id,
            }
        )
        now = fields.Datetime.now()
        Action = cls.env["mercator.action"]
        cls.opp_a_negotiation, cls.opp_a_won, cls.opp_b_negotiation, cls.opp_b_lost = (
            Action.create(
                [
                    {
                        "name": "<i>Open space</i>",
                        "template_id": cls.template_opportunity.id,
                        "partner_id": cls.partner_a.id,
                        "user_id": cls.rep_a.id,
                        "board_column_id": cls.column_1.id,
                        "expected_revenue": 1000.0,
                        "probability": 50.0,
                    },
                    {
                        "name": "Won desks",
                        "template_id": cls.template_opportunity.id,
                        "partner_id": cls.partner_a.id,
                        "user_id": cls.rep_a.id,
                        "board_column_id": cls.column_1.id,
                        "expected_revenue": 2000.0,
                        "probability": 100.0,
                        "opportunity_state": "won",
                        "date_closed": now,
                    },
                    {
                        "name": "Beta chairs",
                        "template_id": cls.template_opportunity.id,
                        "partner_id": cls.partner_b.id,
                        "user_id": cls.rep_b.id,
                        "board_column_id": cls.column_2.id,
                        "expected_revenue": 4000.0,
                        "probability": 25.0,
                    },
                    {
                        "name": "Beta lost lamps",
                        "template_id": cls.template_opportunity.id,
                        "partner_id": cls.partner_b.id,
                        "user_id": cls.rep_b.id,
                        "board_column_id": cls.column_2.id,
                        "expected_revenue": 8000.0,
                        "probability": 0.0,
                        "opportunity_state": "lost",
                        "date_closed": now,
                    },
                ]
            )
        )
        # Actions of rep A: one done now, one overdue with the contact, one to do later.
        cls.call_done, cls.call_overdue, cls.call_later = Action.create(
            [
                {
                    "name": "Done call <script>",
                    "template_id": cls.template_call.id,
                    "partner_id": cls.partner_a.id,
                    "user_id": cls.rep_a.id,
                    "parent_id": cls.opp_a_negotiation.id,
                    "date": now - relativedelta(hours=2),
                    "done": True,
                    "date_done": now - relativedelta(hours=1),
                },
                {
                    "name": "Overdue call",
                    "template_id": cls.template_call.id,
                    "partner_id": cls.partner_a.id,
                    "contact_id": cls.contact_a.id,
                    "user_id": cls.rep_a.id,
                    "parent_id": cls.opp_a_negotiation.id,
                    "date": now - relativedelta(days=10),
                    "date_deadline": now - relativedelta(days=3),
                },
                {
                    "name": "Later call",
                    "template_id": cls.template_call.id,
                    "partner_id": cls.partner_a.id,
                    "user_id": cls.rep_a.id,
                    "parent_id": cls.opp_a_won.id,
                    "date": now + relativedelta(days=3),
                    "date_deadline": now + relativedelta(days=5),
                },
            ]
        )
        cls.fixture_domain = [
            ("kind", "=", "opportunity"),
            ("partner_id", "in", (cls.partner_a | cls.partner_b).ids),
        ]

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
