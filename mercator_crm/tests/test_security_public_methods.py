"""Every public method of the addon's models, called over RPC by a plain
employee and by a portal user: each one refuses (an access error) or does
nothing harmful (no row of the database written, nothing of the records in
what it returns or in the error it raises).

The models and methods are found in the registry, not listed here: every model
the addon defines, with every public method Odoo would let a client call
(``odoo.service.model.get_public_method``), and the models it extends, with
the public methods its classes define there (new ones, and its overrides of
``create``, ``write`` and ``unlink``). A model or a method another branch adds
is walked as soon as it is merged; its arguments are made from their names
(``_arguments``), and a model without a record below is walked on one of its
records found in the database (the demo data), or on an empty recordset.
"""

import copy
import inspect
import logging
import warnings
from collections import defaultdict
from datetime import datetime, timedelta
from unittest.mock import patch

from odoo import Command, api
from odoo.exceptions import AccessError
from odoo.service.model import get_public_method
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .common import MercatorOfferCommon

_logger = logging.getLogger(__name__)

ADDON_PACKAGE = "odoo.addons.mercator_crm."
# In the texts of the Mercator records walked on: found in what a method
# returns or raises, it is data of a record the user may not read (unless it
# is the name of the very record called, which the user may read: an
# appointment's calendar event bears its name).
CANARY = "Canary-7f3a"


class Refused(Exception):
    """Raised to roll back the savepoint of a call that returned."""


def addon_classes(model):
    return [
        cls for cls in type(model).mro() if cls.__module__.startswith(ADDON_PACKAGE)
    ]


@tagged("post_install", "-at_install")
class TestSecurityPublicMethods(MercatorOfferCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.opportunity.write({"name": f"{CANARY} deal", "description": CANARY})
        offer = cls.opportunity.with_context(mercator_kind=False).action_make_offer()
        cls.offer = env["mercator.action"].browse(offer["res_id"])
        now = datetime(2030, 1, 7, 9, 0)
        cls.appointment = env["mercator.action"].create(
            {
                "name": f"{CANARY} visit",
                "description": f"<p>{CANARY}</p>",
                "template_id": cls.tpl_meeting.id,
                "partner_id": cls.prospect.id,
                "contact_id": cls.contact.id,
                "user_id": cls.rep.id,
                "date": now,
                "reminder_date": now - timedelta(hours=1),
            }
        )
        cls.mailing = env["mercator.mailing"].create(
            {
                "name": f"{CANARY} mailing",
                "subject": CANARY,
                "body_html": f"<p>{CANARY}</p>",
                "user_id": cls.rep.id,
                "recipient_domain": repr([("id", "=", cls.prospect.id)]),
            }
        )
        # Who follows an action or a mailing is its data too.
        follower = env["res.partner"].create({"name": f"{CANARY} follower"})
        for thread in (cls.appointment, cls.mailing):
            thread.message_subscribe(partner_ids=follower.ids)
        cls.records = {
            "mercator.action": cls.appointment,
            "mercator.action.template": cls.tpl_call,
            "mercator.prospect.type": cls.prospect_type,
            "mercator.board.column": cls.opportunity.board_column_id,
            "mercator.action.reminder.recipient": (
                cls.appointment.reminder_recipient_ids
            ),
            "mercator.mailing": cls.mailing,
            "mercator.report.wizard": env["mercator.report.wizard"].create(
                {"partner_id": cls.prospect.id, "report_type": "done"}
            ),
            "res.partner": cls.prospect,
            "sale.order": cls.offer.sale_order_id,
            "calendar.event": cls.appointment.calendar_event_id,
            # Wizards (transient: none stays in the database).
            "mercator.partner.reassign": env["mercator.partner.reassign"].create(
                {"partner_id": cls.prospect.id, "user_id": cls.rep_all.id}
            ),
            "mercator.action.close": env["mercator.action.close"].create(
                {
                    "action_ids": [Command.set(cls.opportunity.ids)],
                    "outcome": "lost",
                    "close_reason_id": cls.reason_lost.id,
                }
            ),
        }
        env.flush_all()

    # What is walked ------------------------------------------------------------

    def _walked_methods(self):
        """{model name: method names}: the public methods of the models the
        addon defines, and those its classes define on the models it extends."""
        walked = {}
        for name in sorted(self.registry):
            model = self.env[name]
            classes = addon_classes(model)
            if not classes:
                continue
            if model._original_module == "mercator_crm":
                candidates = {attr for attr in dir(type(model)) if attr[:1] != "_"}
            else:
                candidates = {
                    attr
                    for cls in classes
                    for attr, value in vars(cls).items()
                    if attr[:1] != "_" and callable(value)
                }
            methods = []
            for attr in sorted(candidates):
                try:
                    get_public_method(model, attr)
                except (AccessError, AttributeError):
                    continue
                methods.append(attr)
            walked[name] = methods
        return walked

    def _record(self, model_name):
        if model_name in self.records:
            return self.records[model_name]
        Model = self.env[model_name].with_context(active_test=False)
        if Model._abstract:
            return Model
        return Model.search([], limit=1)

    # Arguments, from their names -------------------------------------------------

    def _values(self, record, create):
        """Values for ``create`` or ``write``: a canary in the name, and, on a
        model the addon extends, the addon's fields as the record has them (the
        Mercator side of the model, not the rest of Odoo)."""
        values = record.copy_data()[0] if create and record else {}
        if "name" in record._fields and record._fields["name"].store:
            values["name"] = CANARY
        if record._original_module != "mercator_crm" and record:
            for fname, field in record._fields.items():
                if (
                    field._module == "mercator_crm"
                    and field.store
                    and not field.readonly
                    and field.type != "one2many"
                ):
                    values[fname] = field.convert_to_write(record[fname], record)
        return values

    def _arguments(self, record):
        """{parameter name: value} for calls on ``record``; a parameter of
        another name gets its default, or None."""
        field_list = ["display_name"]
        write_values = self._values(record, create=False)
        return {
            "vals": write_values,
            "values": write_values,
            "vals_list": [self._values(record, create=True)],
            "default": {},
            "translations": {},
            "domain": [],
            "args": [],
            "fields": field_list,
            "field_names": field_list,
            "fields_list": field_list,
            "fields_to_export": field_list,
            "allfields": field_list,
            "specification": {"display_name": {}},
            "fields_spec": {"display_name": {}},
            "field_name": "display_name",
            "fname": "display_name",
            "full_name": "display_name",
            "groupby": ["create_uid"],
            "group_by": "create_uid",
            "progress_bar": {"field": "create_uid", "colors": {}},
            "name": CANARY,
            "operation": "write",
            "views": [[False, "form"]],
            "data": [[CANARY]],
            "help_message": "",
            "partner_ids": self.prospect.ids,
            "user_id": self.rep.id,
            "minutes": 5,
            "new": record.ids,
            "new_thread": record.ids,
            "act_type_xmlids": "mail.mail_activity_data_todo",
            "template_id": False,
            "model": record._name,
            "notification_type": "email",
        }

    def _call_arguments(self, record, method):
        """Positional and keyword arguments of ``method`` (see
        ``_arguments``); each call gets its own copy."""
        arguments = self._arguments(record)
        args, kwargs = [], {}
        parameters = list(inspect.signature(method).parameters.values())[1:]
        for parameter in parameters:
            if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
                continue
            if parameter.default is not parameter.empty and (
                parameter.name not in arguments
            ):
                continue
            value = copy.deepcopy(arguments.get(parameter.name))
            if parameter.kind == parameter.KEYWORD_ONLY:
                kwargs[parameter.name] = value
            else:
                args.append(value)
        return args, kwargs

    # One call --------------------------------------------------------------------

    def _written_rows(self):
        """Rows inserted, updated or deleted so far in this transaction, per
        table (PostgreSQL counts them as they happen)."""
        rows = self.env.execute_query(
            SQL(
                "SELECT relname, n_tup_ins + n_tup_upd + n_tup_del "
                "FROM pg_stat_xact_user_tables"
            )
        )
        return dict(rows)

    def _call(self, user, record, name):
        """Call ``record``'s method ``name`` as ``user``, as Odoo's RPC does.
        Returns ``(outcome, problem)``: how the call ended ("access error",
        "other error", "returned") and what went wrong (a sentence), or None:
        refused, or harmless."""
        model = record.with_user(user).with_context(
            allowed_company_ids=user.company_ids.ids
        )
        method = getattr(type(model), name)
        args, kwargs = self._call_arguments(record, method)
        if not getattr(method, "_api", None):
            args = [record.ids, *args]
        try:
            with self.env.cr.savepoint():
                # A request starts with an empty cache: what the superuser read
                # is not there to be read without the user's access checks.
                self.env.invalidate_all()
                before = self._written_rows()
                result = api.call_kw(model, name, args, kwargs)
                self.env.flush_all()
                written = {
                    table: count - before.get(table, 0)
                    for table, count in self._written_rows().items()
                    if count != before.get(table, 0)
                }
                raise Refused(result, written)
        except Refused as returned:
            result, written = returned.args
            if written:
                return "returned", f"returned ({result!r:.80}) after writing {written}"
            if self._leaks(user, record, repr(result)):
                return "returned", f"returned data of the record: {result!r:.200}"
            return "returned", None
        except Exception as error:  # any refusal will do
            outcome = (
                "access error" if isinstance(error, AccessError) else "other error"
            )
            if self._leaks(user, record, str(error)):
                return outcome, f"raised an error naming the record: {error!r:.200}"
            return outcome, None

    def _leaks(self, user, record, text):
        """Whether ``text`` holds data the user may not read."""
        readable = (
            record.with_user(user)
            .with_context(allowed_company_ids=user.company_ids.ids)
            ._filtered_access("read")
        )
        for own in readable.sudo():
            text = text.replace(own.display_name, "")
        return CANARY in text

    def _walk(self, user, walked):
        problems = []
        outcomes = defaultdict(list)
        for model_name, methods in walked.items():
            record = self._record(model_name)
            for name in methods:
                with (
                    mute_logger("odoo.sql_db", "odoo.models", "odoo.http"),
                    warnings.catch_warnings(),
                ):
                    # Deprecated methods (check_access_rights...) are still
                    # callable over RPC: walked, without their warning.
                    warnings.simplefilter("ignore", DeprecationWarning)
                    outcome, problem = self._call(user, record, name)
                outcomes[outcome].append(f"{model_name}.{name}")
                if problem:
                    problems.append(f"{model_name}.{name} as {user.login}: {problem}")
        _logger.info(
            "Public methods walked as %s: %s",
            user.login,
            {outcome: len(names) for outcome, names in outcomes.items()},
        )
        for outcome, names in outcomes.items():
            _logger.debug("%s as %s: %s", outcome, user.login, names)
        return problems

    # The tests -------------------------------------------------------------------

    def test_every_model_of_the_addon_is_walked(self):
        walked = self._walked_methods()
        defined = [
            name for name in walked if self.env[name]._original_module == "mercator_crm"
        ]
        self.assertIn("mercator.action", defined)
        self.assertIn("mercator.mailing", defined)
        self.assertGreater(len(walked["mercator.action"]), 50)
        self.assertIn("action_reminder_snooze", walked["mercator.action"])
        self.assertIn("action_view_mercator_actions", walked["res.partner"])
        self.assertIn("write", walked["calendar.event"])
        self.assertNotIn("read", walked["calendar.event"], "Odoo's own, not ours")
        # Each model the addon defines is walked on a record of it, but the
        # abstract ones; a wizard (transient) without a record in setUpClass
        # has none in the database: it is walked on an empty recordset.
        for name in defined:
            model = self.env[name]
            if model._abstract or (model._transient and name not in self.records):
                continue
            with self.subTest(model=name):
                self.assertTrue(self._record(name), name)

    def test_employee_and_portal_get_nothing(self):
        walked = self._walked_methods()
        problems = []
        for user in (self.employee, self.portal):
            problems += self._walk(user, walked)
        self.assertFalse(problems, "\n".join(problems))

    def test_the_walk_finds_a_leak_and_a_write(self):
        """The walk is not a test that cannot fail: a public method reading or
        writing as superuser for whoever calls it is caught."""
        Action = type(self.env["mercator.action"])

        def action_leak(self):
            return self.sudo().read(["name"])

        def action_scribble(self):
            self.sudo().write({"location": "Scribbled"})
            return True

        def action_refuse(self):
            self.check_access("write")
            self.sudo().write({"location": "Scribbled"})

        with (
            patch.object(Action, "action_leak", action_leak, create=True),
            patch.object(Action, "action_scribble", action_scribble, create=True),
            patch.object(Action, "action_refuse", action_refuse, create=True),
        ):
            problems = self._walk(
                self.employee,
                {
                    "mercator.action": [
                        "action_leak",
                        "action_scribble",
                        "action_refuse",
                    ]
                },
            )
        self.assertEqual(len(problems), 2, problems)
        self.assertIn("action_leak", problems[0])
        self.assertIn("returned data of the record", problems[0])
        self.assertIn("action_scribble", problems[1])
        self.assertIn("mercator_action", problems[1])
