from odoo.tests import new_test_user


class MercatorOfferCommon:
    """Fixtures of the offer tests: two own-documents reps, a prospect with a
    contact person, an opportunity of the first rep and a product to offer."""

    @classmethod
    def _setup_offer_fixtures(cls):
        cls.rep = new_test_user(
            cls.env,
            login="offer_rep",
            name="Olivia Offer",
            email="olivia.offer@example.com",
            groups="base.group_user,mercator_crm.group_mercator_user",
        )
        cls.other_rep = new_test_user(
            cls.env,
            login="offer_other_rep",
            name="Oscar Other",
            email="oscar.other@example.com",
            groups="base.group_user,mercator_crm.group_mercator_user",
        )
        cls.prospect = cls.env["res.partner"].create(
            {
                "name": "Papeterie Lambotte",
                "is_company": True,
                "email": "info@lambotte.example.com",
                "mercator_status": "prospect",
                "user_id": cls.rep.id,
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Julie Lambotte",
                "parent_id": cls.prospect.id,
                "type": "contact",
                "email": "julie@lambotte.example.com",
            }
        )
        cls.template_opportunity = cls.env.ref(
            "mercator_crm.mercator_action_template_opportunity"
        )
        cls.template_offer = cls.env.ref("mercator_crm.mercator_action_template_offer")
        cls.opportunity = cls.env["mercator.action"].create(
            {
                "name": "New shelves for the shop",
                "template_id": cls.template_opportunity.id,
                "partner_id": cls.prospect.id,
                "contact_id": cls.contact.id,
                "user_id": cls.rep.id,
                "expected_revenue": 5000.0,
            }
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Steel Shelf 2m",
                "type": "consu",
                "list_price": 250.0,
                "taxes_id": [(5, 0, 0)],
            }
        )

    def _make_offer(self, user=None, quantity=4.0):
        """Make an offer on the opportunity as ``user`` (the rep by default),
        with one line of ``quantity`` shelves when ``quantity`` is set."""
        opportunity = self.opportunity.with_user(user or self.rep)
        action = opportunity.action_make_offer()
        offer = opportunity.env["mercator.action"].browse(action["res_id"])
        if quantity:
            offer.sale_order_id.write(
                {
                    "order_line": [
                        (
                            0,
                            0,
                            {
                                "product_id": self.product.id,
                                "product_uom_qty": quantity,
                            },
                        )
                    ]
                }
            )
        return offer
