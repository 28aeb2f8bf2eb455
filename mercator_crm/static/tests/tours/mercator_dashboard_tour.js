import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("mercator_dashboard_tour", {
    steps: () => [
        {
            content: "The dashboard shows the figures and the board",
            trigger: ".o_mercator_dashboard .o_mercator_figure_won_month",
        },
        {
            content: "The fixture's columns are on the board",
            trigger: ".o_mercator_board .o_kanban_group:contains('Dash Second')",
        },
        {
            content: "The team's line: won against the team's target",
            trigger:
                ".o_mercator_objective_team .o_mercator_objective_summary:contains('2,000'):contains('10,000')",
        },
        {
            content: "A line per representative, in green and blue",
            trigger:
                ".o_mercator_objective_line:contains('Rita Rep') .o_mercator_objective_bar:has(.o_mercator_objective_won):has(.o_mercator_objective_negotiation)",
        },
        {
            content: "My day beside the objectives",
            trigger: ".o_mercator_dashboard_widgets .o_mercator_my_day_item",
        },
        {
            content: "Choose a representative without opportunities",
            trigger: "select.o_mercator_dashboard_user",
            async run(helpers) {
                const option = [...this.anchor.options].find(
                    (opt) => opt.textContent.trim() === "Alice All"
                );
                await helpers.select(option.value);
            },
        },
        {
            content: "The board is empty and says why",
            trigger:
                ".o_mercator_dashboard[data-board-key='2'] .o_view_nocontent:contains('Alice All has no opportunity yet')",
        },
        {
            content: "Alice has no target this month: the manager sets one",
            trigger:
                ".o_mercator_objective_line:contains('Alice All') .o_mercator_objective_set",
            run: "click",
        },
        {
            content: "The target's revenue",
            trigger: ".modal .o_field_widget[name=revenue_target] input",
            run: "edit 5000",
        },
        {
            content: "Save the target",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "Alice's line shows her new target",
            trigger:
                ".o_mercator_objective_line:contains('Alice All') .o_mercator_objective_summary:contains('5,000')",
        },
        {
            content: "Choose representative A",
            trigger: "select.o_mercator_dashboard_user",
            async run(helpers) {
                const option = [...this.anchor.options].find(
                    (opt) => opt.textContent.trim() === "Rita Rep"
                );
                await helpers.select(option.value);
            },
        },
        {
            content: "Only rep A's cards: rep B's are gone",
            trigger:
                ".o_mercator_dashboard[data-board-key='3'] .o_mercator_board:not(:has(.o_kanban_record:contains('Beta chairs')))",
        },
        {
            content: "Rep A's won figure",
            trigger: ".o_mercator_figure_won_month:contains('2,000')",
        },
        {
            content: "Rep A's objectives: 2,000 won of 4,000",
            trigger:
                ".o_mercator_objective_line:contains('Rita Rep') .o_mercator_objective_summary:contains('2,000'):contains('4,000')",
        },
        {
            content: "The gap to the target shows",
            trigger: ".o_mercator_objective_gap:contains('2,000')",
        },
        {
            content: "Rep A's day: mark the task due today done",
            trigger:
                ".o_mercator_my_day_item:contains('Task due today') .o_mercator_my_day_done",
            run: "click",
        },
        {
            content: "The task left My day",
            trigger:
                ".o_mercator_my_day:not(:has(.o_mercator_my_day_item:contains('Task due today'))):has(.o_mercator_my_day_item:contains('Overdue call'))",
        },
        {
            content: "Show the quarter",
            trigger: ".o_mercator_period_quarter:enabled",
            run: "click",
        },
        {
            content: "The quarter's target is the sum of its months'",
            trigger:
                ".o_mercator_objectives:has(.o_mercator_period_label:contains('Q')) .o_mercator_objective_line:contains('Rita Rep') .o_mercator_objective_note:contains('monthly')",
        },
        {
            content: "Back to the month",
            trigger: ".o_mercator_period_month:enabled",
            run: "click",
        },
        {
            content: "The month is shown",
            trigger:
                ".o_mercator_objectives:has(.o_mercator_period_label:not(:contains('Q'))) .o_mercator_objective_line:contains('Rita Rep') .o_mercator_objective_summary:contains('4,000')",
        },
        {
            content: "Go to the previous month",
            trigger: ".o_mercator_period_previous:enabled",
            run: "click",
        },
        {
            content: "No target last month",
            trigger:
                ".o_mercator_objective_line:contains('Rita Rep') .o_mercator_objective_summary:contains('no target')",
        },
        {
            content: "Back to this month",
            trigger: ".o_mercator_period_next:enabled",
            run: "click",
        },
        {
            content: "This month's target again",
            trigger:
                ".o_mercator_objective_line:contains('Rita Rep') .o_mercator_objective_summary:contains('4,000')",
        },
        {
            content: "HTML in a name is shown as text on the board",
            trigger:
                ".o_mercator_board .o_mercator_board_card_name:contains('<i>Open space</i>'):not(:has(i))",
        },
        {
            content: "Refresh",
            trigger: ".o_mercator_dashboard_refresh",
            run: "click",
        },
        {
            content: "The board is back after the refresh",
            trigger:
                ".o_mercator_dashboard[data-board-key='4'] .o_mercator_board .o_kanban_record:contains('Open space')",
        },
        {
            content: "Drag the card to the second column",
            trigger: ".o_mercator_board .o_kanban_record:contains('Open space')",
            run: "drag_and_drop(.o_mercator_board .o_kanban_group:has(.o_column_title:contains('Dash Second')))",
        },
        {
            content: "The card stands in the second column",
            trigger:
                ".o_mercator_board .o_kanban_group:has(.o_column_title:contains('Dash Second')) .o_kanban_record:contains('Open space')",
        },
        {
            content: "Open the card",
            trigger: ".o_mercator_board .o_kanban_record:contains('Open space')",
            run: "click",
        },
        {
            content: "The opportunity's form is open",
            trigger: ".o_form_view .o_breadcrumb .active:contains('Open space')",
        },
    ],
});
