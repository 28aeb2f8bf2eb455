from freezegun import freeze_time

from odoo.tests import tagged, users

from .common import MercatorObjectivesCommon


@tagged("post_install", "-at_install")
class TestMercatorMyDay(MercatorObjectivesCommon):
    def _my_day(self, rep=False, **kwargs):
        """My day at 8:00 of the fixture's day (before its appointment)."""
        with freeze_time(self.morning):
            return self.env["mercator.action"].get_mercator_my_day(
                rep.id if rep else False, **kwargs
            )

    def _names(self, data):
        return [action["name"] for action in data["actions"]]

    @users("mercator_manager")
    def test_contents(self):
        """The rep's day: the overdue call first, then what is due today (the
        task, the appointment, the task dated today without deadline); not
        the done call, the call due later, tomorrow's task, nor opportunities
        whose deadline passed."""
        data = self._my_day(self.rep)
        self.assertEqual(
            self._names(data),
            [
                "Overdue call",
                "Appointment of today",
                "Task due today",
                "Task of today without deadline",
            ],
        )
        self.assertEqual((data["total"], data["overdue"]), (4, 1))
        overdue, appointment = data["actions"][:2]
        self.assertTrue(overdue["overdue"])
        self.assertEqual(overdue["partner"], "Pixel Furniture")
        self.assertEqual(overdue["kind_label"], "Sales Step")
        self.assertFalse(appointment["overdue"])
        self.assertEqual(appointment["kind"], "appointment")
        self.assertTrue(all(action["can_mark_done"] for action in data["actions"]))
        self.assertEqual(self._my_day(self.rep_other)["actions"], [])
        # All representatives: the rep's day is in it, with their name.
        team = self._my_day()
        self.assertLessEqual(set(self._names(data)), set(self._names(team)))
        self.assertIn("Rita Rep", {action["user"] for action in team["actions"]})
        # At most ``limit`` of them, with the total.
        first = self._my_day(self.rep, limit=2)
        self.assertEqual(self._names(first), self._names(data)[:2])
        self.assertEqual(first["total"], 4)

    @users("mercator_rep")
    def test_done_from_my_day(self):
        """A rep marks an action of their day done in one click: it leaves
        My day, done by them."""
        data = self._my_day()
        [task] = [a for a in data["actions"] if a["name"] == "Task due today"]
        self.env["mercator.action"].browse(task["id"]).action_mark_done()
        self.assertTrue(self.task_today.done)
        self.assertEqual(self.task_today.done_user_id, self.rep)
        data = self._my_day()
        self.assertNotIn("Task due today", self._names(data))
        self.assertEqual(data["total"], 3)

    @users("mercator_rep")
    def test_rights_own_documents_rep_gets_own_day(self):
        """A rep with own documents gets their own day, whoever they ask for."""
        mine = self._names(self._my_day())
        self.assertEqual(self._names(self._my_day(self.rep_other)), mine)
        self.assertIn("Overdue call", mine)

    @users("mercator_manager")
    def test_offer_with_quote_is_done_by_validation(self):
        """An offer with a quote is done by validating it: My day has no Done
        button for it."""
        offer = self.env["mercator.action"].create(
            {
                "template_id": self.tpl_offer.id,
                "parent_id": self.opp_negotiation.id,
                "user_id": self.rep.id,
                "name": "Offer of today",
            }
        )
        self.assertTrue(offer.sale_order_id)
        offer.date_deadline = self.task_today.date_deadline
        [item] = [a for a in self._my_day(self.rep)["actions"] if a["id"] == offer.id]
        self.assertFalse(item["can_mark_done"])
