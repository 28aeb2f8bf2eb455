{
    "name": "Mercator CRM",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "sequence": 16,
    "summary": "Prospects, customers and chained sales actions, the Mercator way",
    "description": """
Mercator CRM
============
The prospecting workflow of Mercator CRM in Odoo: prospects and customers with
their contacts, type, origin and representative; actions (calls, appointments,
offers, emails, tasks) nested in opportunities and chained one after the other;
action templates that give each kind of action its defaults.
""",
    "author": "Mercator CRM",
    "website": "https://github.com/mercator-crm/mercator_crm",
    "license": "LGPL-3",
    "depends": ["base", "mail", "contacts", "utm"],
    "data": [
        "security/mercator_security.xml",
        "security/ir.model.access.csv",
        "data/mercator_prospect_type_data.xml",
        "data/mercator_action_template_data.xml",
        "data/mercator_mailing_data.xml",
        "views/mercator_action_views.xml",
        "views/mercator_action_template_views.xml",
        "views/mercator_prospect_type_views.xml",
        "views/res_partner_views.xml",
        "views/mercator_mailing_views.xml",
        "reports/mercator_mailing_reports.xml",
        "views/mercator_menus.xml",
    ],
    "demo": [
        "demo/mercator_demo.xml",
        "demo/mercator_mailing_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "mercator_crm/static/tests/tours/**/*",
        ],
    },
    "application": True,
    "installable": True,
}
