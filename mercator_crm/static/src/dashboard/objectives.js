import {Component} from "@odoo/owl";
import {_t} from "@web/core/l10n/translation";
import {formatMonetary} from "@web/views/fields/formatters";

/**
 * The objectives widget ("widget des objectifs chiffrés"): for the chosen
 * representative, or the team and each rep, what was won in the period
 * against the target, in the board's colours (won in green, in negotiation
 * weighted by probability in blue), the gap to the target, and the same per
 * board column. Data: mercator.action.get_mercator_objectives, loaded by the
 * dashboard.
 */
export class MercatorObjectives extends Component {
    static template = "mercator_crm.Objectives";
    static props = {
        data: Object,
        loading: Boolean,
        onPeriodType: Function,
        onPeriodDay: Function,
        onSelectUser: Function,
        onSetTarget: Function,
        onOpenTargets: Function,
    };

    get period() {
        return this.props.data.period;
    }

    get mainLine() {
        return this.props.data.lines[0];
    }

    formatAmount(value) {
        return formatMonetary(value || 0, {
            currencyId: this.props.data.currency_id,
            digits: [false, 0],
        });
    }

    /** Widths (in %) of the won and weighted segments and of the target mark,
     * on a scale that holds the target and what was won and is in negotiation. */
    bar(line) {
        const target = line.target || 0;
        const done = line.won + line.negotiation_weighted;
        const scale = Math.max(target, done);
        if (!scale) {
            return {won: 0, negotiation: 0, mark: false};
        }
        return {
            won: (100 * line.won) / scale,
            negotiation: (100 * line.negotiation_weighted) / scale,
            mark: target && done > target ? (100 * target) / scale : false,
        };
    }

    percent(line) {
        return line.target ? Math.round((100 * line.won) / line.target) : 0;
    }

    gap(line) {
        return Math.max((line.target || 0) - line.won, 0);
    }

    hasTarget(line) {
        return line.target !== false;
    }

    /** A column's segments, on the scale of the main line's target (or of
     * the biggest column when there is no target). */
    columnBar(column) {
        const scale = Math.max(
            this.mainLine?.target || 0,
            ...this.props.data.columns.map((c) => c.won + c.negotiation_weighted)
        );
        if (!scale) {
            return {won: 0, negotiation: 0};
        }
        return {
            won: (100 * column.won) / scale,
            negotiation: (100 * column.negotiation_weighted) / scale,
        };
    }

    get visibleColumns() {
        return this.props.data.columns.filter(
            (c) => c.id || c.won || c.negotiation_weighted
        );
    }

    /** "Won 2,000 of 4,000 (50 %)", or "Won 2,000, no target for May 2031". */
    summary(line) {
        if (!this.hasTarget(line)) {
            return _t("Won %(won)s, no target for %(period)s", {
                won: this.formatAmount(line.won),
                period: this.period.label,
            });
        }
        return _t("Won %(won)s of %(target)s (%(percent)s)", {
            won: this.formatAmount(line.won),
            target: this.formatAmount(line.target),
            percent: `${this.percent(line)} %`,
        });
    }

    wonDetails(line) {
        const values = {
            amount: this.formatAmount(line.won),
            count: line.won_count,
            target: line.target_count,
        };
        return line.target_count
            ? _t("Won: %(amount)s (%(count)s of %(target)s opportunities)", values)
            : _t("Won: %(amount)s (%(count)s opportunities)", values);
    }

    negotiationDetails(line) {
        return _t(
            "In negotiation, closing in the period, weighted: %(amount)s (%(count)s)",
            {
                amount: this.formatAmount(line.negotiation_weighted),
                count: line.negotiation_count,
            }
        );
    }

    gapDetails(line) {
        return _t("Gap to target: %(amount)s", {
            amount: this.formatAmount(this.gap(line)),
        });
    }

    noteDetails(line) {
        return _t("Target: %(note)s", {note: line.target_note});
    }

    barTitle(line) {
        return _t("Won: %(won)s; in negotiation, weighted: %(negotiation)s", {
            won: this.formatAmount(line.won),
            negotiation: this.formatAmount(line.negotiation_weighted),
        });
    }
}
