from odoo.tests import HttpCase, tagged

from .common import MercatorActionCommon


@tagged("post_install", "-at_install", "mercator_duplicate", "mercator_close")
class TestDuplicateCloseTour(HttpCase, MercatorActionCommon):
    def test_duplicate_warning_tour(self):
        """The rep types the name of an existing prospect in a new one: the
        form lists it, with a link, before anything is saved."""
        count = self.env["res.partner"].search_count([])
        self.start_tour(
            "/odoo/action-mercator_crm.res_partner_action_prospect",
            "mercator_duplicate_tour",
            login="mercator_rep",
        )
        self.assertEqual(self.env["res.partner"].search_count([]), count)

    def test_close_lost_tour(self):
        """Lost asks for the reason and a note; the opportunity shows both."""
        self.env["ir.config_parameter"].set_param(
            "mercator_crm.close_without_reason", False
        )
        self.start_tour(
            f"/odoo/mercator.action/{self.opportunity.id}",
            "mercator_close_lost_tour",
            login="mercator_rep",
        )
        self.assertEqual(self.opportunity.opportunity_state, "lost")
        self.assertEqual(
            self.opportunity.close_reason_id,
            self.env.ref("mercator_crm.mercator_close_reason_too_expensive"),
        )
        self.assertIn(
            "They chose cheaper desks",
            "".join(self.opportunity.message_ids.mapped("body")),
        )
