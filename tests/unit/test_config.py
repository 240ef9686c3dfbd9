"""Config loading: every problem at once with its dotted path, unknown keys, defaults, and the file-mode rule."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.config import example_config_text, load_config, parse_config
from agent.errors import ConfigError

MINIMAL = '[identity]\nname = "Alex"\nemail = "alex@example.com"\n'


def problems(text: str, source: Path | None = None) -> list[str]:
    with pytest.raises(ConfigError) as info:
        parse_config(text, source=source)
    return info.value.problems


def test_the_example_config_is_valid_and_documents_every_key() -> None:
    config = parse_config(example_config_text())
    assert config.mailbox.backend == "maildir"
    assert config.policy.follow_up.business_days == 5
    from agent.config import SCHEMA

    text = example_config_text()
    for section, keys in SCHEMA.items():
        assert f"[{section}]" in text
        for key, spec in keys.items():
            documented = f"[{section}.{key}]" if spec.kind == "table-of-paths" else f"{key} ="
            assert documented in text, f"{section}.{key} is not in the example config"


def test_defaults_follow_the_policy() -> None:
    config = parse_config(MINIMAL)
    assert config.policy.thank_you.max_age_hours == 72
    assert config.policy.thank_you.default_interview_minutes == 60
    assert config.policy.follow_up.second_business_days == 5
    assert config.policy.follow_up.max_follow_ups == 2
    assert config.policy.workday_start.hour == 8


def test_every_problem_is_reported_at_once_with_its_path() -> None:
    found = problems(
        '[identity]\nname = 3\n[policy]\ntimezone = "Mars/Olympus"\nholidays = "XX"\n'
        '[policy.follow_up]\nbusiness_days = -1\n[mailbox]\nbackend = "pop3"\ncolour = true\n[extras]\n'
    )
    assert "policy.follow_up.business_days: must be a positive integer, got -1" in found
    assert "identity.name: must be a string, got int 3" in found
    assert "identity.email: required" in found
    assert "mailbox.colour: unknown key" in found
    assert "extras: unknown key" in found
    assert any(p.startswith("policy.timezone: must be an IANA timezone") for p in found)
    assert any(p.startswith("policy.holidays: must be a country code") for p in found)
    assert any(p.startswith("mailbox.backend: must be one of") for p in found)


def test_the_error_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[identity\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert str(path) in str(info.value) and info.value.exit_code == 2


def test_missing_file_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "nope.toml")
    assert "followup-agent init" in str(info.value)


def test_imap_requires_its_keys_and_plain_only_on_loopback() -> None:
    found = problems(MINIMAL + '[mailbox]\nbackend = "imap"\n[imap]\nsecurity = "plain"\nhost = "mail.example.com"\n')
    assert 'imap.username: required when mailbox.backend = "imap"' in found
    assert any("password_env" in p for p in found)
    assert any(p.startswith('imap.security: "plain" is only accepted for a loopback host') for p in found)


def test_password_in_config_needs_a_private_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(
        MINIMAL + '[mailbox]\nbackend = "imap"\n[imap]\nhost = "h.example.com"\nusername = "u"\npassword = "hunter2"\n'
    )
    path.chmod(0o644)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert any("chmod 600" in p for p in info.value.problems)
    assert "hunter2" not in str(info.value)
    path.chmod(0o600)
    assert load_config(path).imap.password == "hunter2"


def test_relative_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(MINIMAL + '[state]\npath = "state/agent.db"\n[maildir]\npath = "~/Mail"\n')
    config = load_config(path)
    assert config.state.path == tmp_path / "state" / "agent.db"
    assert config.maildir.path == Path.home() / "Mail"


def test_template_that_talks_money_or_pressure_warns(tmp_path: Path) -> None:
    template = tmp_path / "fu.j2"
    template.write_text("{{ greeting }}\nI have other offers, so what is the salary?\n")
    path = tmp_path / "config.toml"
    path.write_text(MINIMAL + f'[drafting.templates]\nfollow_up = "{template}"\n')
    warnings = load_config(path).warnings
    assert any("salary" in w for w in warnings) and any("other offers" in w for w in warnings)


def test_template_that_does_not_compile_is_a_config_error(tmp_path: Path) -> None:
    template = tmp_path / "broken.j2"
    template.write_text("{% if %}")
    with pytest.raises(ConfigError):
        parse_config(MINIMAL + f'[drafting.templates]\nthank_you = "{template}"\n')


def test_unknown_template_name_and_missing_template_file(tmp_path: Path) -> None:
    found = problems(MINIMAL + f'[drafting.templates]\nhello = "{tmp_path}/x.j2"\nthank_you = "{tmp_path}/no.j2"\n')
    assert any(p.startswith("drafting.templates.hello: unknown template") for p in found)
    assert any(p.startswith("drafting.templates.thank_you: no such file") for p in found)


def test_a_rejected_password_is_never_echoed() -> None:
    found = problems(MINIMAL + "[imap]\npassword = 314159265\n")
    assert any(p.startswith("imap.password: must be a string") for p in found)
    assert not any("314159265" in p for p in found)


def test_absurd_numbers_and_datetimes_are_refused_up_front() -> None:
    found = problems(
        MINIMAL + "[policy]\nextra_holidays = [2026-08-14T09:00:00]\n[policy.follow_up]\nbusiness_days = 100000000\n"
        "[policy.thank_you]\nmax_age_hours = 999999999\n"
    )
    assert "policy.follow_up.business_days: must be at most 60, got 100000000" in found
    assert any(p.startswith("policy.thank_you.max_age_hours: must be at most") for p in found)
    assert any(p.startswith("policy.extra_holidays: must be a list of dates") for p in found)


@pytest.mark.parametrize(
    ("timezone", "order", "day_first"),
    [
        ("America/New_York", "auto", False),
        ("Europe/London", "auto", True),
        ("Asia/Kolkata", "auto", True),
        ("UTC", "auto", False),
        ("Europe/London", "month_first", False),
        ("America/Chicago", "day_first", True),
        ("America/Santiago", "auto", True),
        ("America/Mexico_City", "auto", True),
        ("America/Indiana/Indianapolis", "auto", False),
        ("America/Toronto", "auto", False),
        ("Asia/Manila", "auto", False),
    ],
)
def test_date_order_follows_the_timezone_unless_set(timezone: str, order: str, day_first: bool) -> None:
    config = parse_config(MINIMAL + f'[policy]\ntimezone = "{timezone}"\n[detection]\ndate_order = "{order}"\n')
    assert config.detection.day_first(config.policy.timezone) is day_first


def test_marking_threads_is_off_by_default_and_its_label_is_checked() -> None:
    from agent.mail.gmail_auth import MODIFY_SCOPE, SCOPES, api_scopes

    config = parse_config(MINIMAL)
    assert config.drafting.mark_threads is False and config.drafting.mark_label == "Follow-up"
    assert MODIFY_SCOPE not in api_scopes(config.drafting.mark_threads) == SCOPES
    on = parse_config(MINIMAL + '[drafting]\nmark_threads = true\nmark_label = "Job search/Waiting"\n')
    assert on.drafting.mark_threads and on.drafting.mark_label == "Job search/Waiting"
    assert any(w.startswith("drafting.mark_threads: a Maildir gets no marks") for w in on.warnings)
    assert config.warnings == ()
    assert api_scopes(on.drafting.mark_threads) == (*SCOPES, MODIFY_SCOPE)
    assert problems(MINIMAL + '[drafting]\nmark_threads = "yes"\nmark_label = " padded"\n') == [
        "drafting.mark_threads: must be true or false, got str 'yes'",
        "drafting.mark_label: must be a label name without leading or trailing spaces, got ' padded'",
    ]
    assert problems(MINIMAL + '[drafting]\nmark_label = "inbox"\n') == [
        "drafting.mark_label: must not be one of Gmail's system labels, got 'inbox'"
    ]
