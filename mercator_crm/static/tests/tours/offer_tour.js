import {registry} from "@web/core/registry";

registry.category("web_tour.tours").add("mercator_offer_tour", {
    steps: () => [
        {
            content: "Make an offer on the opportunity",
            trigger: "button.o_mercator_make_offer",
            run: "click",
        },
        {
            content: "The offer opens on its Quote tab",
            trigger: ".o_form_view .o_notebook .nav-link:contains(Quote)",
            run: "click",
        },
        {
            content: "The quote's customer is the prospect itself",
            trigger:
                ".o_field_widget[name=sale_order_partner_id]:contains(Pixel Furniture)",
        },
        {
            content: "Add a line to the quote",
            trigger:
                ".o_field_widget[name=sale_order_line_ids] .o_field_x2many_list_row_add a",
            run: "click",
        },
        {
            content: "Choose the product",
            trigger:
                ".o_field_widget[name=sale_order_line_ids] .o_data_row .o_field_widget[name=product_id] input",
            run: "edit Steel Shelf",
        },
        {
            trigger: ".o-autocomplete--dropdown-item > a:contains(Steel Shelf 2m)",
            run: "click",
        },
        {
            content: "Five tables",
            trigger:
                ".o_field_widget[name=sale_order_line_ids] .o_data_row .o_field_widget[name=product_uom_qty] input",
            run: "edit 5",
        },
        {
            content: "Save the offer",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The totals follow the lines",
            trigger:
                ".o_field_widget[name=sale_order_amount_untaxed]:contains(1,250.00)",
        },
        {
            content: "Validate the offer",
            trigger: "button.o_mercator_validate_offer",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The email action recording the email opens, done",
            trigger: ".o_form_view .o_field_widget[name=kind]:contains(Email)",
        },
        {
            content: "It follows the offer in the chain",
            trigger:
                ".o_form_view .o_field_widget[name=previous_id]:contains(Offer - Pixel open space)",
        },
    ],
});
