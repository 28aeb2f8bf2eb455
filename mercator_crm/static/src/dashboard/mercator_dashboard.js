import {Component, markup, onWillStart, useState} from "@odoo/owl";
import {View} from "@web/views/view";
import {_t} from "@web/core/l10n/translation";
import {escape} from "@web/core/utils/strings";
import {formatMonetary} from "@web/views/fields/formatters";
import {registry} from "@web/core/registry";
import {standardActionServiceProps} from "@web/webclient/actions/action_service";
import {useService} from "@web/core/utils/hooks";

/**
 * The manager's view: the objectives board (the kanban of opportunities by
 * column) next to the chosen representative's figures. Data through the ORM
 * service only: one call for the figures, the embedded kanban loads itself.
 */
export class MercatorDashboard extends Component {
    static template = "mercator_crm.Dashboard";
    static components = {View};
    static props = {...standardActionServiceProps};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({
            userId: false,
            showLost: false,
            data: null,
            boardKey: 1,
        });
        onWillStart(() => this.loadFigures());
    }

    async loadFigures() {
        this.state.data = await this.orm.call(
            "mercator.action",
            "get_mercator_dashboard_data",
            [],
            {user_id: this.state.userId || false}
        );
    }

    get selectedUserName() {
        const user = (this.state.data?.users || []).find(
            (u) => u.id === this.state.userId
        );
        return user ? user.name : "";
    }

    get emptyMessage() {
        if (this.state.data?.opportunity_count) {
            return _t(
                "No opportunity to show: the lost ones are hidden, tick “Show lost” to see them."
            );
        }
        if (this.state.userId) {
            return _t(
                "%(user)s has no opportunity yet: the board stays empty until one is opened for them.",
                {user: this.selectedUserName || _t("This representative")}
            );
        }
        return _t("No opportunity yet: open one from a prospect to fill the board.");
    }

    get boardProps() {
        const domain = [["kind", "=", "opportunity"]];
        if (this.state.userId) {
            // Opportunities count for the representative of their prospect.
            domain.push(["representative_id", "=", this.state.userId]);
        }
        if (!this.state.showLost) {
            domain.push(["opportunity_state", "!=", "lost"]);
        }
        return {
            resModel: "mercator.action",
            type: "kanban",
            views: [
                [false, "kanban"],
                [false, "search"],
            ],
            domain,
            context: {
                kanban_view_ref: "mercator_crm.mercator_action_view_kanban_board",
                default_user_id: this.state.userId || undefined,
            },
            display: {controlPanel: false},
            selectRecord: (resId) => this.openOpportunity(resId),
            useSampleModel: false,
            noContentHelp: markup(
                `<p class="o_view_nocontent_smiling_face">${escape(this.emptyMessage)}</p>`
            ),
        };
    }

    formatAmount(value) {
        return formatMonetary(value || 0, {
            currencyId: this.state.data.currency_id,
            digits: [false, 0],
        });
    }

    openOpportunity(resId) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "mercator.action",
            res_id: resId,
            views: [[false, "form"]],
        });
    }

    async onUserChange(ev) {
        this.state.userId = parseInt(ev.target.value, 10) || false;
        await this.refresh();
    }

    async onToggleLost(ev) {
        this.state.showLost = ev.target.checked;
        this.state.boardKey++;
    }

    async refresh() {
        await this.loadFigures();
        this.state.boardKey++;
    }
}

registry.category("actions").add("mercator_crm.dashboard", MercatorDashboard);
