from contextlib import contextmanager
from datetime import date

from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged, users
from odoo.tools import mute_logger

from .common import MercatorObjectivesCommon


@tagged("post_install", "-at_install")
class TestMercatorTarget(MercatorObjectivesCommon):
    def _new_target(self, **values):
        return self.env["mercator.target"].create(
            {
                "user_id": self.rep.id,
                "period_type": "month",
                "date_from": date(2031, 5, 1),
                "revenue_target": 1000.0,
                **values,
            }
        )

    @contextmanager
    def _refused(self, message):
        """The block raises a ValidationError whose message matches
        ``message``, and leaves nothing behind (a savepoint)."""
        with self.assertRaises(ValidationError) as caught:
            yield
        self.assertRegex(str(caught.exception), message)

    # Access ------------------------------------------------------------------

    @users("mercator_rep")
    def test_rights_rep_reads_own_targets_only(self):
        """A rep reads their own targets, not the team's nor a colleague's,
        and changes none of them."""
        Target = self.env["mercator.target"]
        self.assertEqual(Target.search([]), self.target_rep)
        target = self.target_rep.with_env(self.env)
        self.assertEqual(target.revenue_target, 4000.0)
        self.assertEqual(target.won_amount, 2000.0)
        self.assertEqual(target.won_count, 1)
        self.assertEqual(target.progress, 50.0)
        with self.assertRaises(AccessError):
            target.revenue_target = 1.0
        with self.assertRaises(AccessError):
            Target.create(
                {
                    "user_id": self.rep.id,
                    "date_from": date(2031, 1, 1),
                    "revenue_target": 1,
                }
            )
        with self.assertRaises(AccessError):
            target.unlink()
        with self.assertRaises(AccessError):
            self.target_team.with_env(self.env).revenue_target  # noqa: B018
        # The won-against-target rows follow the same rules.
        self.assertEqual(
            self.env["mercator.target.report"].search([]).target_id, self.target_rep
        )

    @users("mercator_rep_all")
    def test_rights_all_documents_rep_reads_every_target(self):
        targets = self.env["mercator.target"].search([])
        self.assertEqual(
            targets, self.target_rep | self.target_team | self.target_other
        )
        with self.assertRaises(AccessError):
            targets[0].with_env(self.env).revenue_target = 1.0

    @users("mercator_manager")
    def test_rights_manager_writes_targets(self):
        """A manager creates targets in the form (any day of the period), and
        changes and deletes them."""
        with Form(self.env["mercator.target"]) as form:
            form.user_id = self.rep_all
            form.period_type = "quarter"
            form.date_from = date(2031, 5, 17)
            form.revenue_target = 15000.0
            form.won_count_target = 4
        target = form.record
        self.assertEqual(target.date_from, date(2031, 4, 1))
        self.assertEqual(target.date_to, date(2031, 6, 30))
        self.assertEqual(target.display_name, "Alice All, Q2 2031")
        target.write({"period_type": "month", "date_from": date(2031, 6, 9)})
        self.assertEqual(
            (target.date_from, target.date_to), (date(2031, 6, 1), date(2031, 6, 30))
        )
        target.revenue_target = 16000.0
        target.unlink()
        self.assertFalse(target.exists())

    @users("mercator_employee")
    def test_rights_employee_has_no_targets(self):
        with self.assertRaises(AccessError):
            self.env["mercator.target"].search([])
        with self.assertRaises(AccessError):
            self.env["mercator.target.report"].search([])

    def test_rights_another_company(self):
        """A target of another company is neither read nor counted by the
        users of this one, nor can it name a rep who is not in its company."""
        other_company = self.env["res.company"].create({"name": "Other Mercator Co"})
        other_rep = new_test_user(
            self.env,
            "mercator_other_company_rep",
            groups="mercator_crm.group_mercator_user",
            company_id=other_company.id,
            company_ids=[Command.set(other_company.ids)],
        )
        other_target = self._new_target(
            user_id=other_rep.id, company_id=other_company.id, revenue_target=7.0
        )
        manager_env = self.env(user=self.manager)
        self.assertNotIn(other_target, manager_env["mercator.target"].search([]))
        lines = manager_env["mercator.action"].get_mercator_objectives(False)["lines"]
        self.assertNotIn(other_rep.id, [line["user_id"] for line in lines])
        with self.assertRaises(UserError):
            self._new_target(user_id=self.rep.id, company_id=other_company.id)

    def test_won_counts_the_closing_date_in_the_period(self):
        """Won in May: a quarter target of the team counts every rep's won
        opportunity closed in its quarter, a rep's May target only theirs."""
        self.opp_won.date_closed = date(2031, 5, 31)
        self.opp_other.write(
            {"opportunity_state": "won", "date_closed": date(2031, 6, 1)}
        )
        may = self._new_target()
        quarter = self._new_target(user_id=False, period_type="quarter")
        june_other = self._new_target(
            user_id=self.rep_other.id, date_from=date(2031, 6, 1)
        )
        self.assertEqual((may.won_amount, may.won_count), (2000.0, 1))
        self.assertEqual((quarter.won_amount, quarter.won_count), (6000.0, 2))
        self.assertEqual(june_other.won_amount, 4000.0)
        self.assertEqual(june_other.progress, 400.0)
        report = self.env["mercator.target.report"].search([("target_id", "=", may.id)])
        self.assertEqual(report.gap, -1000.0)

    # Bad input ---------------------------------------------------------------

    @users("mercator_manager")
    def test_negative_target_refused(self):
        for values in ({"revenue_target": -1.0}, {"won_count_target": -2}):
            with (
                self.subTest(values=values),
                self.assertRaises(IntegrityError),
                mute_logger("odoo.sql_db"),
                self.cr.savepoint(),
            ):
                self._new_target(**values)
        constraints = {
            name: message
            for name, _sql, message in self.env["mercator.target"]._sql_constraints
        }
        self.assertEqual(
            constraints["revenue_target_positive"],
            "A revenue target cannot be negative.",
        )

    @users("mercator_manager")
    def test_overlapping_period_refused(self):
        """A second target of the same rep for the same month, the quarter
        holding a month that has a target, or a month of a quarter that has one:
        refused, with the period that is in the way. Other reps and the team
        keep their own periods."""
        self._new_target()
        with self._refused(r"Rita Rep already has a target for May 2031"):
            self._new_target(date_from=date(2031, 5, 20))
        with self._refused(r"overlaps Q2 2031"):
            self._new_target(period_type="quarter")
        self._new_target(user_id=False, period_type="quarter")
        with self._refused(r"The whole team already has a target for Q2 2031"):
            self._new_target(user_id=False, date_from=date(2031, 6, 1))
        other = self._new_target(user_id=self.rep_other.id)
        self._new_target(date_from=date(2031, 6, 1))
        # Moving a target onto another one's period is refused too.
        with self._refused(r"May 2031"):
            other.user_id = self.rep

    @users("mercator_manager")
    def test_target_for_a_user_without_mercator_refused(self):
        with self._refused(r"Emil Employee has no access to Mercator CRM"):
            self._new_target(user_id=self.employee.id)
        portal = new_test_user(
            self.env(su=True), "mercator_portal", groups="base.group_portal"
        )
        with self._refused(r"has no access to Mercator CRM"):
            self._new_target(user_id=portal.id)
