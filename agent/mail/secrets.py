"""Where the IMAP password comes from: an environment variable, a command, or the config file itself.

Every failure becomes an `AuthError` that says which setting to fix. No message here ever contains the secret
itself, nor the output of the password command (it *is* the secret).
"""

from __future__ import annotations

import os
import shlex
import subprocess

from agent.config import ImapConfig
from agent.errors import AuthError

PASSWORD_COMMAND_TIMEOUT = 30.0  # seconds; a keyring prompt may need a moment, a hung helper must not block


def resolve_password(cfg: ImapConfig) -> str:
    """Return the password configured by exactly one of password_env, password_command or password."""
    if cfg.password_env:
        value = os.environ.get(cfg.password_env, "")
        if not value:
            raise AuthError(
                f"imap.password_env: the environment variable {cfg.password_env} is not set or empty",
                hint=f"export {cfg.password_env}=... in the environment of the agent (e.g. the systemd unit)",
            )
        return value
    if cfg.password_command:
        return _run_password_command(cfg.password_command)
    if cfg.password:
        return cfg.password
    raise AuthError("imap: no password configured", hint="set one of password_env, password_command or password")


def _run_password_command(command: str) -> str:
    try:
        argv = shlex.split(command)
    except ValueError as exc:
        raise AuthError(f"imap.password_command: cannot be split into words ({exc})") from None
    if not argv:
        raise AuthError("imap.password_command: is empty")
    try:
        # No shell: the command is split like a shell would, but no shell features (pipes, $VARS) apply.
        done = subprocess.run(
            argv, capture_output=True, timeout=PASSWORD_COMMAND_TIMEOUT, check=False, stdin=subprocess.DEVNULL
        )
    except FileNotFoundError:
        raise AuthError(f"imap.password_command: program {argv[0]!r} not found") from None
    except PermissionError:
        raise AuthError(f"imap.password_command: program {argv[0]!r} is not executable") from None
    except subprocess.TimeoutExpired:
        raise AuthError(
            f"imap.password_command: {argv[0]!r} did not finish within {PASSWORD_COMMAND_TIMEOUT:.0f} s"
        ) from None
    if done.returncode != 0:
        # stderr is a diagnostic, not the secret (that goes to stdout), but keep it short.
        err = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = f": {err[-1][:200]}" if err else ""
        raise AuthError(f"imap.password_command: {argv[0]!r} exited with status {done.returncode}{detail}")
    try:
        text = done.stdout.decode("utf-8")
    except UnicodeDecodeError:
        raise AuthError(f"imap.password_command: {argv[0]!r} printed something that is not UTF-8") from None
    # Only the line ending goes: leading or inner spaces may be part of the password.
    password = text.rstrip("\r\n")
    if not password:
        raise AuthError(f"imap.password_command: {argv[0]!r} printed nothing")
    return password
