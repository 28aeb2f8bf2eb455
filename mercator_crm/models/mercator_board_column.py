from odoo import _, api, fields, models
from odoo.exceptions import UserError


class MercatorBoardColumn(models.Model):
    _name = "mercator.board.column"
    _description = "Mercator Objectives Board Column"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(
        "Folded on the Board",
        help="A folded column shows as a narrow band on the objectives board.",
    )
    active = fields.Boolean(default=True)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_opportunities(self):
        """A column that still holds opportunities cannot be deleted."""
        # sudo: every opportunity counts, those of the companies the user does
        # not work in too (the database would refuse the delete anyway).
        counts = dict(
            self.env["mercator.action"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [("board_column_id", "in", self.ids)],
                ["board_column_id"],
                ["__count"],
            )
        )
        full = self.filtered(lambda column: counts.get(column))
        if full:
            raise UserError(
                _(
                    'The column "%(column)s" still holds %(count)s opportunities: move '
                    "them to another column before deleting it.",
                    column=full[0].name,
                    count=counts[full[0]],
                )
            )
