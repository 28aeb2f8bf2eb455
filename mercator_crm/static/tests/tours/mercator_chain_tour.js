import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("mercator_crm_chain_tour", {
    steps: () => [
        {
            content: "Open the prospect",
            trigger: ".o_data_row .o_data_cell:contains('Pixel Furniture')",
            run: "click",
        },
        {
            content: "The prospect form has its Data, Actions and History tabs",
            trigger: ".o_notebook .nav-link:contains('History')",
        },
        {
            content: "Create an opportunity from the prospect",
            trigger: "button[name='action_mercator_new_opportunity']",
            run: "click",
        },
        {
            content: "The opportunity form opens with the opportunity template",
            trigger:
                ".o_mercator_action_form .o_field_widget[name='template_id'] input:value('Opportunity')",
        },
        {
            trigger: ".o_mercator_action_form .o_field_widget[name='name'] input",
            run: "edit Tour opportunity",
        },
        {
            trigger:
                ".o_field_widget[name='partner_id'] input:value('Pixel Furniture')",
        },
        {
            content: "Save the opportunity",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Add a step nested in the opportunity",
            trigger: "button[name='action_new_step']",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name='parent_id'] input:value('Tour opportunity')",
        },
        {
            trigger:
                ".o_mercator_action_form .o_field_widget[name='template_id'] input:value('Phone Call')",
        },
        {
            trigger: ".o_mercator_action_form .o_field_widget[name='name'] input",
            run: "edit Tour first call",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Mark the step done",
            trigger: ".o_form_saved button[name='action_mark_done']",
            run: "click",
        },
        {
            content: "Its extra information appears",
            trigger: ".o_notebook .nav-link:contains('Done Information')",
            run: "click",
        },
        {
            trigger: ".o_field_properties .o_property_field:contains('Summary') input",
            run: "edit Interested in oak desks",
        },
        {
            content: "Plan the follow-up",
            trigger: "button[name='action_done_and_plan_next']",
            run: "click",
        },
        {
            content: "The template proposes a meeting",
            trigger: ".o_field_widget[name='template_id'] input:value('Meeting')",
        },
        {
            trigger: ".o_mercator_action_form .o_field_widget[name='name'] input",
            run: "edit Tour visit",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Walk back with <<",
            trigger: ".o_form_saved button[name='action_open_previous']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='name'] input:value('Tour first call')",
        },
        {
            content: "Walk forward with >>",
            trigger: "button[name='action_open_next']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='name'] input:value('Tour visit')",
        },
        {
            content: "Show the parent action",
            trigger: "button[name='action_open_parent']",
            run: "click",
        },
        {
            trigger: ".o_field_widget[name='name'] input:value('Tour opportunity')",
        },
        {
            trigger: ".o_notebook .nav-link:contains('Steps')",
            run: "click",
        },
        {
            content: "Both steps are nested in the opportunity",
            trigger:
                ".o_field_widget[name='child_ids'] .o_data_row:contains('Tour visit')",
        },
        {
            trigger:
                ".o_field_widget[name='child_ids'] .o_data_row:contains('Tour first call')",
        },
    ],
});
