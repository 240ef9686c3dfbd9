"""Loading and validating the TOML config file.

One declarative schema (`SCHEMA`) describes every key: its type, default and check. Loading walks the file
against it and reports **every** problem at once, each with its dotted path, before anything else runs. The
result is a tree of frozen dataclasses; nothing downstream reads raw dicts.
"""

from __future__ import annotations

import os
import re
import stat
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import platformdirs

from agent.errors import ConfigError

APP_NAME = "followup-agent"
ENV_CONFIG = "FOLLOWUP_AGENT_CONFIG"


def default_config_path() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def default_state_dir() -> Path:
    return Path(platformdirs.user_state_dir(APP_NAME))


def resolve_config_path(cli_path: str | None) -> Path:
    """`--config` wins over the environment variable, which wins over the XDG default."""
    if cli_path:
        return Path(cli_path).expanduser()
    env = os.environ.get(ENV_CONFIG)
    if env:
        return Path(env).expanduser()
    return default_config_path()


# ---------------------------------------------------------------------------------------------- the typed tree


@dataclass(frozen=True)
class IdentityConfig:
    name: str
    email: str
    aliases: tuple[str, ...] = ()

    @property
    def addresses(self) -> frozenset[str]:
        return frozenset(a.lower() for a in (self.email, *self.aliases))


@dataclass(frozen=True)
class MailboxConfig:
    backend: str = "maildir"
    lookback_days: int = 60


@dataclass(frozen=True)
class MaildirConfig:
    path: Path = Path("~/Mail")
    inbox: str = "INBOX"
    sent: str = "Sent"
    drafts: str = "Drafts"


@dataclass(frozen=True)
class ImapConfig:
    host: str = ""
    port: int = 0  # 0: the default for `security` (993 for tls, 143 otherwise)
    security: str = "tls"
    ca_file: Path | None = None
    username: str = ""
    password: str = field(default="", repr=False)
    password_env: str = ""
    password_command: str = ""
    auth: str = "password"
    oauth_token: Path | None = None  # for auth = "xoauth2": a token file written by `followup-agent auth`
    inbox: str = "INBOX"
    sent: str = ""  # "" = find the folder flagged \Sent (RFC 6154)
    drafts: str = ""  # "" = find the folder flagged \Drafts
    timeout_seconds: int = 60
    batch_size: int = 200

    @property
    def effective_port(self) -> int:
        if self.port:
            return self.port
        return 993 if self.security == "tls" else 143


@dataclass(frozen=True)
class GmailConfig:
    client_secrets: Path = Path("~/.config/followup-agent/client_secret.json")
    token: Path = field(default_factory=lambda: default_state_dir() / "gmail-token.json")
    api_endpoint: str = ""  # "" = Google's; set only to point at a test server
    batch_size: int = 50


@dataclass(frozen=True)
class ThankYouConfig:
    enabled: bool = True
    delay_minutes: int = 0
    max_age_hours: int = 72
    default_interview_minutes: int = 60
    max_per_interview: int = 6  # a panel larger than this is a mailing list: no flood of drafts


@dataclass(frozen=True)
class FollowUpConfig:
    business_days: int = 5
    second_business_days: int = 5
    max_follow_ups: int = 2


@dataclass(frozen=True)
class PolicyConfig:
    timezone: str = "UTC"
    holidays: str = ""
    holiday_subdivision: str = ""
    extra_holidays: tuple[date, ...] = ()
    workday_start: time = time(8, 0)
    thank_you: ThankYouConfig = field(default_factory=ThankYouConfig)
    follow_up: FollowUpConfig = field(default_factory=FollowUpConfig)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


# The zones of the countries that write dates month first: the United States, Canada, the Philippines.
_MONTH_FIRST_ZONES = frozenset(
    f"America/{city}"
    for city in (
        "New_York",
        "Detroit",
        "Chicago",
        "Menominee",
        "Denver",
        "Boise",
        "Phoenix",
        "Los_Angeles",
        "Anchorage",
        "Juneau",
        "Sitka",
        "Metlakatla",
        "Yakutat",
        "Nome",
        "Adak",
        "Toronto",
        "Nipigon",
        "Thunder_Bay",
        "Iqaluit",
        "Pangnirtung",
        "Winnipeg",
        "Rainy_River",
        "Resolute",
        "Rankin_Inlet",
        "Regina",
        "Swift_Current",
        "Edmonton",
        "Cambridge_Bay",
        "Yellowknife",
        "Inuvik",
        "Creston",
        "Dawson_Creek",
        "Fort_Nelson",
        "Whitehorse",
        "Dawson",
        "Vancouver",
        "Halifax",
        "Glace_Bay",
        "Moncton",
        "Goose_Bay",
        "St_Johns",
        "Atikokan",
        "Blanc-Sablon",
        "Montreal",
        "Puerto_Rico",
    )
) | {"Pacific/Honolulu", "Asia/Manila"}


@dataclass(frozen=True)
class DetectionConfig:
    date_order: str = "auto"  # how to read 03/10/2026: "month_first", "day_first", or "auto" (by the timezone)

    def day_first(self, timezone: str) -> bool:
        if self.date_order != "auto":
            return self.date_order == "day_first"
        # The United States, Canada and the Philippines write the month first; Mexico, Chile, Peru, Brazil and
        # the rest of the world the day. UTC and Etc/* zones keep the US order.
        if timezone.startswith(("US/", "Canada/", "UTC", "Etc/")) or timezone in _MONTH_FIRST_ZONES:
            return False
        return not timezone.startswith(("America/Indiana/", "America/Kentucky/", "America/North_Dakota/"))


@dataclass(frozen=True)
class DraftingConfig:
    signature: str = ""
    templates: Mapping[str, Path] = field(default_factory=dict)
    # Mark the conversations where a follow-up draft waits: a Gmail label, an IMAP keyword ($FollowUp).
    mark_threads: bool = False
    mark_label: str = "Follow-up"


@dataclass(frozen=True)
class ScheduleConfig:
    interval_minutes: int = 15
    jitter_seconds: int = 60


@dataclass(frozen=True)
class StateConfig:
    path: Path = field(default_factory=lambda: default_state_dir() / "state.db")


@dataclass(frozen=True)
class Config:
    identity: IdentityConfig
    mailbox: MailboxConfig = field(default_factory=MailboxConfig)
    maildir: MaildirConfig = field(default_factory=MaildirConfig)
    imap: ImapConfig = field(default_factory=ImapConfig)
    gmail: GmailConfig = field(default_factory=GmailConfig)
    policy: PolicyConfig = field(default_factory=PolicyConfig)
    detection: DetectionConfig = field(default_factory=DetectionConfig)
    drafting: DraftingConfig = field(default_factory=DraftingConfig)
    schedule: ScheduleConfig = field(default_factory=ScheduleConfig)
    state: StateConfig = field(default_factory=StateConfig)
    source: Path | None = None
    warnings: tuple[str, ...] = ()


# ------------------------------------------------------------------------------------------------- the schema

Check = Callable[[Any], str | None]  # returns a problem ("must be ...") or None


@dataclass(frozen=True)
class Key:
    kind: str  # str, int, bool, path, date-list, str-list, time, table-of-paths
    required: bool = False
    check: Check | None = None
    secret: bool = False  # never echo the value in a problem report


def _positive(value: Any) -> str | None:
    return None if value > 0 else f"must be a positive integer, got {value}"


def _at_most(limit: int) -> Check:
    def check(value: Any) -> str | None:
        if value < 0:
            return f"must be zero or a positive integer, got {value}"
        return None if value <= limit else f"must be at most {limit}, got {value}"

    return check


def _one_of(*choices: str) -> Check:
    def check(value: Any) -> str | None:
        if value in choices:
            return None
        return f"must be one of {', '.join(repr(c) for c in choices)}, got {value!r}"

    return check


def _label(value: Any) -> str | None:
    if value.strip() != value or not value:
        return f"must be a label name without leading or trailing spaces, got {value!r}"
    if value.upper() in {"INBOX", "SENT", "DRAFT", "SPAM", "TRASH", "UNREAD", "STARRED", "IMPORTANT", "CHAT"}:
        return f"must not be one of Gmail's system labels, got {value!r}"
    return None


def _email(value: Any) -> str | None:
    return None if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) else f"must be an email address, got {value!r}"


def _timezone(value: Any) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"must be an IANA timezone name such as 'Europe/Berlin', got {value!r}"
    return None


def _country(value: Any) -> str | None:
    if value == "":
        return None
    import holidays

    if value.upper() in holidays.list_supported_countries():
        return None
    return f"must be a country code of the holidays package (such as 'US', 'DE') or \"\", got {value!r}"


def _port(value: Any) -> str | None:
    return None if 0 <= value <= 65535 else f"must be a port number from 1 to 65535, got {value}"


def _max(limit: int) -> Check:
    def check(value: Any) -> str | None:
        if value <= 0:
            return f"must be a positive integer, got {value}"
        return None if value <= limit else f"must be at most {limit}, got {value}"

    return check


TEMPLATE_KINDS = ("thank_you", "follow_up", "second_follow_up", "follow_up_after_date")

SCHEMA: dict[str, dict[str, Key]] = {
    "identity": {
        "name": Key("str", required=True),
        "email": Key("str", required=True, check=_email),
        "aliases": Key("str-list"),
    },
    "mailbox": {
        "backend": Key("str", check=_one_of("maildir", "imap", "gmail")),
        "lookback_days": Key("int", check=_max(3650)),
    },
    "maildir": {
        "path": Key("path"),
        "inbox": Key("str"),
        "sent": Key("str"),
        "drafts": Key("str"),
    },
    "imap": {
        "host": Key("str"),
        "port": Key("int", check=_port),
        "security": Key("str", check=_one_of("tls", "starttls", "plain")),
        "ca_file": Key("path"),
        "username": Key("str"),
        "password": Key("str", secret=True),
        "password_env": Key("str"),
        "password_command": Key("str"),
        "auth": Key("str", check=_one_of("password", "xoauth2")),
        "oauth_token": Key("path"),
        "inbox": Key("str"),
        "sent": Key("str"),
        "drafts": Key("str"),
        "timeout_seconds": Key("int", check=_positive),
        "batch_size": Key("int", check=_max(1000)),
    },
    "gmail": {
        "client_secrets": Key("path"),
        "token": Key("path"),
        "api_endpoint": Key("str"),
        "batch_size": Key("int", check=_max(50)),
    },
    "policy": {
        "timezone": Key("str", check=_timezone),
        "holidays": Key("str", check=_country),
        "holiday_subdivision": Key("str"),
        "extra_holidays": Key("date-list"),
        "workday_start": Key("time"),
    },
    "policy.thank_you": {
        "enabled": Key("bool"),
        "delay_minutes": Key("int", check=_at_most(7 * 24 * 60)),
        "max_age_hours": Key("int", check=_max(30 * 24)),
        "default_interview_minutes": Key("int", check=_max(24 * 60)),
        "max_per_interview": Key("int", check=_max(100)),
    },
    "policy.follow_up": {
        "business_days": Key("int", check=_max(60)),
        "second_business_days": Key("int", check=_max(60)),
        "max_follow_ups": Key("int", check=_at_most(10)),
    },
    "detection": {
        "date_order": Key("str", check=_one_of("auto", "month_first", "day_first")),
    },
    "drafting": {
        "signature": Key("str"),
        "templates": Key("table-of-paths"),
        "mark_threads": Key("bool"),
        "mark_label": Key("str", check=_label),
    },
    "schedule": {
        "interval_minutes": Key("int", check=_max(24 * 60)),
        "jitter_seconds": Key("int", check=_at_most(3600)),
    },
    "state": {
        "path": Key("path"),
    },
}

_TYPE_WORDS = {
    "str": "a string",
    "int": "an integer",
    "bool": "true or false",
    "path": "a path (string)",
    "str-list": "a list of strings",
    "date-list": "a list of dates (YYYY-MM-DD)",
    "time": 'a time of day as "HH:MM"',
    "table-of-paths": "a table of paths",
}


def _convert(kind: str, value: Any, base: Path) -> tuple[Any, str | None]:
    """Turn a TOML value into its typed form, or explain why it can't be."""

    def describe(v: Any) -> str:
        return f"{type(v).__name__} {v!r}" if not isinstance(v, dict) else "a table"

    wrong = f"must be {_TYPE_WORDS[kind]}, got {describe(value)}"
    if kind == "str":
        return (value, None) if isinstance(value, str) else (None, wrong)
    if kind == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return (value, None) if ok else (None, wrong)
    if kind == "bool":
        return (value, None) if isinstance(value, bool) else (None, wrong)
    if kind == "path":
        if not isinstance(value, str) or not value:
            return None, wrong
        return _resolve_path(value, base), None
    if kind == "str-list":
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        return (tuple(value), None) if ok else (None, wrong)
    if kind == "date-list":
        if not isinstance(value, list):
            return None, wrong
        days: list[date] = []
        for item in value:
            if isinstance(item, datetime):
                return None, f"must be a list of dates (YYYY-MM-DD) without a time, got {item.isoformat()}"
            if isinstance(item, date):
                days.append(item)
            elif isinstance(item, str):
                try:
                    days.append(date.fromisoformat(item))
                except ValueError:
                    return None, f"must be a list of dates (YYYY-MM-DD), got {item!r}"
            else:
                return None, wrong
        return tuple(days), None
    if kind == "time":
        if isinstance(value, time):
            return value, None
        if isinstance(value, str) and re.fullmatch(r"\d{1,2}:\d{2}", value):
            hours, minutes = (int(p) for p in value.split(":"))
            if hours < 24 and minutes < 60:
                return time(hours, minutes), None
        return None, wrong
    if kind == "table-of-paths":
        if not isinstance(value, dict):
            return None, wrong
        return {k: _resolve_path(v, base) for k, v in value.items() if isinstance(v, str)}, None
    raise AssertionError(kind)


def _resolve_path(value: str, base: Path) -> Path:
    path = Path(os.path.expandvars(value)).expanduser()
    return path if path.is_absolute() else (base / path)


def _validate(raw: Mapping[str, Any], base: Path) -> tuple[dict[str, dict[str, Any]], list[str], list[str]]:
    """Return the converted values per section, the problems and the warnings."""
    problems: list[str] = []
    warnings: list[str] = []
    values: dict[str, dict[str, Any]] = {section: {} for section in SCHEMA}

    def walk(table: Mapping[str, Any], prefix: str) -> None:
        for key, value in table.items():
            path = f"{prefix}.{key}" if prefix else key
            if path in SCHEMA:
                if not isinstance(value, dict):
                    problems.append(f"{path}: must be a table ([{path}]), got {type(value).__name__}")
                    continue
                walk(value, path)
                continue
            spec = SCHEMA.get(prefix, {}).get(key) if prefix else None
            if spec is None:
                problems.append(f"{path}: unknown key")
                continue
            converted, problem = _convert(spec.kind, value, base)
            if problem is None and spec.check is not None:
                problem = spec.check(converted)
            if problem is not None:
                if spec.secret:
                    problem = f"must be {_TYPE_WORDS[spec.kind]} (the value is not shown: it is a secret)"
                problems.append(f"{path}: {problem}")
                continue
            values[prefix][key] = converted

    walk(raw, "")
    for section, keys in SCHEMA.items():
        section_present = _get_table(raw, section) is not None
        for key, spec in keys.items():
            if spec.required and key not in values[section]:
                already = any(p.startswith(f"{section}.{key}:") for p in problems)
                if not already:
                    problems.append(f"{section}.{key}: required" + ("" if section_present else f" ([{section}])"))
    for name in values["drafting"].get("templates", {}):
        if name not in TEMPLATE_KINDS:
            problems.append(f"drafting.templates.{name}: unknown template, expected one of {', '.join(TEMPLATE_KINDS)}")
    templates_raw = (_get_table(raw, "drafting") or {}).get("templates")
    if isinstance(templates_raw, dict):
        for name, value in templates_raw.items():
            if not isinstance(value, str):
                problems.append(f"drafting.templates.{name}: must be a path (string), got {value!r}")
    return values, problems, warnings


def _get_table(raw: Mapping[str, Any], dotted: str) -> Mapping[str, Any] | None:
    node: Any = raw
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return node if isinstance(node, dict) else None


def _cross_checks(config: Config, raw: Mapping[str, Any], path: Path | None) -> list[str]:
    problems: list[str] = []
    backend = config.mailbox.backend
    if backend == "imap":
        imap = config.imap
        if not imap.host:
            problems.append('imap.host: required when mailbox.backend = "imap"')
        if not imap.username:
            problems.append('imap.username: required when mailbox.backend = "imap"')
        secrets = [k for k in ("password", "password_env", "password_command") if getattr(imap, k)]
        if imap.auth == "password":
            if not secrets:
                problems.append("imap: set one of password_env, password_command or password")
            elif len(secrets) > 1:
                problems.append(f"imap: set only one of {', '.join(secrets)}")
        if imap.auth == "xoauth2" and imap.oauth_token is None:
            problems.append('imap.oauth_token: required when imap.auth = "xoauth2"')
        if imap.security == "plain" and imap.host not in ("127.0.0.1", "::1", "localhost"):
            problems.append(
                f'imap.security: "plain" is only accepted for a loopback host (127.0.0.1, ::1, localhost), '
                f"got host {imap.host!r}"
            )
        if imap.password and path is not None:
            mode = path.stat().st_mode
            if mode & (stat.S_IRWXG | stat.S_IRWXO):
                problems.append(
                    f"imap.password: the config file {path} is readable by others (mode {oct(mode & 0o777)}); "
                    f"run `chmod 600 {path}` or use password_env / password_command"
                )
        if imap.ca_file is not None and not imap.ca_file.is_file():
            problems.append(f"imap.ca_file: no such file {imap.ca_file}")
    if config.policy.holiday_subdivision and not config.policy.holidays:
        problems.append("policy.holiday_subdivision: needs policy.holidays (a country code)")
    elif config.policy.holiday_subdivision:
        import holidays

        subdivisions = holidays.list_supported_countries().get(config.policy.holidays.upper(), [])
        if config.policy.holiday_subdivision not in subdivisions:
            problems.append(
                f"policy.holiday_subdivision: {config.policy.holiday_subdivision!r} is not a subdivision of "
                f"{config.policy.holidays.upper()}"
            )
    for name, template in config.drafting.templates.items():
        if not template.is_file():
            problems.append(f"drafting.templates.{name}: no such file {template}")
    return problems


def parse_config(text: str, *, source: Path | None = None) -> Config:
    """Validate TOML text; raise ConfigError listing every problem."""
    where = str(source) if source else "<config>"
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{where}: not valid TOML", [str(exc)]) from None
    base = source.parent if source else Path.cwd()
    values, problems, warnings = _validate(raw, base)
    config: Config | None = None
    if not any(p.startswith(("identity.name", "identity.email")) for p in problems):
        try:
            config = _build(values, source, tuple(warnings))
        except (TypeError, ValueError) as exc:  # pragma: no cover - the schema should make this unreachable
            problems.append(str(exc))
    if config is not None:
        problems.extend(_cross_checks(config, raw, source))
    if problems or config is None:
        raise ConfigError(f"{where}: {len(problems)} problem{'s' if len(problems) != 1 else ''}", problems)
    from agent.drafting import template_warnings

    extra = template_warnings(config.drafting)
    if config.drafting.mark_threads and config.mailbox.backend == "maildir":
        extra.append("drafting.mark_threads: a Maildir gets no marks (its flags are yours); Gmail and IMAP show them")
    return Config(**{**config.__dict__, "warnings": config.warnings + tuple(extra)})


def _build(values: dict[str, dict[str, Any]], source: Path | None, warnings: tuple[str, ...]) -> Config:
    policy_values = dict(values["policy"])
    if "holidays" in policy_values:
        policy_values["holidays"] = policy_values["holidays"].upper()
    return Config(
        identity=IdentityConfig(**values["identity"]),
        mailbox=MailboxConfig(**values["mailbox"]),
        maildir=MaildirConfig(**values["maildir"]),
        imap=ImapConfig(**values["imap"]),
        gmail=GmailConfig(**values["gmail"]),
        policy=PolicyConfig(
            **policy_values,
            thank_you=ThankYouConfig(**values["policy.thank_you"]),
            follow_up=FollowUpConfig(**values["policy.follow_up"]),
        ),
        detection=DetectionConfig(**values["detection"]),
        drafting=DraftingConfig(**values["drafting"]),
        schedule=ScheduleConfig(**values["schedule"]),
        state=StateConfig(**values["state"]),
        source=source,
        warnings=warnings,
    )


def load_config(path: Path) -> Config:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            f"{path}: no config file", hint="run `followup-agent init` to write the example config there"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file ({exc})") from None
    return parse_config(text, source=path)


def example_config_text() -> str:
    from importlib import resources

    return resources.files("agent").joinpath("data/config.example.toml").read_text(encoding="utf-8")
