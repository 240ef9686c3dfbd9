"""The command line: `followup-agent [--config PATH] [-v|-q] COMMAND`.

Every user-facing failure is a `FollowupError`: printed as one clear message with its exit code, never a
traceback. Exit codes: 0 success, 2 config error, 3 authentication error, 4 transient mailbox error, 5 state in
use by another process, 6 unusable state database, 1 anything else.
"""

from __future__ import annotations

import argparse
import json
import logging
import sqlite3
import sys
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from agent import __version__
from agent.config import Config, default_config_path, example_config_text, load_config, resolve_config_path
from agent.errors import ConfigError, FollowupError, NotFoundError
from agent.logs import setup_logging
from agent.models import Override
from agent.private import create_private, private_dir

if TYPE_CHECKING:
    from agent.store import Store

log = logging.getLogger("agent")


def parse_now(text: str | None, config: Config | None = None) -> datetime:
    """`--now`: an ISO 8601 moment; one without an offset is read in the configured timezone."""
    if text is None:
        return datetime.now().astimezone()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise FollowupError(
            f"--now: not an ISO 8601 date and time: {text!r}",
            hint="for example 2026-03-10T09:00 or 2026-03-10T09:00:00+01:00",
        ) from None
    if moment.tzinfo is None:
        zone = config.policy.zone if config is not None else datetime.now().astimezone().tzinfo
        moment = moment.replace(tzinfo=zone)
    return moment


def _bounded_int(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: an integer from `low` to `high`, so a typo is a usage error, not a traceback."""

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be from {low} to {high}, got {text}")
        return value

    return convert


APP_ID = _bounded_int(1, 2**63 - 1)  # SQLite's INTEGER range
SNOOZE_DAYS = _bounded_int(1, 3650)


def _load(args: argparse.Namespace) -> Config:
    config = load_config(resolve_config_path(args.config))
    for warning in config.warnings:
        log.warning("%s", warning)
    return config


# ---------------------------------------------------------------------------------------------- commands


def cmd_init(args: argparse.Namespace) -> int:
    path = resolve_config_path(args.config)
    if path.exists():
        print(f"{path} already exists; not overwriting it.", file=sys.stderr)
        return 1
    private_dir(path.parent)
    # 0600 from the start: the user may put a password in it.
    create_private(path, example_config_text().encode("utf-8"))
    print(f"Wrote the example config to {path}. Edit [identity] and [mailbox], then run `followup-agent check-config`.")
    return 0


def cmd_check_config(args: argparse.Namespace) -> int:
    config = _load(args)
    print(f"{config.source}: OK ({config.mailbox.backend} backend, state in {config.state.path})")
    return 0


def cmd_scan(args: argparse.Namespace) -> int:
    from agent.runner import run_scan_once

    config = _load(args)
    now = parse_now(args.now, config)
    from agent.progress import for_terminal

    report = run_scan_once(config, now, dry_run=args.dry_run, progress=for_terminal(args.quiet))
    verb = "would create" if args.dry_run else "created"
    print(
        f"Scan done: {report.messages_recorded} new message(s) recorded, {len(report.drafts)} draft(s) {verb}"
        + (f", {report.skipped} skipped" if report.skipped else "")
        + (f", {report.discarded} deleted draft(s) noted" if report.discarded else "")
    )
    for note in report.drafts:
        print(
            f"  [{note.app_id}] {note.company}: {note.kind.value.replace('_', ' ')} to {note.to.display()}"
            f" - {note.subject}"
        )
    return 0


def _open_store_readonly(config: Config) -> Store:
    from agent.store import Store

    return Store.open(config.state.path)


def cmd_status(args: argparse.Namespace) -> int:
    from agent.policy import Policy
    from agent.views import status_json, status_text

    config = _load(args)
    now = parse_now(args.now, config)
    if not config.state.path.exists():
        # Reading must not create the state: say plainly that nothing has been scanned yet.
        if args.json:
            empty = {"applications": [], "health": {"last_success": None, "last_error": None, "skipped_messages": 0}}
            print(json.dumps(empty, indent=2))
        else:
            print(f"No scan has run yet (no state at {config.state.path}). Run `followup-agent scan`.")
        return 0
    store = _open_store_readonly(config)
    try:
        policy = Policy.from_config(config.policy)
        if args.json:
            print(json.dumps(status_json(store, policy, now), indent=2))
        else:
            print(status_text(store, policy, now))
    finally:
        store.close()
    return 0


def cmd_rules(args: argparse.Namespace) -> int:
    """The detection decision table: each rule's evidence, vetoes and priority (needs no config)."""
    from agent.detect.decisions import table

    print("\n".join(table()))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    from agent.policy import Policy
    from agent.views import explain_text

    config = _load(args)
    now = parse_now(args.now, config)
    store = _open_store_readonly(config)
    try:
        if store.application(args.app_id) is None:
            raise NotFoundError(f"no application {args.app_id}", hint="`followup-agent status` lists them")
        print(explain_text(store, Policy.from_config(config.policy), args.app_id, now))
    finally:
        store.close()
    return 0


def cmd_messages(args: argparse.Namespace) -> int:
    from agent.policy import Policy
    from agent.views import messages_text

    config = _load(args)
    if not config.state.path.exists():
        print(f"No scan has run yet (no state at {config.state.path}). Run `followup-agent scan`.")
        return 0
    store = _open_store_readonly(config)
    try:
        print(messages_text(store, Policy.from_config(config.policy), args.search, args.limit))
    finally:
        store.close()
    return 0


def open_in_browser(path: Path) -> None:
    """`--open`: the desktop's browser; where there is none, say where the file is instead of failing."""
    import webbrowser

    try:
        opened = webbrowser.open(path.as_uri())
    except webbrowser.Error:
        opened = False
    if not opened:
        print(f"No desktop browser found; open {path} yourself.", file=sys.stderr)


def cmd_report(args: argparse.Namespace) -> int:
    from agent.policy import Policy
    from agent.report_data import default_report_path, write_report

    config = _load(args)
    now = parse_now(args.now, config)
    if not config.state.path.exists():
        print(f"No scan has run yet (no state at {config.state.path}). Run `followup-agent scan`.")
        return 0
    store = _open_store_readonly(config)
    try:
        path = write_report(store, Policy.from_config(config.policy), now, Path(args.html or default_report_path()))
    finally:
        store.close()
    print(f"Report written to {path}")
    if args.open:
        open_in_browser(path)
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    from agent.store import Store

    config = _load(args)
    store = Store.open(config.state.path)
    try:
        if store.application(args.app_id) is None:
            raise NotFoundError(f"no application {args.app_id}", hint="`followup-agent status` lists them")
        override = {"close": Override.CLOSED, "mute": Override.MUTED, "snooze": Override.SNOOZED, "reopen": None}[
            args.command
        ]
        until = None
        if override is Override.SNOOZED:
            until = parse_now(None, config) + timedelta(days=args.days)
        with store.transaction():
            store.set_override(args.app_id, override, until)
    finally:
        store.close()
    print(f"Application {args.app_id}: {args.command}" + (f" until {until:%Y-%m-%d %H:%M}" if until else ""))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from agent.demo import run_demo

    path = Path(args.html).expanduser() if args.html else None
    return run_demo(keep=args.keep, report_path=path, open_report=args.open)


def cmd_run(args: argparse.Namespace) -> int:
    from agent.service import run_daemon

    return run_daemon(resolve_config_path(args.config), once=False)


def cmd_auth(args: argparse.Namespace) -> int:
    from agent.mail.gmail_auth import IMAP_SCOPES, api_scopes, run_auth_flow

    config = _load(args)
    if args.imap:
        if config.imap.oauth_token is None:
            raise ConfigError("imap.oauth_token: set the token file path to authorise Gmail IMAP (XOAUTH2)")
        path = run_auth_flow(
            config.gmail,
            no_browser=args.no_browser,
            port=args.port,
            scopes=IMAP_SCOPES,
            token_path=config.imap.oauth_token,
        )
        print(f"Authorised Gmail IMAP. The token is saved in {path} (mode 0600).")
        return 0
    scopes = api_scopes(config.drafting.mark_threads)
    if config.drafting.mark_threads:
        print(
            "[drafting] mark_threads is on: asking also for gmail.modify, which labels need "
            f"(the agent only adds and removes its label {config.drafting.mark_label!r}; it never sends mail)."
        )
    path = run_auth_flow(config.gmail, no_browser=args.no_browser, port=args.port, scopes=scopes)
    print(f"Authorised ({', '.join(s.rpartition('/')[2] for s in scopes)}). The token is saved in {path} (mode 0600).")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="followup-agent",
        description="Watches your mailbox after job interviews and leaves follow-up drafts. It never sends mail.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--config", metavar="PATH", help=f"the config file (default: $FOLLOWUP_AGENT_CONFIG or {default_config_path()})"
    )
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more detail in the log")
    parser.add_argument("-q", "--quiet", action="store_true", help="only warnings and errors")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("scan", help="one pass: read new mail, update the state, write due drafts")
    p.add_argument("--dry-run", action="store_true", help="show what would be drafted; change nothing")
    p.add_argument("--now", metavar="ISO8601", help="act as if it were this moment")
    p.set_defaults(func=cmd_scan)

    p = sub.add_parser("status", help="every application, its state and its next step")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.add_argument("--now", metavar="ISO8601", help="evaluate as if it were this moment")
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("explain", help="an application's timeline, verdicts and why the next step is (not) due")
    p.add_argument("app_id", type=APP_ID, metavar="APP_ID")
    p.add_argument("--now", metavar="ISO8601", help="evaluate as if it were this moment")
    p.set_defaults(func=cmd_explain)

    p = sub.add_parser("report", help="write an HTML timeline of every application (no network, no script)")
    p.add_argument("--html", metavar="PATH", help="where to write it (default: report.html in the XDG data folder)")
    p.add_argument("--open", action="store_true", help="open it in the desktop's browser")
    p.add_argument("--now", metavar="ISO8601", help="evaluate as if it were this moment")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("rules", help="the detection decision table: each rule's evidence, vetoes and priority")
    p.set_defaults(func=cmd_rules)

    p = sub.add_parser("messages", help="what the agent made of each message: its verdict, rule and application")
    p.add_argument("--search", default="", metavar="TEXT", help="only messages whose subject or address contains TEXT")
    p.add_argument("--limit", type=int, default=50, metavar="N", help="at most N messages, newest first (default 50)")
    p.set_defaults(func=cmd_messages)

    for name, text in (
        ("close", "stop tracking an application"),
        ("mute", "keep tracking, but write no drafts"),
        ("reopen", "undo close, mute or snooze"),
    ):
        p = sub.add_parser(name, help=text)
        p.add_argument("app_id", type=APP_ID, metavar="APP_ID")
        p.set_defaults(func=cmd_set)
    p = sub.add_parser("snooze", help="write no drafts for an application for some days")
    p.add_argument("app_id", type=APP_ID, metavar="APP_ID")
    p.add_argument("--days", type=SNOOZE_DAYS, default=7, help="1 to 3650 (default 7)")
    p.set_defaults(func=cmd_set)

    p = sub.add_parser("demo", help="run the engine on a bundled sample mailbox; no credentials needed")
    p.add_argument("--keep", action="store_true", help="keep the temporary mailbox and print its path")
    p.add_argument("--html", metavar="PATH", help="where to write the demo's report (default: the XDG data folder)")
    p.add_argument("--open", action="store_true", help="open the report in the desktop's browser")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("check-config", help="validate the config file; exit 2 listing every problem")
    p.set_defaults(func=cmd_check_config)

    p = sub.add_parser("init", help="write the example config to the default path (never overwrites)")
    p.set_defaults(func=cmd_init)

    p = sub.add_parser("run", help="the daemon: scan on a schedule until stopped")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("auth", help="authorise Gmail access (once)")
    p.add_argument(
        "--no-browser", action="store_true", help="print the URL instead of opening a browser (for SSH port forwarding)"
    )
    p.add_argument(
        "--imap",
        action="store_true",
        help="authorise Gmail's IMAP (XOAUTH2, scope https://mail.google.com/) and save the token to imap.oauth_token",
    )
    p.add_argument("--port", type=int, default=8765, help="the local port for Google's redirect (default 8765)")
    p.set_defaults(func=cmd_auth)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(-1 if args.quiet else args.verbose)
    try:
        return int(args.func(args))
    except ConfigError as exc:
        print(f"followup-agent: config error: {exc}", file=sys.stderr)
        return exc.exit_code
    except FollowupError as exc:
        print(f"followup-agent: {exc}", file=sys.stderr)
        return exc.exit_code
    except sqlite3.Error as exc:  # a command reading the state met a locked or damaged database
        from agent.store import state_failure

        failure = state_failure(exc, None)
        print(f"followup-agent: {failure}", file=sys.stderr)
        return failure.exit_code
    except KeyboardInterrupt:
        return 130
