"""Which company and which role a message is about.

Owns the guesses, in order of trust: what the subject or calendar title says ("Interview with Acme", "Acme -
Interview Confirmation", "Senior Backend Engineer at Acme"), what the body says ("your application to Acme",
"for the Data Analyst position"), the display name of an applicant-tracking sender ("Acme Recruiting
<no-reply@greenhouse.io>"), the tenant in an ATS address ("acme@myworkday.com"), and finally the employer's
domain ("acme-robotics.com" → "Acme Robotics").
"""

from __future__ import annotations

import re
from collections.abc import Callable

from agent.detect.addresses import (
    company_from_domain,
    domain_of,
    employer_domain,
    is_ats_domain,
    is_free_mail,
    is_job_board,
    local_part,
    registrable_domain,
)
from agent.detect.gate import Pattern, gated
from agent.models import Address, Message

_SUBJECT_PREFIX = gated(
    re.compile(
        r"^(?:\s*(?:re|fw|fwd|aw|wg|tr|sv|antw|updated\s+invitation|invitation|new\s+event|updated\s+event"
        r"|canceled\s+event|cancelled\s+event|canceled|cancelled|accepted|declined|tentative|confirmed|reminder|action\s+required"
        r"|complete\s+with\s+docusign|please\s+docusign"
        r"|\[external\]|external|important)\s*(?:\([^)]*\))?\s*:\s*|\s*\[[^\]]{1,30}\]\s*)+",
        re.IGNORECASE,
    )
)
# Trailing calendar decorations: "@ Tue Mar 10, 2026 2pm - 3pm (EST) (alex@gmail.com)".
_CAL_SUFFIX = gated(re.compile(r"\s*@\s*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b.*$", re.IGNORECASE))

# "Panel interview confirmed - Verdant Bio": the kind of round before the word "interview".
_ROUND = r"(?:(?:panel|final|technical|onsite|on-site|virtual|first|second|third|1st|2nd|3rd|phone|video)\s+)?"
# A company's name: capitalised words, and the small words inside names ("Bank of Ireland", "Cementos del Sur").
_NAME_JOINER = r"(?:of|and|del|des|de|du|la|y|et|und|von|for|the)(?![\w'’-])"
_NAME = rf"(?P<c>[A-Z0-9][\w&.'’+-]*(?:\s+(?:[A-Z0-9&][\w&.'’+-]*|{_NAME_JOINER})){{0,4}})"
_SUBJECT_PATTERNS = (
    re.compile(rf"\binterview(?:ing)?\s+(?:with|at|for)\s+{_NAME}", re.IGNORECASE),
    re.compile(rf"\b(?:your\s+)?(?:application|candidacy)\s+(?:to|at|with)\s+{_NAME}", re.IGNORECASE),
    re.compile(rf"\b(?:position|role|job|opportunity|opening)\s+(?:at|with)\s+{_NAME}", re.IGNORECASE),
    # A job board's receipt: "Your application was sent to X", "Tu hoja de vida fue enviada a X", "envoyée à X".
    re.compile(
        rf"\b(?i:(?:sent|submitted)\s+to|(?:enviad[ao]|remitid[ao])\s+a|(?:envoyée|transmise)\s+à|gesendet\s+an)\s+{_NAME}"
    ),
    # "Acme - Interview Confirmation", "Hooli <> Alex Rivera": only when the rest is about the process.
    re.compile(
        rf"^{_NAME}\s*(?:[-–—|:]|<>)\s*(?=.*\b(?:(?i:interview|screen|call|chat|application|offer|next\s+steps"
        rf"|meeting|conversation)|[A-Z][a-z]+\s+[A-Z][a-z]+$))"
    ),
    re.compile(
        rf"\b(?:engineer|developer|analyst|manager|designer|scientist|intern|lead|director|architect"
        rf"|specialist|consultant|associate|coordinator|researcher)\s+(?:at|@)\s+{_NAME}",
        re.IGNORECASE,
    ),
    # "Interview confirmed - Monzello": an agency or a coordinator names the employer after the event.
    re.compile(
        rf"^{_ROUND}(?:interview|phone\s+screen|video\s+call|call|meeting)\s+(?:confirmed|confirmation|invitation|invite"
        rf"|scheduled|request|booked)\s*[-–—|:]\s*{_NAME}\s*$",
        re.IGNORECASE,
    ),
    # An agency's "Interview confirmed - Data Platform Lead - Contoso Energy": the role, then the employer.
    re.compile(
        rf"^{_ROUND}(?:interview|phone\s+screen|video\s+call|call|meeting)\s+(?:confirmed|confirmation|invitation|invite"
        rf"|scheduled|request|booked)\s*[-–—|:]\s*[^-–—|:]{{3,60}}?\s+[-–—|:]\s*{_NAME}\s*$",
        re.IGNORECASE,
    ),
    re.compile(rf"\b(?:from|at|with|join)\s+{_NAME}\s*$", re.IGNORECASE),
)
_BODY_PATTERNS = (
    # An agency recruiter names the employer: "my client, Contoso Energy, would like to invite you".
    re.compile(rf"\b(?:my|our)\s+client,?\s+{_NAME}"),
    re.compile(rf"\b(?:applying|applied|application|interest)\s+(?:to|at|with|in)\s+(?:the\s+)?{_NAME}", re.I),
    re.compile(rf"\b(?:position|role|opening|opportunity)\s+(?:at|with)\s+{_NAME}"),
    re.compile(rf"\b(?:interview|chat|call|conversation)\s+with\s+{_NAME}\b(?!\s+[A-Z][a-z]+\b)"),
    re.compile(rf"\b(?:the|our)\s+{_NAME}\s+(?:team|recruiting\s+team|talent\s+team|hiring\s+team)\b"),
    re.compile(rf"\bthe\s+team\s+(?:at|here\s+at)\s+{_NAME}"),
)
# Weaker than an ATS's display name, so tried after it: German, French and Spanish phrasing ("Ihre Bewerbung bei
# Nordlicht", "votre candidature chez Galibier", "tu postulación al puesto de Analista BI en Quillay") and team
# signatures ("El equipo de Quillay", "L'équipe Recrutement Sablier").
_LATE_BODY_PATTERNS = (
    re.compile(
        rf"\b(?:[Bb]ewerbung|[Ii]nteresse|[Ss]telle|[Pp]osition)\s+(?:[\w\-/()]+\s+){{0,6}}?bei\s+(?:der\s+)?{_NAME}"
    ),
    re.compile(
        rf"\b(?:candidature|poste|intérêt|offre)\s+(?:[\w\-/'’()]+\s+){{0,6}}?(?:chez|au\s+sein\s+de)\s+{_NAME}"
    ),
    re.compile(
        rf"\b(?:postulaci[oó]n|postulaste|candidatura|puesto|vacante|inter[eé]s|cargo|posici[oó]n)\s+(?:[\w\-/()]+\s+){{0,6}}?"
        rf"en\s+{_NAME}"
    ),
    # "la oferta "Docente de Mantenimiento" de Instituto Tecnológico del Sur", "la convocatoria de X".
    re.compile(
        rf"\b(?:oferta|convocatoria|aviso)\s+(?:\"[^\"\n]{{1,80}}\"\s+|“[^”\n]{{1,80}}”\s+|[\w\-/()]+\s+){{0,1}}de\s+{_NAME}"
    ),
    re.compile(
        rf"(?m)^\s*(?:El\s+equipo\s+de|L['’]équipe(?:\s+de)?|Das\s+\S+-?Team\s+(?:von|der)|Ihr\s+Team\s+von)\s+"
        rf"(?:(?:Recrutement|RH|Talents?|Recruiting|Reclutamiento|Selecci[oó]n|Personal|HR)\s+(?:de\s+|d['’])?)?{_NAME}"
    ),
)
# How a job board's receipt names the employer: "Empresa: Banco Andino", "an Stadt Seeberg übermittelt".
_BOARD_PATTERNS = (
    re.compile(
        r"(?m)^[ \t]*(?:Empresa|Company|Employer|Arbeitgeber|Unternehmen|Firma|Entreprise|Employeur|Société)"
        r"[ \t]*:[ \t]*(?P<c>[A-Z0-9À-Ý][^\n:]{1,80})"
    ),
    re.compile(
        rf"\b(?i:(?:sent|submitted|forwarded)\s+to|(?:enviad[ao]|remitid[ao])\s+a|(?:envoyée|envoyés?|envoyées|transmise|transmis)\s+à)\s+{_NAME}"
    ),
    re.compile(rf"\ban\s+(?:die\s+|den\s+|das\s+)?{_NAME}\s+(?:übermittelt|gesendet|weitergeleitet|geschickt)\b"),
)
# Words that end a company name in a display name or title: "Acme Recruiting", "Acme via Greenhouse".
_TEAM_WORDS = gated(
    re.compile(
        r"\s*(?:[-–—|,:]\s*)?\b(?:(?:v[ií]a|über|through)\s+\w+(?:\s+\w+)?|(?:personal)?recruiting(?:\s+team)?|recruitment(?:\s+team)?|talent(?:\s+acquisition)?"
        r"(?:\s+team)?|careers?|hiring(?:\s+team)?|jobs|people(?:\s+team)?|hr|human\s+resources|team|notifications?"
        r"|no[-\s]?reply|interview(?:s|\s+scheduling|\s+team)?|scheduling|candidate\s+experience|university"
        r"\s+recruiting|employment(?:\s+services)?|recruitment\s+services|staffing\s+services|human\s+resources"
        r"|inc\.?|llc|ltd\.?|gmbh|corp\.?|corporation|karriere|carrières|recrutement|reclutamiento"
        r"|empleo|talento|personalabteilung|rh|rrhh|ressources\s+humaines|recursos\s+humanos|gesti[oó]n\s+del\s+talento"
        r"|personalmanagement|personalwesen|b[uú]squedas|selecci[oó]n|desarrollo\s+humano|capital\s+humano"
        r"|talento\s+humano|gesti[oó]n\s+humana|ressources\s+humaines|recrutement|people\s+(?:&|and)\s+culture)\b.*$",
        re.IGNORECASE,
    )
)
# The same words before the name: "Carrières Groupe Laurentide", "Atracción de Talento Altavista", "Careers at X".
_LEADING_TEAM_WORDS = gated(
    re.compile(
        r"^\s*(?:careers?|carrières|karriere|jobs|empleos?|talento|atracción\s+de\s+talento|recrutement|reclutamiento"
        r"|recruiting|talent(?:\s+acquisition)?|rh|rrhh|hr|personal(?:abteilung)?|ressources\s+humaines"
        r"|recursos\s+humanos)\s+(?:at\s+|bei\s+|chez\s+|en\s+|de\s+|du\s+|des\s+)?(?=\S)",
        re.IGNORECASE,
    )
)
_GENERIC_COMPANY = frozenset(
    """
    the a an you your our we us me i team hiring recruiting talent careers interview interviews phone video
    onsite on-site final technical first second next zoom google meet teams microsoft calendar invitation
    update application candidate position role job opportunity greenhouse lever workday ashby smartrecruiters
    workable icims jobvite calendly goodtime linkedin indeed glassdoor hi hello dear thanks thank re fwd
    hackerrank codility codesignal coderpad docusign modernloop teamtailor personio bamboohr
    confirmed confirmation reminder schedule scheduled your  new event mr ms dr meeting call chat screen
    ihnen ihr ihre sie dich dir euch uns wir vous nous votre toi ton usted ustedes su tu nos nosotros
    eingangsbestätigung bestätigung empfangsbestätigung confirmación confirmation accusé réception recepción
    candidature candidatura bewerbung postulación entrevista entretien einladung invitación
    """.split()  # noqa: SIM905 - a word list reads better as text
)
# ATS subdomain labels that are not tenants: "us.greenhouse-mail.io", "hire.lever.co".
_GENERIC_LABELS = frozenset(
    {"us", "eu", "uk", "mail", "email", "em", "hire", "jobs", "app", "apps", "www", "notifications", "notify",
     "bounce", "bounces", "mg", "smtp", "send", "reply", "careers", "talent", "wd1", "wd3", "wd5", "wd12",
     "no-reply", "noreply", "messages", "calendar", "apply", "recruiting", "inbound", "outbound", "post"}
)  # fmt: skip


def clean_subject(subject: str) -> str:
    """The subject without "Re:", "Invitation:", "[External]" and the trailing calendar "@ Tue Mar 10 …"."""
    return _CAL_SUFFIX.sub("", _SUBJECT_PREFIX.sub("", subject)).strip()


# A recruitment agency writes for its client: its own name is not the employer's. By the domain or display name.
_AGENCY = gated(
    re.compile(
        r"recruit|talent|staffing|personal(?:beratung|vermittlung|service|berater)?\b|headhunt|executive|search|placement"
        r"|selecci[oó]n|reclutamiento|cabinet|interim|partners",
        re.IGNORECASE,
    )
)
# The large staffing and recruitment firms, whose domains say only their name: an email from randstadusa.com or
# hays.com is an agency's, and the client it names is the employer.
_KNOWN_AGENCIES = re.compile(
    r"^(?:randstad|adecco|hays|roberthalf|manpower(?:group)?|kellyservices|kforce|aerotek|teksystems|allegis"
    r"|spherion|expresspros|michaelpage|pagegroup|pagepersonnel|robertwalters|hudson|harveynash|morganmckinley"
    r"|reed|gigroup|synergie|proman|startpeople|tempo-team|tempoteam|modis|akkodis|brunel|orizon"
    r"|kornferry|heidrick|spencerstuart|lhh|insightglobal|apexsystems|beacon-hill|beaconhillstaffing|volt"
    r"|randstadsourceright|hirequest|tandym|vaco|creativecircle|lucasgroup|sthree|computerfutures|huxley"
    r"|progressiverecruitment|realstaffing|nigelfrank|jeffersonfrank|frankgroup)"
    r"(?:usa|us|uk|global|group|staffing|recruitment|talent|jobs|careers|personnel|na|emea|apac)?[.-]",
    re.IGNORECASE,
)
# A staffing firm's domain ("primestaffhospitality.co.uk"); not "staffordshire.gov.uk" or a product's name.
_STAFF_DOMAIN = re.compile(r"staff(?!ord|base)", re.IGNORECASE)
# How an agency names the client: "my client, Contoso", "unser Kunde Ankerbyte", "notre client Lumen", "nuestro
# cliente Ceiba", "an interview with Ceiba", "Ankerbyte – Feedback zur 2. Runde".
_CLIENT_PATTERNS = (
    re.compile(
        rf"\b(?:[Mm]y|[Oo]ur|[Uu]nser(?:em|en|es)?|[Nn]otre|[Nn]uestr[oa])\s+(?:client[ea]?|Kunden?|Mandanten?)"
        rf"(?:in)?,?\s+(?:(?:der|die|das|la|le|el)\s+)?{_NAME}"
    ),
    re.compile(
        rf"\b(?:interview|Gespräch|Interview|entretien|entrevista|call|chat|reunión|Termin)\s+(?:with|mit|avec|con|bei|chez)"
        rf"\s+{_NAME}"
    ),
    re.compile(rf"^{_NAME}\s*[-–—|:]\s+\S"),
    re.compile(
        rf"\b(?:role|position|Stelle|Position|poste|puesto|cargo|vacante)\s+(?:at|with|bei|chez|en|con)\s+{_NAME}"
    ),
    # The agency passed the candidate on: "I've shared your CV with X", "submitted your profile to X", "put you
    # forward to X", "compartí tu hoja de vida con X", "j'ai transmis votre CV à X", "Ihr Profil an X weitergeleitet".
    re.compile(
        r"(?:\b(?:(?:shared|sent|forwarded|submitted|passed|introduced|presented)\s+(?:on\s+)?(?:your|you)"
        r"(?:\s+(?:CV|resume|résumé|profile|application|details))?|put\s+you\s+forward)\s+(?:on\s+|across\s+|over\s+)?"
        r"(?:with|to)\s+"
        # "… to the Theatre Manager at Nuffield Health": the person's title before the client.
        r"(?:the\s+(?:team|(?:[A-Z]\w+\s+){1,3}(?:Manager|Director|Lead|Head|Team|Partner))\s+at\s+)?"
        r"|\b(?:compart\w+|envi\w+|present\w+|pas\w+)\s+(?:tu|su)\s+(?:hoja\s+de\s+vida|CV|perfil|candidatura)\s+"
        r"(?:con|a)\s+"
        r"|\b(?:transmis|envoyé|présenté|partagé|transféré)\s+(?:votre|ton)\s+(?:CV|profil|candidature|dossier)\s+"
        r"(?:à|chez|avec)\s+"
        rf"|\b(?:Ihr(?:en)?|Dein(?:en)?)\s+(?:Profil|Lebenslauf|Unterlagen|Bewerbung|CV)\s+(?:an|bei)\s+(?=\S+(?:\s+\S+){{0,4}}"
        rf"\s+(?:weitergeleitet|geschickt|übermittelt|vorgestellt|eingereicht)))"
        rf"(?:(?:die|der|das)\s+)?{_NAME}"
    ),
    # "I can now tell you it's Fenwick & Cole", "I can share that it is X", "es handelt sich um die X GmbH", "il
    # s'agit de X", "se trata de X".
    re.compile(rf"\b(?:tell|share|reveal)\s+(?:with\s+)?(?:you\s+)?(?:that\s+)?(?:it['’]s|it\s+is)\s+{_NAME}"),
    re.compile(
        rf"\b(?i:es\s+handelt\s+sich\s+um|il\s+s['’]agit\s+de|se\s+trata\s+de)\s+"
        rf"(?i:(?:die|den|das|la|le|l['’]|el)\s*)?(?i:(?:soci[ée]t[ée]|entreprise|empresa|firma|unternehmen)\s+)?{_NAME}"
    ),
    # The name told once the client agrees: "I can now share that the company is X", "der Kunde ist X",
    # "le client est X", "la empresa es X".
    re.compile(
        rf"\b(?:[Tt]he\s+(?:client|company|employer|firm)(?:'s\s+name)?|[Dd]e[rm]\s+Kunden?|[Dd]as\s+Unternehmen"
        rf"|[Dd]ie\s+Firma|[Ll]e\s+client|[Ll]'entreprise|[Ll]a\s+soci[ée]t[ée]|[Ee]l\s+cliente|[Ll]a\s+empresa)"
        rf"\s+(?:is|ist|heißt|est|s'appelle|es|se\s+llama)\s+{_NAME}"
    ),
    # A subject that names the client after the step: "Client interview - X", "Entrevista – X", "Feedback: X".
    re.compile(
        rf"^(?:(?:client|Kunden)[\s-]*)?(?:interview|Interview|Gespräch|entretien|Entretien|entrevista|Entrevista"
        rf"|feedback|Feedback|next\s+steps?|Next\s+steps?)\w*\s*[-–—|:]\s+{_NAME}\s*$"
    ),
)


# How an agency describes itself in a signature or footer: "Ashcroft Reed Recruitment", "acts as an employment
# agency", "Personalberatung", "cabinet de recrutement", "consultora de selección".
_AGENCY_SELF = gated(
    re.compile(
        r"\b(?:employment|recruitment|recruiting|staffing|talent)\s+(?:agency|agencies|consultancy|consultants?|business"
        r"|firm|partners?)\b|\b(?:Recruitment|Staffing|Personnel)\s+(?:Ltd|Limited|LLC|Inc|GmbH|Group)\b"
        r"|\bPersonal(?:beratung|vermittlung|dienstleister|dienstleistung)\b|\bArbeitnehmerüberlassung\b"
        r"|\bcabinet\b[^.\n]{0,40}?\brecrutement\b|\bagence\s+de\s+recrutement\b"
        r"|\b(?:consultora|agencia|empresa)\s+de\s+(?:selecci[oó]n|reclutamiento)\b"
        # A signature line that is the firm's name: "Harbourside Tech Recruitment", "Northbound Tech Recruiting".
        r"|(?m:^[ \t]*(?-i:[A-Z])[\w&.'’ -]{1,40}\s(?:Recruitment|Recruiting|Staffing|Headhunting)[ \t]*$)",
        re.IGNORECASE,
    )
)


def agency_of(message: Message, text: str = "") -> str | None:
    """The recruitment agency that wrote the message, as its domain's name: by its domain, its display name, or
    how its signature or footer describes it (the last 1,500 characters of `text`)."""
    sender = message.sender
    if sender is None or is_ats_domain(sender.email) or is_free_mail(sender.email):
        return None
    domain = employer_domain(sender.email) or ""
    said = (
        _AGENCY.search(domain)
        or _STAFF_DOMAIN.search(domain)
        or _KNOWN_AGENCIES.search(domain)
        or _AGENCY.search(sender.name or "")
        or _AGENCY_SELF.search(text[-1500:])
    )
    if not said:
        return None
    return company_from_domain(domain) if domain else None


# Words that start a subject about the process, never a client's name ("Postulación – Líder de QA").
_PROCESS_WORD = gated(
    re.compile(
        r"^(?:postulaci|candidat|bewerbung|entrevista|interview|entretien|termin|einladung|invitation|application|feedback"
        r"|follow|update|next|nächste|prochaine|próxim|gracias|danke|merci|thank|your|ihre|deine|votre|tu\b|su\b|re\b"
        r"|gespräch|erstgespräch|kennenlern|vorstellung|rückmeldung|absage|zusage|bestätigung|erinnerung|rendez|retour"
        r"|réponse|rappel|respuesta|propuesta|recordatorio|confirm|reminder|status|offer|offre|oferta|angebot)",
        re.IGNORECASE,
    )
)


def _agency_client(message: Message, text: str, exclude: set[str]) -> str | None:
    """The client an agency recruiter writes about, when the sender is an agency and names one."""
    if agency_of(message, text) is None or message.sender is None:
        return None
    agency_name = (employer_domain(message.sender.email) or "").split(".")[0]

    def not_a_client(found: str) -> bool:
        # The agency's own name, or a word about the process ("Gesprächseinladung – Fahrwerk Mobility").
        if _AGENCY.search(found) or _PROCESS_WORD.match(found) or re.search(_ROLE_WORDS, found, re.IGNORECASE):
            return True  # and not the job: "Analista Actuarial – entrevista con el cliente"
        return re.sub(r"\W", "", found.lower()) in agency_name

    for source in (clean_subject(message.subject), text[:3000]):
        if found := _from_patterns(source, _CLIENT_PATTERNS, exclude, not_a_client):
            return found
    return None


def find_company(
    message: Message,
    text: str = "",
    calendar_summary: str = "",
    people: tuple[Address, ...] = (),
    exclude_names: tuple[str, ...] = (),
) -> str | None:
    """The best guess at the employer's name, or None. `people` are interviewers/organizer from a calendar;
    `exclude_names` are people the text names (interviewers without an address), never the company."""
    exclude = {a.name.lower() for a in (*people, *message.recipients) if a.name}
    exclude.update(n.lower() for n in exclude_names)
    if message.sender and message.sender.name and not is_ats_domain(message.sender.email):
        # A person's name is not a company; but "Fabrikam <noreply@smartrecruiters.com>" is the employer.
        exclude.add(message.sender.name.lower())
    if (client := _agency_client(message, text, exclude)) is not None:
        return client
    if message.sender is not None and is_job_board(message.sender.email) and text:
        # A board's subject is its own ("¡Postulaste! Supervisor de Producción – …"); its text names the employer:
        # "Tu postulación a Supervisor de Producción en Textil Andina S.A.C. fue enviada".
        board = (message.sender.name or "").lower()

        def the_board(found: str) -> bool:
            return found.lower() in board  # "Welcome", "HelloWork": the board naming itself

        for source in (text[:3000], clean_subject(message.subject)):
            for patterns in (_BOARD_PATTERNS, _BODY_PATTERNS, _LATE_BODY_PATTERNS):
                if found := _from_patterns(source, patterns, exclude, the_board):
                    return found
        return None  # never the board's own name or domain
    portal = message.sender is not None and is_ats_domain(message.sender.email)
    # A portal serving many employers labels the one it writes for: "Employer: North Cumbria Integrated Care NHS
    # Foundation Trust" (NHS Jobs, USAJOBS, NEOGOV), whatever its display name says.
    if portal and text and (found := _from_patterns(text[:3000], _BOARD_PATTERNS[:1], exclude)):
        return found
    for source in (clean_subject(calendar_summary), clean_subject(message.subject)):
        if source and (found := _from_patterns(source, _SUBJECT_PATTERNS, exclude)):
            return found
    if text and (found := _from_patterns(text[:3000], _BODY_PATTERNS, exclude)):
        return found
    sender = message.sender
    # A job board (Bumeran, Computrabajo, LinkedIn) is never the employer: only what its mail says names one.
    if sender is not None and is_ats_domain(sender.email) and not is_job_board(sender.email):
        if sender.name and (found := _from_display_name(sender.name, exclude)):
            return found
        if (tenant := _ats_tenant(sender.email)) is not None:
            return tenant
    if text and (found := _from_patterns(text[:3000], _LATE_BODY_PATTERNS, exclude)):
        return found
    for addr in (sender, *message.reply_to, *people):
        if addr is not None and (dom := employer_domain(addr.email)):
            # "Summit Grid - great news!" from summitgrid.com: the subject spells the name out too.
            return _spelled_out(dom, message.subject + "\n" + text) or company_from_domain(dom)
    if sender is not None and sender.name and not is_free_mail(sender.email):
        found = _from_display_name(sender.name, exclude, need_team_word=True)
        if found:
            return found
    return None


def _spelled_out(domain: str, text: str) -> str | None:
    """The employer's name as the text writes it, when it spells the domain: "northwindanalytics.com" and a
    signature saying "Northwind Analytics" give "Northwind Analytics"; "kaveritech.in" and "Kaveri
    Technologies" give "Kaveri Technologies" (a domain often shortens the last word, never the first).
    """
    base = re.sub(r"[^a-z0-9]", "", registrable_domain(domain).split(".")[0])
    if len(base) < 4:
        return None
    for line in text[:5000].splitlines():
        words = [w.strip(".,;:()|!?\"'") for w in line.split()]
        for i, first in enumerate(words):
            if not first or not first[0].isupper():
                continue
            squeezed = ""
            for j in range(i, min(i + 4, len(words))):
                word = words[j]
                if not word or not (word[0].isupper() or word[0].isdigit()):
                    break
                before = squeezed
                squeezed += re.sub(r"[^a-z0-9]", "", word.lower())
                if squeezed == base or (squeezed.startswith(base) and len(before) < len(base) and j > i):
                    return _tidy_company(" ".join(words[i : j + 1]))
                if not base.startswith(squeezed):
                    break
    return None


def _from_patterns(
    source: str, patterns: tuple[Pattern, ...], exclude: set[str], refuse: Callable[[str], bool] | None = None
) -> str | None:
    """The first name a pattern finds in `source` that is not excluded and that `refuse` does not turn down."""
    for pattern in patterns:
        for m in pattern.finditer(source):
            name = _tidy_company(m.group("c"))
            if name and name.lower() not in exclude and (refuse is None or not refuse(name)):
                return name
    return None


# Lower-case words inside a company's name: "Bank of Ireland", "Cementos del Sur", "Caisse des Dépôts".
_NAME_CONNECTORS = frozenset("of and de for the del la las los y e du des et der die das von und zu".split())  # noqa: SIM905


def _tidy_company(raw: str, *, capitalised: bool = True) -> str | None:
    """The company name in `raw`, or None. `capitalised`: every word but the small ones starts with a capital,
    as names in running text do; an ATS sender's display name is the whole name ("École internationale du Léman")."""
    name = re.split(r"[!?]|\.\s", raw, maxsplit=1)[0]
    name = name.strip(" .,:;-–|!?'\"")
    # Stop at words that begin the rest of a title: "Acme for Senior Engineer", "Acme on Tuesday".
    name = re.split(
        r"\s+(?:for|on|at|via|about|regarding|re|-|–|\||\(|is|has|have|was|will|would|and\s+next|team)\b",
        name, maxsplit=1,
    )[0]  # fmt: skip
    name = _TEAM_WORDS.sub("", _LEADING_TEAM_WORDS.sub("", name)).strip(" .,:;-–|!?'\"")
    words = name.split()
    while words and words[-1].lower() in _NAME_CONNECTORS:
        words.pop()
    if len(words) >= 2 and words[0] == "The":
        words.pop(0)  # "The Merrion Quay Hotel" is Merrion Quay Hotel; a lone "The" stays no company
    name = " ".join(words)
    if not name or len(name) < 2 or name.lower() in _GENERIC_COMPANY or name.split()[0].lower() in _GENERIC_COMPANY:
        return None
    if re.fullmatch(r"[\d\W_]+", name):
        return None
    # Company names are capitalised: "Entretien confirmé", "Following up", "Senior Backend role" are not names.
    if capitalised and any(w[0].islower() and w not in _NAME_CONNECTORS for w in name.split()):
        return None
    if _ROLE_IN_NAME.search(name if _SENIORITY.match(name) else _FIRM_PLURAL.sub("", name)):
        return None
    if not name[0].isupper() and not name[0].isdigit():
        return None
    return name


def _from_display_name(display: str, exclude: set[str], need_team_word: bool = False) -> str | None:
    display = display.strip().strip('"')
    m = re.search(r"\b(?:from|at|@)\s+(.+)$", display)
    if m:
        return _tidy_company(m.group(1))
    if need_team_word and not (_TEAM_WORDS.search(display) or _LEADING_TEAM_WORDS.search(display)):
        return None
    # "Carrières Groupe Laurentide", "Atracción de Talento Altavista": the team's words before the name, too.
    stripped = _TEAM_WORDS.sub("", _LEADING_TEAM_WORDS.sub("", display)).strip(" -|,:")
    if not stripped or (stripped == display and need_team_word):
        return None
    if display.lower() in exclude and stripped == display:
        return None
    if re.fullmatch(r"[a-z0-9-]+(?:\.[a-z0-9-]+)+", stripped, re.IGNORECASE):
        return company_from_domain(stripped)  # "rheinwerk.io Recruiting"
    return _tidy_company(stripped, capitalised=False)


def _ats_tenant(email: str) -> str | None:
    """ "acme@myworkday.com" → "Acme"; "acme.bamboohr.com" → "Acme"; None when the address names no tenant."""
    domain = domain_of(email)
    labels = domain.split(".")
    for label in labels[:-2]:
        if label not in _GENERIC_LABELS and not label.isdigit():
            return company_from_domain(label + ".com")
    local = local_part(email)
    if "myworkday" in domain and local and re.fullmatch(r"[a-z][a-z0-9-]{1,30}", local):
        return company_from_domain(local + ".com")
    return None


# ---------------------------------------------------------------------------------------------------------
# roles

_ROLE_WORDS = (
    r"(?:engineer|developer|analyst|manager|designer|scientist|intern(?:ship)?|lead|director|architect|specialist"
    r"|consultant|associate|coordinator|researcher|administrator|representative|officer|head|vp|president"
    r"|accountant|writer|editor|recruiter|technician|strategist|planner|advisor|counsel|attorney|partner|sre"
    r"|devops|programmer|product\s+owner|executive|assistant|nurse|teacher|marketer|producer|owner|generalist"
    r"|pharmacist|physician|clinician|therapist|paralegal|solicitor|caseworker|technologist|supervisor|reporter"
    r"|journalist|clerk|receptionist|hygienist|surgeon|chef|paramedic|midwife|lecturer|tutor|auditor|actuary"
    # German, French and Spanish titles ("Data Engineer" is written in English there too).
    r"|entwickler\w*|berater\w*|leiter\w*|referent\w*|ingenieur\w*|sachbearbeiter\w*|werkstudent\w*"
    r"|chef\s+de\s+projet|ingénieur\w*|développeu\w+|responsable|chargée?|directeur\w*|stagiaire"
    r"|desarrollador\w*|analista|ingenier[oa]|jef[ea]|gerente|diseñador\w*|coordinador\w*|becari[oa]"
    r"|contable|t[ée]cnic[oa]|asesor\w*|consultor\w*|auxiliar|asistente|comptable|conseill\w+|assistant\w*"
    r"|kaufm\w+|buchhalter\w*|pfleger\w*|lehrer\w*|manager\w*)"
)
_ROLE_IN_NAME = re.compile(rf"\b(?:{_ROLE_WORDS[3:-1]}|position|role|job|opening|interview|update|offer)s?\b", re.I)
# A title names one person ("Data Analyst"); a firm calls itself by the plural of its trade ("Meridian Capital
# Partners", "Hill & Associates", "Northbridge Consultants"): that plural may end a longer name.
_FIRM_PLURAL = re.compile(
    r"(?<=\w)\s+(?:&\s+)?(?:partners|associates|advis[oe]rs|consultants|solicitors|architects|accountants|attorneys)$",
    re.I,
)
_SENIORITY = re.compile(r"^(?:senior|junior|lead|principal|staff|chief|head|associate)\b", re.I)
_ROLE_TEXT = r"(?P<r>[A-Z][\w/&+#.,'’()*\- ]{2,80}?)"  # '*' for 'Sachbearbeiter*in'
_ROLE_PATTERNS = (
    re.compile(rf"^\s*(?:position|role|job(?:\s+title)?|opening|vacancy)\s*:\s*{_ROLE_TEXT}\s*$", re.M | re.I),
    re.compile(
        rf"\binterview\s+(?:confirmation|invitation|request|scheduled|details|update)\s*[:\-–]\s*{_ROLE_TEXT}"
        rf"(?=\s+(?:at|with|-|–|\|)\s|\s*$|\s*[|(])",
        re.I,
    ),
    re.compile(rf"\bfor\s+(?:the|our|a|an)\s+{_ROLE_TEXT}\s+(?:position|role|opening|opportunity|job|vacancy)\b"),
    re.compile(rf"\b(?:position|role)\s+of\s+{_ROLE_TEXT}(?=\s+(?:at|with|on|here)\b|[.,;\n]|$)"),
    re.compile(
        rf"\b(?:interview|application|applying|applied)\s*(?:for|to)?\s*[:\-–]\s*{_ROLE_TEXT}"
        rf"(?=\s+(?:at|with|-|–|\|)\s|\s*$|\s*[|(])"
    ),
    re.compile(
        rf"\b(?:interview|application|applying|applied)\s+for\s+(?:the\s+|a\s+|an\s+)?{_ROLE_TEXT}"
        rf"(?=\s+(?:position|role|at|with|-|–|\|)\b|\s*$|\s*[|(,.])"
    ),
    re.compile(rf"\(\s*(?:job\s*)?(?:id|req(?:uisition)?)\s*#?:?\s*[\w-]+\s*\)\s*{_ROLE_TEXT}(?=\s*$|\s+[-–|(])", re.I),
    re.compile(rf"\bthe\s+{_ROLE_TEXT}\s+(?:position|role|opening)\s+(?:at|with)\b"),
    re.compile(rf"^{_ROLE_TEXT}\s+(?:interview|phone\s+screen|application)\b"),
    re.compile(rf"(?:^|[-–:|]\s*){_ROLE_TEXT}\s+(?:at|@)\s+[A-Z]"),
    # "Ihre Bewerbung als Data Engineer bei Kiesel", "für die Stelle UX Researcher", "candidature au poste de
    # Data Analyst chez Galibier", "postular al cargo de Analista de Datos en Guadua".
    re.compile(
        rf"\b(?:(?:[Bb]ewerbung|[Ii]nteresse)\s+(?:als|für\s+(?:die|unsere)\s+(?:Stelle|Position)(?:\s+als)?)"
        rf"|(?:[Ss]telle|[Pp]osition)\s+als|für\s+die\s+(?:Stelle|Position)|au\s+poste\s+(?:de|d')|pour\s+le\s+poste"
        rf"\s+(?:de|d')|(?:al|el|para\s+el)\s+(?:cargo|puesto)\s+(?:de|como))\s*{_ROLE_TEXT}"
        # A German clause ends on its verb: "… für die Position Software Engineer Platform erhalten".
        rf"(?=\s+(?:bei|chez|en|at|für|pour|para|dans|im|in|ein|au\s+sein|ist|wurde|erhalten|bekommen|eingegangen|eingelangt|gesichtet"
        rf"|geprüft|angesehen|weitergeleitet|entschieden|interessiert|beworben|a\s+bien|a\s+été|est|sera|ha\s+sido"
        rf"|fue|está|se\s+ha)\b|\s*[.,;:!?(\n–]|\s+-\s|\s*$)"
    ),
)
# Subjects that end or separate with the title: "VantagePay - Risk Analyst", "Interview: Alex Candidate -
# Product Designer", "Interview confirmed - Data Platform Lead - Contoso Energy" (a role word is required).
# Only in a subject or calendar title: in a body a dash starts a list item ("- Sam Rivera (they/them), Senior
# Software Engineer" names a panellist's title, not the job).
_SUBJECT_ROLE_PATTERNS = (
    re.compile(rf"\s[-–|]\s+{_ROLE_TEXT}\s*$"),
    re.compile(rf"\s[-–|]\s+{_ROLE_TEXT}\s+[-–|]\s"),
)


def find_role(subject: str, text: str = "", calendar_summary: str = "") -> str | None:
    """The job title the message is about, or None."""
    for source, patterns in (
        (clean_subject(subject), _ROLE_PATTERNS + _SUBJECT_ROLE_PATTERNS),
        (calendar_summary, _ROLE_PATTERNS + _SUBJECT_ROLE_PATTERNS),
        (text[:3000], _ROLE_PATTERNS),
    ):
        if not source:
            continue
        for pattern in patterns:
            for m in pattern.finditer(source):
                role = _tidy_role(m.group("r"))
                if role:
                    return role
    return None


def _tidy_role(raw: str) -> str | None:
    role = " ".join(raw.split()).strip(" .,:;-–|")
    # "Thank you - Senior Backend Engineer" → the title; "Customer Success Manager - EMEA" → the title too.
    parts = re.split(r"\s+[-–—|:]\s+", role)
    titled = [p for p in parts if re.search(_ROLE_WORDS, p, re.IGNORECASE)]
    role = titled[-1] if titled else parts[-1]
    role = re.sub(r"\s*\((?:job\s*)?(?:id|req)[^)]*\)\s*$", "", role, flags=re.IGNORECASE)
    role = re.sub(r"^(?:the|our|a|an)\s+", "", role, flags=re.IGNORECASE)
    if not (3 <= len(role) <= 80) or len(role.split()) > 9:
        return None
    if not re.search(_ROLE_WORDS, role, re.IGNORECASE):
        return None
    if re.search(r"\b(?:assessment|test|challenge|exercise|quiz|coding\s+task|evaluation)s?\b", role, re.IGNORECASE):
        return None  # "Platform Engineering Assessment": a step of the process, not the job
    if re.search(r"\b(?:i|i'm|we|you|me|my|our|here|ich|wir|je|nous|yo|nosotros)\b", role, re.IGNORECASE):
        return None  # "Dev here, I lead data platform": a sentence about a person, not a job title
    return role
