"""18.0.1.1.0 brings appointments as calendar events: give one to each
appointment action made before, as creating it would have."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["mercator.action"]._calendar_create_missing_events()
