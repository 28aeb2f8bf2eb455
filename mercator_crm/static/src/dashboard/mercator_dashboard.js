import {Component, markup, onWillStart, useState} from "@odoo/owl";
import {MercatorMyDay} from "./my_day";
import {MercatorObjectives} from "./objectives";
import {View} from "@web/views/view";
import {_t} from "@web/core/l10n/translation";
import {escape} from "@web/core/utils/strings";
import {formatMonetary} from "@web/views/fields/formatters";
import {registry} from "@web/core/registry";
import {standardActionServiceProps} from "@web/webclient/actions/action_service";
import {useService} from "@web/core/utils/hooks";

/**
 * The main screen: the chosen representative's figures, the objectives
 * widget (won against target for a month or a quarter) beside "My day" (the
 * actions due today or overdue), and the objectives board (the kanban of
 * opportunities by column). Data through the ORM service only: one read-only
 * call per widget, the embedded kanban loads itself.
 */
export class MercatorDashboard extends Component {
    static template = "mercator_crm.Dashboard";
    static components = {View, MercatorObjectives, MercatorMyDay};
    static props = {...standardActionServiceProps};

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({
            userId: false,
            showLost: false,
            data: null,
            objectives: null,
            myDay: null,
            periodType: "month",
            periodDay: false,
            objectivesLoading: false,
            boardKey: 1,
        });
        this.objectivesRequest = 0;
        onWillStart(() => this.loadAll());
    }

    loadAll() {
        return Promise.all([
            this.loadFigures(),
            this.loadObjectives(),
            this.loadMyDay(),
        ]);
    }

    async loadFigures() {
        this.state.data = await this.orm.call(
            "mercator.action",
            "get_mercator_dashboard_data",
            [],
            {user_id: this.state.userId || false}
        );
    }

    /** The objectives of the chosen rep and period; while they load, the
     * period buttons wait, and only the last answer is shown. */
    async loadObjectives() {
        const request = ++this.objectivesRequest;
        this.state.objectivesLoading = true;
        const objectives = await this.orm.call(
            "mercator.action",
            "get_mercator_objectives",
            [],
            {
                user_id: this.state.userId || false,
                period_type: this.state.periodType,
                day: this.state.periodDay || false,
            }
        );
        if (request === this.objectivesRequest) {
            this.state.objectives = objectives;
            this.state.objectivesLoading = false;
        }
    }

    async loadMyDay() {
        this.state.myDay = await this.orm.call(
            "mercator.action",
            "get_mercator_my_day",
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
            selectRecord: (resId) => this.openAction(resId),
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

    async onUserChange(ev) {
        await this.selectUser(parseInt(ev.target.value, 10) || false);
    }

    async selectUser(userId) {
        this.state.userId = userId;
        await this.refresh();
    }

    async onToggleLost(ev) {
        this.state.showLost = ev.target.checked;
        this.state.boardKey++;
    }

    async onPeriodType(periodType) {
        this.state.periodType = periodType;
        await this.loadObjectives();
    }

    async onPeriodDay(day) {
        this.state.periodDay = day;
        await this.loadObjectives();
    }

    /** A manager sets the target of a line without one, for the period shown. */
    onSetTarget(line) {
        const period = this.state.objectives.period;
        this.action.doAction(
            {
                type: "ir.actions.act_window",
                res_model: "mercator.target",
                views: [[false, "form"]],
                target: "new",
                name: _t("New Target"),
                context: {
                    default_user_id: line.user_id || false,
                    default_period_type: period.type,
                    default_date_from: period.start,
                },
            },
            {onClose: () => this.loadObjectives()}
        );
    }

    onOpenTargets() {
        this.action.doAction("mercator_crm.mercator_target_action");
    }

    /** An opportunity of the board or an action of My day, in its form. */
    openAction(resId) {
        this.action.doAction({
            type: "ir.actions.act_window",
            res_model: "mercator.action",
            res_id: resId,
            views: [[false, "form"]],
        });
    }

    /** "Done" in My day: the action is done, the figures follow. */
    async markDone(resId) {
        await this.orm.call("mercator.action", "action_mark_done", [[resId]]);
        await Promise.all([this.loadMyDay(), this.loadFigures()]);
    }

    /** Every action of My day, in the task screen's list. */
    seeAllMyDay() {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: _t("My day"),
            res_model: "mercator.action",
            domain: this.state.myDay.domain,
            views: [
                [false, "list"],
                [false, "form"],
            ],
            context: {list_view_ref: "mercator_crm.mercator_action_view_list_task"},
        });
    }

    async refresh() {
        await this.loadAll();
        this.state.boardKey++;
    }
}

registry.category("actions").add("mercator_crm.dashboard", MercatorDashboard);
