import base64
import json

from odoo.tests import tagged, users

from .common import MercatorObjectivesCommon


@tagged("post_install", "-at_install")
class TestMercatorSpreadsheetDashboard(MercatorObjectivesCommon):
    @users("mercator_manager")
    def test_dashboard_pivots_read_real_data(self):
        """The "Mercator CRM" dashboard of the Dashboards app is for managers,
        and each of its pivots groups stored fields that return the fixture's
        figures."""
        dashboard = self.env.ref("mercator_crm.spreadsheet_dashboard_mercator").sudo()
        self.assertEqual(dashboard.name, "Mercator CRM")
        self.assertEqual(
            dashboard.group_ids, self.env.ref("mercator_crm.group_mercator_manager")
        )
        data = json.loads(base64.b64decode(dashboard.spreadsheet_binary_data))
        formulas = {cell["content"] for cell in data["sheets"][0]["cells"].values()}
        results = {}
        for pivot_id, pivot in data["pivots"].items():
            self.assertIn(f"=PIVOT({pivot_id})", formulas)
            Model = self.env[pivot["model"]]
            groupby = [
                ":".join(filter(None, (g["fieldName"], g.get("granularity"))))
                for g in pivot["rows"] + pivot["columns"]
            ]
            for group in pivot["rows"] + pivot["columns"]:
                field = Model._fields[group["fieldName"]]
                self.assertTrue(field.store, f"{field} is grouped by, so stored")
            aggregates = [
                m["fieldName"]
                if m["fieldName"] == "__count"
                else f"{m['fieldName']}:sum"
                for m in pivot["measures"]
            ]
            domain = [*pivot["domain"], ("user_id", "in", self.rep.ids)]
            results[pivot["name"]] = Model._read_group(domain, groupby, aggregates)
        pipeline = results["Pipeline per Representative and Column"]
        self.assertEqual(pipeline, [(self.rep, self.column_1, 1000.0)])
        won = results["Won Revenue per Representative"]
        self.assertEqual(
            [(user, amount) for user, _quarter, amount in won], [(self.rep, 2000.0)]
        )
        actions = results["Actions Done and Not Done"]
        # The calls of the dashboard's fixture, the tasks and the appointment
        # of the objectives' one.
        self.assertEqual(
            sorted((done, count) for _user, done, count in actions),
            [(False, 6), (True, 1)],
        )
        # Won against target: the rep won 2,000 of their 4,000 this month.
        targets = results["Won against Target per Representative"]
        self.assertEqual(
            [(user, target, won, gap) for user, _quarter, target, won, gap in targets],
            [(self.rep, 4000.0, 2000.0, 2000.0)],
        )
        team = self.env["mercator.target.report"]._read_group(
            data["pivots"]["6"]["domain"], [], ["revenue_target:sum", "won_amount:sum"]
        )
        self.assertEqual(team, [(10000.0, 2000.0)])
