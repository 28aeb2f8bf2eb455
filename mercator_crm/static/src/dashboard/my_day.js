import {
    deserializeDateTime,
    formatDate,
    formatDateTime,
    today,
} from "@web/core/l10n/dates";
import {Component} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {localization} from "@web/core/l10n/localization";

const KIND_ICONS = {
    appointment: "fa-calendar",
    task: "fa-tasks",
    email: "fa-envelope-o",
    letter: "fa-file-text-o",
    offer: "fa-file-o",
    step: "fa-flag-o",
    standalone: "fa-bolt",
};

/**
 * "My day": the chosen representative's actions due today or overdue, the
 * most overdue first; a click opens an action, "Done" marks it done. Data:
 * mercator.action.get_mercator_my_day, loaded by the dashboard.
 */
export class MercatorMyDay extends Component {
    static template = "mercator_crm.MyDay";
    static props = {
        data: Object,
        showUser: Boolean,
        onOpen: Function,
        onDone: Function,
        onSeeAll: Function,
    };

    get overdueLabel() {
        return _t("%(count)s overdue", {count: this.props.data.overdue});
    }

    get seeAllLabel() {
        return _t("See all %(count)s", {count: this.props.data.total});
    }

    icon(action) {
        return KIND_ICONS[action.kind] || "fa-circle-o";
    }

    /** When: the time for today, the date for an older deadline. */
    when(action) {
        const value = deserializeDateTime(action.deadline || action.date);
        if (value.hasSame(today(), "day")) {
            return formatDateTime(value, {format: localization.shortTimeFormat});
        }
        return formatDate(value);
    }
}
