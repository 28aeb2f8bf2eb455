from odoo import api, models

MERCATOR_HOME_ACTION = "mercator_crm.mercator_dashboard_action"


class ResUsers(models.Model):
    _inherit = "res.users"

    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        users._mercator_set_home_action()
        return users

    def write(self, vals):
        result = super().write(vals)
        if any(
            name == "groups_id" or name.startswith(("in_group_", "sel_groups_"))
            for name in vals
        ):
            self._mercator_set_home_action()
        return result

    def _mercator_set_home_action(self):
        """Mercator users without a home action of their own land on the
        Mercator dashboard after login (Odoo's home action, ``action_id``)."""
        home = self.env.ref(MERCATOR_HOME_ACTION, raise_if_not_found=False)
        if not home:
            return
        users = self.filtered(
            lambda u: (
                not u.action_id
                and not u.share
                and u._has_group("mercator_crm.group_mercator_user")
            )
        )
        if users:
            users.write({"action_id": home.id})
