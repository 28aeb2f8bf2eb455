from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "mercator_offer")
class TestOfferTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.prospect = cls.env["res.partner"].create(
            {
                "name": "Tour Prospect Brasserie",
                "is_company": True,
                "mercator_status": "prospect",
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Tom Tourist",
                "parent_id": cls.prospect.id,
                "type": "contact",
                "email": "tom.tourist@example.com",
            }
        )
        cls.opportunity = cls.env["mercator.action"].create(
            {
                "name": "Tour terrace furniture",
                "template_id": cls.env.ref(
                    "mercator_crm.mercator_action_template_opportunity"
                ).id,
                "partner_id": cls.prospect.id,
                "contact_id": cls.contact.id,
                "user_id": cls.env.ref("base.user_admin").id,
            }
        )
        cls.env["product.product"].create(
            {
                "name": "Mercator Tour Bistro Table",
                "type": "consu",
                "list_price": 120.0,
            }
        )

    def test_offer_tour(self):
        """From an opportunity to a validated offer, as a rep clicks it."""
        self.start_tour(
            f"/odoo/mercator.action/{self.opportunity.id}",
            "mercator_offer_tour",
            login="admin",
        )
        offer = self.opportunity.child_ids.filtered(lambda a: a.kind == "offer")
        self.assertEqual(len(offer), 1)
        self.assertTrue(offer.done)
        order = offer.sale_order_id
        self.assertEqual(order.state, "sent")
        self.assertEqual(order.order_line.product_id.name, "Mercator Tour Bistro Table")
        self.assertEqual(order.order_line.product_uom_qty, 5)
        self.assertEqual(self.opportunity.expected_revenue, 600.0)
        email_action = offer.next_id
        self.assertEqual(email_action.kind, "email")
        self.assertTrue(email_action.done)
        self.assertTrue(email_action.message_ids.attachment_ids)
