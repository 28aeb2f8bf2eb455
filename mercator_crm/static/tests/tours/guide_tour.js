import {registry} from "@web/core/registry";

/**
 * The demo guide's daily path, as the rep walks it from her login: the main
 * screen, her prospect's Actions tab, the opportunity and a step in their full
 * forms, Done with its information, Done and plan next, << >>, Show parent
 * action, a new action from the tab, an offer with quote lines typed before its
 * first save, its validation, and the email in History.
 */
const FORM = ".o_mercator_action_form";

function openProspect() {
    return [
        {
            content: "Open the prospects",
            trigger:
                ".o_main_navbar a[data-menu-xmlid='mercator_crm.mercator_menu_prospect']",
            run: "click",
        },
        {
            content: "Open her prospect",
            trigger: ".o_data_row .o_data_cell:contains('Pixel Furniture')",
            run: "click",
        },
        {
            content: "The Actions tab",
            trigger: ".o_notebook .nav-link[name='mercator_actions']",
            run: "click",
        },
    ];
}

function chooseTemplate(name) {
    return [
        {
            trigger: `${FORM} .o_field_widget[name='template_id'] input`,
            run: `edit ${name}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item > a:contains('${name}')`,
            run: "click",
        },
    ];
}

registry.category("web_tour.tours").add("mercator_guide_tour", {
    steps: () => [
        {
            content: "After login, the Mercator dashboard",
            trigger: ".o_mercator_dashboard .o_mercator_dashboard_figures",
        },
        ...openProspect(),
        {
            content: "The opportunity shows its steps beneath it",
            trigger:
                ".o_mercator_opportunity:contains('Pixel open space') .o_mercator_steps .o_mercator_action_row:contains('Meeting')",
        },
        {
            content: "Open the opportunity (the guide's glasses)",
            trigger:
                ".o_mercator_opportunity:contains('Pixel open space') .card-header .o_mercator_open_action",
            run: "click",
        },
        {
            content: "Its full form, with its buttons",
            trigger: `${FORM} button[name='action_new_step']`,
        },
        {
            content: "Back to the prospect with the breadcrumb",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Pixel Furniture')",
            run: "click",
        },
        {
            trigger: ".o_notebook .nav-link[name='mercator_actions']",
            run: "click",
        },
        {
            content: "Open the opportunity again",
            trigger:
                ".o_mercator_opportunity:contains('Pixel open space') .card-header .o_mercator_open_action",
            run: "click",
        },
        {
            content: "Its steps",
            trigger: `${FORM} .o_notebook .nav-link[name='steps']`,
            run: "click",
        },
        {
            content: "Open the meeting (its glasses)",
            trigger:
                ".o_field_widget[name='child_ids'] .o_data_row:contains('Meeting') button[name='action_open_form']",
            run: "click",
        },
        {
            content: "The step's full form: Show Parent Action, << and Done",
            trigger: `${FORM} button[name='action_open_parent']`,
        },
        {
            trigger: `${FORM} .o_field_widget[name='name'] input:value('Meeting')`,
        },
        {
            content: "Tick Done",
            trigger: `${FORM} .o_field_widget[name='done'] input[type='checkbox']`,
            run: "click",
        },
        {
            content: "Fill the complementary information",
            trigger: `${FORM} .o_notebook .nav-link[name='done_information']`,
            run: "click",
        },
        {
            trigger: ".o_field_properties .o_property_field:contains('Summary') input",
            run: "edit Wants oak desks",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Done and plan next",
            trigger: `.o_form_saved button[name='action_done_and_plan_next']`,
            run: "click",
        },
        {
            content: "The template proposes its follow-up",
            trigger: `${FORM} .o_field_widget[name='previous_id'] :contains('Meeting')`,
        },
        ...chooseTemplate("Phone Call"),
        {
            content: "The title follows the template",
            trigger: `${FORM} .o_field_widget[name='name'] input:value('Phone Call')`,
        },
        {
            trigger: `${FORM} .o_field_widget[name='name'] input`,
            run: "edit Tour call back",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Walk back with <<",
            trigger: `.o_form_saved button[name='action_open_previous']`,
            run: "click",
        },
        {
            trigger: `${FORM} .o_field_widget[name='name'] input:value('Meeting')`,
        },
        {
            content: "Walk forward with >>",
            trigger: `${FORM} button[name='action_open_next']`,
            run: "click",
        },
        {
            trigger: `${FORM} .o_field_widget[name='name'] input:value('Tour call back')`,
        },
        {
            content: "Show the parent action",
            trigger: `${FORM} button[name='action_open_parent']`,
            run: "click",
        },
        {
            trigger: `${FORM} .o_field_widget[name='name'] input:value('Pixel open space')`,
        },
        ...openProspect(),
        {
            content: "The follow-up is under its opportunity",
            trigger:
                ".o_mercator_opportunity:contains('Pixel open space') .o_mercator_action_row:contains('Tour call back')",
        },
        {
            content: "A new action from the tab",
            trigger: ".o_mercator_tab_new_action",
            run: "click",
        },
        {
            content: "For this prospect",
            trigger: `${FORM} .o_field_widget[name='partner_id'] input:value('Pixel Furniture')`,
        },
        {
            trigger: `${FORM} .o_field_widget[name='template_id'] input:value('Send Documentation')`,
        },
        {
            content: "Choose the contact person",
            trigger: `${FORM} .o_field_widget[name='contact_id'] input`,
            run: "edit Paula",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains('Paula Pixel')",
            run: "click",
        },
        {
            trigger: `${FORM} .o_field_widget[name='name'] input`,
            run: "edit Tour brochure",
        },
        {
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger: ".o_form_saved",
        },
        ...openProspect(),
        {
            content: "The new action is among the other actions",
            trigger:
                ".o_mercator_other_actions .o_mercator_action_row:contains('Tour brochure')",
        },
        {
            content: "Add a step to the opportunity, from the tab",
            trigger:
                ".o_mercator_opportunity:contains('Pixel open space') .o_mercator_add_step",
            run: "click",
        },
        {
            trigger: `${FORM} .o_field_widget[name='parent_id'] input:value('Pixel open space')`,
        },
        ...chooseTemplate("Make an Offer"),
        {
            content: "The title follows the template",
            trigger: `${FORM} .o_field_widget[name='name'] input:value('Make an Offer')`,
        },
        {
            content: "The Quote tab is there before the first save",
            trigger: `${FORM} .o_notebook .nav-link[name='quote']`,
            run: "click",
        },
        {
            content: "Add a line",
            trigger:
                ".o_field_widget[name='sale_order_line_ids'] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name='sale_order_line_ids'] .o_data_row .o_field_widget[name='product_id'] input",
            run: "edit Steel Shelf",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains('Steel Shelf 2m')",
            run: "click",
        },
        {
            content: "Priced as the quote will price it",
            trigger:
                ".o_field_widget[name='sale_order_line_ids'] .o_data_row .o_field_widget[name='price_unit'] input:value('250.00')",
        },
        {
            trigger:
                ".o_field_widget[name='sale_order_line_ids'] .o_data_row .o_field_widget[name='product_uom_qty'] input",
            run: "edit 5",
        },
        {
            content: "Save: the quote is created with its line",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name='sale_order_amount_untaxed']:contains('1,250.00')",
        },
        {
            content: "Validate the offer",
            trigger: "button.o_mercator_validate_offer",
            run: "click",
        },
        {
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The email action recording the email",
            trigger: `${FORM} .o_field_widget[name='kind']:contains('Email')`,
        },
        ...openProspect(),
        {
            content: "The History tab",
            trigger: ".o_notebook .nav-link[name='mercator_history']",
            run: "click",
        },
        {
            content: "The email is in the History",
            trigger:
                ".o_field_widget[name='mercator_history_ids'] .o_data_row:contains('Offer S')",
        },
        {
            trigger:
                ".o_field_widget[name='mercator_history_ids'] .o_data_row:contains('Meeting')",
        },
    ],
});
