"""18.0.1.2.0 refuses negative delays on action templates (SQL constraints):
the negative ones saved before become zero, so that the constraints apply."""

from odoo.tools import SQL


def migrate(cr, version):
    cr.execute(
        SQL(
            """
            UPDATE mercator_action_template
               SET deadline_delay = GREATEST(deadline_delay, 0),
                   next_delay = GREATEST(next_delay, 0)
             WHERE deadline_delay < 0 OR next_delay < 0
            """
        )
    )
