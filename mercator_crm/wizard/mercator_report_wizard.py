from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

REPORT_TYPES = [
    ("done", "Done Actions"),
    ("todo", "Actions Not Done"),
    ("revenue", "Revenue per Representative"),
]


class MercatorReportWizard(models.TransientModel):
    _name = "mercator.report.wizard"
    _description = "Mercator CRM Documents"

    report_type = fields.Selection(
        REPORT_TYPES,
        string="Document",
        required=True,
        default="todo",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Prospect / Customer",
        compute="_compute_partner_id",
        store=True,
        readonly=False,
        domain="[('parent_id', '=', False), ('mercator_status', '!=', False)]",
        help="Leave empty for every prospect and customer.",
    )
    user_ids = fields.Many2many(
        "res.users",
        string="Representatives",
        domain="[('share', '=', False)]",
        help="Leave empty for every representative.",
    )
    date_from = fields.Date("From")
    date_to = fields.Date("To")

    @api.depends("report_type")
    def _compute_partner_id(self):
        """Opened from a prospect's Documents button (its id in the context key
        ``mercator_documents_partner_id``), the done and not done lists are this
        prospect's, the revenue per representative covers every prospect."""
        partner = self.env["res.partner"].browse(
            self.env.context.get("mercator_documents_partner_id")
        )
        for wizard in self:
            if wizard.report_type == "revenue":
                wizard.partner_id = False
            elif partner:
                wizard.partner_id = partner

    @api.constrains("date_from", "date_to")
    def _check_dates(self):
        for wizard in self:
            if (
                wizard.date_from
                and wizard.date_to
                and wizard.date_from > wizard.date_to
            ):
                raise ValidationError(_("The period ends before it starts."))

    def action_print(self):
        """Button "Print": the chosen document as a PDF."""
        self.ensure_one()
        return self.env.ref(
            "mercator_crm.action_report_mercator_documents"
        ).report_action(self)

    def _get_report_title(self):
        self.ensure_one()
        return dict(self._fields["report_type"]._description_selection(self.env))[
            self.report_type
        ]

    def _get_report_actions(self):
        """The actions listed by the done / not done documents."""
        self.ensure_one()
        return self.env["mercator.action"]._get_report_actions(
            self.report_type == "done", **self._get_report_filters()
        )

    def _get_report_revenue_lines(self):
        self.ensure_one()
        return self.env["mercator.action"]._get_mercator_revenue_lines(
            **self._get_report_filters()
        )

    def _get_report_filters(self):
        self.ensure_one()
        return {
            "partner": self.partner_id or None,
            "users": self.user_ids or None,
            "date_from": self.date_from,
            "date_to": self.date_to,
        }
