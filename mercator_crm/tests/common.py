from datetime import datetime

from odoo.tests import TransactionCase, new_test_user


class MercatorCommon(TransactionCase):
    """Shared fixtures: users per group, a prospect with contacts, an
    opportunity whose first step (a call) is done and followed by a meeting."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        cls.rep = new_test_user(
            cls.env,
            "mercator_rep",
            groups="mercator_crm.group_mercator_user",
            name="Rita Rep",
        )
        cls.rep_other = new_test_user(
            cls.env,
            "mercator_rep_other",
            groups="mercator_crm.group_mercator_user",
            name="Oscar Other",
        )
        cls.rep_all = new_test_user(
            cls.env,
            "mercator_rep_all",
            groups="mercator_crm.group_mercator_user_all",
            name="Alice All",
        )
        cls.manager = new_test_user(
            cls.env,
            "mercator_manager",
            groups="mercator_crm.group_mercator_manager",
            name="Max Manager",
        )
        ref = cls.env.ref
        cls.tpl_opportunity = ref("mercator_crm.mercator_action_template_opportunity")
        cls.tpl_call = ref("mercator_crm.mercator_action_template_call")
        cls.tpl_meeting = ref("mercator_crm.mercator_action_template_meeting")
        cls.tpl_offer = ref("mercator_crm.mercator_action_template_offer")
        cls.tpl_documentation = ref(
            "mercator_crm.mercator_action_template_documentation"
        )
        cls.tpl_task = ref("mercator_crm.mercator_action_template_task")
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
        cls.other_prospect = cls.env["res.partner"].create(
            {
                "name": "Other Office",
                "is_company": True,
                "mercator_status": "prospect",
                "user_id": cls.rep_other.id,
            }
        )
        Action = cls.env["mercator.action"]
        cls.opportunity = Action.create(
            {
                "template_id": cls.tpl_opportunity.id,
                "name": "Pixel open space",
                "partner_id": cls.prospect.id,
                "contact_id": cls.contact.id,
                "user_id": cls.rep.id,
                "expected_revenue": 12000,
                "date": datetime(2026, 3, 2, 9, 0),
            }
        )
        cls.call = Action.create(
            {
                "template_id": cls.tpl_call.id,
                "parent_id": cls.opportunity.id,
                "user_id": cls.rep.id,
                "date": datetime(2026, 3, 3, 10, 0),
                "done": True,
                "date_done": datetime(2026, 3, 3, 10, 30),
            }
        )
        cls.meeting = Action.create(
            {
                "template_id": cls.tpl_meeting.id,
                "parent_id": cls.opportunity.id,
                "previous_id": cls.call.id,
                "user_id": cls.rep.id,
                "date": datetime(2026, 3, 10, 14, 0),
            }
        )

    @classmethod
    def _create_action(cls, template, **values):
        return cls.env["mercator.action"].create(
            {"template_id": template.id, "partner_id": cls.prospect.id, **values}
        )
