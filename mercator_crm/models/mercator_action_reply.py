import logging

from markupsafe import Markup

from odoo import _, fields, models
from odoo.exceptions import UserError, ValidationError

_logger = logging.getLogger(__name__)

REPLY_TEMPLATE = "mercator_crm.mercator_action_template_reply"


class MercatorAction(models.Model):
    """Replies: an email answering an action's email becomes the next action.

    The emails of actions (a validated offer's email action, an Email action,
    a mailing's send-action) are messages of their action (model
    ``mercator.action``, res_id the action): they leave with that message's
    Message-Id and the Reply-To mail.thread gives (the catchall of the
    company's alias domain). A reply names that Message-Id in its In-Reply-To
    and References headers, so Odoo's mail gateway (fetchmail, or the mailgate
    script, through ``message_process``) routes it to the action and posts it
    there. ``_message_post_after_hook`` then chains a "Reply Received" action
    after the action: for the prospect's representative, who is notified,
    holding the reply's text, shown in the prospect's History. A reply from an
    address that is neither the prospect's nor one of its contacts' is flagged
    (``reply_unknown_sender``); no partner is created for it.
    """

    _inherit = "mercator.action"

    reply_to_action_id = fields.Many2one(
        "mercator.action",
        string="Reply To",
        index="btree_not_null",
        readonly=True,
        copy=False,
        ondelete="set null",
        check_company=True,
        help="The action whose email this reply answers.",
    )
    reply_message_id = fields.Many2one(
        "mail.message",
        string="Reply",
        readonly=True,
        copy=False,
        ondelete="set null",
    )
    reply_email_from = fields.Char("Reply From", readonly=True, copy=False)
    reply_unknown_sender = fields.Boolean(
        "Unknown Sender",
        readonly=True,
        copy=False,
        help="The reply came from an address that is neither the prospect's nor "
        "one of its contact persons'.",
    )

    def _get_system_fields(self):
        # Set by the mail gateway only: a rep does not forge a reply.
        return super()._get_system_fields() | {
            "reply_to_action_id",
            "reply_message_id",
            "reply_email_from",
            "reply_unknown_sender",
        }

    def _message_post_after_hook(self, message, msg_values):
        res = super()._message_post_after_hook(message, msg_values)
        if self._is_incoming_reply(message):
            self._chain_reply(message)
        return res

    def _is_incoming_reply(self, message):
        """An email from outside that Odoo's mail gateway posts on this action.

        The gateway posts incoming emails as the superuser, with ``from_alias``
        in the context; nothing posted over RPC runs as the superuser, so a
        user's post (whatever its context) never chains an action. Replies of
        internal users (answering a notification from their mailbox) do not
        either."""
        return (
            len(self) == 1
            and self.env.su
            and self.env.context.get("from_alias")
            and message.message_type == "email"
            and not message.author_id.user_ids.filtered(lambda u: not u.share)
        )

    def _chain_reply(self, message):
        """Chain a "Reply Received" action after this action for ``message``,
        or, when an open one already follows it, tell its responsible there.

        Runs in the mail gateway's superuser environment (see
        ``_is_incoming_reply``): the sender has no rights, the new action is
        the representative's. Returns the reply action (or nothing when the
        action has no prospect to give it)."""
        self.ensure_one()
        open_reply = self.search(
            [("reply_to_action_id", "=", self.id), ("done", "=", False)], limit=1
        )
        if open_reply:
            open_reply._notify_reply(message, again=True)
            return open_reply
        values = self._prepare_reply_values(message)
        if not values["partner_id"]:
            self._notify_reply(message)
            return self.browse()
        try:
            with self.env.cr.savepoint():
                reply = self.with_context(
                    from_alias=False, mail_auto_subscribe_no_notify=True
                ).create(values)
        except (UserError, ValidationError) as error:
            # The reply stays on this action; only its follow-up is missing.
            _logger.info("Reply %s: no follow-up action: %s", message.id, error)
            self._notify_reply(message, error=error)
            return self.browse()
        reply._notify_reply(message)
        return reply

    def _prepare_reply_values(self, message):
        self.ensure_one()
        template = self.env.ref(REPLY_TEMPLATE, raise_if_not_found=False)
        if not (template and template.active):
            template = self.env.ref("mercator_crm.mercator_action_template_email")
        sender = message.author_id
        entity = self.commercial_partner_id or sender.commercial_partner_id
        known = bool(sender) and sender.commercial_partner_id == entity
        rep = entity.user_id or self.user_id
        if rep and self.company_id not in rep.company_ids:
            rep = self.user_id
        if self.kind == "opportunity":
            parent = self
        else:
            parent = self.parent_id
        return {
            "name": message.subject or template.name,
            "template_id": template.id,
            "company_id": self.company_id.id,
            "partner_id": entity.id,
            "contact_id": sender.id if known and sender != entity else False,
            "parent_id": parent.id,
            "previous_id": self.id if self.done else False,
            "user_id": rep.id,
            "date": message.date,
            "description": message.body,
            "reply_to_action_id": self.id,
            "reply_message_id": message.id,
            "reply_email_from": message.email_from,
            "reply_unknown_sender": not known,
        }

    def _notify_reply(self, message, again=False, error=None):
        """Note on this action, addressed to its responsible (their inbox or
        email, as they chose in their preferences): a reply came."""
        self.ensure_one()
        source = self.reply_to_action_id or self
        sender = message.author_id.display_name or message.email_from
        if again:
            text = _(
                "%(sender)s replied again to %(action)s: the reply is in its chatter.",
                sender=sender,
                action=source.name,
            )
        elif error:
            text = _(
                "%(sender)s replied to this action; its follow-up action could "
                "not be planned: %(error)s",
                sender=sender,
                error=error,
            )
        else:
            text = _(
                "%(sender)s replied to %(action)s: the reply is below and in its "
                "chatter.",
                sender=sender,
                action=source.name,
            )
        if self.reply_unknown_sender:
            text = _(
                "%(text)s The sender is neither the prospect nor one of its "
                "contacts: check who wrote before answering.",
                text=text,
            )
        self.message_post(
            body=Markup("<p>%s</p>") % text,
            partner_ids=self.user_id.partner_id.ids,
            subtype_xmlid="mail.mt_note",
        )
