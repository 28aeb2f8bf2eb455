"""18.0.1.2.0: opportunities count for their prospect's representative.

- ``representative_id`` is new: the update computed it from each prospect's
  representative today. Won and lost opportunities were counted for their
  responsible until now, and who represented the prospect when they closed is
  not known: they keep counting for their responsible.
"""


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
