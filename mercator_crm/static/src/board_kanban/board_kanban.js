import {KanbanHeader} from "@web/views/kanban/kanban_header";
import {KanbanRenderer} from "@web/views/kanban/kanban_renderer";
import {kanbanView} from "@web/views/kanban/kanban_view";
import {registry} from "@web/core/registry";

/** Column header of the objectives board: the count next to the title, also
 * when the progress bar (won / in negotiation) shows the revenue sum. */
export class MercatorBoardKanbanHeader extends KanbanHeader {
    static template = "mercator_crm.BoardKanbanHeader";
}

export class MercatorBoardKanbanRenderer extends KanbanRenderer {
    static components = {
        ...KanbanRenderer.components,
        KanbanHeader: MercatorBoardKanbanHeader,
    };
}

export const mercatorBoardKanbanView = {
    ...kanbanView,
    Renderer: MercatorBoardKanbanRenderer,
};

registry.category("views").add("mercator_board_kanban", mercatorBoardKanbanView);
