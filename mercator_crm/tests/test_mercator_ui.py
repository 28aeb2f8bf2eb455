from odoo.tests import HttpCase, tagged

from .common import MercatorActionCommon


@tagged("post_install", "-at_install")
class TestMercatorUi(HttpCase, MercatorActionCommon):
    allow_end_on_form = True

    def test_prospect_opportunity_chain_tour(self):
        """The rep, from their prospect: a new opportunity, a nested step done
        with its extra information, its planned follow-up, << >> and back to
        the parent."""
        self.start_tour(
            "/odoo/action-mercator_crm.res_partner_action_prospect",
            "mercator_crm_chain_tour",
            login="mercator_rep",
        )
        opportunity = self.env["mercator.action"].search(
            [("name", "=", "Tour opportunity")]
        )
        self.assertEqual(opportunity.kind, "opportunity")
        self.assertEqual(opportunity.partner_id, self.prospect)
        self.assertEqual(opportunity.user_id, self.rep)
        step = opportunity.child_ids.filtered(lambda a: a.name == "Tour first call")
        self.assertTrue(step.done)
        self.assertEqual(step.done_user_id, self.rep)
        self.assertEqual(step.done_properties["summary"], "Interested in oak desks")
        follow_up = step.next_id
        self.assertEqual(follow_up.name, "Tour visit")
        self.assertEqual(follow_up.template_id, self.tpl_meeting)
        self.assertEqual(follow_up.parent_id, opportunity)
        self.assertFalse(follow_up.done)

    def _click_everywhere(self, login):
        """Odoo's clickbot opens every menu of the app, every view and filter."""
        self.browser_js(
            "/odoo",
            "odoo.loader.modules.get('@web/webclient/clickbot/clickbot_loader')"
            ".startClickEverywhere('mercator_crm.mercator_menu_root');",
            "odoo.isReady === true",
            login=login,
            timeout=600,
            success_signal="clickbot test succeeded",
        )

    def test_click_everywhere_as_manager(self):
        self._click_everywhere("mercator_manager")

    def test_click_everywhere_as_own_documents_rep(self):
        self._click_everywhere("mercator_rep")
