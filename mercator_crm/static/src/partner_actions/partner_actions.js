import {Component, onWillStart, onWillUpdateProps, useState} from "@odoo/owl";
import {deserializeDateTime, formatDateTime} from "@web/core/l10n/dates";
import {formatMonetary} from "@web/views/fields/formatters";
import {registry} from "@web/core/registry";
import {standardWidgetProps} from "@web/views/widgets/standard_widget_props";
import {useService} from "@web/core/utils/hooks";

// How many opportunities and other actions the tab shows at first, and adds
// with "Show more".
const PAGE_SIZE = 20;

const ACTION_SPEC = {
    date: {},
    name: {},
    kind: {},
    done: {},
    is_overdue: {},
    date_deadline: {},
    template_id: {fields: {display_name: {}}},
    contact_id: {fields: {name: {}}},
    user_id: {fields: {display_name: {}}},
};
const OPPORTUNITY_SPEC = {
    ...ACTION_SPEC,
    opportunity_state: {},
    expected_revenue: {},
    currency_id: {fields: {}},
    child_ids: {fields: ACTION_SPEC, order: "date, id"},
};

/**
 * The Actions tab of the prospect and customer forms: the opportunities, each
 * with its steps beneath it, then the other actions. A row opens the action in
 * its full form (the breadcrumb comes back here); "Add a Step" and "New
 * Action" open a new action's form. Buttons go through the form's own button
 * machinery (``env.onClickViewButton``): the prospect is saved first, as for
 * any button of the form, and the server method returns the window action.
 */
export class MercatorPartnerActions extends Component {
    static template = "mercator_crm.PartnerActions";
    static props = {...standardWidgetProps};

    setup() {
        this.orm = useService("orm");
        this.state = useState({
            loaded: false,
            opportunities: [],
            opportunityCount: 0,
            opportunityLimit: PAGE_SIZE,
            others: [],
            otherCount: 0,
            otherLimit: PAGE_SIZE,
        });
        onWillStart(() => this.load(this.props.record));
        onWillUpdateProps((nextProps) => {
            // A new record instance: the form (re)loaded, after a button, a
            // save or the pager.
            if (nextProps.record !== this.props.record) {
                return this.load(nextProps.record);
            }
        });
    }

    get partnerId() {
        return this.props.record.resId;
    }

    async load(record) {
        const partnerId = record.resId;
        if (!partnerId) {
            Object.assign(this.state, {
                loaded: true,
                opportunities: [],
                opportunityCount: 0,
                others: [],
                otherCount: 0,
            });
            return;
        }
        const base = [["commercial_partner_id", "=", partnerId]];
        const [opportunities, others] = await Promise.all([
            this.orm.webSearchRead(
                "mercator.action",
                [...base, ["kind", "=", "opportunity"]],
                {
                    specification: OPPORTUNITY_SPEC,
                    order: "date desc, id desc",
                    limit: this.state.opportunityLimit,
                    context: record.context,
                }
            ),
            this.orm.webSearchRead(
                "mercator.action",
                [...base, ["kind", "!=", "opportunity"], ["parent_id", "=", false]],
                {
                    specification: ACTION_SPEC,
                    order: "date desc, id desc",
                    limit: this.state.otherLimit,
                    context: record.context,
                }
            ),
        ]);
        Object.assign(this.state, {
            loaded: true,
            opportunities: opportunities.records,
            opportunityCount: opportunities.length,
            others: others.records,
            otherCount: others.length,
        });
    }

    async showMore(kind) {
        this.state[`${kind}Limit`] += PAGE_SIZE;
        await this.load(this.props.record);
    }

    formatDate(value) {
        return value
            ? formatDateTime(deserializeDateTime(value), {showSeconds: false})
            : "";
    }

    formatAmount(opportunity) {
        return formatMonetary(opportunity.expected_revenue || 0, {
            currencyId: opportunity.currency_id && opportunity.currency_id.id,
        });
    }

    /** Run a button of ``model`` (a method returning a window action) on ``resId``. */
    clickButton(model, resId, method) {
        return this.env.onClickViewButton({
            clickParams: {type: "object", name: method},
            getResParams: () => ({
                resModel: model,
                resId,
                resIds: [resId],
                context: this.props.record.context,
            }),
        });
    }

    openAction(action) {
        return this.clickButton("mercator.action", action.id, "action_open_form");
    }

    addStep(opportunity) {
        return this.clickButton("mercator.action", opportunity.id, "action_new_step");
    }

    async newAction(method) {
        // A new prospect is saved by the button machinery: its id comes after.
        return this.env.onClickViewButton({
            clickParams: {type: "object", name: method},
            getResParams: () => ({
                resModel: "res.partner",
                resId: this.props.record.resId,
                resIds: [this.props.record.resId],
                context: this.props.record.context,
            }),
        });
    }
}

registry.category("view_widgets").add("mercator_partner_actions", {
    component: MercatorPartnerActions,
});
