"""OAuth for the Gmail backend: the one-off consent flow and loading (and refreshing) the saved token.

The agent asks for exactly two scopes: reading mail and composing drafts. `gmail.compose` would also allow
sending, but the agent has no code path that sends (a static test guards that); there is no narrower scope that
allows creating drafts. Only with `[drafting] mark_threads` on does it ask for a third, `gmail.modify`, which
labels need (it would allow changing and trashing mail too; the agent only adds and removes its own label).

The token file holds a refresh token, which is as good as a password for the mailbox, so it is written
atomically with mode 0600 and its contents are never logged.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from google.auth.exceptions import RefreshError, TransportError
from google.auth.transport.requests import Request
from google.oauth2.credentials import Credentials

from agent.config import GmailConfig
from agent.errors import AuthError, BackendError, ConfigError
from agent.private import private_dir

log = logging.getLogger(__name__)

SCOPES: tuple[str, ...] = (
    "https://www.googleapis.com/auth/gmail.readonly",
    "https://www.googleapis.com/auth/gmail.compose",
)

# Adding and removing a label on a thread (threads.modify) and creating that label need this scope.
MODIFY_SCOPE = "https://www.googleapis.com/auth/gmail.modify"


def api_scopes(mark_threads: bool) -> tuple[str, ...]:
    """The Gmail API scopes to ask for: gmail.modify only when the user turned `[drafting] mark_threads` on."""
    return (*SCOPES, MODIFY_SCOPE) if mark_threads else SCOPES


# With --no-browser the user forwards the redirect port over SSH, so it has to be known in advance.
DEFAULT_NO_BROWSER_PORT = 8765
# Gmail's IMAP accepts XOAUTH2 only with the full mail scope; asked for only by `followup-agent auth --imap`.
IMAP_SCOPES: tuple[str, ...] = ("https://mail.google.com/",)

INVALID_GRANT_MESSAGE = (
    "Gmail refused the saved authorisation (invalid_grant): it was revoked, or it expired — apps left in "
    "'Testing' mode get tokens that expire after 7 days. Run `followup-agent auth` again."
)

_NO_BROWSER_PROMPT = (
    "Open this URL in a browser on your own computer to let followup-agent read your mail and write drafts:\n\n"
    "    {url}\n\n"
    "The browser is sent back to http://localhost:{port}/ when you agree. If followup-agent runs on another "
    "machine, first forward that port from your computer with:\n\n"
    "    ssh -L {port}:localhost:{port} <this server>\n"
)


def write_token(path: Path, data: str) -> None:
    """Replace `path` with `data` atomically; the file is created with mode 0600 and never exists half-written.

    The temporary file is created in the same directory (so `os.replace` is a rename on one file system) with
    `os.open(..., 0o600)`, so the secret is never readable by others, not even for a moment.
    """
    path = path.expanduser()
    private_dir(path.parent)
    # A fresh random name with O_EXCL: never follows or reuses a file someone else put there.
    tmp_name = str(path.parent / f".{path.name}.{secrets.token_hex(8)}.tmp")
    fd = os.open(tmp_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o600)  # umask can only remove bits, but a tight mode must not depend on it
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


def auth_error_from_refresh(exc: RefreshError) -> AuthError:
    """Turn a failed token refresh into the error a person can act on."""
    if "invalid_grant" in str(exc):
        return AuthError(INVALID_GRANT_MESSAGE)
    # The description from Google's token endpoint names the problem without echoing any secret.
    return AuthError(
        f"Gmail refused to refresh the saved authorisation ({exc.args[0] if exc.args else 'no details'}).",
        hint="run `followup-agent auth` again",
    )


def run_auth_flow(
    cfg: GmailConfig,
    *,
    no_browser: bool,
    port: int = 0,
    timeout_seconds: int | None = 600,
    scopes: tuple[str, ...] = SCOPES,
    token_path: Path | None = None,
) -> Path:
    """Ask the user for consent in a browser and save the resulting token to `cfg.token`; return that path.

    With `no_browser` nothing is opened: the URL is printed together with the `ssh -L` command that forwards
    the redirect port, which is then fixed (`DEFAULT_NO_BROWSER_PORT` unless `port` says otherwise).
    """
    from google_auth_oauthlib.flow import InstalledAppFlow

    secrets_path = cfg.client_secrets.expanduser()
    if not secrets_path.is_file():
        raise ConfigError(
            f"gmail.client_secrets: no such file {secrets_path}",
            hint="create an OAuth client of type 'Desktop app' in the Google Cloud console, download its JSON "
            "and point gmail.client_secrets at it",
        )
    try:
        flow = InstalledAppFlow.from_client_secrets_file(str(secrets_path), scopes=list(scopes))
    except (ValueError, KeyError, json.JSONDecodeError) as exc:
        raise ConfigError(
            f"gmail.client_secrets: {secrets_path} is not the OAuth client JSON of a Desktop app ({exc})"
        ) from None
    if no_browser and port == 0:
        port = DEFAULT_NO_BROWSER_PORT
    kwargs: dict[str, Any] = {
        "port": port,
        "access_type": "offline",  # a refresh token, so the daemon keeps working without the user
        "prompt": "consent",  # Google only returns a refresh token again when consent is asked again
        "open_browser": not no_browser,
        "timeout_seconds": timeout_seconds,
    }
    if no_browser:
        kwargs["authorization_prompt_message"] = _NO_BROWSER_PROMPT.replace("{port}", str(port))
    try:
        credentials = flow.run_local_server(**kwargs)
    except OSError as exc:
        raise AuthError(
            f"could not listen on localhost:{port} for Google's redirect ({exc})",
            hint="choose another port with --port",
        ) from None
    except Exception as exc:  # oauthlib raises many unrelated types; none of them carry secrets in the name
        raise AuthError(f"the Google authorisation did not complete ({type(exc).__name__}: {exc})") from None
    _check_scopes(credentials, scopes)
    target = token_path or cfg.token
    write_token(target, credentials.to_json())
    log.info("saved the Google authorisation to %s", target)
    return target.expanduser()


def _check_scopes(credentials: Credentials, wanted: tuple[str, ...] = SCOPES) -> None:
    granted = set(credentials.scopes or ()) | set(getattr(credentials, "granted_scopes", None) or ())
    missing = [s for s in wanted if granted and s not in granted]
    if missing:
        raise AuthError(
            f"the saved Gmail authorisation lacks {', '.join(missing)}",
            hint="run `followup-agent auth` again and tick every permission on Google's consent page",
        )


def credentials_from_info(info: dict[str, Any], *, custom_token_uri: bool = False) -> Credentials:
    """Credentials from the authorized-user JSON of a token file.

    google-auth ignores the file's `token_uri` and always refreshes at Google's endpoint (so a planted file
    cannot send the refresh token elsewhere). Only when the config points the API at a test server
    (`gmail.api_endpoint`) is the file's `token_uri` honoured, so the refresh goes to that server's fake too.
    """
    credentials = Credentials.from_authorized_user_info(info)
    token_uri = info.get("token_uri")
    if custom_token_uri and isinstance(token_uri, str) and token_uri:
        credentials = Credentials(
            token=credentials.token,
            refresh_token=credentials.refresh_token,
            token_uri=token_uri,
            client_id=credentials.client_id,
            client_secret=credentials.client_secret,
            scopes=credentials.scopes,
            expiry=credentials.expiry,
        )
    return credentials


def load_credentials(cfg: GmailConfig, *, request_factory: Callable[[], Any] = Request) -> Credentials:
    """Load the saved token, refreshing (and saving again) the access token when it has expired."""
    path = cfg.token.expanduser()
    if not path.is_file():
        hint = "run `followup-agent auth` to authorise followup-agent for your Gmail account"
        if not cfg.client_secrets.expanduser().is_file():
            hint += f" (it needs the OAuth client JSON at {cfg.client_secrets}, which does not exist yet)"
        raise AuthError(f"no saved Gmail authorisation at {path}", hint=hint)
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        credentials = credentials_from_info(info, custom_token_uri=bool(cfg.api_endpoint))
    except (OSError, ValueError) as exc:
        # ValueError covers bad JSON and missing fields; its message names the fields, never their values.
        raise AuthError(
            f"the saved Gmail authorisation at {path} is unreadable ({type(exc).__name__})",
            hint="run `followup-agent auth` again",
        ) from None
    _check_scopes(credentials)
    if not credentials.valid:
        try:
            credentials.refresh(request_factory())
        except RefreshError as exc:
            raise auth_error_from_refresh(exc) from None
        except TransportError as exc:
            raise BackendError(f"could not reach Google to refresh the Gmail authorisation ({exc})") from None
        save_credentials(cfg, credentials)
    return credentials


def save_credentials(cfg: GmailConfig, credentials: Credentials) -> None:
    """Persist refreshed credentials, so the next start does not need a refresh round trip."""
    write_token(cfg.token, credentials.to_json())
