from odoo import fields, models


class MercatorProspectType(models.Model):
    _name = "mercator.prospect.type"
    _description = "Prospect Type"
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    color = fields.Integer()
    partner_count = fields.Integer(compute="_compute_partner_count")

    _sql_constraints = [
        (
            "name_uniq",
            "unique (name)",
            "A prospect type with this name already exists.",
        ),
    ]

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("mercator_type_id", "in", self.ids), ("parent_id", "=", False)],
                ["mercator_type_id"],
                ["__count"],
            )
        )
        for prospect_type in self:
            prospect_type.partner_count = counts.get(prospect_type, 0)
