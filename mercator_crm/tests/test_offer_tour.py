from odoo.tests import HttpCase, tagged

from .common import MercatorOfferCommon


@tagged("post_install", "-at_install", "mercator_offer")
class TestOfferTour(HttpCase, MercatorOfferCommon):
    def test_offer_tour(self):
        """From the rep's opportunity to a validated offer, as the rep clicks it."""
        self.start_tour(
            f"/odoo/mercator.action/{self.opportunity.id}",
            "mercator_offer_tour",
            login="mercator_rep",
        )
        offer = self.opportunity.child_ids.filtered(lambda a: a.kind == "offer")
        self.assertEqual(len(offer), 1)
        self.assertTrue(offer.done)
        self.assertEqual(offer.done_user_id, self.rep)
        order = offer.sale_order_id
        self.assertEqual(order.state, "sent")
        self.assertEqual(order.user_id, self.rep)
        self.assertEqual(order.order_line.product_id, self.product)
        self.assertEqual(order.order_line.product_uom_qty, 5)
        self.assertEqual(self.opportunity.expected_revenue, 1250.0)
        email_action = offer.next_id
        self.assertEqual(email_action.kind, "email")
        self.assertTrue(email_action.done)
        self.assertTrue(email_action.message_ids.attachment_ids)
