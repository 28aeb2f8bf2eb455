import {registry} from "@web/core/registry";

/**
 * From the recipients filter to "Send all": a new mailing for the prospects
 * only, its content, "Generate" (one pending send per recipient), "Send all".
 */
registry.category("web_tour.tours").add("mercator_mailing_tour", {
    steps: () => [
        {
            content: "Create a mailing",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour mailing",
        },
        {
            content:
                "The default filter (every prospect and customer) is in the domain editor",
            trigger: ".o_field_widget[name=recipient_domain] .o_tree_editor_condition",
        },
        {
            content: "Keep only the prospects: operator 'is in'",
            trigger:
                ".o_field_widget[name=recipient_domain] .o_tree_editor_editor:eq(1) select",
            run: 'select "="',
        },
        {
            content: "... the prospects",
            trigger:
                ".o_field_widget[name=recipient_domain] .o_tree_editor_editor:eq(2) select",
            run: 'select "prospect"',
        },
        {
            content: "The live count shows the prospects",
            trigger:
                ".o_mercator_mailing_count .o_field_widget[name=recipient_count]:contains(/^[1-9]/)",
        },
        {
            content: "Subject with a placeholder",
            trigger: ".o_field_widget[name=subject] input",
            run: "edit Hello {{ object.name }}",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Generate the send-actions",
            trigger: "button.o_mercator_mailing_generate.btn-primary",
            run: "click",
        },
        {
            content: "They are pending",
            trigger:
                ".oe_stat_button:contains(Pending) .o_stat_value:contains(/^[1-9]/)",
        },
        {
            content: "Send all",
            trigger: "button.o_mercator_mailing_send_all",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The mailing is being sent",
            trigger:
                ".o_statusbar_status button.o_arrow_button_current:contains(Sending)",
        },
    ],
});
