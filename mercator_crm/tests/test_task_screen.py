from datetime import datetime, timedelta

from freezegun import freeze_time
from lxml import etree

from odoo.tests import tagged, users
from odoo.tools.safe_eval import safe_eval

from .common import MercatorCalendarCommon

NOW = datetime(2030, 6, 3, 8, 0)


@tagged("post_install", "-at_install")
class TestTaskScreen(MercatorCalendarCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Action = cls.env["mercator.action"]
        cls.task_late = Action.create(
            {
                "name": "Late task",
                "template_id": cls.tpl_task.id,
                "user_id": cls.rep.id,
                "date": NOW - timedelta(days=10),
                "date_deadline": NOW - timedelta(days=1),
            }
        )
        cls.task_soon = Action.create(
            {
                "name": "Task for next week",
                "template_id": cls.tpl_task.id,
                "user_id": cls.rep.id,
                "date": NOW,
                "date_deadline": NOW + timedelta(days=7),
            }
        )
        cls.task_other = Action.create(
            {
                "name": "Task of another rep",
                "template_id": cls.tpl_task.id,
                "user_id": cls.rep_other.id,
                "date": NOW,
            }
        )
        cls.screen = cls.env.ref("mercator_crm.mercator_action_action_task")

    def _search_screen(self, user, extra_domain=()):
        """The records the task screen shows ``user`` with its default filters."""
        domain = [
            *safe_eval(self.screen.domain),
            ("kind", "=", "task"),
            ("user_id", "=", user.id),
            ("done", "=", False),
            *extra_domain,
        ]
        return self.env["mercator.action"].with_user(user).search(domain)

    def _menu_action(self, user, menu):
        """What the menu ``menu`` opens for ``user`` (its server action)."""
        server_action = self.env.ref(f"mercator_crm.{menu}").action
        return server_action.with_user(user).run()

    def test_screen_defaults(self):
        context = self.screen.context
        self.assertIn("'search_default_filter_my': 1", context)
        self.assertIn("'search_default_filter_task': 1", context)
        self.assertIn("'search_default_filter_not_done': 1", context)
        self.assertIn("'search_default_groupby_user_id': 1", context)
        # Every open action can show (the "Tasks" filter removed), but not
        # opportunities nor the sends of mailings.
        self.assertEqual(
            self.screen.domain,
            "[('kind', '!=', 'opportunity'), ('mailing_id', '=', False)]",
        )
        search = etree.fromstring(
            self.env["mercator.action"].get_views(
                [(self.screen.search_view_id.id, "search")]
            )["views"]["search"]["arch"]
        )
        self.assertTrue(search.xpath("//filter[@name='filter_task']"))
        self.assertTrue(search.xpath("//searchpanel/field[@name='user_id']"))
        kanban_view = self.env.ref("mercator_crm.mercator_action_view_kanban_task")
        kanban = etree.fromstring(
            self.env["mercator.action"].get_views([(kanban_view.id, "kanban")])[
                "views"
            ]["kanban"]["arch"]
        )
        self.assertEqual(kanban.get("default_group_by"), "user_id")
        self.assertTrue(kanban.xpath("//button[@name='action_mark_done']"))
        listing = etree.fromstring(
            self.env["mercator.action"].get_views(
                [
                    (
                        self.env.ref("mercator_crm.mercator_action_view_list_task").id,
                        "list",
                    )
                ]
            )["views"]["list"]["arch"]
        )
        self.assertEqual(listing.get("decoration-danger"), "is_overdue")
        self.assertTrue(listing.xpath("//button[@name='action_mark_done']"))

    def test_my_tasks_grouped_by_user(self):
        with freeze_time(NOW):
            mine = self._search_screen(self.rep)
            self.assertEqual(mine, self.task_late | self.task_soon)
            overdue = mine.filtered("is_overdue")
            self.assertEqual(overdue, self.task_late, "The late task is highlighted.")
            # A manager sees every rep's tasks, one group per user.
            actions_manager = self.env["mercator.action"].with_user(self.manager)
            groups = dict(
                actions_manager._read_group(
                    [
                        ("kind", "=", "task"),
                        ("done", "=", False),
                        (
                            "id",
                            "in",
                            (self.task_late | self.task_soon | self.task_other).ids,
                        ),
                    ],
                    ["user_id"],
                    ["__count"],
                )
            )
        self.assertEqual(groups, {self.rep: 2, self.rep_other: 1})
        # Own-documents reps never see a colleague's task.
        self.assertNotIn(
            self.task_other,
            self.env["mercator.action"]
            .with_user(self.rep)
            .search([("kind", "=", "task")]),
        )

    @users("mercator_rep")
    def test_quick_done(self):
        with freeze_time(NOW):
            self.task_late.with_env(self.env).action_mark_done()
            self.assertTrue(self.task_late.done)
            self.assertEqual(self.task_late.done_user_id, self.rep)
            self.assertEqual(
                self._search_screen(self.rep),
                self.task_soon,
                "A done task leaves the screen.",
            )

    def test_menus_open_every_rep_for_a_manager(self):
        """Calendar and Tasks open on every representative for a manager, on
        one's own for a rep (as the window actions themselves do)."""
        for menu, screen in (
            ("mercator_menu_task", "mercator_action_action_task"),
            ("mercator_menu_calendar", "mercator_action_action_calendar"),
        ):
            with self.subTest(menu=menu):
                manager = self._menu_action(self.manager, menu)
                rep = self._menu_action(self.rep, menu)
                rep_all = self._menu_action(self.rep_all, menu)
                window = self.env.ref(f"mercator_crm.{screen}")
                for action in (manager, rep, rep_all):
                    self.assertEqual(action["id"], window.id)
                    self.assertEqual(action["domain"], window.domain)
                self.assertNotIn("search_default_filter_my", manager["context"])
                self.assertEqual(rep["context"]["search_default_filter_my"], 1)
                self.assertEqual(rep_all["context"]["search_default_filter_my"], 1)
        # The tasks of every rep, with the screen's default filters but "My
        # Actions": the manager sees both reps' tasks.
        tasks = self._menu_action(self.manager, "mercator_menu_task")
        self.assertEqual(tasks["context"]["search_default_filter_task"], 1)
        with freeze_time(NOW):
            shown = (
                self.env["mercator.action"]
                .with_user(self.manager)
                .search(
                    [
                        *safe_eval(tasks["domain"]),
                        ("kind", "=", "task"),
                        ("done", "=", False),
                        ("id", "in", (self.task_late | self.task_other).ids),
                    ]
                )
            )
        self.assertEqual(shown, self.task_late | self.task_other)

    def test_other_open_actions_without_the_tasks_filter(self):
        """Without the "Tasks" filter, the screen lists every open action of
        the rep: their call too; never an opportunity."""
        call = self._create_action(
            self.tpl_call.copy({"kind": "standalone"}),
            name="Standalone call",
            user_id=self.rep.id,
        )
        opportunity = self._create_action(
            self.tpl_opportunity, name="Not a task", user_id=self.rep.id
        )
        domain = [
            *safe_eval(self.screen.domain),
            ("user_id", "=", self.rep.id),
            ("done", "=", False),
        ]
        shown = self.env["mercator.action"].with_user(self.rep).search(domain)
        self.assertIn(call, shown)
        self.assertIn(self.task_late, shown)
        self.assertNotIn(opportunity, shown)
