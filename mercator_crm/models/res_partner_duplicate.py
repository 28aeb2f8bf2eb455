import re
import unicodedata
from collections import defaultdict

from markupsafe import Markup

from odoo import _, api, fields, models, tools
from odoo.osv import expression

# Legal forms dropped from the end of a company name before comparing names:
# Belgium's (French and Dutch), France's, the Netherlands' and common English
# and German ones. "S.A." and "s a" both read "sa".
LEGAL_FORMS = frozenset(
    {
        "sa", "nv", "srl", "bv", "sprl", "bvba", "sc", "cv", "scrl", "cvba",
        "scs", "snc", "vof", "asbl", "vzw", "sas", "sasu", "sarl", "eurl",
        "ltd", "llc", "inc", "plc", "co", "gmbh", "ag",
    }
)  # fmt: skip
# Keys shorter than this match too much to mean anything.
MIN_KEY_LENGTH = 4
# Matches listed per partner in the form's warning.
DUPLICATE_LIMIT = 10
# What a match has in common with the partner, in the order they are listed.
DUPLICATE_REASONS = ("email", "vat", "phone", "name")

# The fields of an imported row that the duplicate check reads.
DUPLICATE_IMPORT_FIELDS = (
    "name",
    "is_company",
    "email",
    "vat",
    "phone",
    "mobile",
    "country_id",
    "company_id",
    "parent_id",
)


def name_key(name):
    """A company name without case, accents, punctuation, spaces or a trailing
    legal form: "Café Dupont S.A." and "CAFE DUPONT" give "cafedupont"."""
    text = unicodedata.normalize("NFKD", name or "")
    text = "".join(char for char in text if not unicodedata.combining(char))
    words = re.sub(r"[\W_]+", " ", text.casefold()).split()
    # Initials written apart ("s a", from "S.A.") make one word.
    merged = []
    for word in words:
        if len(word) == 1 and merged and merged[-1][1]:
            merged[-1] = (merged[-1][0] + word, True)
        else:
            merged.append((word, len(word) == 1))
    words = [word for word, _initials in merged]
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    key = "".join(words)
    return key if len(key) >= 3 else False


def vat_key(vat, country_code=None):
    """A VAT number in capitals without punctuation, with its country prefix:
    "0477.472.701" of a Belgian partner and "BE 0477 472 701" both give
    "BE0477472701"."""
    key = re.sub(r"[^0-9A-Za-z]", "", vat or "").upper()
    if len(key) < MIN_KEY_LENGTH:
        return False
    if not key[:2].isalpha() and country_code:
        key = country_code.upper() + key
    return key


def phone_key(number, phone_code=None):
    """A phone number as digits, international when it can be told: "+32 (0)2
    123 45 67", "0032 2 123 45 67" and "02/123.45.67" of a Belgian partner all
    give "+3221234567". A national number of a partner without country stays
    national ("021234567")."""
    number = (number or "").strip().replace("(0)", "")
    digits = re.sub(r"\D", "", number)
    if number.startswith("+"):
        key = f"+{digits}"
    elif digits.startswith("00"):
        key = f"+{digits[2:]}"
    elif digits.startswith("0") and phone_code:
        key = f"+{phone_code}{digits[1:]}"
    else:
        key = digits
    return key if len(key.lstrip("+")) >= 6 else False


class ResPartner(models.Model):
    """Duplicate warning: partners with the same email address, VAT number,
    phone number or company name (without case, accents or punctuation).

    The partner form lists the matches before saving (``mercator_duplicate_*``,
    computed for new and saved partners); an import (base_import) reports the
    rows that match a partner, or an earlier row, instead of creating them.
    Each comparison key is a stored, indexed column, so that the check is a
    few index lookups however many partners there are.
    """

    _inherit = "res.partner"

    # mail's normalized email, indexed for the check (mail does not index it).
    email_normalized = fields.Char(index="btree_not_null")
    mercator_name_key = fields.Char(
        "Company Name Key",
        compute="_compute_mercator_duplicate_keys",
        store=True,
        index="btree_not_null",
        help="The company name without case, accents, punctuation or legal form.",
    )
    mercator_vat_key = fields.Char(
        "VAT Number Key",
        compute="_compute_mercator_duplicate_keys",
        store=True,
        index="btree_not_null",
    )
    mercator_phone_key = fields.Char(
        "Phone Key",
        compute="_compute_mercator_duplicate_keys",
        store=True,
        index="btree_not_null",
    )
    mercator_mobile_key = fields.Char(
        "Mobile Key",
        compute="_compute_mercator_duplicate_keys",
        store=True,
        index="btree_not_null",
    )
    mercator_duplicate_count = fields.Integer(
        "Possible Duplicates",
        compute="_compute_mercator_duplicates",
    )
    # Built from escaped values (Markup), not from user HTML: not sanitized,
    # so that its links open in a new tab.
    mercator_duplicate_html = fields.Html(
        "Possible Duplicates List",
        compute="_compute_mercator_duplicates",
        sanitize=False,
    )

    @api.depends(
        "name",
        "is_company",
        "vat",
        "phone",
        "mobile",
        "country_id",
        "company_id.country_id",
    )
    def _compute_mercator_duplicate_keys(self):
        for partner in self:
            keys = partner._mercator_get_duplicate_keys()
            partner.mercator_name_key = keys["name"]
            partner.mercator_vat_key = keys["vat"]
            partner.mercator_phone_key = keys["phone"]
            partner.mercator_mobile_key = keys["mobile"]

    @api.depends(
        "name",
        "is_company",
        "email",
        "vat",
        "phone",
        "mobile",
        "country_id",
        "parent_id",
    )
    def _compute_mercator_duplicates(self):
        if self.env.user.share:
            # Portal and public users: not even a count of other partners.
            self.mercator_duplicate_count = 0
            self.mercator_duplicate_html = False
            return
        duplicates = self._mercator_find_duplicates()
        match_ids = {m.id for found in duplicates.values() for m, _r in found}
        readable_ids = set(self.browse(match_ids)._filtered_access("read").ids)
        for partner in self:
            found = duplicates[partner]
            readable = [
                (match_sudo.with_env(self.env), reasons)
                for match_sudo, reasons in found
                if match_sudo.id in readable_ids
            ]
            partner.mercator_duplicate_count = len(found)
            partner.mercator_duplicate_html = partner._mercator_duplicate_html(
                readable, len(found) - len(readable)
            )

    # Keys and matches --------------------------------------------------------

    def _mercator_get_duplicate_keys(self):
        """The comparison keys of this partner, saved or not (a form's new
        record, an imported row): ``name`` (companies only), ``vat``,
        ``phone``, ``mobile`` and ``email``; False when empty."""
        self.ensure_one()
        country = (
            self.country_id or self.company_id.country_id or self.env.company.country_id
        )
        return {
            "name": name_key(self.name) if self.is_company else False,
            "vat": vat_key(self.vat, country.code),
            "phone": phone_key(self.phone, country.phone_code),
            "mobile": phone_key(self.mobile, country.phone_code),
            "email": tools.email_normalize(self.email or "", strict=False) or False,
        }

    def _mercator_find_duplicates(self, limit=DUPLICATE_LIMIT):
        """The partners each partner of ``self`` (saved or new) looks like.

        Returns ``{partner: [(match_sudo, reasons)]}``, at most ``limit``
        matches per partner, one per company (the company itself when it
        matches, else its matching contact), ``reasons`` a subset of
        ``DUPLICATE_REASONS``.
        Archived partners match too (better reactivated than created again);
        the partner's own company and contacts do not. One query, on indexed
        columns, whatever the number of partners: the matches are sudo records,
        so that the caller can tell which ones the user may not read.
        """
        keys_of = {partner: partner._mercator_get_duplicate_keys() for partner in self}
        result = {partner: [] for partner in self}
        domain = self._mercator_duplicate_domain(keys_of.values())
        if not domain:
            return result
        # sudo: matches the user may not read are counted (not shown), so that
        # a rep does not create again a prospect another rep already has.
        matches_sudo = (
            self.env["res.partner"]
            .sudo()
            .with_context(active_test=False)
            .search_fetch(
                domain,
                [
                    "email_normalized",
                    "mercator_vat_key",
                    "mercator_name_key",
                    "mercator_phone_key",
                    "mercator_mobile_key",
                    "commercial_partner_id",
                ],
                limit=limit * len(self),
                order="active desc, id",
            )
        )
        for partner, keys in keys_of.items():
            family = (
                partner._origin.commercial_partner_id
                or partner.parent_id.commercial_partner_id
            )
            # One entry per company: its contacts share its VAT number and
            # often its phone; the company itself is shown when it matches.
            by_entity = {}
            for match_sudo in matches_sudo:
                entity = match_sudo.commercial_partner_id
                if match_sudo == partner._origin or (family and entity == family):
                    continue
                reasons = match_sudo._mercator_duplicate_reasons(keys)
                if not reasons:
                    continue
                shown, known = by_entity.get(entity, (match_sudo, set()))
                if match_sudo == entity:
                    shown = match_sudo
                by_entity[entity] = (shown, known | set(reasons))
            result[partner] = [
                (shown, [r for r in DUPLICATE_REASONS if r in reasons])
                for shown, reasons in by_entity.values()
            ][:limit]
        return result

    @api.model
    def _mercator_duplicate_domain(self, keys_list):
        """The domain of the partners matching any of ``keys_list`` (dicts of
        ``_mercator_get_duplicate_keys``) in the user's companies; False when
        the keys are all empty."""
        values = defaultdict(set)
        for keys in keys_list:
            for key, value in keys.items():
                if value:
                    values[key].add(value)
        phones = list(values["phone"] | values["mobile"])
        clauses = [
            [(fname, "in", list(values[key]))]
            for fname, key in (
                ("email_normalized", "email"),
                ("mercator_vat_key", "vat"),
                ("mercator_name_key", "name"),
            )
            if values[key]
        ]
        if phones:
            clauses += [
                [("mercator_phone_key", "in", phones)],
                [("mercator_mobile_key", "in", phones)],
            ]
        if not clauses:
            return False
        return expression.AND(
            [
                expression.OR(clauses),
                [
                    "|",
                    ("company_id", "=", False),
                    ("company_id", "in", self.env.companies.ids),
                ],
            ]
        )

    def _mercator_duplicate_reasons(self, keys):
        """What this partner has in common with the ``keys`` of another."""
        self.ensure_one()
        phones = {keys["phone"], keys["mobile"]} - {False}
        common = {
            "email": keys["email"] and self.email_normalized == keys["email"],
            "vat": keys["vat"] and self.mercator_vat_key == keys["vat"],
            "phone": bool(phones & {self.mercator_phone_key, self.mercator_mobile_key}),
            "name": keys["name"] and self.mercator_name_key == keys["name"],
        }
        return [reason for reason in DUPLICATE_REASONS if common[reason]]

    @api.model
    def _mercator_duplicate_reason_labels(self, reasons):
        labels = {
            "email": _("same email address"),
            "vat": _("same VAT number"),
            "phone": _("same phone number"),
            "name": _("same company name"),
        }
        return ", ".join(labels[reason] for reason in reasons)

    # The form's warning ------------------------------------------------------

    def _mercator_duplicate_html(self, readable, hidden_count):
        """The list in the form's warning: a link (new tab, the form being
        edited stays) to each match the user may read, with what it has in
        common; then how many others match."""
        if not readable and not hidden_count:
            return False
        items = Markup()
        for match, reasons in readable:
            details = self._mercator_duplicate_reason_labels(reasons)
            if not match.active:
                details = _("archived, %(details)s", details=details)
            if match.user_id:
                details = _(
                    "%(details)s; representative: %(user)s",
                    details=details,
                    user=match.user_id.name,
                )
            items += Markup(
                '<li><a href="%s" target="_blank" rel="noopener">%s</a> (%s)</li>'
            ) % (match._mercator_get_form_url(), match.display_name, details)
        html = Markup("<p><strong>%s</strong></p>") % _(
            "Possible duplicate: this looks like a partner that already exists."
        )
        if items:
            html += Markup("<ul class='mb-0'>%s</ul>") % items
        if hidden_count:
            if hidden_count == 1:
                hidden = _(
                    "A matching partner that you cannot see (another "
                    "representative's prospect or customer): ask your manager "
                    "before creating this one."
                )
            else:
                hidden = _(
                    "%(count)s matching partners that you cannot see (other "
                    "representatives' prospects or customers): ask your manager "
                    "before creating this one.",
                    count=hidden_count,
                )
            html += Markup("<p class='mb-0'>%s</p>") % hidden
        return html

    def _mercator_get_form_url(self):
        """The web client's address of this partner: the prospect or customer
        form for those, the contact form for the others."""
        self.ensure_one()
        if self.mercator_status and not self.parent_id:
            action = (
                "res_partner_action_customer"
                if self.mercator_status == "customer"
                else "res_partner_action_prospect"
            )
            return f"/odoo/action-mercator_crm.{action}/{self.id}"
        return f"/odoo/res.partner/{self.id}"

    # Import --------------------------------------------------------------------

    def _convert_records(self, records, log=lambda a: None):
        """An import (base_import) of partners: a row that would create a
        partner (no ID of an existing one) looking like an existing partner, or
        like an earlier row, is reported as an error of its row: the import
        then creates nothing, and the rows to fix are listed. Contact persons
        (rows with a parent) are not checked."""
        converted = super()._convert_records(records, log=log)
        if not self.env.context.get("import_file"):
            yield from converted
            return
        defaults = None
        earlier = {}
        for dbid, xid, values, info in converted:
            if not dbid and not values.get("parent_id") and not self._xid_exists(xid):
                if defaults is None:
                    defaults = self.default_get(list(DUPLICATE_IMPORT_FIELDS))
                message = self._mercator_import_duplicate_message(
                    {**defaults, **values}, earlier
                )
                if message:
                    log(dict(info, type="error", message=message))
            yield dbid, xid, values, info

    @api.model
    def _xid_exists(self, xid):
        if not xid:
            return False
        module = self.env.context.get("_import_current_module", "__import__")
        full_xid = xid if "." in xid else f"{module}.{xid}"
        return bool(self.env.ref(full_xid, raise_if_not_found=False))

    @api.model
    def _mercator_import_duplicate_message(self, values, earlier):
        """The error of an imported row (``values``) that looks like an
        existing partner or an earlier row (``earlier``, key -> name, filled
        here); False when it looks like none."""
        if "company_type" in values:
            values["is_company"] = values["company_type"] == "company"
        partner = self.new(
            {
                fname: value
                for fname, value in values.items()
                if fname in DUPLICATE_IMPORT_FIELDS
            }
        )
        keys = partner._mercator_get_duplicate_keys()
        name = partner.name or ""
        [(match_sudo, reasons)] = partner._mercator_find_duplicates(limit=1)[
            partner
        ] or [(None, None)]
        if match_sudo and match_sudo.with_env(self.env).has_access("read"):
            return _(
                '"%(name)s" looks like an existing partner, "%(match)s" '
                "(%(details)s): import it with that partner's ID to update it, "
                "or remove the row.",
                name=name,
                match=match_sudo.display_name,
                details=self._mercator_duplicate_reason_labels(reasons),
            )
        if match_sudo:
            return _(
                '"%(name)s" looks like a partner you cannot see (%(details)s), '
                "another representative's prospect or customer: ask your manager.",
                name=name,
                details=self._mercator_duplicate_reason_labels(reasons),
            )
        message = False
        for reason in DUPLICATE_REASONS:
            for key in ("phone", "mobile") if reason == "phone" else (reason,):
                value = keys[key]
                if not value:
                    continue
                if (reason, value) in earlier and not message:
                    message = _(
                        '"%(name)s" appears twice in the file (%(details)s as '
                        '"%(other)s").',
                        name=name,
                        details=self._mercator_duplicate_reason_labels([reason]),
                        other=earlier[(reason, value)],
                    )
                earlier.setdefault((reason, value), name)
        return message
