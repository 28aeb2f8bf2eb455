from dateutil.relativedelta import relativedelta

from odoo import api, fields, models

# Kinds of action. An opportunity is a master action; "step" and "offer" actions
# are always nested in an opportunity; a "standalone" action never is; the other
# kinds may be either.
ACTION_KINDS = [
    ("opportunity", "Opportunity"),
    ("step", "Sales Step"),
    ("standalone", "Standalone Action"),
    ("appointment", "Appointment"),
    ("task", "Task"),
    ("email", "Email"),
    ("offer", "Offer"),
    ("letter", "Letter"),
]
KINDS_NESTED = ("step", "offer")
KINDS_NEVER_NESTED = ("opportunity", "standalone")
KINDS_WITHOUT_PARTNER = ("task", "appointment")


class MercatorActionTemplate(models.Model):
    _name = "mercator.action.template"
    _description = "Action Template"
    _order = "sequence, name, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    kind = fields.Selection(ACTION_KINDS, required=True, default="standalone")
    company_id = fields.Many2one("res.company")
    color = fields.Integer()
    description = fields.Html(
        "Default Description",
        translate=True,
        sanitize_style=True,
        help="Description given to each new action made from this template.",
    )
    deadline_delay = fields.Integer(
        help="Time between an action's date and its deadline. Zero: no deadline.",
    )
    deadline_delay_unit = fields.Selection(
        [("hours", "Hours"), ("days", "Days"), ("weeks", "Weeks")],
        required=True,
        default="days",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Default Responsible",
        check_company=True,
        help="Responsible of each new action made from this template (e.g. a back "
        "office task). Empty: the representative of the prospect, else the user "
        "who creates the action.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email Template",
        domain="[('model', '=', 'mercator.action')]",
        help="Predefined text of the emails sent by actions of this template.",
    )
    next_template_id = fields.Many2one(
        "mercator.action.template",
        string="Next Action",
        check_company=True,
        help='Template proposed by "Done and plan next".',
    )
    next_delay = fields.Integer(
        "Next Action Delay (days)",
        default=1,
        help="Days between the moment an action is done and its proposed follow-up.",
    )
    done_properties_definition = fields.PropertiesDefinition(
        "Done Information Fields",
        help="Fields a user fills in when an action of this template is done.",
    )
    # Offer templates only.
    offer_closing_text = fields.Html(
        translate=True,
        sanitize_style=True,
        help="Printed at the end of the offers made with this template.",
    )
    action_count = fields.Integer(compute="_compute_action_count")

    _sql_constraints = [
        (
            "deadline_delay_positive",
            "CHECK(deadline_delay >= 0)",
            "The deadline delay of an action template cannot be negative.",
        ),
        (
            "next_delay_positive",
            "CHECK(next_delay >= 0)",
            "The delay of the next action of a template cannot be negative.",
        ),
    ]

    def _compute_action_count(self):
        counts = dict(
            self.env["mercator.action"]._read_group(
                [("template_id", "in", self.ids)], ["template_id"], ["__count"]
            )
        )
        for template in self:
            template.action_count = counts.get(template, 0)

    def _get_deadline(self, date):
        """Deadline of an action of this template starting at ``date``."""
        self.ensure_one()
        if not self.deadline_delay or not date:
            return False
        return date + relativedelta(**{self.deadline_delay_unit: self.deadline_delay})

    @api.model
    def _kind_needs_parent(self, kind):
        return kind in KINDS_NESTED

    @api.model
    def _kind_allows_parent(self, kind):
        return kind not in KINDS_NEVER_NESTED

    @api.model
    def _kind_needs_partner(self, kind):
        return kind not in KINDS_WITHOUT_PARTNER
