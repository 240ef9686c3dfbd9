"""The Gmail backend: reads through the Gmail REST API and leaves drafts with `users.drafts.create`.

Costs matter more than round trips here: every call draws on a per-user quota (messages.get is 5 units), so
listings fetch only the header fields detection needs (`format=metadata`) in batch requests, the body is
downloaded (`format=raw`) only for messages the engine asks for, and incremental scans read the history log
instead of listing the folder again.

Cursors are JSON. After a complete sync it is `{"history_id": "<id>"}`: the mailbox history id taken before
the listing, so nothing that arrives during a scan is missed. While a first sync is still going on, the batches
carry `{"resume_after": <epoch seconds>}` so an interrupted first sync resumes where it stopped.

With `[drafting] mark_threads`, a label (threads.modify, which needs the gmail.modify scope) shows the threads
where a follow-up draft waits.

The backend never sends mail: no code here calls `messages.send` or `drafts.send`.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy as email_policy
from email.message import EmailMessage
from functools import partial
from typing import Any

import httplib2
from google.auth.exceptions import RefreshError, TransportError
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from googleapiclient.http import BatchHttpRequest

from agent.config import GmailConfig
from agent.errors import AuthError, BackendError, MessageGoneError
from agent.mail.base import KEY_HEADER, Listing, MailBackend, MarkTarget, SyncBatch
from agent.mail.gmail_auth import auth_error_from_refresh
from agent.models import FolderRole

log = logging.getLogger(__name__)

LABELS: dict[FolderRole, str] = {
    FolderRole.INBOX: "INBOX",
    FolderRole.SENT: "SENT",
    FolderRole.DRAFTS: "DRAFT",
}

# Every header detection and the engine look at; Gmail returns only these with format=metadata.
METADATA_HEADERS: tuple[str, ...] = (
    "From",
    "To",
    "Cc",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    "In-Reply-To",
    "References",
    "Content-Type",
    "Auto-Submitted",
    "X-Autoreply",
    "X-Autorespond",
    "Precedence",
    "List-Id",
    "List-Unsubscribe",
    KEY_HEADER,
    "Return-Path",
    "X-Auto-Response-Suppress",
)

MAX_BATCH = 50  # Google advises against batches above 50: they trip the rate limiter
# Gmail allows 15,000 quota units per user per minute (https://developers.google.com/gmail/api/reference/quota).
# Batches are paced by a token bucket that holds one batch of 50 messages.get (250 units) and refills so that
# the burst plus a minute's refill stays within the limit: no sliding minute ever sees more than 15,000 units,
# instead of a first sync firing batches back to back into a wall of 429s. 1 % is left for the single calls,
# which are not paced (a listing page of 500 ids costs 5 units and leads to 2,500 units of gets).
USER_UNITS_PER_MINUTE = 15_000
BURST_UNITS = 250.0
USER_UNITS_PER_SECOND = (USER_UNITS_PER_MINUTE * 0.99 - BURST_UNITS) / 60
_BATCH_UNITS = {"messages.get": 5, "drafts.get": 5}
LIST_PAGE_SIZE = 500  # the maximum messages.list accepts; fewer pages, fewer quota units
LARGE_MESSAGE_BYTES = 5 * 1024 * 1024  # above this, fetch only the text parts instead of the raw message
MAX_TEXT_ATTACHMENT_BYTES = 2 * 1024 * 1024  # a text/* attachment larger than this is not worth the quota

_RATE_LIMIT_REASONS = frozenset({"rateLimitExceeded", "userRateLimitExceeded"})
_AUTH_403_REASONS = frozenset({"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT", "authError"})


class _HistoryExpired(Exception):
    """history.list answered 404: the saved history id is older than what Gmail keeps (about a week)."""


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try again after a rate limit, a server error or a network fault."""

    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 32.0
    max_total_wait: float = 120.0  # a scan gives up and retries next time rather than hang for minutes


@dataclass
class _Failure:
    """A retryable failure of one call: what happened, and how long the server asked us to wait."""

    what: str
    retry_after: float | None = None


class GmailBackend(MailBackend):
    """A Gmail mailbox over the REST API. Folder roles map to the system labels INBOX, SENT and DRAFT."""

    name = "gmail"

    def __init__(
        self,
        credentials: Any,
        *,
        api_endpoint: str = "",
        batch_size: int = MAX_BATCH,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        jitter: Callable[[], float] = random.random,
        on_close: Callable[[Any], None] | None = None,
        http: Any = None,
        max_units_per_second: float | None = USER_UNITS_PER_SECOND,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._credentials = credentials
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._jitter = jitter
        self._on_close = on_close
        self._batch_size = max(1, min(batch_size, MAX_BATCH))
        self._api_endpoint = api_endpoint
        kwargs: dict[str, Any] = {"static_discovery": True, "cache_discovery": False}
        if http is not None:
            kwargs["http"] = http
        else:
            kwargs["credentials"] = credentials
        if api_endpoint:
            kwargs["client_options"] = {"api_endpoint": api_endpoint}
        self._service = build("gmail", "v1", **kwargs)
        self._sizes: dict[str, int] = {}  # message id -> sizeEstimate seen in listings, to pick the fetch format
        self._dates: dict[str, int] = {}  # message id -> internalDate (ms), for the resume cursor of a first sync
        self._draft_keys: dict[tuple[str, str], str | None] = {}  # (draft id, message id) -> key header
        self._initial_token = getattr(credentials, "token", None)
        self._rate = max_units_per_second
        self._clock = clock
        self._bucket = BURST_UNITS if max_units_per_second else 0.0  # unused units; refills at _rate, up to BURST_UNITS
        self._bucket_at = clock()
        self._label_ids: dict[str, str] = {}  # label name (case-folded) -> id, for mark_thread

    @classmethod
    def from_config(cls, cfg: GmailConfig, **kwargs: Any) -> GmailBackend:
        """Load (and if needed refresh) the saved token, and connect to Gmail or to `cfg.api_endpoint`."""
        from agent.mail.gmail_auth import load_credentials, save_credentials

        credentials = load_credentials(cfg)

        def persist(creds: Any) -> None:
            save_credentials(cfg, creds)

        return cls(credentials, api_endpoint=cfg.api_endpoint, batch_size=cfg.batch_size, on_close=persist, **kwargs)

    def close(self) -> None:
        # The client library refreshes the access token on its own during long runs; keep the newest one so the
        # next start does not need a refresh round trip. Only the token changes: the refresh token stays.
        token = getattr(self._credentials, "token", None)
        if self._on_close is not None and token and token != self._initial_token:
            try:
                self._on_close(self._credentials)
            except OSError as exc:
                log.warning("could not save the refreshed Gmail token: %s", exc)
        self._service.close()

    # ------------------------------------------------------------------------------------------------ listing

    def list_new(self, folder: FolderRole, cursor: str | None, since: datetime) -> Iterator[SyncBatch]:
        label = LABELS[folder]
        state = _parse_cursor(cursor)
        history_id = state.get("history_id")
        if history_id is None:
            resume = state.get("resume_after")
            start = since if resume is None else max(since, datetime.fromtimestamp(int(resume), UTC))
            yield from self._full_sync(folder, label, start)
            return
        try:
            ids, new_history_id = self._history(label, str(history_id))
        except _HistoryExpired:
            log.info("the Gmail history of %s expired; listing the folder again from %s", folder, since)
            yield from self._full_sync(folder, label, since)
            return
        log.debug("history of %s: %d new message(s)", folder, len(ids))
        # Until the last batch the old cursor stays valid: reading the history again only repeats messages,
        # which the engine recognises.
        old = cursor or _dump_cursor({"history_id": str(history_id)})
        new = _dump_cursor({"history_id": new_history_id})
        yield from self._emit(folder, ids, lambda _items, last: new if last else old)

    def _full_sync(self, folder: FolderRole, label: str, since: datetime) -> Iterator[SyncBatch]:
        # The history id comes first: anything arriving while we list shows up in the next incremental sync.
        profile = self._call(lambda: self._users.getProfile(userId="me"), "getProfile")
        history_id = str(profile["historyId"])
        ids: list[str] = []
        page_token: str | None = None
        after = max(0, int(since.timestamp()))
        while True:
            params: dict[str, Any] = {
                "userId": "me",
                "labelIds": [label],
                "q": f"after:{after}",
                "maxResults": LIST_PAGE_SIZE,
            }
            if page_token:
                params["pageToken"] = page_token
            page = self._call(partial(self._users.messages().list, **params), "messages.list")
            ids.extend(m["id"] for m in page.get("messages", ()))
            page_token = page.get("nextPageToken")
            if not page_token:
                break
        ids = list(dict.fromkeys(reversed(ids)))  # Gmail lists newest first; process in the order they came
        log.debug("first sync of %s: %d message(s) since %s", folder, len(ids), since.date())
        final = _dump_cursor({"history_id": history_id})

        def cursor_for(items: Sequence[Listing], last: bool) -> str:
            if last:
                return final
            # Listing is oldest first, so everything up to this batch's newest message is done; one second of
            # overlap because `after:` has second granularity (repeats are recognised by the engine).
            newest = max((self._dates.get(i.ref, 0) for i in items), default=0) // 1000
            return _dump_cursor({"resume_after": max(after, newest - 1)})

        yield from self._emit(folder, ids, cursor_for)

    def _emit(
        self, folder: FolderRole, ids: Sequence[str], cursor_for: Callable[[Sequence[Listing], bool], str]
    ) -> Iterator[SyncBatch]:
        if not ids:
            yield SyncBatch(folder=folder, items=(), cursor=cursor_for((), True))
            return
        chunks = [ids[i : i + self._batch_size] for i in range(0, len(ids), self._batch_size)]
        for n, chunk in enumerate(chunks):
            found = self._get_many(
                chunk,
                lambda mid: self._users.messages().get(
                    userId="me", id=mid, format="metadata", metadataHeaders=list(METADATA_HEADERS)
                ),
                "messages.get",
            )
            items = tuple(_listing(found[mid]) for mid in chunk if mid in found)
            for mid in chunk:
                if mid in found:
                    self._sizes[mid] = int(found[mid].get("sizeEstimate") or 0)
                    self._dates[mid] = int(found[mid].get("internalDate") or 0)
            yield SyncBatch(folder, items, cursor_for(items, n == len(chunks) - 1), total=len(ids))

    def _history(self, label: str, start: str) -> tuple[list[str], str]:
        ids: dict[str, None] = {}
        page_token: str | None = None
        latest = start
        while True:
            params: dict[str, Any] = {
                "userId": "me",
                "startHistoryId": start,
                "labelId": label,
                # labelAdded too: a message archived and moved back, or a draft the user sent from Gmail, can
                # join a label without a new message being added. Same call, same cost.
                "historyTypes": ["messageAdded", "labelAdded"],
                "maxResults": LIST_PAGE_SIZE,
            }
            if page_token:
                params["pageToken"] = page_token
            try:
                page = self._call(partial(self._users.history().list, **params), "history.list")
            except HttpError as exc:
                if _status(exc) == 404:
                    raise _HistoryExpired() from None
                raise
            for record in page.get("history", ()):
                for added in record.get("messagesAdded", ()):
                    ids.setdefault(added["message"]["id"], None)
                for added in record.get("labelsAdded", ()):
                    if label in added.get("labelIds", ()):
                        ids.setdefault(added["message"]["id"], None)
            latest = str(page.get("historyId") or latest)
            page_token = page.get("nextPageToken")
            if not page_token:
                break
        return list(ids), latest

    # ------------------------------------------------------------------------------------------------ fetching

    def fetch(self, folder: FolderRole, ref: str) -> bytes:
        size = self._sizes.get(ref)
        if size is None or size > LARGE_MESSAGE_BYTES:
            # Without a size from the listing, ask for it (5 units) rather than risk a huge raw download.
            if size is None:
                minimal = self._get_or_missing(
                    lambda: self._users.messages().get(userId="me", id=ref, format="minimal"), ref
                )
                size = int(minimal.get("sizeEstimate") or 0)
            if size > LARGE_MESSAGE_BYTES:
                return self._fetch_text_parts(ref)
        message = self._get_or_missing(lambda: self._users.messages().get(userId="me", id=ref, format="raw"), ref)
        return _b64decode(message.get("raw", ""))

    def _get_or_missing(self, make: Callable[[], Any], ref: str) -> dict[str, Any]:
        try:
            result: dict[str, Any] = self._call(make, "messages.get")
        except HttpError as exc:
            if _status(exc) == 404:
                # Deleted between listing and download: the engine skips it instead of aborting the scan.
                raise MessageGoneError(f"Gmail message {ref} no longer exists") from None
            raise _unexpected(exc, "messages.get") from None
        return result

    def _fetch_text_parts(self, ref: str) -> bytes:
        """Rebuild a large message from its headers and its text and calendar parts only."""
        message = self._get_or_missing(lambda: self._users.messages().get(userId="me", id=ref, format="full"), ref)
        payload = message.get("payload", {})
        parts: list[tuple[list[dict[str, str]], bytes]] = []
        for part in _walk_parts(payload):
            mime = str(part.get("mimeType", "")).lower()
            if not mime.startswith("text/"):
                continue
            body = part.get("body", {})
            if "data" in body:
                data = _b64decode(body["data"])
            elif body.get("attachmentId") and int(body.get("size") or 0) <= MAX_TEXT_ATTACHMENT_BYTES:
                get_attachment = partial(
                    self._users.messages().attachments().get, userId="me", messageId=ref, id=body["attachmentId"]
                )
                attachment = self._call(get_attachment, "messages.attachments.get")
                data = _b64decode(attachment.get("data", ""))
            else:
                continue
            parts.append((part.get("headers", []), data))
        return _rebuild(payload.get("headers", []), parts)

    # ------------------------------------------------------------------------------------------------ drafts

    def create_draft(self, draft: EmailMessage, thread_id: str | None = None) -> str:
        raw = base64.urlsafe_b64encode(draft.as_bytes(policy=email_policy.SMTP)).decode("ascii")
        message: dict[str, Any] = {"raw": raw}
        if thread_id:
            message["threadId"] = thread_id
        key = draft.get(KEY_HEADER)
        ambiguous = False

        def attempt() -> Any:
            nonlocal ambiguous
            if ambiguous and key:
                # An earlier attempt failed in a way that may have created the draft after all (a 5xx or a
                # dropped connection): look before creating a second one.
                existing = self.find_drafts().get(str(key))
                if existing:
                    return {"id": existing}
            ambiguous = True
            return self._users.drafts().create(userId="me", body={"message": message})

        created = self._call(attempt, "drafts.create")
        draft_id = str(created["id"])
        log.info("left Gmail draft %s%s", draft_id, f" in thread {thread_id}" if thread_id else "")
        return draft_id

    def find_drafts(self) -> dict[str, str]:
        listed: list[tuple[str, str]] = []
        page_token: str | None = None
        while True:
            params: dict[str, Any] = {"userId": "me", "maxResults": LIST_PAGE_SIZE}
            if page_token:
                params["pageToken"] = page_token
            page = self._call(partial(self._users.drafts().list, **params), "drafts.list")
            listed.extend((d["id"], d.get("message", {}).get("id", "")) for d in page.get("drafts", ()))
            page_token = page.get("nextPageToken")
            if not page_token:
                break
        # A draft's message id changes whenever it is edited, so (draft id, message id) pins the content and
        # the key read earlier can be reused without another 5-unit drafts.get.
        unknown = [d for d, m in listed if (d, m) not in self._draft_keys]
        if unknown:
            found = self._get_many(
                unknown, lambda did: self._users.drafts().get(userId="me", id=did, format="metadata"), "drafts.get"
            )
            for did, result in found.items():
                mid = result.get("message", {}).get("id", "")
                self._draft_keys[(did, mid)] = _header(result.get("message", {}), KEY_HEADER)
        keys: dict[str, str] = {}
        for did, mid in listed:
            key = self._draft_keys.get((did, mid))
            if key is None:
                # Listed by id only (the metadata may have a newer message id after an edit in between).
                key = next((k for (d, _m), k in self._draft_keys.items() if d == did and k), None)
            if key:
                keys.setdefault(key, did)
        return keys

    # ------------------------------------------------------------------------------------------------ marks

    def mark_thread(self, target: MarkTarget, label: str) -> None:
        if not target.thread_id:
            return
        label_id = self._label_id(label, create=True)
        assert label_id is not None
        self._modify_thread(target.thread_id, {"addLabelIds": [label_id]})

    def unmark_thread(self, target: MarkTarget, label: str) -> None:
        if not target.thread_id:
            return
        label_id = self._label_id(label, create=False)
        if label_id is not None:  # the user deleted the label: nothing carries it any more
            self._modify_thread(target.thread_id, {"removeLabelIds": [label_id]})

    def _modify_thread(self, thread_id: str, body: dict[str, list[str]]) -> None:
        try:
            self._call(lambda: self._users.threads().modify(userId="me", id=thread_id, body=body), "threads.modify")
        except HttpError as exc:
            if _status(exc) != 404:
                raise _unexpected(exc, "threads.modify") from None
            log.info("Gmail thread %s is gone; nothing to (un)mark", thread_id)

    def _label_id(self, name: str, *, create: bool) -> str | None:
        """The id of the user's label `name` (Gmail compares label names without case), created if asked."""
        wanted = name.casefold()
        if wanted not in self._label_ids:
            listed = self._call(lambda: self._users.labels().list(userId="me"), "labels.list")
            for item in listed.get("labels", ()):
                self._label_ids.setdefault(str(item.get("name", "")).casefold(), str(item["id"]))
        if wanted in self._label_ids or not create:
            return self._label_ids.get(wanted)
        body = {"name": name, "labelListVisibility": "labelShow", "messageListVisibility": "show"}
        try:
            created = self._call(lambda: self._users.labels().create(userId="me", body=body), "labels.create")
        except BackendError:
            # 409 "Label name exists or conflicts": made meanwhile (another client), or a system label's name.
            self._label_ids.pop(wanted, None)
            listed = self._call(lambda: self._users.labels().list(userId="me"), "labels.list")
            found = {str(i.get("name", "")).casefold(): str(i["id"]) for i in listed.get("labels", ())}
            if wanted not in found:
                raise
            created = {"id": found[wanted]}
        self._label_ids[wanted] = str(created["id"])
        log.info("created the Gmail label %r for threads with a waiting follow-up", name)
        return self._label_ids[wanted]

    def draft_exists(self, draft_id: str) -> bool:
        try:
            self._call(lambda: self._users.drafts().get(userId="me", id=draft_id, format="minimal"), "drafts.get")
        except HttpError as exc:
            if _status(exc) == 404:
                return False
            raise _unexpected(exc, "drafts.get") from None
        return True

    # ------------------------------------------------------------------------------------------------ calls

    @property
    def _users(self) -> Any:
        return self._service.users()

    def _call(self, make: Callable[[], Any], what: str) -> Any:
        """Run one API call with bounded, jittered retries. A 404 is returned to the caller as HttpError."""
        attempt = 0
        waited = 0.0
        while True:
            attempt += 1
            try:
                request = make()
                if isinstance(request, dict):
                    return request
                return request.execute(num_retries=0)
            except HttpError as exc:
                failure = self._classify(exc, what)
                if failure is None:
                    if _status(exc) == 404:
                        raise
                    raise _unexpected(exc, what) from None
            except RefreshError as exc:
                raise auth_error_from_refresh(exc) from None
            except (OSError, httplib2.HttpLib2Error, TransportError) as exc:  # socket timeouts are OSErrors
                failure = _Failure(f"network error: {type(exc).__name__}: {exc}")
            waited += self._wait(failure, attempt, waited, what)

    def _classify(self, exc: HttpError, what: str) -> _Failure | None:
        """A retryable failure, or None when retrying cannot help. Raises AuthError for refused credentials."""
        status = _status(exc)
        reason = _reason(exc)
        if status == 401:
            raise AuthError(
                f"Gmail refused the access token ({what}: {reason or 'unauthenticated'})",
                hint="run `followup-agent auth` again",
            )
        if status == 403 and reason in _AUTH_403_REASONS:
            raise AuthError(
                f"Gmail refused {what}: the saved authorisation lacks a permission ({reason})",
                hint="run `followup-agent auth` again and allow reading mail and managing drafts",
            )
        if status == 429 or (status == 403 and reason in _RATE_LIMIT_REASONS) or status >= 500:
            return _Failure(f"HTTP {status} {reason}".strip(), _retry_after(exc.resp))
        return None

    def _wait(self, failure: _Failure, attempt: int, waited: float, what: str) -> float:
        """Sleep before the next attempt, or raise BackendError when the attempts or the time are used up."""
        policy = self._retry
        if attempt >= policy.max_attempts:
            raise BackendError(f"Gmail {what} failed {attempt} times, last: {failure.what}")
        backoff = min(policy.max_delay, policy.base_delay * 2 ** (attempt - 1))
        delay = backoff * (0.5 + self._jitter() / 2)  # jitter, so parallel clients do not retry in lockstep
        if failure.retry_after is not None:
            # The server's word is a floor; a little jitter on top of it.
            delay = failure.retry_after + self._jitter() * min(1.0, policy.base_delay)
        if waited + delay > policy.max_total_wait:
            raise BackendError(
                f"Gmail {what} still failing after waiting {waited:.0f}s, last: {failure.what}",
                hint="the next scan tries again",
            )
        log.info("Gmail %s: %s; retrying in %.1fs (attempt %d)", what, failure.what, delay, attempt + 1)
        self._sleep(delay)
        return delay

    def _pace(self, units: float) -> None:
        """Wait until spending `units` keeps us under the per-user quota rate (a token bucket)."""
        if not self._rate:
            return
        now = self._clock()
        self._bucket = min(BURST_UNITS, self._bucket + (now - self._bucket_at) * self._rate)
        self._bucket_at = now
        deficit = units - self._bucket
        if deficit > 0:
            self._sleep(deficit / self._rate)
            self._bucket = 0.0
            self._bucket_at = self._clock()
        else:
            self._bucket -= units

    def _new_batch(self, callback: Callable[[str, Any, Exception | None], None]) -> BatchHttpRequest:
        if self._api_endpoint:
            # The client library builds the batch URL from the discovery document's rootUrl, which ignores
            # api_endpoint; Gmail's documented batch path is /batch/gmail/v1.
            return BatchHttpRequest(callback=callback, batch_uri=self._api_endpoint.rstrip("/") + "/batch/gmail/v1")
        return self._service.new_batch_http_request(callback=callback)

    def _get_many(self, ids: Iterable[str], make: Callable[[str], Any], what: str) -> dict[str, dict[str, Any]]:
        """Run `make(id)` for every id in batch requests; retry the sub-requests that failed transiently.

        Ids that answer 404 (deleted in the meantime) are left out of the result.
        """
        results: dict[str, dict[str, Any]] = {}
        pending = list(dict.fromkeys(ids))
        attempt = 0
        waited = 0.0
        while pending:
            attempt += 1
            failures: dict[str, _Failure] = {}
            for start in range(0, len(pending), self._batch_size):
                chunk = pending[start : start + self._batch_size]
                failures.update(self._run_batch(chunk, make, what, results))
            if not failures:
                return results
            pending = [i for i in pending if i in failures]
            # Wait as long as the most demanding sub-response asked.
            worst = max(failures.values(), key=lambda f: f.retry_after or 0.0)
            worst.what = f"{len(failures)} of the batch: {worst.what}"
            waited += self._wait(worst, attempt, waited, what)
        return results

    def _run_batch(
        self, chunk: Sequence[str], make: Callable[[str], Any], what: str, results: dict[str, dict[str, Any]]
    ) -> dict[str, _Failure]:
        failures: dict[str, _Failure] = {}
        fatal: list[BaseException] = []

        def callback(request_id: str, response: Any, exception: Exception | None) -> None:
            if exception is None:
                results[request_id] = response
                return
            if isinstance(exception, HttpError):
                if _status(exception) == 404:
                    return  # deleted since it was listed
                try:
                    failure = self._classify(exception, what)
                except AuthError as exc:
                    fatal.append(exc)
                    return
                if failure is None:
                    fatal.append(_unexpected(exception, what))
                else:
                    failures[request_id] = failure
                return
            fatal.append(exception)

        def execute() -> dict[str, Any]:
            failures.clear()
            fatal.clear()
            batch = self._new_batch(callback)
            for item in chunk:
                batch.add(make(item), request_id=item)
            batch.execute()
            return {}

        self._pace(_BATCH_UNITS.get(what, 5) * len(chunk))
        # The batch request as a whole can fail too (429 or 5xx on the outer request): retry it like any call.
        self._call(execute, f"{what} (batch)")
        if fatal:
            first = fatal[0]
            if isinstance(first, AuthError | BackendError):
                raise first
            raise BackendError(f"Gmail {what} failed: {type(first).__name__}: {first}")
        return failures


# ---------------------------------------------------------------------------------------------------- helpers


def _parse_cursor(cursor: str | None) -> dict[str, Any]:
    if not cursor:
        return {}
    try:
        data = json.loads(cursor)
    except ValueError:
        log.warning("ignoring an unreadable Gmail cursor; listing the folder again")
        return {}
    return data if isinstance(data, dict) else {}


def _dump_cursor(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


def _status(exc: HttpError) -> int:
    try:
        return int(exc.resp.status)
    except (AttributeError, TypeError, ValueError):
        return 0


def _reason(exc: HttpError) -> str:
    """The machine-readable reason of a Google API error (`rateLimitExceeded`, ...), or ""."""
    try:
        content = exc.content.decode("utf-8") if isinstance(exc.content, bytes) else str(exc.content)
        error = json.loads(content).get("error", {})
    except (ValueError, AttributeError):
        return ""
    if not isinstance(error, dict):
        return str(error)
    for detail in error.get("errors") or ():
        if isinstance(detail, dict) and detail.get("reason"):
            return str(detail["reason"])
    for detail in error.get("details") or ():
        if isinstance(detail, dict) and detail.get("reason"):
            return str(detail["reason"])
    return str(error.get("status") or "")


def _retry_after(resp: Any) -> float | None:
    value = None
    try:
        value = resp.get("retry-after")
    except AttributeError:
        return None
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        # An HTTP date: rarely used by Google; treat it as "a little while".
        from email.utils import parsedate_to_datetime

        try:
            when = parsedate_to_datetime(str(value))
        except (TypeError, ValueError):
            return None
        return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _unexpected(exc: HttpError, what: str) -> BackendError:
    return BackendError(f"Gmail {what} failed: HTTP {_status(exc)} {_reason(exc)}".rstrip())


def _b64decode(data: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(data + "=" * (-len(data) % 4))
    except (binascii.Error, ValueError) as exc:
        raise BackendError(f"Gmail returned undecodable message data ({exc})") from None


def _header(message: dict[str, Any], name: str) -> str | None:
    wanted = name.lower()
    for header in message.get("payload", {}).get("headers", ()):
        if str(header.get("name", "")).lower() == wanted:
            return str(header.get("value", ""))
    return None


def _clean(value: str) -> str:
    # Header values from the API are unfolded; a stray CR or LF would break the reconstructed header block.
    return value.replace("\r", " ").replace("\n", " ")


def _listing(message: dict[str, Any]) -> Listing:
    lines = [
        f"{_clean(str(h.get('name', '')))}: {_clean(str(h.get('value', '')))}\r\n"
        for h in message.get("payload", {}).get("headers", ())
        if h.get("name")
    ]
    headers = ("".join(lines) + "\r\n").encode("utf-8", "surrogateescape")
    return Listing(ref=str(message["id"]), headers=headers, thread_id=message.get("threadId"))


def _walk_parts(part: dict[str, Any]) -> Iterator[dict[str, Any]]:
    children = part.get("parts") or ()
    if not children:
        yield part
    for child in children:
        yield from _walk_parts(child)


_PART_HEADERS = frozenset({"content-type", "content-transfer-encoding", "content-disposition", "content-id"})
_TOP_SKIP = _PART_HEADERS | {"mime-version"}


def _rebuild(headers: Sequence[dict[str, str]], parts: Sequence[tuple[list[dict[str, str]], bytes]]) -> bytes:
    """A multipart/mixed message with the original top-level headers and the given decoded parts."""
    boundary = f"=_followup_{uuid.uuid4().hex}"
    out: list[bytes] = []
    for h in headers:
        if str(h.get("name", "")).lower() not in _TOP_SKIP:
            out.append(f"{_clean(h['name'])}: {_clean(h.get('value', ''))}\r\n".encode("utf-8", "surrogateescape"))
    out.append(b"MIME-Version: 1.0\r\n")
    out.append(f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'.encode("ascii"))
    for part_headers, data in parts:
        out.append(f"--{boundary}\r\n".encode("ascii"))
        content_type = next(
            (h.get("value", "") for h in part_headers if str(h.get("name", "")).lower() == "content-type"),
            "text/plain",
        )
        out.append(f"Content-Type: {_clean(content_type)}\r\n".encode("utf-8", "surrogateescape"))
        disposition = next(
            (h.get("value", "") for h in part_headers if str(h.get("name", "")).lower() == "content-disposition"),
            None,
        )
        if disposition:
            out.append(f"Content-Disposition: {_clean(disposition)}\r\n".encode("utf-8", "surrogateescape"))
        out.append(b"Content-Transfer-Encoding: base64\r\n\r\n")
        encoded = base64.encodebytes(data).replace(b"\n", b"\r\n")
        out.append(encoded)
    out.append(f"--{boundary}--\r\n".encode("ascii"))
    return b"".join(out)
