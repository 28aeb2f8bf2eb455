"""pytest plugin of bin/test for mercator_crm's Odoo suite under pytest-odoo.

Loaded with ``-p pytest_mercator`` (``tools/`` on ``PYTHONPATH``), beside
pytest-odoo's own plugin. It:

- imports Odoo's test framework early (see ``pytest_cmdline_main``);
- turns a skipped test into a failure in pytest's report: a skipped browser test
  means chromium or websocket-client is missing, and the test command promises
  that nothing is silently skipped.
"""

import pytest


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_cmdline_main(config):
    """Import Odoo's test framework before pytest-odoo does, with Odoo's
    ``test_enable`` on for the import only: pytest-odoo imports it while that
    option is off, and Odoo then logs an ERROR ("Importing test framework")
    that the test command would count. Turned back off at once, as pytest-odoo
    wants (on, loading the registry would run the at_install tests)."""
    import odoo

    config_options = odoo.tools.config
    previous = config_options["test_enable"]
    config_options["test_enable"] = True
    import odoo.tests

    config_options["test_enable"] = previous
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        report.outcome = "failed"
        report.longrepr = f"skipped, and a skip is a failure here: {reason}"
