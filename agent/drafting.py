"""Turning a due step into a draft: the templates, their rendering, and the email headers.

Templates are Jinja2, rendered in a sandbox with StrictUndefined, so a user's template can neither reach into
Python nor silently print an empty name. Headers are built through the `email` package's header registry, so
a name or subject that carries CR/LF can never inject a header. Pure: nothing here touches a mailbox.
"""

from __future__ import annotations

import re
from datetime import datetime
from email.headerregistry import Address as HeaderAddress
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from importlib import resources
from pathlib import Path

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment

from agent.config import DraftingConfig, IdentityConfig
from agent.errors import ConfigError
from agent.models import KEY_HEADER, Address, DraftContent, History, Step, StepKind
from agent.names import clean_name

# Phrases a follow-up must never carry: money talk and pressure (docs/policy.md, "What a draft says").
_FORBIDDEN = {
    "mentions salary, compensation or benefits": re.compile(
        r"\b(salary|salaries|compensation|benefits?|pay(?:check| rise| raise)?|bonus|equity|stock options?|pto)\b", re.I
    ),
    "applies pressure": re.compile(
        r"\b(other offers?|competing offers?|another offer|need an answer|need to know by|answer by|respond by|"
        r"as soon as possible|asap|final chance|last chance|urgent(?:ly)?|deadline)\b",
        re.I,
    ),
}


def _environment() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


def _template_source(kind: StepKind, config: DraftingConfig) -> str:
    override = config.templates.get(kind.value)
    if override is not None:
        return Path(override).read_text(encoding="utf-8")
    return resources.files("agent").joinpath(f"templates/{kind.value}.j2").read_text(encoding="utf-8")


def template_warnings(config: DraftingConfig) -> list[str]:
    """Warnings for templates that talk money or apply pressure, and errors for ones that do not compile."""
    warnings: list[str] = []
    env = _environment()
    for kind in StepKind:
        try:
            source = _template_source(kind, config)
        except OSError:
            continue  # a missing file is reported as a config problem
        where = f"drafting.templates.{kind.value}" if kind.value in config.templates else f"built-in {kind.value}"
        try:
            env.parse(source)
        except TemplateError as exc:
            raise ConfigError(f"{where}: the template does not compile", [str(exc)]) from None
        for problem, pattern in _FORBIDDEN.items():
            found = pattern.search(source)
            if found:
                warnings.append(f'{where}: the template {problem} ("{found.group(0)}"); drafts should not')
    return warnings


def first_name(person: Address) -> str:
    name = clean_name(person.name)  # again here: a name recorded before names were cleaned at reading
    if not name:
        return ""
    if "," in name:  # "Doe, Jane"
        name = name.split(",", 1)[1].strip()
    return name.split(" ")[0]


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render(
    step: Step, history: History, identity: IdentityConfig, config: DraftingConfig, zone_now: datetime
) -> DraftContent:
    """Render the draft for a due step. `zone_now` is "now" in the user's timezone."""
    if step.to is None:
        raise ValueError("a step without a recipient cannot be drafted")
    app = history.application
    interview = step.interview
    when = ""
    if interview is not None:
        local = interview.start.astimezone(zone_now.tzinfo)
        days = (zone_now.date() - local.date()).days
        when = "today" if days == 0 else "yesterday" if days == 1 else f"on {local:%A, %B} {local.day}"
    deadline_date = ""
    if step.deadline is not None:
        deadline_date = f"{step.deadline.day:%A, %B} {step.deadline.day.day}"
    greeting_name = first_name(step.to)
    values = {
        "greeting": f"Dear {greeting_name}," if greeting_name else "Hello,",
        "first_name": greeting_name,
        "recipient_name": clean_name(step.to.name),
        "recipient_email": step.to.email,
        "company": _one_line(app.company),
        "role": _one_line(app.role),
        "interview_when": when,
        "deadline_date": deadline_date,
        "deadline_phrase": step.deadline.phrase if step.deadline else "",
        "my_name": _one_line(identity.name),
        "signature": config.signature.strip() or identity.name,
    }
    try:
        body = _environment().from_string(_template_source(step.kind, config)).render(**values)
    except TemplateError as exc:
        raise ConfigError(f"the {step.kind.value} template failed to render", [str(exc)]) from None
    body = body.strip() + "\n"

    in_reply_to = None
    references: tuple[str, ...] = ()
    thread_id = None
    target = step.reply_to_event
    if step.kind is StepKind.THANK_YOU or target is None:
        subject = "Thank you" + (f" – {app.role} interview" if app.role else " for your time")
        if step.kind is not StepKind.THANK_YOU:
            subject = "Following up" + (f" on the {app.role} position" if app.role else "")
    else:
        base = re.sub(r"^\s*((re|aw|sv|fw|fwd)\s*:\s*)+", "", target.subject, flags=re.I).strip()
        subject = f"Re: {base}" if base else "Following up"
        in_reply_to = target.message_id
        references = (*(c for c in target.conversation if c != target.message_id), target.message_id)
        thread_id = target.thread_id
    return DraftContent(
        key=step.key,
        kind=step.kind,
        to=step.to,
        subject=_one_line(subject),
        body=body,
        in_reply_to=in_reply_to,
        references=references,
        thread_id=thread_id,
    )


def _header_address(person: Address) -> HeaderAddress:
    local, _, domain = person.email.partition("@")
    return HeaderAddress(display_name=clean_name(person.name), username=local, domain=domain)


def build_email(content: DraftContent, identity: IdentityConfig, now: datetime) -> EmailMessage:
    """The RFC 5322 draft, ready for a backend to store."""
    message = EmailMessage(policy=SMTP)
    message["From"] = _header_address(Address(identity.name, identity.email))
    message["To"] = _header_address(content.to)
    message["Subject"] = _one_line(content.subject)
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain=identity.email.rpartition("@")[2] or None)
    if content.in_reply_to:
        message["In-Reply-To"] = f"<{content.in_reply_to}>"
        message["References"] = " ".join(f"<{r}>" for r in content.references)
    message[KEY_HEADER] = content.key
    message.set_content(content.body)
    return message
