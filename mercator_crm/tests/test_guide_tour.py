from odoo.tests import HttpCase, tagged

from .common import MercatorOfferCommon


@tagged("post_install", "-at_install", "mercator_guide")
class TestGuideTour(HttpCase, MercatorOfferCommon):
    def test_guide_tour(self):
        """The demo guide's daily path, as the own-documents rep (the guide's
        sophie) walks it from her login to the History tab."""
        self.start_tour("/odoo", "mercator_guide_tour", login="mercator_rep")
        Action = self.env["mercator.action"]
        self.assertTrue(self.meeting.done)
        self.assertEqual(self.meeting.done_user_id, self.rep)
        self.assertEqual(self.meeting.done_properties["summary"], "Wants oak desks")
        call_back = self.meeting.next_id
        self.assertEqual(call_back.name, "Tour call back")
        self.assertEqual(call_back.template_id, self.tpl_call)
        self.assertEqual(call_back.parent_id, self.opportunity)
        brochure = Action.search([("name", "=", "Tour brochure")])
        self.assertEqual(brochure.template_id, self.tpl_documentation)
        self.assertEqual(brochure.partner_id, self.prospect)
        self.assertEqual(brochure.contact_id, self.contact)
        self.assertFalse(brochure.parent_id)
        self.assertEqual(brochure.user_id, self.rep)
        offer = self.opportunity.child_ids.filtered(lambda a: a.kind == "offer")
        self.assertEqual(offer.name, "Make an Offer")
        self.assertTrue(offer.done)
        self.assertEqual(offer.sale_order_id.state, "sent")
        line = offer.sale_order_id.order_line
        self.assertEqual((line.product_id, line.product_uom_qty), (self.product, 5))
        self.assertEqual(line.price_unit, 250.0)
        email = offer.next_id
        self.assertEqual(email.kind, "email")
        self.assertIn(email, self.prospect.mercator_history_ids)
