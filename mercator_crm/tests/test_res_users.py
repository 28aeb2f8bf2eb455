from odoo import Command
from odoo.tests import new_test_user, tagged

from .common import MercatorCommon


@tagged("post_install", "-at_install")
class TestHomeAction(MercatorCommon):
    """Mercator users land on the Mercator dashboard after login (Odoo's home
    action, ``res.users.action_id``)."""

    def test_mercator_users_land_on_the_dashboard(self):
        dashboard = self.env.ref("mercator_crm.mercator_dashboard_action").id
        for user in (self.rep, self.rep_all, self.manager):
            self.assertEqual(user.action_id.id, dashboard)
        self.assertFalse(self.employee.action_id, "not a Mercator user")
        # An employee given Mercator access later lands there too.
        self.employee.groups_id = [
            Command.link(self.env.ref("mercator_crm.group_mercator_user").id)
        ]
        self.assertEqual(self.employee.action_id.id, dashboard)
        # A home action of the user's own is kept.
        discuss = self.env.ref("mail.action_discuss").id
        user = new_test_user(
            self.env,
            "mercator_own_home",
            groups="mercator_crm.group_mercator_user",
            action_id=discuss,
        )
        self.assertEqual(user.action_id.id, discuss)

    def test_demo_reps_land_on_the_dashboard(self):
        sophie = self.env.ref("mercator_crm.demo_user_sophie", raise_if_not_found=False)
        if not sophie:
            self.skipTest("the demo data is not installed")
        dashboard = self.env.ref("mercator_crm.mercator_dashboard_action").id
        self.assertEqual(sophie.action_id.id, dashboard)
