"""18.0.1.2.0: opportunities count for their prospect's representative, and
Email actions send.

- ``representative_id`` is new: the update computed it from each prospect's
  representative today. Won and lost opportunities were counted for their
  responsible until now, and who represented the prospect when they closed is
  not known: they keep counting for their responsible.
- The Email template proposes the new "Mercator: Email" mail template when it
  has none (its data is not updated on an existing database).
- The demo reps land on the Mercator dashboard after login, as on a new
  database (demo data is not loaded again by an update). Other users keep
  their home action; new users of the Mercator groups get the dashboard.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    cr.execute(
        """
        UPDATE mercator_action
           SET representative_id = user_id
         WHERE kind = 'opportunity'
           AND opportunity_state IN ('won', 'lost')
           AND user_id IS NOT NULL
        """
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    template = env.ref(
        "mercator_crm.mercator_action_template_email", raise_if_not_found=False
    )
    mail_template = env.ref(
        "mercator_crm.mail_template_mercator_email", raise_if_not_found=False
    )
    if template and mail_template and not template.mail_template_id:
        template.mail_template_id = mail_template
    home = env.ref("mercator_crm.mercator_dashboard_action", raise_if_not_found=False)
    for xmlid in ("demo_user_sophie", "demo_user_lucas", "demo_user_emma"):
        user = env.ref(f"mercator_crm.{xmlid}", raise_if_not_found=False)
        if home and user and not user.action_id:
            user.action_id = home.id
