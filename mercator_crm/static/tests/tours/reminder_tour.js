import {registry} from "@web/core/registry";

// The reminder of "Tour reminder task" was sent on the bus before the page
// loaded; the web client shows it as a sticky notification, and "Mark done"
// marks the task done.
registry.category("web_tour.tours").add("mercator_reminder_tour", {
    steps: () => [
        {
            content: "The reminder pops up with the task, partner and deadline",
            trigger:
                ".o_notification.o_mercator_reminder:contains(Reminder: Tour reminder task):contains(Pixel Furniture):contains(Deadline)",
        },
        {
            content: "The notification offers Open and Snooze",
            trigger:
                ".o_mercator_reminder:contains(Tour reminder task) .o_notification_buttons:contains(Open):contains(Snooze)",
        },
        {
            content: "Mark the task done from the notification",
            trigger:
                ".o_mercator_reminder:contains(Tour reminder task) button:contains(Mark done)",
            run: "click",
        },
        {
            content: "The task is done and the reminder is gone",
            trigger: ".o_notification:contains(Tour reminder task is done)",
        },
        {
            trigger:
                "body:not(:has(.o_mercator_reminder:contains(Tour reminder task)))",
        },
    ],
});
