import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("mercator_duplicate_tour", {
    steps: () => [
        {
            content: "A new prospect",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Type the name of a prospect that already exists",
            trigger: ".o_field_widget[name=name] input",
            run: "edit PIXEL furniture s.a.",
        },
        {
            content: "Leave the field: the form checks",
            trigger: ".o_field_widget[name=email] input",
            run: "click",
        },
        {
            content: "The warning lists the existing prospect, with a link",
            trigger:
                ".o_mercator_duplicate_warning a[target=_blank]:contains(Pixel Furniture)",
        },
        {
            content: "It says what they have in common and who represents it",
            trigger:
                ".o_mercator_duplicate_warning:contains(same company name):contains(Rita Rep)",
        },
        {
            content: "Give up: discard the new prospect",
            trigger: ".o_form_button_cancel",
            run: "click",
        },
        {
            content: "Back to the list",
            trigger: ".o_list_view",
        },
    ],
});

registry.category("web_tour.tours").add("mercator_close_lost_tour", {
    steps: () => [
        {
            content: "The opportunity is lost",
            trigger: "button.o_mercator_lost",
            run: "click",
        },
        {
            content: "The dialog asks why",
            trigger: ".modal .o_field_widget[name=close_reason_id] input",
            run: "edit Too exp",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains(Too expensive)",
            run: "click",
        },
        {
            content: "A closing note",
            trigger: ".modal .o_field_widget[name=close_note] .odoo-editor-editable",
            run: "editor They chose cheaper desks",
        },
        {
            trigger: ".modal button.o_mercator_close_confirm:contains(Mark as Lost)",
            run: "click",
        },
        {
            content: "The opportunity is lost, for that reason",
            trigger: ".o_form_view .ribbon:contains(Lost)",
        },
        {
            trigger:
                ".o_form_view .o_field_widget[name=close_reason_id] input:value(Too expensive)",
        },
    ],
});
