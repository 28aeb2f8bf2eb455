from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError


class MercatorAction(models.Model):
    """Chains of actions: a done action is followed by the next one.

    Each action knows its previous action (``previous_id``) and the actions that
    follow it (``next_ids``, usually one). The form walks the chain with the << and
    >> buttons. Cancelled (archived) actions stay in the chain, and deleting an
    action in the middle links its followers to its own previous action.
    """

    _inherit = "mercator.action"

    previous_id = fields.Many2one(
        "mercator.action",
        string="Previous Action",
        index="btree_not_null",
        copy=False,
        tracking=True,
        ondelete="set null",
        check_company=True,
    )
    next_ids = fields.One2many(
        "mercator.action",
        "previous_id",
        string="Next Actions",
        context={"active_test": False},
    )
    next_id = fields.Many2one(
        "mercator.action",
        string="Next Action",
        compute="_compute_next_id",
    )

    @api.depends("next_ids")
    def _compute_next_id(self):
        for action in self:
            action.next_id = action.next_ids.sorted(lambda a: (a.date, a.id))[:1]

    @api.constrains("previous_id")
    def _check_previous_id(self):
        if self._has_cycle("previous_id"):
            raise ValidationError(
                _("An action cannot follow itself, directly or through other actions.")
            )
        for action in self:
            previous = action.previous_id
            if not previous:
                continue
            if not previous.done:
                raise ValidationError(
                    _(
                        '"%(previous)s" is not done yet: mark it done before planning '
                        "the action that follows it.",
                        previous=previous.name,
                    )
                )
            if previous.commercial_partner_id != action.commercial_partner_id:
                raise ValidationError(
                    _(
                        '"%(action)s" must concern the same prospect or customer '
                        'as the action it follows, "%(previous)s".',
                        action=action.name,
                        previous=previous.name,
                    )
                )

    @api.constrains("done")
    def _check_done_with_next(self):
        reopened = self.filtered(lambda a: not a.done)
        if not reopened:
            return
        # sudo: a follower the user does not see (another rep's, a cancelled
        # one) forbids reopening as much as one they see. A search, not
        # next_ids: the cache may hold the followers as the user read them.
        followed = (
            self.sudo()
            .with_context(active_test=False)
            .search([("previous_id", "in", reopened.ids)])
            .previous_id
        )
        if followed:
            raise ValidationError(
                _(
                    '"%(action)s" is followed by another action: it cannot be '
                    "reopened.",
                    action=self.browse(followed[0].id).name,
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_relink_chain(self):
        """Keep the chain walkable: followers of a deleted action follow its own
        previous action (the nearest one that is not deleted too)."""
        deleted_ids = set(self.ids)
        # sudo: the followers the user does not see (another rep's, cancelled
        # ones) are relinked too, or their chain would break out of sight. A
        # search, not next_ids: the cache may hold what the user read.
        followers_sudo = (
            self.sudo()
            .with_context(active_test=False)
            .search([("previous_id", "in", self.ids), ("id", "not in", self.ids)])
        )
        for follower in followers_sudo:
            previous = follower.previous_id
            while previous and previous.id in deleted_ids:
                previous = previous.previous_id
            follower.previous_id = previous

    def action_open_previous(self):
        """Button <<: open the action this one follows."""
        self.ensure_one()
        previous = self.with_context(active_test=False).previous_id
        if not previous:
            raise UserError(
                _('"%(action)s" is the first of its chain.', action=self.name)
            )
        return previous._get_form_action()

    def action_open_next(self):
        """Button >>: open the action that follows this one."""
        self.ensure_one()
        following = self.with_context(active_test=False).next_id
        if not following:
            raise UserError(
                _('"%(action)s" is the last of its chain.', action=self.name)
            )
        return following._get_form_action()

    def action_done_and_plan_next(self):
        """Button "Done and plan next": mark this action done and open the form of
        its follow-up, prefilled from the template's proposed next action."""
        self.ensure_one()
        if not self.done:
            self.action_mark_done()
        template = self.template_id.next_template_id or self.template_id
        date = fields.Datetime.now() + timedelta(days=self.template_id.next_delay)
        parent = self.parent_id
        if not parent and self.kind == "opportunity" and template.kind != "opportunity":
            parent = self
        return self.browse()._get_form_action(
            context={
                "default_previous_id": self.id,
                "default_template_id": template.id,
                "default_partner_id": self.partner_id.id,
                "default_contact_id": self.contact_id.id,
                "default_parent_id": parent.id
                if template.kind != "opportunity"
                else False,
                "default_date": fields.Datetime.to_string(date),
            },
        )

    def _get_chain(self):
        """All the actions of this action's chain, first to last (cancelled ones
        included). Branches (several followers) are walked depth first by date."""
        self.ensure_one()
        first = self.with_context(active_test=False)
        while first.previous_id:
            first = first.previous_id
        chain = self.browse()
        todo = [first]
        while todo:
            action = todo.pop(0)
            chain |= action
            todo[:0] = list(action.next_ids.sorted(lambda a: (a.date, a.id)))
        return chain
