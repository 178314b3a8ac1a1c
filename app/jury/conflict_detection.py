"""Detection of conflicts of interest between jurors and proposals (METHOD.md, "Conflicts").

Pure functions on plain data: no Flask, no database. Each detected conflict carries its
findings as a kind plus parameters (names, addresses), which the caller stores and turns
into a sentence in the reader's language (app/jury/conflict_reasons.py).

Reasons:

* ``same_organisation`` — the juror's organisation is the proposal's lead organisation,
  after case-folding, punctuation/whitespace normalisation and removal of legal-form
  suffixes (GmbH, e.V., AG, UG (haftungsbeschränkt), GmbH & Co. KG, ...).
* ``same_email_domain`` — the juror's e-mail domain equals, or is a parent/subdomain of,
  the domain of an e-mail address in the proposal; never for public mail providers.
* ``named_partner`` — the juror is named in the proposal: their organisation is a partner
  organisation, their name is a partner contact's name, or their e-mail address is one
  of the proposal's contact addresses.

Detection deliberately errs on the side of flagging: a false conflict costs one reviewer
for one proposal, a missed one taints a funding decision.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Id = int | str

SAME_ORGANISATION = "same_organisation"
SAME_EMAIL_DOMAIN = "same_email_domain"
NAMED_PARTNER = "named_partner"
REASONS = (SAME_ORGANISATION, SAME_EMAIL_DOMAIN, NAMED_PARTNER)

# Free-mail providers: sharing one of these says nothing about a shared employer.
PUBLIC_MAIL_DOMAINS: frozenset[str] = frozenset(
    {
        "gmail.com", "googlemail.com", "web.de", "gmx.de", "gmx.net", "gmx.at", "gmx.ch",
        "gmx.com", "t-online.de", "magenta.de", "yahoo.com", "yahoo.de", "yahoo.co.uk",
        "yahoo.fr", "ymail.com", "outlook.com", "outlook.de", "hotmail.com", "hotmail.de",
        "hotmail.co.uk", "hotmail.fr", "live.com", "live.de", "msn.com", "icloud.com",
        "me.com", "mac.com", "posteo.de", "posteo.net", "mailbox.org", "freenet.de",
        "aol.com", "aol.de", "protonmail.com", "protonmail.ch", "proton.me", "pm.me",
        "arcor.de", "email.de", "mail.de", "vodafonemail.de", "kabelmail.de", "1und1.de",
        "online.de", "tutanota.com", "tutanota.de", "tuta.io", "tuta.com", "zoho.com",
        "yandex.com", "yandex.ru", "mail.ru", "gmx.li", "fastmail.com", "hey.com",
    }
)  # fmt: skip

# Legal-form suffixes as token sequences (after normalisation). Longer forms come first so
# "GmbH & Co. KG" is removed as a whole rather than leaving "GmbH & Co." behind.
_LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        {
            ("gmbh", "&", "co", "kgaa"), ("gmbh", "&", "co", "kg"), ("gmbh", "&", "co", "ohg"),
            ("mbh", "&", "co", "kg"), ("ag", "&", "co", "kg"), ("ug", "&", "co", "kg"),
            ("se", "&", "co", "kg"), ("gmbh", "co", "kg"), ("&", "co", "kg"), ("co", "kg"),
            ("ug", "haftungsbeschraenkt"), ("ug", "haftungsbeschrankt"),
            ("ggmbh",), ("gmbh",), ("mbh",), ("e", "v"), ("ev",), ("ag",), ("ug",), ("kg",),
            ("kgaa",), ("ohg",), ("gbr",), ("e", "g"), ("eg",), ("e", "k"), ("ek",),
            ("se",), ("partg",), ("partg", "mbb"), ("ltd",), ("limited",), ("inc",),
            ("llc",), ("plc",), ("sarl",), ("sa",), ("bv",), ("nv",), ("gag",), ("gug",),
        },
        key=lambda form: (-len(form), form),
    )
)  # fmt: skip

# Academic titles and salutations that precede or follow names but do not identify anyone.
_NAME_NOISE = frozenset(
    {
        "dr", "prof", "professor", "dipl", "ing", "herr", "frau", "mr", "mrs", "ms", "mx",
        "phd", "rer", "nat", "habil", "pol", "oec", "med", "jur", "phil", "hc", "mba",
        "msc", "bsc", "mag", "jun", "sen",
    }
)  # fmt: skip

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NON_WORD = re.compile(r"[^\w&]+")


@dataclass(frozen=True)
class JurorInfo:
    """What conflict detection needs to know about a juror."""

    id: Id
    name: str = ""
    email: str = ""
    organisation: str = ""


@dataclass(frozen=True)
class PartnerInfo:
    """A partner organisation of a proposal with its named contacts."""

    organisation: str = ""
    contact_names: Sequence[str] = ()
    contact_emails: Sequence[str] = ()


@dataclass(frozen=True)
class ProposalInfo:
    """What conflict detection needs to know about a proposal."""

    id: Id
    lead_organisation: str = ""
    contact_emails: Sequence[str] = ()
    partners: Sequence[PartnerInfo] = ()
    contact_names: Sequence[str] = ()  # named lead contacts, if the form collects them


# Finding kinds: what exactly matched, each with the parameters its sentence names.
ORGANISATION_IS_LEAD = "organisation_is_lead"  # juror_organisation, lead_organisation
ORGANISATION_IS_PARTNER = "organisation_is_partner"  # juror_organisation, partner
# The contact findings also name the owner ("lead" or "partner") and, for a partner, its name.
EMAIL_IS_CONTACT = "email_is_contact"  # email
DOMAIN_MATCHES_CONTACT = "domain_matches_contact"  # domain, address
NAME_IS_CONTACT = "name_is_contact"  # juror_name, contact_name
FINDING_KINDS = (ORGANISATION_IS_LEAD, ORGANISATION_IS_PARTNER, EMAIL_IS_CONTACT, DOMAIN_MATCHES_CONTACT,
                 NAME_IS_CONTACT)


@dataclass(frozen=True)
class Finding:
    """One fact behind a detected conflict: its kind and the values a sentence about it names."""

    kind: str
    params: dict[str, str] = field(default_factory=dict)

    def as_record(self) -> dict[str, object]:
        """The finding as plain JSON data for storage."""
        return {"kind": self.kind, "params": dict(self.params)}


@dataclass(frozen=True)
class DetectedConflict:
    """One detected conflict: a machine reason code, its findings and an English detail for the record."""

    juror_id: Id
    proposal_id: Id
    reason: str
    detail: str = ""
    findings: tuple[Finding, ...] = ()


def _fold(text: str) -> str:
    # NFKC first (full-width letters, ligatures), then umlaut transliteration so "Müller" and
    # "Mueller" agree, then strip remaining accents so "José" and "Jose" agree.
    text = unicodedata.normalize("NFKC", text).casefold().translate(_UMLAUTS)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _tokens(text: str) -> list[str]:
    # "&" survives as its own token because legal forms like "GmbH & Co. KG" contain it.
    spaced = _fold(text).replace("&", " & ").replace("+", " & ")
    return [t for t in _NON_WORD.split(spaced) if t and t != "_"]


def normalise_organisation(name: str) -> str:
    """Return the comparison key of an organisation name ("" when nothing identifying remains)."""
    tokens = ["&" if t in {"und", "and"} else t for t in _tokens(name)]
    stripped = True
    while stripped and tokens:
        stripped = False
        for form in _LEGAL_FORMS:
            # Keep at least one token: an organisation literally called "AG" stays "ag".
            if len(tokens) > len(form) and tuple(tokens[-len(form) :]) == form:
                tokens = tokens[: -len(form)]
                stripped = True
                break
    while tokens and tokens[-1] == "&":  # dangling "&" left by an unusual suffix
        tokens.pop()
    return " ".join(tokens)


def normalise_person_name(name: str) -> frozenset[str]:
    """Return the set of identifying name tokens (order-free, titles and salutations removed)."""
    # A set makes "Müller, Anna" and "Anna Müller" equal without guessing which part is which.
    return frozenset(t for t in _tokens(name) if t not in _NAME_NOISE and t != "&")


def email_domain(email: str) -> str | None:
    """Return the lower-cased domain of an e-mail address, or None if it has none."""
    email = email.strip().strip("<>").strip()
    if "@" not in email:
        return None
    domain = email.rsplit("@", 1)[1].strip().rstrip(".").casefold()
    return domain or None


def normalise_email(email: str) -> str:
    """Return an e-mail address in the form used for equality checks."""
    return email.strip().strip("<>").strip().casefold()


def is_public_mail_domain(domain: str) -> bool:
    """True when the domain (or a parent of it) is a public mail provider."""
    return any(d in PUBLIC_MAIL_DOMAINS for d in _domain_and_parents(domain))


def _domain_and_parents(domain: str) -> list[str]:
    # "a.b.uni-x.de" -> ["a.b.uni-x.de", "b.uni-x.de", "uni-x.de"]; a bare TLD is never a key.
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


def _names_match(a: frozenset[str], b: frozenset[str]) -> bool:
    # Two tokens at least, so a lone surname never matches; a subset covers middle names
    # ("Anna Müller" vs "Anna Maria Müller").
    return len(a) >= 2 and len(b) >= 2 and (a <= b or b <= a)


@dataclass
class _JurorIndex:
    by_org: dict[str, list[JurorInfo]] = field(default_factory=lambda: defaultdict(list))
    by_domain: dict[str, list[JurorInfo]] = field(default_factory=lambda: defaultdict(list))
    by_parent_domain: dict[str, list[JurorInfo]] = field(default_factory=lambda: defaultdict(list))
    by_email: dict[str, list[JurorInfo]] = field(default_factory=lambda: defaultdict(list))
    by_name_token: dict[str, list[JurorInfo]] = field(default_factory=lambda: defaultdict(list))
    names: dict[Id, frozenset[str]] = field(default_factory=dict)


def _index_jurors(jurors: Iterable[JurorInfo]) -> _JurorIndex:
    # Indexes turn the J x P pair scan into look-ups, so 120 jurors x 2,000 proposals is instant.
    idx = _JurorIndex()
    for juror in jurors:
        org = normalise_organisation(juror.organisation)
        if org:
            idx.by_org[org].append(juror)
        if juror.email.strip():
            idx.by_email[normalise_email(juror.email)].append(juror)
        domain = email_domain(juror.email)
        if domain and not is_public_mail_domain(domain):
            idx.by_domain[domain].append(juror)
            for parent in _domain_and_parents(domain)[1:]:
                idx.by_parent_domain[parent].append(juror)
        name = normalise_person_name(juror.name)
        idx.names[juror.id] = name
        if len(name) >= 2:
            for token in name:
                idx.by_name_token[token].append(juror)
    return idx


def _jurors_with_domain(idx: _JurorIndex, domain: str) -> list[JurorInfo]:
    """Jurors whose domain equals `domain`, is a parent of it, or is a subdomain of it."""
    found: list[JurorInfo] = []
    for candidate in _domain_and_parents(domain):
        found.extend(idx.by_domain.get(candidate, ()))
    found.extend(idx.by_parent_domain.get(domain, ()))
    return found


def _conflicts_for_proposal(
    idx: _JurorIndex, proposal: ProposalInfo
) -> dict[tuple[Id, str], list[tuple[str, Finding]]]:
    found: dict[tuple[Id, str], list[tuple[str, Finding]]] = defaultdict(list)

    def note(juror: JurorInfo, reason: str, detail: str, finding: Finding) -> None:
        if all(detail != known for known, _finding in found[(juror.id, reason)]):
            found[(juror.id, reason)].append((detail, finding))

    lead = normalise_organisation(proposal.lead_organisation)
    for juror in idx.by_org.get(lead, ()) if lead else ():
        note(juror, SAME_ORGANISATION,
             f"juror organisation '{juror.organisation}' is the lead organisation "
             f"'{proposal.lead_organisation}'",
             Finding(ORGANISATION_IS_LEAD, {"juror_organisation": juror.organisation,
                                            "lead_organisation": proposal.lead_organisation}))  # fmt: skip

    # Every e-mail address and name in the proposal with the partner it belongs to (None = the lead).
    addresses: list[tuple[str, str | None]] = [(e, None) for e in proposal.contact_emails]
    names: list[tuple[str, str | None]] = [(n, None) for n in proposal.contact_names]
    for partner in proposal.partners:
        addresses.extend((e, partner.organisation) for e in partner.contact_emails)
        names.extend((n, partner.organisation) for n in partner.contact_names)
        org = normalise_organisation(partner.organisation)
        for juror in idx.by_org.get(org, ()) if org else ():
            note(juror, NAMED_PARTNER,
                 f"juror organisation '{juror.organisation}' is partner '{partner.organisation}'",
                 Finding(ORGANISATION_IS_PARTNER, {"juror_organisation": juror.organisation,
                                                   "partner": partner.organisation}))  # fmt: skip

    for address, partner_name in addresses:
        whose = _whose(partner_name)
        for juror in idx.by_email.get(normalise_email(address), ()):
            note(juror, NAMED_PARTNER, f"juror e-mail '{juror.email}' is the {whose} address",
                 Finding(EMAIL_IS_CONTACT, {"email": juror.email, **_owner(partner_name)}))
        domain = email_domain(address)
        if not domain or is_public_mail_domain(domain):
            continue
        for juror in _jurors_with_domain(idx, domain):
            juror_domain = email_domain(juror.email) or ""
            note(juror, SAME_EMAIL_DOMAIN,
                 f"juror e-mail domain '{juror_domain}' matches {whose} '{address.strip()}'",
                 Finding(DOMAIN_MATCHES_CONTACT, {"domain": juror_domain, "address": address.strip(),
                                                  **_owner(partner_name)}))  # fmt: skip

    for raw_name, partner_name in names:
        name = normalise_person_name(raw_name)
        if len(name) < 2:
            continue
        candidates = {j.id: j for t in name for j in idx.by_name_token.get(t, ())}
        for juror in candidates.values():
            if _names_match(idx.names[juror.id], name):
                note(juror, NAMED_PARTNER, f"juror '{juror.name}' is named as {_whose(partner_name)} '{raw_name}'",
                     Finding(NAME_IS_CONTACT, {"juror_name": juror.name, "contact_name": raw_name,
                                               **_owner(partner_name)}))  # fmt: skip
    return found


def _whose(partner_name: str | None) -> str:
    """The English owner of a contact for the detail text: the lead's or a (named) partner's."""
    if partner_name is None:
        return "lead contact"
    return f"partner '{partner_name}' contact" if partner_name else "partner contact"


def _owner(partner_name: str | None) -> dict[str, str]:
    """Whose contact matched, as finding parameters: the lead's, or a partner's with its name."""
    return {"owner": "lead"} if partner_name is None else {"owner": "partner", "partner": partner_name}


def detect_conflicts(jurors: Iterable[JurorInfo], proposals: Iterable[ProposalInfo]) -> list[DetectedConflict]:
    """Detect conflicts for every juror x proposal pair; one entry per (pair, reason), sorted."""
    idx = _index_jurors(jurors)
    result: list[DetectedConflict] = []
    for proposal in proposals:
        for (juror_id, reason), notes in _conflicts_for_proposal(idx, proposal).items():
            result.append(DetectedConflict(juror_id, proposal.id, reason, "; ".join(d for d, _f in notes),
                                           tuple(f for _d, f in notes)))
    # Sorted by a type-safe key so the output is stable whatever the input order or id types.
    return sorted(result, key=lambda c: (_id_key(c.juror_id), _id_key(c.proposal_id), c.reason))


def conflicts_between(juror: JurorInfo, proposal: ProposalInfo) -> list[DetectedConflict]:
    """Detect the conflicts of one juror with one proposal."""
    return detect_conflicts([juror], [proposal])


def conflict_pairs(conflicts: Iterable[DetectedConflict]) -> set[tuple[Id, Id]]:
    """Collapse detected conflicts to the (juror_id, proposal_id) set that assignment expects."""
    return {(c.juror_id, c.proposal_id) for c in conflicts}


def _id_key(value: Id) -> tuple[int, int | str]:
    return (0, value) if isinstance(value, int) else (1, str(value))
