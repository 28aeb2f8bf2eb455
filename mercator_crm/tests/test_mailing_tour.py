from odoo.tests import HttpCase, tagged

from .common import MercatorMailingCommon


@tagged("post_install", "-at_install", "mercator_mailing")
class TestMailingTour(HttpCase, MercatorMailingCommon):
    def test_mailing_tour(self):
        """The administrator (a template editor: the subject has a placeholder)
        filters the prospects, generates the sends and sends them all."""
        self.start_tour(
            "/odoo/action-mercator_crm.mercator_mailing_action",
            "mercator_mailing_tour",
            login="admin",
        )
        mailing = self.env["mercator.mailing"].search([("name", "=", "Tour mailing")])
        self.assertEqual(mailing.state, "queued")
        self.assertEqual(
            mailing.recipient_domain, '[("mercator_status", "=", "prospect")]'
        )
        prospects = self.env["res.partner"].search_count(
            [("mercator_status", "=", "prospect")]
        )
        self.assertEqual(mailing.action_count, prospects)
        self.assertTrue(
            self.env["ir.cron.trigger"].search_count(
                [
                    (
                        "cron_id",
                        "=",
                        self.env.ref("mercator_crm.ir_cron_mercator_mailing_send").id,
                    ),
                ]
            )
        )
