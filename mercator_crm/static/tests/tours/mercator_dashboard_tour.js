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
