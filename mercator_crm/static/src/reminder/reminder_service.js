import {deserializeDateTime, formatDateTime} from "@web/core/l10n/dates";
import {_t} from "@web/core/l10n/translation";
import {escape} from "@web/core/utils/strings";
import {markup} from "@odoo/owl";
import {registry} from "@web/core/registry";

export const REMINDER_BUS_TYPE = "mercator_crm.reminder";

/**
 * Shows the reminders of Mercator actions sent by the server on the bus
 * (``mercator.action.reminder.recipient._send_reminders``): a sticky
 * notification per action with its partner and deadline, and the buttons
 * Open, Mark done and Snooze.
 */
export const mercatorReminderService = {
    dependencies: ["action", "bus_service", "notification", "orm"],

    start(env, {action, bus_service, notification, orm}) {
        // Action id -> function closing its notification.
        const displayed = new Map();

        function lines(payload) {
            const rows = [];
            if (payload.partner) {
                rows.push([_t("Prospect / Customer"), payload.partner]);
            }
            if (payload.contact) {
                rows.push([_t("Contact"), payload.contact]);
            }
            rows.push([
                _t("Deadline"),
                payload.date_deadline
                    ? formatDateTime(deserializeDateTime(payload.date_deadline), {
                          showSeconds: false,
                      })
                    : _t("None"),
            ]);
            return markup(
                rows
                    .map(
                        ([label, value]) =>
                            `<div><span class="text-muted">${escape(label)}:</span> ` +
                            `<span class="fw-bold">${escape(value)}</span></div>`
                    )
                    .join("")
            );
        }

        function show(payload) {
            displayed.get(payload.action_id)?.();
            const close = notification.add(lines(payload), {
                title: _t("Reminder: %(task)s", {task: payload.name}),
                type: "warning",
                sticky: true,
                className: "o_mercator_reminder",
                onClose: () => displayed.delete(payload.action_id),
                buttons: [
                    {
                        name: _t("Open"),
                        primary: true,
                        onClick: async () => {
                            await action.doAction({
                                type: "ir.actions.act_window",
                                res_model: "mercator.action",
                                res_id: payload.action_id,
                                views: [[false, "form"]],
                            });
                            close();
                        },
                    },
                    {
                        name: _t("Mark done"),
                        onClick: async () => {
                            await orm.call("mercator.action", "action_mark_done", [
                                [payload.action_id],
                            ]);
                            close();
                            notification.add(
                                _t("%(task)s is done.", {task: payload.name}),
                                {type: "success"}
                            );
                        },
                    },
                    {
                        name: _t("Snooze"),
                        onClick: async () => {
                            await orm.call(
                                "mercator.action",
                                "action_reminder_snooze",
                                [[payload.action_id]]
                            );
                            close();
                        },
                    },
                ],
            });
            displayed.set(payload.action_id, close);
        }

        bus_service.subscribe(REMINDER_BUS_TYPE, show);
        bus_service.start();
        return {show};
    },
};

registry.category("services").add("mercator_reminder", mercatorReminderService);
