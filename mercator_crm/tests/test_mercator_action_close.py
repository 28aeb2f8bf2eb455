from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged, users
from odoo.tools import mute_logger

from .common import MercatorActionCommon, MercatorOfferCommon


class MercatorCloseCommon(MercatorActionCommon):
    """The default reasons, and closing through the dialog of Won / Lost."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.reason_price = cls.reason_won
        cls.reason_expensive = cls.reason_lost
        cls.reason_competitor = ref("mercator_crm.mercator_close_reason_competitor")
        cls.env["ir.config_parameter"].set_param(
            "mercator_crm.close_without_reason", False
        )

    def _close(self, opportunities, outcome, reason=None, note=None):
        """The Won / Lost button: its dialog, filled in and confirmed, as the
        test's user."""
        action = self.env.ref(f"mercator_crm.mercator_action_close_action_{outcome}")
        action = action.sudo()
        context = {
            "default_action_ids": opportunities.ids,
            "default_outcome": outcome,
        }
        self.assertIn(f"'default_outcome': '{outcome}'", action.context)
        form = Form(self.env["mercator.action.close"].with_context(**context))
        if reason is not None:
            form.close_reason_id = reason
        if note:
            form.close_note = note
        wizard = form.save()
        return wizard.action_close()


@tagged("post_install", "-at_install", "mercator_close")
class TestMercatorActionClose(MercatorCloseCommon):
    @users("mercator_rep")
    def test_lost_with_reason_and_note(self):
        """Lost asks for the reason; the note goes to the chatter with the status
        change."""
        opportunity = self.opportunity.with_env(self.env)
        self._close(
            opportunity,
            "lost",
            reason=self.reason_expensive,
            note="<p>They chose the cheaper desks</p>",
        )
        self.assertEqual(opportunity.opportunity_state, "lost")
        self.assertEqual(opportunity.close_reason_id, self.reason_expensive)
        self.assertEqual(opportunity.probability, 0.0)
        self.assertTrue(opportunity.date_closed)
        bodies = "".join(opportunity.sudo().message_ids.mapped("body"))
        self.assertIn("They chose the cheaper desks", bodies)
        self.assertEqual(self.reason_expensive.opportunity_count, 1)

    @users("mercator_rep")
    def test_won_with_reason(self):
        opportunity = self.opportunity.with_env(self.env)
        self._close(opportunity, "won", reason=self.reason_price)
        self.assertEqual(opportunity.opportunity_state, "won")
        self.assertEqual(opportunity.close_reason_id, self.reason_price)
        self.assertEqual(opportunity.probability, 100.0)
        self.assertEqual(opportunity.conversion_rate, 100.0)

    @users("mercator_rep")
    def test_reason_required(self):
        """Without a reason, every path refuses: the dialog, the model's methods
        (RPC endpoints) and a plain write."""
        opportunity = self.opportunity.with_env(self.env)
        form = Form(
            self.env["mercator.action.close"].with_context(
                default_action_ids=opportunity.ids, default_outcome="lost"
            )
        )
        self.assertTrue(form.reason_required)
        self.assertTrue(form.reason_available)
        with self.assertRaises(AssertionError, msg="the form requires the reason"):
            form.save()
        wizard = self.env["mercator.action.close"].create(
            {"action_ids": opportunity.ids, "outcome": "lost"}
        )
        for label, close in (
            ("dialog", wizard.action_close),
            ("action_set_lost", opportunity.action_set_lost),
            ("action_set_won", opportunity.action_set_won),
            ("write", lambda: opportunity.write({"opportunity_state": "lost"})),
        ):
            with (
                self.subTest(label),
                self.assertRaisesRegex(UserError, "a reason is required"),
            ):
                close()
            self.assertEqual(opportunity.opportunity_state, "negotiation")
        # Clearing the reason of a closed opportunity is refused too.
        opportunity.action_set_lost(close_reason_id=self.reason_competitor.id)
        with self.assertRaisesRegex(UserError, "a reason is required"):
            opportunity.close_reason_id = False

    @users("mercator_rep")
    def test_setting_allows_no_reason(self):
        self.env["ir.config_parameter"].sudo().set_param(
            "mercator_crm.close_without_reason", True
        )
        opportunity = self.opportunity.with_env(self.env)
        form = Form(
            self.env["mercator.action.close"].with_context(
                default_action_ids=opportunity.ids, default_outcome="lost"
            )
        )
        self.assertFalse(form.reason_required)
        form.save().action_close()
        self.assertEqual(opportunity.opportunity_state, "lost")
        self.assertFalse(opportunity.close_reason_id)

    @users("mercator_rep")
    def test_reason_list_emptied(self):
        """A manager archives every lost reason: closing without a reason works
        only when the setting allows it, and the dialog says why."""
        self.env["mercator.close.reason"].sudo().search(
            [("outcome", "=", "lost")]
        ).active = False
        opportunity = self.opportunity.with_env(self.env)
        wizard = self.env["mercator.action.close"].create(
            {"action_ids": opportunity.ids, "outcome": "lost"}
        )
        self.assertFalse(wizard.reason_available)
        self.assertTrue(wizard.reason_required)
        with self.assertRaisesRegex(UserError, "No reason is configured"):
            wizard.action_close()
        self.assertEqual(opportunity.opportunity_state, "negotiation")
        # Won reasons are still there.
        won = self.env["mercator.action.close"].create(
            {"action_ids": opportunity.ids, "outcome": "won"}
        )
        self.assertTrue(won.reason_available)

        self.env["ir.config_parameter"].sudo().set_param(
            "mercator_crm.close_without_reason", True
        )
        wizard.action_close()
        self.assertEqual(opportunity.opportunity_state, "lost")
        self.assertFalse(opportunity.close_reason_id)

    @users("mercator_rep")
    def test_reason_fits_outcome(self):
        opportunity = self.opportunity.with_env(self.env)
        # assertRaises (not ...Regex) rolls back, as the request would.
        with self.assertRaises(ValidationError) as error:
            opportunity.action_set_lost(close_reason_id=self.reason_price.id)
        self.assertIn("does not fit", str(error.exception))
        self.assertEqual(opportunity.opportunity_state, "negotiation")
        opportunity.action_set_lost(close_reason_id=self.reason_expensive.id)
        with self.assertRaises(ValidationError) as error:
            opportunity.close_reason_id = self.reason_price
        self.assertIn("does not fit", str(error.exception))
        self.assertEqual(opportunity.close_reason_id, self.reason_expensive)

    @users("mercator_rep")
    def test_reopen_clears_reason(self):
        opportunity = self.opportunity.with_env(self.env)
        opportunity.action_set_won(close_reason_id=self.reason_price.id)
        opportunity.action_set_negotiation()
        self.assertEqual(opportunity.opportunity_state, "negotiation")
        self.assertFalse(opportunity.close_reason_id)
        self.assertFalse(opportunity.date_closed)

    @users("mercator_rep")
    def test_close_buttons_refused_on_other_kinds(self):
        meeting = self.meeting.with_env(self.env)
        wizard = self.env["mercator.action.close"].create(
            {
                "action_ids": meeting.ids,
                "outcome": "lost",
                "close_reason_id": self.reason_expensive.id,
            }
        )
        with self.assertRaisesRegex(UserError, "is for opportunities only"):
            wizard.action_close()

    @users("mercator_rep_other")
    @mute_logger("odoo.addons.base.models.ir_rule", "odoo.models")
    def test_rights_own_documents(self):
        """A rep with "own documents" closes their own opportunities only."""
        with self.assertRaises(AccessError):
            self.opportunity.with_env(self.env).action_set_lost(
                close_reason_id=self.reason_expensive.id
            )
        # A dialog made over RPC with another rep's opportunity: in a request
        # (empty cache) the rep's dialog does not see it, and closes nothing.
        wizard = self.env["mercator.action.close"].create(
            {"outcome": "lost", "close_reason_id": self.reason_expensive.id}
        )
        wizard.sudo().action_ids = self.opportunity
        self.env.invalidate_all()
        wizard.action_close()
        self.opportunity.invalidate_recordset()
        self.assertEqual(self.opportunity.opportunity_state, "negotiation")
        self.assertFalse(self.opportunity.close_reason_id)

    @users("mercator_employee")
    @mute_logger("odoo.models", "odoo.addons.base.models.ir_model")
    def test_rights_employee(self):
        """An employee without Mercator CRM reaches neither the dialog nor the
        reasons, and a rep does not edit the lists."""
        with self.assertRaises(AccessError):
            self.env["mercator.action.close"].create({"outcome": "lost"})
        with self.assertRaises(AccessError):
            self.env["mercator.close.reason"].search([])
        with self.assertRaises(AccessError):
            self.reason_price.with_env(self.env).action_view_opportunities()

    @mute_logger("odoo.models", "odoo.addons.base.models.ir_model")
    def test_rights_configuration(self):
        """The manager keeps the lists; reps read them."""
        reason = (
            self.env["mercator.close.reason"]
            .with_user(self.manager)
            .create({"name": "Delivery time", "outcome": "won"})
        )
        self.assertEqual(reason.with_user(self.rep).name, "Delivery time")
        with self.assertRaises(AccessError):
            reason.with_user(self.rep).name = "Other"
        with self.assertRaises(AccessError):
            self.env["mercator.close.reason"].with_user(self.rep).create(
                {"name": "Mine", "outcome": "lost"}
            )

    def test_analysis_by_reason(self):
        """The opportunities analysis groups by reason next to the conversion
        rate, per representative, origin and prospect type."""
        other = self._create_action(
            self.tpl_opportunity, name="Second space", user_id=self.rep.id
        )
        third = self._create_action(
            self.tpl_opportunity, name="Third space", user_id=self.rep.id
        )
        self.opportunity.action_set_won(close_reason_id=self.reason_price.id)
        other.action_set_lost(close_reason_id=self.reason_expensive.id)
        domain = [("id", "in", (self.opportunity | other | third).ids)]
        Action = self.env["mercator.action"]
        groups = {
            (state, reason.name): (count, rate)
            for state, reason, count, rate in Action._read_group(
                domain,
                ["opportunity_state", "close_reason_id"],
                ["__count", "conversion_rate:avg"],
            )
        }
        self.assertEqual(
            groups,
            {
                ("won", "Best price"): (1, 100.0),
                ("lost", "Too expensive"): (1, 0.0),
                ("negotiation", False): (1, 0.0),
            },
        )
        for groupby in ("user_id", "source_id", "partner_type_id"):
            [(_group, rate)] = Action._read_group(
                domain, [groupby], ["conversion_rate:avg"]
            )
            self.assertAlmostEqual(rate, 100.0 / 3, places=2, msg=groupby)
        view = self.env.ref(
            "mercator_crm.mercator_action_view_pivot_opportunity_analysis"
        )
        self.assertIn('name="close_reason_id" type="col"', view.arch_db)


@tagged("post_install", "-at_install", "mercator_close")
class TestMercatorCloseByQuote(MercatorOfferCommon):
    def test_confirmed_quote_wins_with_its_reason(self):
        """A confirmed quote wins its opportunity for "Quote confirmed"; without
        that reason (archived by a manager) it still wins, without a reason."""
        self.env["ir.config_parameter"].set_param(
            "mercator_crm.close_without_reason", False
        )
        salesman = self.env["res.users"].create(
            {
                "name": "Sam Sales",
                "login": "mercator_sam_sales",
                "groups_id": [
                    Command.set(
                        self.env.ref("sales_team.group_sale_salesman_all_leads").ids
                    )
                ],
            }
        )
        offer = self._make_offer()
        offer.sale_order_id.with_user(salesman).action_confirm()
        self.assertEqual(self.opportunity.opportunity_state, "won")
        self.assertEqual(
            self.opportunity.close_reason_id,
            self.env.ref("mercator_crm.mercator_close_reason_quote_confirmed"),
        )

        quote_confirmed = self.env.ref(
            "mercator_crm.mercator_close_reason_quote_confirmed"
        )
        quote_confirmed.active = False
        self.opportunity.action_set_negotiation()
        other = self._make_offer()
        other.sale_order_id.with_user(salesman).action_confirm()
        self.assertEqual(self.opportunity.opportunity_state, "won")
        self.assertFalse(self.opportunity.close_reason_id)
