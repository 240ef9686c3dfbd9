"""One company resolver: whether two names, domains or display names point at the same employer.

Used for naming and for joining alike. "Quarry Labs, Inc.", "quarrylabs.com", "mail.quarrylabs.io", "Quarry Labs
Talent Team" and "Quarry Labs via Greenhouse" all reduce to the key "quarrylabs"; legal suffixes (Inc., LLC, Ltd,
GmbH, AG, SE, S.A., SAS, S.L., B.V., plc) and ATS phrasing never count. Pure: no store, no backend.
"""

from __future__ import annotations

import re
import unicodedata

from agent.detect.addresses import registrable_domain
from agent.detect.gate import gated

_LEGAL = gated(
    re.compile(
        r"\b(?:inc|incorporated|llc|l\.l\.c|ltd|limited|gmbh|ag|se|s\.?a\.?s?|s\.?l\.?|s\.?r\.?l|b\.?v|n\.?v|plc|corp"
        r"|corporation|co|company|kg|ohg|ug|sarl|sàrl|oy|ab|as|aps|pty|pvt|private|holding|holdings|group|gruppe)\b\.?",
        re.IGNORECASE,
    )
)
# What an ATS or a team mailbox adds to the employer's name: "X via Greenhouse", "X Recruiting", "X Talent Team".
_LEADING_TEAM = gated(
    re.compile(
        r"^\s*(?:careers?|carrières|karriere|jobs|empleos?|talento|atracción\s+de\s+talento|recrutement|reclutamiento"
        r"|recruiting|talent(?:\s+acquisition)?|rh|rrhh|hr|personal(?:abteilung)?)\s+(?:at\s+|bei\s+|chez\s+|en\s+|de\s+)?"
        r"(?=\S)",
        re.IGNORECASE,
    )
)
_TEAM = gated(
    re.compile(
        r"\s*(?:[-|,:@]\s*)?\b(?:via\s+\w+(?:\s+\w+)?|(?:the\s+)?(?:recruiting|recruitment|talent(?:\s+acquisition)?"
        r"|careers?|hiring|people|hr|human\s+resources|jobs|candidate\s+experience|university\s+recruiting"
        r"|interview(?:s|\s+scheduling)?|scheduling|personalabteilung|recrutement|ressources\s+humaines|talent\s+team"
        r"|recursos\s+humanos|selección)(?:\s+team)?|team)\b.*$",
        re.IGNORECASE,
    )
)


def company_key(name: str) -> str:
    """The comparable core of a company name: lower case, accents, legal suffixes and ATS phrasing removed."""
    text = _TEAM.sub("", _LEADING_TEAM.sub("", name or ""))
    text = _LEGAL.sub(" ", text)
    # Domains spell German umlauts out: "Talentbrücke" is talentbruecke.de.
    text = text.translate(_UMLAUTS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def domain_key(domain: str) -> str:
    """The company key of a domain: "mail.quarrylabs.io" → "quarrylabs", "acme-robotics.co.uk" → "acmerobotics"."""
    base = registrable_domain(domain).split(".")[0] if domain else ""
    return re.sub(r"[^a-z0-9]+", "", base.lower())


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})
# Words a group puts before its name that its other names may leave out: "Grupo Altavista" is Altavista.
_GROUP_PREFIXES = ("grupo", "groupe", "gruppe", "group", "the")


def _variants(key: str) -> tuple[str, ...]:
    out = [key, key.replace("and", "")]
    for prefix in _GROUP_PREFIXES:
        if key.startswith(prefix) and len(key) - len(prefix) >= 4:
            out.append(key[len(prefix) :])
    return tuple(dict.fromkeys(out))


def same_company(a: str, b: str) -> bool:
    """Two company keys name one employer: equal, or one is the other plus words ("quarry" and "quarrylabs"),
    also once "and" is dropped ("Fenwick & Cole" and fenwickandcole.co.uk) or a leading "Grupo", "Groupe" or
    "The" ("Grupo Altavista" and altavista.mx)."""
    if not a or not b:
        return False
    if a == b:
        return True
    pairs = [(x, y) for x in _variants(a) for y in _variants(b)]
    for x, y in pairs:
        if x == y and len(x) >= 4:
            return True
        short, long = sorted((x, y), key=len)
        if len(short) >= 4 and long.startswith(short):
            return True
    return False


def fold_variants(text: str) -> list[str]:
    """`text` without accents, once with umlauts dropped ("Lindgrun") and once spelt out as domains and ASCII
    writers do ("Lindgruen"): a name written either way is found in a text written either way."""
    if text.isascii():
        return [text]
    variants = []
    for spelt in (text, text.translate(_UMLAUTS)) if any(c in text for c in "äöüÄÖÜß") else (text,):
        plain = unicodedata.normalize("NFKD", spelt)
        variants.append("".join(c for c in plain if not unicodedata.combining(c)).replace("\u0131", "i"))
    return variants


def _name_words(name: str) -> list[str]:
    text = _LEGAL.sub(" ", _TEAM.sub("", name or ""))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.findall(r"[a-z0-9]+", text.lower())


def initials(name: str) -> str:
    """ "Beacon Hill Mutual" → "bhm": employers often sign ATS mail with their initials."""
    words = [w for w in _name_words(name) if w not in _INITIALS_SKIP]
    return "".join(w[0] for w in words) if len(words) >= 3 else ""


# Words initials leave out: "Instituto Tecnológico del Sur" signs as ITS.
_INITIALS_SKIP = frozenset("del de la las los y e et du des der die das und of and the".split())  # noqa: SIM905


# First words that many unrelated companies share: never enough on their own.
_COMMON_FIRST_WORDS = frozenset(
    """global first united national american international general digital smart north south east west
    northern southern eastern western pacific atlantic central metro city royal premier modern urban green
    groupe grupo group gruppe blue silver golden summit capital health medical digital""".split()  # noqa: SIM905
)


def same_employer(a: str, b: str) -> bool:
    """Two names (or a name and a domain key) for one employer: by their keys, one is the other's initials, or
    two names of two words or more that share a distinctive first word ("Brightline Logistics" on the Workday
    receipt, "Brightline Freight" in the recruiter's mail)."""
    key_a, key_b = company_key(a), company_key(b)
    if same_company(key_a, key_b):
        return True
    words_a, words_b = _name_words(a), _name_words(b)
    shared = words_a[0] if len(words_a) >= 2 and len(words_b) >= 2 and words_a[0] == words_b[0] else ""
    if len(shared) >= 6 and shared not in _COMMON_FIRST_WORDS:
        return True
    for name, key in ((a, key_b), (b, key_a)):
        short = initials(name)
        # "bhm" for Beacon Hill Mutual; "eil-leman.ch" for École internationale du Léman (initials, then the
        # last word spelt out).
        if short and key in (short, short + _name_words(name)[-1]):
            return True
    return False


def named_company(texts: list[str], companies: list[str]) -> str | None:
    """The one company among `companies` whose whole name appears in `texts`; None when none or several do.

    A known employer wins over a fresh guess: an ATS invitation titled "Entrevista: Analista BI" that says
    "Quillay" anywhere belongs to the user's Quillay application. Names shorter than four letters never match.
    """
    found: dict[str, str] = {}
    plain = [variant for t in texts for variant in fold_variants(t)]  # once, not once per company
    for company in companies:
        for words in {tuple(_name_words(variant)) for variant in (company, company.translate(_UMLAUTS))}:
            if not words or len("".join(words)) < 4:
                continue
            # A one-word name after a postcode is the town of an address line ("Bahnhofplatz 1, 4021 Linz"),
            # not the employer called Linz.
            town = r"(?<!\d{4}\s)(?<!\d{5}\s)" if len(words) == 1 else ""
            pattern = re.compile(
                town + r"(?<![\w-])" + r"[\s-]*".join(re.escape(w) for w in words) + r"(?![\w-])", re.I
            )
            if any(pattern.search(t) for t in plain):
                found.setdefault(company_key(company), company)
    return next(iter(found.values())) if len(found) == 1 else None
