from datetime import datetime

from odoo.tests import Form, tagged, users
from odoo.tools.safe_eval import safe_eval

from .common import MercatorActionCommon


@tagged("post_install", "-at_install")
class TestResPartner(MercatorActionCommon):
    def test_contacts_share_company_data(self):
        self.assertEqual(self.contact.mercator_status, "prospect")
        self.assertEqual(self.contact.mercator_type_id, self.prospect_type)
        self.assertEqual(self.contact.mercator_source_id, self.source)
        self.prospect.action_mercator_set_customer()
        self.assertEqual(self.contact.mercator_status, "customer")
        self.contact.action_mercator_set_prospect()
        self.assertEqual(self.prospect.mercator_status, "prospect")

    def test_actions_tab(self):
        standalone = self._create_action(self.tpl_documentation)
        self.assertEqual(self.prospect.mercator_opportunity_ids, self.opportunity)
        self.assertEqual(self.prospect.mercator_step_ids, self.call | self.meeting)
        self.assertEqual(self.prospect.mercator_standalone_action_ids, standalone)

    def test_history_newest_first(self):
        doc = self._create_action(
            self.tpl_documentation,
            contact_id=self.contact_2.id,
            done=True,
            date_done=datetime(2026, 3, 5, 9, 0),
        )
        self._create_action(self.tpl_documentation)  # not done: not in history
        self.assertEqual(self.prospect.mercator_history_ids.ids, [doc.id, self.call.id])
        # A contact's form shows its company's history.
        self.assertEqual(self.contact.mercator_history_ids, doc | self.call)
        self.assertFalse(self.other_prospect.mercator_history_ids)

    def test_open_action_count_and_smart_button(self):
        self.assertEqual(self.prospect.mercator_open_action_count, 2)
        action = self.prospect.action_view_mercator_actions()
        found = self.env["mercator.action"].search(
            action["domain"] + [("done", "=", False)]
        )
        self.assertEqual(found, self.opportunity | self.meeting)
        self.assertEqual(action["context"]["default_partner_id"], self.prospect.id)

    @users("mercator_rep")
    def test_new_prospect_from_menu(self):
        action = self.env.ref("mercator_crm.res_partner_action_prospect").sudo()
        context = {"default_mercator_status": "prospect", "default_is_company": True}
        form = Form(
            self.env["res.partner"].with_context(**context),
            view="mercator_crm.res_partner_view_form_mercator",
        )
        form.name = "Brand New Office"
        form.mercator_type_id = self.prospect_type
        form.mercator_source_id = self.source
        partner = form.save()
        self.assertEqual(partner.mercator_status, "prospect")
        self.assertIn(partner, self.env["res.partner"].search(safe_eval(action.domain)))

    def test_new_opportunity_button(self):
        result = self.contact.action_mercator_new_opportunity()
        self.assertEqual(result["context"]["default_partner_id"], self.prospect.id)
        opportunity = (
            self.env["mercator.action"]
            .with_context(**result["context"])
            .create({"name": "Second deal"})
        )
        self.assertEqual(opportunity.kind, "opportunity")
        self.assertEqual(opportunity.opportunity_state, "negotiation")
        self.assertEqual(opportunity.user_id, self.rep)

    @users("mercator_rep")
    def test_new_action_button(self):
        """ "New Action" of the prospect form and its Actions tab: a standalone
        action for the prospect, its contact person to choose."""
        result = self.contact.with_env(self.env).action_mercator_new_action()
        self.assertEqual(result["res_model"], "mercator.action")
        self.assertFalse(result.get("res_id"))
        form = Form(
            self.env["mercator.action"].with_context(**result["context"]),
            view="mercator_crm.mercator_action_view_form",
        )
        self.assertEqual(form.partner_id, self.prospect)
        self.assertEqual(form.template_id, self.tpl_documentation)
        self.assertEqual(form.user_id, self.rep)
        form.contact_id = self.contact_2
        action = form.save()
        self.assertFalse(action.parent_id)
        self.assertEqual(action.contact_id, self.contact_2)

    @users("mercator_rep")
    def test_actions_tab_opens_full_forms(self):
        """The rows of the Actions tab open the action's own form (the window
        action the Actions menu's form uses), as the rep."""
        for action in (self.opportunity, self.meeting):
            result = action.with_env(self.env).action_open_form()
            self.assertEqual(result["res_model"], "mercator.action")
            self.assertEqual(result["res_id"], action.id)
            self.assertEqual(result["views"], [(False, "form")])
            self.assertEqual(result["target"], "current")

    def test_creating_actions_costs_no_query_per_partner(self):
        """Mailings create one action per recipient: the partner's tabs must not
        cost a query per partner (as one2many fields with a domain did)."""
        partners = self.env["res.partner"].create(
            [{"name": f"Prospect {i}", "mercator_status": "prospect"} for i in range(9)]
        )

        def queries_to_create(for_partners):
            self.env.invalidate_all()
            for_partners.mapped("name")
            before = self.cr.sql_log_count
            self.env["mercator.action"].create(
                [
                    {
                        "template_id": self.tpl_documentation.id,
                        "partner_id": partner.id,
                        "name": "Catalogue",
                    }
                    for partner in for_partners
                ]
            )
            self.env.flush_all()
            return self.cr.sql_log_count - before

        queries_to_create(partners[:1])
        self.assertEqual(
            queries_to_create(partners[1:3]), queries_to_create(partners[3:])
        )
