"""Who sent a message: free-mail, applicant-tracking and notification domains, automated senders, employer domains.

Detection asks three questions of an address: is a person behind it (`is_human`), is it a machine
(`is_automated_address`), and which company does it stand for (`employer_domain`, `company_from_domain`).
Domain lists match subdomains too ("us.greenhouse-mail.io" is Greenhouse).
"""

from __future__ import annotations

import re
from functools import lru_cache

from publicsuffixlist import PublicSuffixList

# Exact free-mail domains; families with many country domains are in _FREE_MAIL_FAMILIES.
FREE_MAIL_DOMAINS: frozenset[str] = frozenset(
    {
        "gmail.com", "googlemail.com", "outlook.com", "hotmail.com", "live.com", "msn.com", "passport.com",
        "yahoo.com", "ymail.com", "rocketmail.com", "icloud.com", "me.com", "mac.com", "aol.com", "aim.com",
        "proton.me", "protonmail.com", "protonmail.ch", "pm.me", "gmx.com", "gmx.net", "gmx.de", "gmx.at",
        "gmx.ch", "web.de", "t-online.de", "freenet.de", "fastmail.com", "fastmail.fm", "hey.com", "zoho.com",
        "zohomail.com", "yandex.com", "yandex.ru", "ya.ru", "mail.ru", "mail.com", "tutanota.com", "tuta.io",
        "qq.com", "163.com", "126.com", "naver.com", "hanmail.net", "orange.fr", "free.fr", "laposte.net",
        "libero.it", "virgilio.it", "btinternet.com", "sky.com", "comcast.net", "verizon.net", "att.net",
        "sbcglobal.net", "cox.net", "rediffmail.com", "seznam.cz", "wp.pl", "o2.pl", "interia.pl", "bluewin.ch",
    }
)  # fmt: skip
# "hotmail.co.uk", "yahoo.fr", "gmx.ch" ...: the first label of the registrable domain says it all.
_FREE_MAIL_FAMILIES = frozenset({"hotmail", "outlook", "live", "yahoo", "gmx", "yandex", "windowslive"})

# Applicant-tracking systems, scheduling tools, job boards and meeting/notification services. Mail from these
# domains speaks for an employer but does not say which one, so they never name the employer themselves.
ATS_DOMAINS: frozenset[str] = frozenset(
    {
        # applicant tracking
        "greenhouse.io", "greenhouse-mail.io", "lever.co", "hire.lever.co", "myworkday.com",
        "myworkdayjobs.com", "workday.com", "ashbyhq.com", "ashbyhq-mail.com", "smartrecruiters.com",
        "smartrecruiters-mail.com", "workablemail.com", "workable.com", "icims.com", "jobvite.com",
        "bamboohr.com", "successfactors.com", "successfactors.eu", "sapsf.com", "sapsf.eu", "taleo.net",
        "oraclecloud.com", "breezy.hr", "breezyhr.com", "recruitee.com", "recruiteemail.com",
        "teamtailor.com", "teamtailor-mail.com",
        "personio.de", "personio.com", "jazzhr.com", "applytojob.com", "jobscore.com", "pinpointhq.com",
        "comeet.co", "comeet.com", "avature.net", "ultipro.com", "ukg.com", "paylocity.com", "adp.com",
        "pageuppeople.com", "pageup.com.au",
        "recruiterbox.com", "freshteam.com", "zohorecruit.com", "homerun.co", "join.com", "dover.com",
        "gem.com", "rippling-ats.com", "trakstar.com", "clearcompany.com", "jobadder.com", "bullhornmail.com",
        "phenompeople.com", "eightfold.ai", "beamery.com", "paradox.ai", "hirebridge.com", "cornerstoneondemand.com",
        # Public employers' recruitment portals: NHS Jobs, Trac, USAJOBS, NEOGOV, school districts, Australian states
        "jobs.nhs.uk", "trac.jobs", "usajobs.gov", "governmentjobs.com", "schooljobs.com", "applitrack.com",
        "frontlineeducation.com", "jobs.wa.gov.au", "iworkfor.nsw.gov.au", "apsjobs.gov.au",
        "civilservicejobs.service.gov.uk", "myjobscotland.gov.uk", "jobs.gc.ca", "emploisfp.gc.ca",
        # European applicant tracking (German, French and Spanish employers)
        "softgarden.io", "softgarden.de", "onlyfy.io", "onlyfy.jobs", "prescreen.io", "concludis.de",
        "rexx-systems.com",
        "dvinci.de", "dvinci-easy.com", "dvinci-hr.com", "coveto.de", "umantis.com", "haufe.com", "jobylon.com",
        "talentsoft.com",
        "cegid.com", "welcomekit.co", "taleez.com", "flatchr.io", "beetween.com", "jobaffinity.fr", "kenjo.io",
        "factorialhr.com", "hrworks.de", "heyrecruit.de", "recruitcrm.io", "manatal.com", "talent-soft.com",
        "infojobs.net", "computrabajo.com", "jobteaser.com",
        # Latin American, Swiss and Austrian boards that send the employers' receipts and decisions
        "laborum.cl", "laborum.pe", "bumeran.com", "bumeran.com.ar", "bumeran.com.pe", "trabajando.com",
        "trabajando.cl", "jobs.ch", "jobup.ch", "karriere.at", "occ.com.mx", "elempleo.com", "zonajobs.com.ar",
        "jobillico.com", "hellowork.com", "jobat.be", "stepstone.be", "stepstone.at",
        # scheduling and assessments
        "goodtime.io", "calendly.com", "prelude.co", "modernloop.io", "rallyhq.com", "yello.co", "cal.com",
        "cal.eu", "savvycal.com", "youcanbook.me", "acuityscheduling.com", "doodle.com", "zcal.co", "tidycal.com",
        "oncehub.com", "chilipiper.com", "meetings.hubspot.com", "bookings.microsoft.com", "reclaim.ai",
        "hirevue.com", "codility.com", "hackerrank.com", "hackerrankforwork.com", "codesignal.com", "karat.io",
        "karat.com", "coderpad.io", "testgorilla.com", "criteriacorp.com", "shl.com", "pymetrics.ai",
        "harver.com", "spark-hire.com", "sparkhire.com", "willo.video", "docusign.net", "docusign.com",
        # one-way (recorded) video interviews
        "easyrecrue.com", "myinterview.com", "vidcruiter.com", "modernhire.com", "hireflix.com", "recright.com",
        "cammio.com", "retorio.com",
        "hellosign.com", "adobesign.com", "echosign.com",
        # job boards and networks
        "linkedin.com", "indeed.com", "indeedemail.com", "glassdoor.com", "ziprecruiter.com", "hired.com",
        "wellfound.com", "angel.co", "angellist.com", "monster.com", "dice.com", "otta.com",
        "welcometothejungle.com", "builtin.com", "careerbuilder.com", "simplyhired.com", "stepstone.de",
        "stepstone.com", "xing.com", "seek.com.au", "naukri.com", "reed.co.uk", "totaljobs.com", "handshake.com",
        "joinhandshake.com", "jobleads.com", "talent.com", "jooble.org", "adzuna.com", "remoteok.com",
        "weworkremotely.com", "themuse.com", "triplebyte.com", "underdog.io", "cord.co", "hiringcafe.com",
        # meetings and calendars
        "zoom.us", "zoom.com", "zoomgov.com", "webex.com", "gotomeeting.com", "whereby.com",
        "calendar.google.com", "resource.calendar.google.com", "group.calendar.google.com",
        "email.teams.microsoft.com", "microsoftonline.com",
    }
)  # fmt: skip

# Job boards and networks: mail from them is mostly alerts and marketing.
JOB_BOARD_DOMAINS: frozenset[str] = frozenset(
    {
        "linkedin.com", "indeed.com", "indeedemail.com", "glassdoor.com", "ziprecruiter.com", "hired.com",
        "wellfound.com", "angel.co", "monster.com", "dice.com", "otta.com", "welcometothejungle.com",
        "builtin.com", "careerbuilder.com", "simplyhired.com", "stepstone.de", "stepstone.com", "xing.com",
        "seek.com.au", "naukri.com", "reed.co.uk", "totaljobs.com", "handshake.com", "joinhandshake.com",
        "jobleads.com", "talent.com", "jooble.org", "adzuna.com", "themuse.com", "remoteok.com",
        "weworkremotely.com", "hiringcafe.com", "laborum.cl", "laborum.pe", "bumeran.com", "bumeran.com.ar",
        "bumeran.com.pe", "trabajando.com", "trabajando.cl", "computrabajo.com", "infojobs.net", "jobs.ch",
        "jobup.ch", "karriere.at", "occ.com.mx", "elempleo.com", "zonajobs.com.ar", "jobillico.com", "hellowork.com",
        "apec.fr", "francetravail.fr", "jobat.be", "stepstone.be", "stepstone.at", "monster.fr",
    }
)  # fmt: skip

# The Public Suffix List (bundled with the package, never fetched): "careers.acme.co.uk" belongs to "acme.co.uk",
# "uacv.edu.mx" to itself, "tafe.nsw.edu.au" to itself; loaded once, on first use.
_PSL: PublicSuffixList | None = None


def _psl() -> PublicSuffixList:
    global _PSL
    if _PSL is None:
        _PSL = PublicSuffixList()
    return _PSL


_AUTOMATED_LOCAL = re.compile(
    r"(?:^|[._+-])(?:no[._-]?reply|noreply|do[._-]?not[._-]?reply|donotreply|notifications?|notify|alerts?"
    r"|jobalerts?|newsletters?|news|mailer[._-]?daemon|mailerdaemon|postmaster|bounces?|calendar[._-]?notification"
    r"|calendar[._-]?server|automated|automailer|auto[._-]?(?:confirm|reply|mailer|responder)|mailer|digest"
    r"|marketing|promotions?|updates?|system|daemon|invitations?|messages[._-]noreply|msprvs\d*|account[._-]?security"
    r"|info[._-]?noreply|careers[._-]?noreply|jobs[._-]?noreply|talent[._-]?noreply|hr[._-]?noreply"
    r"|talent[._-]?(?:community|network|pool)|talentcommunity|talentnetwork"
    r"|microsoftexchange[0-9a-f]*)(?:$|[._+-])",
    re.IGNORECASE,
)
# Variable envelope addresses: "bounces+1234-abcd=example.com@mail.acme.com", "bounce-mc.us5_123@mcsv.net".
_VERP_LOCAL = re.compile(r"^(?:bounces?|bnc|return|rp|sgbounce|msprvs1)[-+_.=]", re.IGNORECASE)
# Bulk senders' own domains: ESPs and marketing platforms.
_BULK_SENDER_DOMAINS = frozenset(
    {
        "mcsv.net", "mailchimp.com", "mailchimpapp.net", "sendgrid.net", "hubspotemail.net", "hs-email.net",
        "mktomail.com", "mcdlv.net", "rsgsv.net", "exacttarget.com", "substack.com", "beehiiv.com",
        "convertkit.com", "constantcontact.com", "klaviyomail.com", "sailthru.com", "customeriomail.com",
        "intercom-mail.com", "mailgun.org", "amazonses.com", "sparkpostmail.com", "braze.com", "iterable.com",
    }
)  # fmt: skip


# Public employment services: they book appointments and forward vacancies, and are never the employer.
_EMPLOYMENT_SERVICES = frozenset(
    {
        "arbeitsagentur.de", "jobcenter-ge.de", "ams.at", "arbeit.swiss", "treffpunkt-arbeit.ch",
        "francetravail.fr", "pole-emploi.fr", "forem.be", "actiris.brussels", "vdab.be", "sepe.es",
        "dwp.gov.uk", "jobcentreplus.gov.uk", "servicecanada.gc.ca", "emploiquebec.gouv.qc.ca",
        "servicesaustralia.gov.au", "workforceaustralia.gov.au",
    }
)  # fmt: skip


def is_employment_service(addr_or_domain: str) -> bool:
    """The Arbeitsagentur, France Travail, SEPE, Jobcentre Plus and their like."""
    return _in(domain_of(addr_or_domain), _EMPLOYMENT_SERVICES)


def _clean(addr_or_domain: str) -> str:
    return addr_or_domain.strip().strip("<>").lower().rstrip(".")


def domain_of(addr_or_domain: str) -> str:
    """The domain part of an address, or the argument itself if it is already a domain."""
    return _clean(addr_or_domain).rpartition("@")[2]


def local_part(addr: str) -> str:
    cleaned = _clean(addr)
    return cleaned.rpartition("@")[0] if "@" in cleaned else ""


def _in(domain: str, domains: frozenset[str]) -> bool:
    """Whether `domain` is one of `domains` or a subdomain of one."""
    labels = domain.split(".")
    return any(".".join(labels[i:]) in domains for i in range(len(labels) - 1))


def registrable_domain(addr_or_domain: str) -> str:
    """ "mail.acme.com" → "acme.com", "careers.acme.co.uk" → "acme.co.uk", "dgp.uacv.edu.mx" → "uacv.edu.mx"."""
    domain = domain_of(addr_or_domain)
    labels = [label for label in domain.split(".") if label]
    if len(labels) <= 2:
        return ".".join(labels)
    return _registrable(".".join(labels))


@lru_cache(maxsize=8192)
def _registrable(domain: str) -> str:
    return _psl().privatesuffix(domain) or domain


def is_free_mail(addr_or_domain: str) -> bool:
    domain = domain_of(addr_or_domain)
    if _in(domain, FREE_MAIL_DOMAINS):
        return True
    return registrable_domain(domain).split(".")[0] in _FREE_MAIL_FAMILIES


def is_ats_domain(addr_or_domain: str) -> bool:
    """Applicant-tracking, scheduling, job-board, meeting and calendar-notification domains (subdomains too)."""
    return _in(domain_of(addr_or_domain), ATS_DOMAINS)


def is_job_board(addr_or_domain: str) -> bool:
    return _in(domain_of(addr_or_domain), JOB_BOARD_DOMAINS)


def is_bulk_sender_domain(addr_or_domain: str) -> bool:
    return _in(domain_of(addr_or_domain), _BULK_SENDER_DOMAINS)


def is_automated_address(addr: str) -> bool:
    """No-reply, notification, bounce and daemon addresses: nobody reads mail sent to them."""
    local = local_part(addr)
    domain = domain_of(addr)
    if not local:
        return True
    if _AUTOMATED_LOCAL.search(local) or _VERP_LOCAL.match(local):
        return True
    # Google calendar ids (rooms, groups) and ESP envelopes are never a person.
    return _in(domain, frozenset({"calendar.google.com"})) or is_bulk_sender_domain(domain)


def is_human(addr: str) -> bool:
    """Whether a person is plausibly behind this address.

    Shared inboxes such as careers@ or recruiting@ count as human: a coordinator answers from them. On an ATS
    domain only person-like local parts ("jane.doe@hire.lever.co", a recruiter relayed by the ATS) count;
    "acme@myworkday.com" is the tenant's robot.
    """
    if not addr or "@" not in addr or is_automated_address(addr):
        return False
    if is_ats_domain(addr):
        return bool(re.search(r"[a-z]{2,}[._-][a-z]{2,}", local_part(addr)))
    return True


_ROLE_LOCAL = re.compile(
    r"^(?:interviews?|interviewing|recruit(?:ing|ment|ers?)|talent(?:[._-]?acquisition)?|careers?|jobs?|hr"
    r"|hiring(?:[._-]?team)?|people(?:[._-]?ops)?|scheduling|coordinator|coordination|team|hello|info|contact"
    r"|apply|applications?|staffing|university|campus|bewerbung(?:en)?|karriere|personal|recrutement|candidatures?"
    r"|empleo|seleccion|rrhh|rh)(?:[._-][a-z]{1,16})?$",
    re.IGNORECASE,
)


def is_role_address(addr: str) -> bool:
    """A team mailbox (interviews@, recruiting@, careers@): people answer from it, but it is nobody in particular.

    Follow-ups may go there when no person is known; thank-you notes, which thank a person, never do.
    """
    return bool(_ROLE_LOCAL.match(local_part(addr)))


def employer_domain(addr_or_domain: str) -> str | None:
    """The registrable domain of the employer this address belongs to; None for free-mail, ATS, notification."""
    domain = domain_of(addr_or_domain)
    if not domain or "." not in domain:
        return None
    if is_free_mail(domain) or is_ats_domain(domain) or is_bulk_sender_domain(domain):
        return None
    return registrable_domain(domain)


def company_from_domain(addr_or_domain: str) -> str:
    """ "acme-robotics.com" → "Acme Robotics" (a guess for display; the registrable name, title-cased)."""
    base = registrable_domain(addr_or_domain).split(".")[0]
    words = [w for w in re.split(r"[-_]+", base) if w]
    return " ".join(w.upper() if len(w) <= 2 else w.capitalize() for w in words)
