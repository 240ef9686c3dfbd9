"""A local fake of the Gmail REST API, good enough to run the real google-api-python-client against.

It serves, on 127.0.0.1 and a free port, the paths of the Gmail discovery document (`gmail/v1/users/{userId}/…`):
getProfile, labels.list/create, messages.list/get (+ attachments.get), threads.get/modify, history.list,
drafts.create/list/get/delete, the batch endpoint (multipart/mixed of application/http parts), an OAuth
authorisation endpoint (`/auth`, which redirects straight back with a code) and a token endpoint (`/token`).

What it adds for tests:

* quota accounting per method, with Google's published costs (`units`, `quota`);
* a log of every request path, batched or not (`requests`), and loud failure on any send endpoint
  (`send_attempts`; the send endpoints exist only to be caught);
* fault injection: a per-method queue of canned error responses (`inject`), and of errors that replace the
  answer of a call that was carried out (`lose_answers`);
* validation of drafts.create bodies against the Draft/Message schemas of the discovery document that ships
  with google-api-python-client (unknown keys, wrong types, raw that is not base64url → 400);
* history expiry (`expire_history`), and an invalid_grant switch on the token endpoint;
* user labels as Gmail keeps them: ids `Label_N`, names unique without regard to case (409 otherwise), and a
  `modify_scope` switch: off, the label-changing methods answer 403 as Gmail does to a token without gmail.modify.
"""

from __future__ import annotations

import base64
import binascii
import email
import email.policy
import email.utils
import itertools
import json
import re
import threading
import time
import urllib.parse
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage, Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import googleapiclient

DISCOVERY = json.loads(
    (Path(googleapiclient.__file__).parent / "discovery_cache" / "documents" / "gmail.v1.json").read_text()
)

# Google's published per-method quota units (https://developers.google.com/gmail/api/reference/quota).
QUOTA_UNITS: dict[str, int] = {
    "getProfile": 1,
    "labels.list": 1,
    "labels.create": 5,
    "threads.modify": 10,
    "messages.list": 5,
    "messages.get": 5,
    "messages.attachments.get": 5,
    "threads.get": 10,
    "history.list": 2,
    "drafts.create": 10,
    "drafts.list": 5,
    "drafts.get": 5,
    "drafts.delete": 10,
    "messages.send": 100,
    "drafts.send": 100,
}

SYSTEM_LABELS = ("INBOX", "SENT", "DRAFT", "SPAM", "TRASH", "UNREAD", "STARRED", "IMPORTANT")

_B64URL = re.compile(r"^[A-Za-z0-9_-]*={0,2}$")


@dataclass
class StoredMessage:
    id: str
    thread_id: str
    raw: bytes
    labels: set[str]
    internal_date: int  # epoch ms
    history_id: int

    @property
    def parsed(self) -> Message:
        return email.message_from_bytes(self.raw, policy=email.policy.compat32)


@dataclass
class HistoryRecord:
    id: int
    kind: str  # messageAdded | labelAdded | labelRemoved | messageDeleted
    message_id: str
    labels: tuple[str, ...] = ()


@dataclass
class Fault:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None


@dataclass
class RecordedRequest:
    method: str  # HTTP verb
    path: str
    query: dict[str, list[str]]
    api_method: str  # "messages.get", "batch", "token", ... or "unknown"
    batched: bool
    status: int = 0


class SendAttempted(AssertionError):
    """The code under test called a send endpoint: the one thing followup-agent must never do."""


def _error(status: int, message: str, reason: str, *, domain: str = "global", api_status: str = "") -> Fault:
    return Fault(
        status,
        {},
        {
            "error": {
                "code": status,
                "message": message,
                "errors": [{"message": message, "domain": domain, "reason": reason}],
                "status": api_status
                or {
                    400: "INVALID_ARGUMENT",
                    401: "UNAUTHENTICATED",
                    403: "PERMISSION_DENIED",
                    404: "NOT_FOUND",
                    429: "RESOURCE_EXHAUSTED",
                }.get(status, "INTERNAL"),
            }
        },
    )


def rate_limited(retry_after: int | None = 1, *, status: int = 429) -> Fault:
    """A 429 (or 403 rateLimitExceeded) the way Gmail sends it."""
    reason = "rateLimitExceeded" if status == 429 else "userRateLimitExceeded"
    fault = _error(status, "Too many concurrent requests for user", reason, domain="usageLimits")
    if retry_after is not None:
        fault.headers["Retry-After"] = str(retry_after)
    return fault


def server_error(status: int = 500) -> Fault:
    return _error(status, "Backend Error" if status != 503 else "The service is currently unavailable.", "backendError")


def _normalise_subject(subject: str) -> str:
    previous = None
    subject = subject.strip()
    while previous != subject:
        previous = subject
        subject = re.sub(r"^(re|fwd?|aw|sv)\s*:\s*", "", subject, flags=re.IGNORECASE).strip()
    return subject.lower()


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii")


class FakeGmail:
    """The mailbox state and the request handling, independent of the HTTP plumbing."""

    def __init__(self, email_address: str = "me@example.com") -> None:
        self.email_address = email_address
        self.lock = threading.RLock()
        self.messages: dict[str, StoredMessage] = {}
        self.drafts: dict[str, str] = {}  # draft id -> message id
        self.history: list[HistoryRecord] = []
        self.history_id = 1000
        self.oldest_history = 0  # history.list with a startHistoryId below this answers 404
        self.quota: Counter[str] = Counter()  # api method -> units
        self.calls: Counter[str] = Counter()  # api method -> number of calls
        self.requests: list[RecordedRequest] = []
        self.batch_sizes: list[int] = []
        self.send_attempts: list[str] = []
        self.faults: dict[str, deque[Fault]] = {}
        self.lost_answers: dict[str, deque[Fault]] = {}  # the call is carried out, then answered with the fault
        self.invalid_grant = False
        self.accepted_tokens: set[str] = set()
        self.check_tokens = False  # when on, a bearer token the fake did not issue answers 401
        self.token_requests: list[dict[str, str]] = []
        self.auth_requests: list[dict[str, str]] = []
        self.auth_codes: set[str] = set()
        self.refresh_tokens: set[str] = {"fake-refresh-token"}
        self.user_labels: dict[str, dict[str, Any]] = {}  # label id -> Label resource
        self.modify_scope = True  # False: the token lacks gmail.modify
        self._label_ids = itertools.count(1)
        # Google's per-user limit, 15,000 units per user per minute, enforced over a sliding window when set:
        # (units, window seconds). A call that would pass it answers 429 rateLimitExceeded and costs nothing.
        self.user_quota: tuple[int, float] | None = None
        self.quota_refusals = 0
        self._spent: deque[tuple[float, int]] = deque()  # (monotonic time, units) of the calls in the window
        self._ids = itertools.count(0x18C0_0000_0000_0000 // 1)
        self._threads = itertools.count(1)
        self._tokens = itertools.count(1)

    # ----------------------------------------------------------------------------------------- test helpers

    def _new_id(self) -> str:
        return f"{next(self._ids):016x}"

    def _bump(self) -> int:
        self.history_id += 1
        return self.history_id

    @property
    def units(self) -> int:
        return sum(self.quota.values())

    def reset_counters(self) -> None:
        with self.lock:
            self.quota.clear()
            self.calls.clear()
            self.requests.clear()
            self.batch_sizes.clear()

    def inject(self, api_method: str, *faults: Fault) -> None:
        """Queue error responses for the next calls of `api_method` ("messages.get", "batch", ...)."""
        with self.lock:
            self.faults.setdefault(api_method, deque()).extend(faults)

    def lose_answers(self, api_method: str, *faults: Fault) -> None:
        """The next calls of `api_method` do their work, but the client gets these faults in place of the answer:
        a draft created while its response was lost (to a 5xx of a proxy, a timeout, a cut connection)."""
        with self.lock:
            self.lost_answers.setdefault(api_method, deque()).extend(faults)

    def expire_history(self) -> None:
        """Forget all history so far, as Gmail does after about a week: old history ids then answer 404."""
        with self.lock:
            self.oldest_history = self.history_id + 1
            self.history.clear()

    def _thread_for(self, parsed: Message, labels: Iterable[str]) -> str:
        """Gmail threads a message with an earlier one it references whose subject matches."""
        refs = re.findall(r"<[^>]+>", f"{parsed.get('References', '')} {parsed.get('In-Reply-To', '')}")
        if not refs:
            return ""  # nothing to thread with; also keeps loading thousands of messages linear
        subject = _normalise_subject(str(parsed.get("Subject", "")))
        for stored in self.messages.values():
            other = stored.parsed
            if (
                other.get("Message-ID", "").strip() in refs
                and _normalise_subject(str(other.get("Subject", ""))) == subject
            ):
                return stored.thread_id
        return ""

    def insert(
        self,
        raw: bytes,
        labels: Iterable[str] = ("INBOX",),
        *,
        thread_id: str | None = None,
        internal_date: datetime | None = None,
    ) -> StoredMessage:
        """Store a message as if it arrived (or was sent); threaded like Gmail unless `thread_id` is given."""
        with self.lock:
            parsed = email.message_from_bytes(raw, policy=email.policy.compat32)
            mid = self._new_id()
            tid = thread_id or self._thread_for(parsed, labels) or mid
            if internal_date is None:
                date_header = parsed.get("Date")
                try:
                    internal_date = email.utils.parsedate_to_datetime(str(date_header)) if date_header else None
                except (TypeError, ValueError):
                    internal_date = None
            if internal_date is None:
                internal_date = datetime.now(UTC)
            hid = self._bump()
            stored = StoredMessage(mid, tid, raw, set(labels), int(internal_date.timestamp() * 1000), hid)
            self.messages[mid] = stored
            self.history.append(HistoryRecord(hid, "messageAdded", mid, tuple(stored.labels)))
            return stored

    def add_labels(self, message_id: str, *labels: str) -> None:
        with self.lock:
            stored = self.messages[message_id]
            stored.labels.update(labels)
            hid = self._bump()
            stored.history_id = hid
            self.history.append(HistoryRecord(hid, "labelAdded", message_id, labels))

    def delete_message(self, message_id: str) -> None:
        with self.lock:
            self.messages.pop(message_id, None)
            for did, mid in list(self.drafts.items()):
                if mid == message_id:
                    del self.drafts[did]
            self.history.append(HistoryRecord(self._bump(), "messageDeleted", message_id))

    def create_draft_message(self, raw: bytes, thread_id: str | None = None) -> tuple[str, StoredMessage]:
        with self.lock:
            stored = self.insert(raw, ("DRAFT",), thread_id=thread_id)
            did = f"r{next(self._ids) % 10**18}"
            self.drafts[did] = stored.id
            return did, stored

    def delete_draft(self, draft_id: str) -> bool:
        with self.lock:
            mid = self.drafts.pop(draft_id, None)
            if mid is None:
                return False
            self.messages.pop(mid, None)
            self.history.append(HistoryRecord(self._bump(), "messageDeleted", mid))
            return True

    def draft_raws(self) -> dict[str, bytes]:
        with self.lock:
            return {did: self.messages[mid].raw for did, mid in self.drafts.items()}

    def requests_for(self, api_method: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.api_method == api_method]

    def issue_access_token(self) -> str:
        token = f"fake-access-{next(self._tokens)}"
        self.accepted_tokens.add(token)
        return token

    # ----------------------------------------------------------------------------------------- dispatching

    _ROUTES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
        (verb, re.compile(pattern), name)
        for verb, pattern, name in (
            ("GET", r"^/gmail/v1/users/([^/]+)/profile$", "getProfile"),
            ("GET", r"^/gmail/v1/users/([^/]+)/labels$", "labels.list"),
            ("POST", r"^/gmail/v1/users/([^/]+)/labels$", "labels.create"),
            ("POST", r"^/gmail/v1/users/([^/]+)/threads/([^/]+)/modify$", "threads.modify"),
            ("GET", r"^/gmail/v1/users/([^/]+)/messages$", "messages.list"),
            ("POST", r"^(?:/upload)?/gmail/v1/users/([^/]+)/messages/send$", "messages.send"),
            ("GET", r"^/gmail/v1/users/([^/]+)/messages/([^/]+)/attachments/([^/]+)$", "messages.attachments.get"),
            ("GET", r"^/gmail/v1/users/([^/]+)/messages/([^/]+)$", "messages.get"),
            ("GET", r"^/gmail/v1/users/([^/]+)/threads/([^/]+)$", "threads.get"),
            ("GET", r"^/gmail/v1/users/([^/]+)/history$", "history.list"),
            ("POST", r"^(?:/upload)?/gmail/v1/users/([^/]+)/drafts/send$", "drafts.send"),
            ("GET", r"^/gmail/v1/users/([^/]+)/drafts$", "drafts.list"),
            ("POST", r"^/gmail/v1/users/([^/]+)/drafts$", "drafts.create"),
            ("GET", r"^/gmail/v1/users/([^/]+)/drafts/([^/]+)$", "drafts.get"),
            ("DELETE", r"^/gmail/v1/users/([^/]+)/drafts/([^/]+)$", "drafts.delete"),
        )
    )

    def handle(
        self, verb: str, target: str, headers: dict[str, str], body: bytes, *, batched: bool = False
    ) -> tuple[int, dict[str, str], bytes]:
        """Answer one request (a top-level one or a part of a batch): status, headers, body."""
        parsed = urllib.parse.urlsplit(target)
        path = urllib.parse.unquote(parsed.path)
        query = urllib.parse.parse_qs(parsed.query, keep_blank_values=True)
        api_method: str = "unknown"
        args: tuple[str, ...] = ()
        for route_verb, pattern, name in self._ROUTES:
            match = pattern.match(path)
            if match and route_verb == verb:
                api_method, args = name, match.groups()
                break
        if path in ("/batch", "/batch/gmail/v1") and verb == "POST":
            api_method = "batch"
        elif path == "/token" and verb == "POST":
            api_method = "token"
        elif path == "/auth" and verb == "GET":
            api_method = "auth"
        record = RecordedRequest(verb, path, query, api_method, batched)
        with self.lock:
            self.requests.append(record)
            if api_method in ("messages.send", "drafts.send"):
                self.send_attempts.append(f"{verb} {path}")
        status, out_headers, out = self._answer(api_method, args, verb, query, headers, body)
        record.status = status
        return status, out_headers, out

    def _answer(
        self,
        api_method: str,
        args: tuple[str, ...],
        verb: str,
        query: dict[str, list[str]],
        headers: dict[str, str],
        body: bytes,
    ) -> tuple[int, dict[str, str], bytes]:
        if api_method == "auth":
            return self._auth(query)
        if api_method == "token":
            return self._token(body)
        if api_method in ("messages.send", "drafts.send"):
            # Present so a stray send is caught here and recorded, never silently "works".
            return self._json(_error(500, "followup-agent must never send mail", "sendForbidden"))
        if api_method == "unknown":
            return self._json(_error(404, f"no such endpoint: {verb}", "notFound"))
        with self.lock:
            queue = self.faults.get(api_method)
            if queue:
                return self._json(queue.popleft())
        if api_method == "batch":
            return self._batch(headers, body)
        if self.check_tokens:
            auth = headers.get("authorization", "")
            if not auth.startswith("Bearer ") or auth[7:] not in self.accepted_tokens:
                return self._json(_error(401, "Request had invalid authentication credentials.", "authError"))
        with self.lock:
            if not self._within_quota(QUOTA_UNITS.get(api_method, 0)):
                self.quota_refusals += 1
                return self._json(rate_limited(retry_after=None))
        try:
            with self.lock:
                result = getattr(self, "_api_" + api_method.replace(".", "_"))(args, query, body)
                self.calls[api_method] += 1
                self.quota[api_method] += QUOTA_UNITS.get(api_method, 0)
        except _ApiError as exc:
            return self._json(exc.fault)
        with self.lock:
            lost = self.lost_answers.get(api_method)
            if lost:
                return self._json(lost.popleft())
        if result is None:
            return 204, {}, b""
        return 200, {"Content-Type": "application/json; charset=UTF-8"}, json.dumps(result).encode()

    def _within_quota(self, units: int) -> bool:
        """Whether `units` more fit in the per-user window; if so they are counted as spent (caller holds lock)."""
        if self.user_quota is None:
            return True
        limit, window = self.user_quota
        now = time.monotonic()
        while self._spent and self._spent[0][0] <= now - window:
            self._spent.popleft()
        if sum(u for _, u in self._spent) + units > limit:
            return False
        self._spent.append((now, units))
        return True

    @staticmethod
    def _json(fault: Fault) -> tuple[int, dict[str, str], bytes]:
        headers = {"Content-Type": "application/json; charset=UTF-8", **fault.headers}
        return fault.status, headers, json.dumps(fault.body or {}).encode()

    # ----------------------------------------------------------------------------------------- batch

    def _batch(self, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], bytes]:
        content_type = headers.get("content-type", "")
        if not content_type.startswith("multipart/mixed"):
            return self._json(_error(400, "batch requests must be multipart/mixed", "badRequest"))
        envelope = email.message_from_bytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body, policy=email.policy.compat32
        )
        parts = envelope.get_payload()
        if not isinstance(parts, list) or not parts:
            return self._json(_error(400, "empty batch", "badRequest"))
        with self.lock:
            self.batch_sizes.append(len(parts))
        if len(parts) > 100:
            return self._json(_error(400, "Too many requests in batch (the limit is 100)", "badRequest"))
        boundary = f"batch_{next(self._tokens)}_fake"
        out: list[bytes] = []
        for part in parts:
            assert isinstance(part, Message)
            content_id = str(part.get("Content-ID", "<none>")).strip()
            inner = part.get_payload(decode=False)
            assert isinstance(inner, str)
            inner_bytes = inner.encode("utf-8")
            head, _, inner_body = inner_bytes.replace(b"\r\n", b"\n").partition(b"\n\n")
            lines = head.decode("utf-8").split("\n")
            request_line = lines[0].split(" ")
            inner_headers = {}
            for line in lines[1:]:
                name, _, value = line.partition(":")
                inner_headers[name.strip().lower()] = value.strip()
            status, resp_headers, resp_body = self.handle(
                request_line[0], request_line[1], inner_headers, inner_body, batched=True
            )
            reason = {
                200: "OK",
                204: "No Content",
                400: "Bad Request",
                401: "Unauthorized",
                403: "Forbidden",
                404: "Not Found",
                429: "Too Many Requests",
                500: "Internal Server Error",
                503: "Service Unavailable",
            }.get(status, "Error")
            response_id = "<response-" + content_id[1:] if content_id.startswith("<") else content_id
            head_lines = [f"HTTP/1.1 {status} {reason}"]
            head_lines += [f"{k}: {v}" for k, v in resp_headers.items()]
            head_lines.append(f"Content-Length: {len(resp_body)}")
            out.append(
                f"--{boundary}\r\nContent-Type: application/http\r\nContent-ID: {response_id}\r\n\r\n".encode()
                + "\r\n".join(head_lines).encode()
                + b"\r\n\r\n"
                + resp_body
                + b"\r\n"
            )
        out.append(f"--{boundary}--\r\n".encode())
        return 200, {"Content-Type": f"multipart/mixed; boundary={boundary}"}, b"".join(out)

    # ----------------------------------------------------------------------------------------- OAuth

    def _auth(self, query: dict[str, list[str]]) -> tuple[int, dict[str, str], bytes]:
        params = {k: v[0] for k, v in query.items()}
        with self.lock:
            self.auth_requests.append(params)
            code = f"fake-code-{next(self._tokens)}"
            self.auth_codes.add(code)
        redirect = params.get("redirect_uri", "")
        location = (
            redirect
            + ("&" if "?" in redirect else "?")
            + urllib.parse.urlencode({"code": code, "state": params.get("state", ""), "scope": params.get("scope", "")})
        )
        return 302, {"Location": location}, b""

    def _token(self, body: bytes) -> tuple[int, dict[str, str], bytes]:
        form = {k: v[0] for k, v in urllib.parse.parse_qs(body.decode("utf-8")).items()}
        with self.lock:
            self.token_requests.append({k: ("***" if "secret" in k or "token" in k else v) for k, v in form.items()})
            grant = form.get("grant_type")
            ok_json = {"Content-Type": "application/json"}
            if grant == "refresh_token":
                if self.invalid_grant or form.get("refresh_token") not in self.refresh_tokens:
                    payload: dict[str, Any] = {
                        "error": "invalid_grant",
                        "error_description": "Token has been expired or revoked.",
                    }
                    return 400, ok_json, json.dumps(payload).encode()
                payload = {
                    "access_token": self.issue_access_token(),
                    "expires_in": 3599,
                    "token_type": "Bearer",
                    "scope": " ".join(sorted(form.get("scope", "").split())) or None,
                }
                payload = {k: v for k, v in payload.items() if v is not None}
                return 200, ok_json, json.dumps(payload).encode()
            if grant == "authorization_code":
                if form.get("code") not in self.auth_codes or not form.get("code_verifier"):
                    payload = {"error": "invalid_grant", "error_description": "Malformed auth code."}
                    return 400, ok_json, json.dumps(payload).encode()
                self.auth_codes.discard(form["code"])
                refresh = f"fake-refresh-{next(self._tokens)}"
                self.refresh_tokens.add(refresh)
                auth = self.auth_requests[-1] if self.auth_requests else {}
                payload = {
                    "access_token": self.issue_access_token(),
                    "expires_in": 3599,
                    "token_type": "Bearer",
                    "refresh_token": refresh,
                    "scope": auth.get("scope", ""),
                }
                return 200, ok_json, json.dumps(payload).encode()
            return 400, ok_json, json.dumps({"error": "unsupported_grant_type"}).encode()

    # ----------------------------------------------------------------------------------------- the API

    def _check_user(self, user: str) -> None:
        if user not in ("me", self.email_address):
            raise _ApiError(_error(403, "Delegation denied", "forbidden"))

    def _api_getProfile(self, args: tuple[str, ...], query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        self._check_user(args[0])
        threads = {m.thread_id for m in self.messages.values()}
        return {
            "emailAddress": self.email_address,
            "messagesTotal": len(self.messages),
            "threadsTotal": len(threads),
            "historyId": str(self.history_id),
        }

    def _api_labels_list(self, args: tuple[str, ...], query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        self._check_user(args[0])
        system = [{"id": name, "name": name, "type": "system"} for name in SYSTEM_LABELS]
        return {"labels": system + [dict(label) for label in self.user_labels.values()]}

    def _check_modify_scope(self) -> None:
        if not self.modify_scope:
            raise _ApiError(
                _error(403, "Request had insufficient authentication scopes.", "insufficientPermissions",
                       api_status="PERMISSION_DENIED")
            )  # fmt: skip

    def _json_body(self, body: bytes, schema: str) -> dict[str, Any]:
        try:
            value = json.loads(body or b"null")
        except ValueError:
            raise _ApiError(_error(400, "Invalid JSON payload received.", "parseError")) from None
        problems = validate(value, schema)
        if problems:
            raise _ApiError(_error(400, f"Invalid {schema}: " + "; ".join(problems), "invalidArgument"))
        assert isinstance(value, dict)
        return value

    def _api_labels_create(self, args: tuple[str, ...], query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        self._check_user(args[0])
        self._check_modify_scope()
        label = self._json_body(body, "Label")
        name = label.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _ApiError(_error(400, "Invalid label name", "invalidArgument"))
        taken = {n.casefold() for n in SYSTEM_LABELS} | {str(v["name"]).casefold() for v in self.user_labels.values()}
        if name.casefold() in taken:
            raise _ApiError(_error(409, "Label name exists or conflicts", "aborted", api_status="ABORTED"))
        label_id = f"Label_{next(self._label_ids)}"
        stored = {
            "id": label_id,
            "name": name,
            "type": "user",
            "messageListVisibility": label.get("messageListVisibility", "show"),
            "labelListVisibility": label.get("labelListVisibility", "labelShow"),
        }
        self.user_labels[label_id] = stored
        return dict(stored)

    def _api_threads_modify(self, args: tuple[str, ...], query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        self._check_user(args[0])
        self._check_modify_scope()
        request = self._json_body(body, "ModifyThreadRequest")
        add, remove = list(request.get("addLabelIds", [])), list(request.get("removeLabelIds", []))
        if not add and not remove:
            raise _ApiError(_error(400, "No label add or removes specified", "invalidArgument"))
        for label_id in add + remove:
            if label_id not in SYSTEM_LABELS and label_id not in self.user_labels:
                raise _ApiError(_error(400, f"Invalid label: {label_id}", "invalidArgument"))
        members = [m for m in self.messages.values() if m.thread_id == args[1]]
        if not members:
            raise _ApiError(_error(404, "Requested entity was not found.", "notFound"))
        for stored in members:
            added = [label for label in add if label not in stored.labels]
            removed = [label for label in remove if label in stored.labels]
            stored.labels.update(added)
            stored.labels.difference_update(removed)
            for kind, labels in (("labelAdded", added), ("labelRemoved", removed)):
                if labels:
                    stored.history_id = self._bump()
                    self.history.append(HistoryRecord(stored.history_id, kind, stored.id, tuple(labels)))
        return {
            "id": args[1],
            "historyId": str(self.history_id),
            "messages": [self.render(m, "minimal") for m in members],
        }

    def labelled(self, name: str) -> list[StoredMessage]:
        """The messages carrying the user label called `name` (any case), as a test inspects the mailbox."""
        ids = {i for i, v in self.user_labels.items() if str(v["name"]).casefold() == name.casefold()}
        with self.lock:
            return [m for m in self.messages.values() if m.labels & ids]

    def _matches_q(self, stored: StoredMessage, q: str) -> bool:
        for term in q.split():
            key, _, value = term.partition(":")
            if key in ("after", "before"):
                if value.isdigit():
                    bound = int(value) * 1000
                else:
                    bound = int(datetime.strptime(value, "%Y/%m/%d").replace(tzinfo=UTC).timestamp() * 1000)
                if key == "after" and not stored.internal_date > bound:
                    return False
                if key == "before" and not stored.internal_date < bound:
                    return False
            elif key == "in" and value == "anywhere":
                continue
            else:
                raise _ApiError(_error(400, f"the fake does not understand q term {term!r}", "invalidArgument"))
        return True

    @staticmethod
    def _page(items: list[Any], query: dict[str, list[str]], default: int, maximum: int) -> tuple[list[Any], str]:
        size = min(int(query.get("maxResults", [default])[0]), maximum)
        start = int(query.get("pageToken", ["0"])[0] or 0)
        page = items[start : start + size]
        token = str(start + size) if start + size < len(items) else ""
        return page, token

    def _api_messages_list(self, args: tuple[str, ...], query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        self._check_user(args[0])
        labels = set(query.get("labelIds", []))
        q = query.get("q", [""])[0]
        spam_trash = query.get("includeSpamTrash", ["false"])[0] == "true"
        found = [
            m
            for m in self.messages.values()
            if labels <= m.labels and self._matches_q(m, q) and (spam_trash or not m.labels & {"SPAM", "TRASH"})
        ]
        found.sort(key=lambda m: (m.internal_date, m.id), reverse=True)
        page, token = self._page(found, query, 100, 500)
        result: dict[str, Any] = {"resultSizeEstimate": len(found)}
        if page:  # like Gmail, no "messages" key at all when nothing matches
            result["messages"] = [{"id": m.id, "threadId": m.thread_id} for m in page]
        if token:
            result["nextPageToken"] = token
        return result

    def _message(self, message_id: str) -> StoredMessage:
        stored = self.messages.get(message_id)
        if stored is None:
            raise _ApiError(_error(404, "Requested entity was not found.", "notFound"))
        return stored

    def render(self, stored: StoredMessage, fmt: str, metadata_headers: list[str] | None = None) -> dict[str, Any]:
        """A Message resource in one of the formats minimal, metadata, full, raw."""
        result: dict[str, Any] = {
            "id": stored.id,
            "threadId": stored.thread_id,
            "labelIds": sorted(stored.labels),
            "snippet": "",
            "sizeEstimate": len(stored.raw),
            "historyId": str(stored.history_id),
            "internalDate": str(stored.internal_date),
        }
        parsed = stored.parsed
        if fmt == "raw":
            result["raw"] = _b64url(stored.raw)
        elif fmt == "metadata":
            wanted = {h.lower() for h in metadata_headers or ()}
            result["payload"] = {
                "mimeType": parsed.get_content_type(),
                "headers": [
                    {"name": k, "value": _unfold(v)} for k, v in parsed.items() if not wanted or k.lower() in wanted
                ],
            }
        elif fmt == "full":
            counter = itertools.count()
            result["payload"] = _payload(parsed, "", stored.id, counter)
        elif fmt != "minimal":
            raise _ApiError(_error(400, f"Invalid value for format: {fmt}", "invalidArgument"))
        return result

    def _api_messages_get(self, args: tuple[str, ...], query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        self._check_user(args[0])
        stored = self._message(args[1])
        return self.render(stored, query.get("format", ["full"])[0].lower(), query.get("metadataHeaders"))

    def _api_messages_attachments_get(
        self, args: tuple[str, ...], query: dict[str, list[str]], body: bytes
    ) -> dict[str, Any]:
        self._check_user(args[0])
        stored = self._message(args[1])
        for index, part in enumerate(p for p in stored.parsed.walk() if not p.is_multipart()):
            if f"att{stored.id}-{index}" == args[2]:
                data = _decoded(part)
                return {"attachmentId": args[2], "size": len(data), "data": _b64url(data)}
        raise _ApiError(_error(404, "Requested entity was not found.", "notFound"))

    def _api_threads_get(self, args: tuple[str, ...], query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        self._check_user(args[0])
        members = sorted((m for m in self.messages.values() if m.thread_id == args[1]), key=lambda m: m.internal_date)
        if not members:
            raise _ApiError(_error(404, "Requested entity was not found.", "notFound"))
        fmt = query.get("format", ["full"])[0].lower()
        return {
            "id": args[1],
            "historyId": str(max(m.history_id for m in members)),
            "messages": [self.render(m, fmt, query.get("metadataHeaders")) for m in members],
        }

    def _api_history_list(self, args: tuple[str, ...], query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        self._check_user(args[0])
        if "startHistoryId" not in query:
            raise _ApiError(_error(400, "Missing startHistoryId", "invalidArgument"))
        start = int(query["startHistoryId"][0])
        if start < self.oldest_history:
            raise _ApiError(_error(404, "Requested entity was not found.", "notFound"))
        label = query.get("labelId", [None])[0]
        types = set(query.get("historyTypes", [])) or {"messageAdded", "messageDeleted", "labelAdded", "labelRemoved"}
        records: list[dict[str, Any]] = []
        for rec in self.history:
            if rec.id <= start or rec.kind not in types:
                continue
            stored = self.messages.get(rec.message_id)
            labels = sorted(stored.labels) if stored else list(rec.labels)
            if label and label not in (stored.labels if stored else set(rec.labels)):
                continue
            ref = {"id": rec.message_id, "threadId": stored.thread_id if stored else "", "labelIds": labels}
            entry: dict[str, Any] = {"id": str(rec.id), "messages": [ref]}
            key = {
                "messageAdded": "messagesAdded",
                "messageDeleted": "messagesDeleted",
                "labelAdded": "labelsAdded",
                "labelRemoved": "labelsRemoved",
            }[rec.kind]
            item: dict[str, Any] = {"message": ref}
            if rec.kind in ("labelAdded", "labelRemoved"):
                item["labelIds"] = list(rec.labels)
            entry[key] = [item]
            records.append(entry)
        page, token = self._page(records, query, 100, 500)
        result: dict[str, Any] = {"historyId": str(self.history_id)}
        if page:
            result["history"] = page
        if token:
            result["nextPageToken"] = token
        return result

    def _api_drafts_create(self, args: tuple[str, ...], query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        self._check_user(args[0])
        try:
            draft = json.loads(body or b"null")
        except ValueError:
            raise _ApiError(_error(400, "Invalid JSON payload received.", "parseError")) from None
        problems = validate(draft, "Draft")
        message = draft.get("message") if isinstance(draft, dict) else None
        if not problems and not (isinstance(message, dict) and message.get("raw")):
            problems.append("message.raw: required for drafts.create")
        if problems:
            raise _ApiError(_error(400, "Invalid draft: " + "; ".join(problems), "invalidArgument"))
        assert isinstance(message, dict)
        raw = base64.urlsafe_b64decode(message["raw"] + "=" * (-len(message["raw"]) % 4))
        thread_id = message.get("threadId")
        if thread_id is not None:
            if not any(m.thread_id == thread_id for m in self.messages.values()):
                raise _ApiError(_error(404, "Requested entity was not found.", "notFound"))
            # Like Gmail: the draft joins the thread only if it references a message of it and the subject matches.
            parsed = email.message_from_bytes(raw, policy=email.policy.compat32)
            if self._thread_for(parsed, ("DRAFT",)) != thread_id:
                thread_id = None
        did, stored = self.create_draft_message(raw, thread_id)
        return {"id": did, "message": {"id": stored.id, "threadId": stored.thread_id, "labelIds": ["DRAFT"]}}

    def _api_drafts_list(self, args: tuple[str, ...], query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        self._check_user(args[0])
        items = [
            {"id": did, "message": {"id": mid, "threadId": self.messages[mid].thread_id}}
            for did, mid in self.drafts.items()
        ]
        page, token = self._page(items, query, 100, 500)
        result: dict[str, Any] = {"resultSizeEstimate": len(items)}
        if page:
            result["drafts"] = page
        if token:
            result["nextPageToken"] = token
        return result

    def _api_drafts_get(self, args: tuple[str, ...], query: dict[str, list[str]], body: bytes) -> dict[str, Any]:
        self._check_user(args[0])
        mid = self.drafts.get(args[1])
        if mid is None:
            raise _ApiError(_error(404, "Requested entity was not found.", "notFound"))
        fmt = query.get("format", ["full"])[0].lower()
        return {"id": args[1], "message": self.render(self.messages[mid], fmt)}

    def _api_drafts_delete(self, args: tuple[str, ...], query: dict[str, list[str]], body: bytes) -> None:
        self._check_user(args[0])
        if not self.delete_draft(args[1]):
            raise _ApiError(_error(404, "Requested entity was not found.", "notFound"))
        return None


class _ApiError(Exception):
    def __init__(self, fault: Fault) -> None:
        super().__init__(fault.status)
        self.fault = fault


def _decoded(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _unfold(value: str) -> str:
    return re.sub(r"\r?\n[ \t]+", " ", str(value)).strip()


def _payload(part: Message, part_id: str, message_id: str, counter: Iterator[int]) -> dict[str, Any]:
    """A MessagePart tree like format=full: inline data for bodies, attachmentId for named parts."""
    result: dict[str, Any] = {
        "partId": part_id,
        "mimeType": part.get_content_type(),
        "filename": part.get_filename() or "",
        "headers": [{"name": k, "value": _unfold(v)} for k, v in part.items()],
    }
    if part.is_multipart():
        children = part.get_payload()
        assert isinstance(children, list)
        result["body"] = {"size": 0}
        result["parts"] = [
            _payload(child, f"{part_id}.{i}" if part_id else str(i), message_id, counter)
            for i, child in enumerate(children)
        ]
        return result
    index = next(counter)
    data = _decoded(part)
    if part.get_filename():
        result["body"] = {"attachmentId": f"att{message_id}-{index}", "size": len(data)}
    else:
        result["body"] = {"size": len(data), "data": _b64url(data)}
    return result


# --------------------------------------------------------------------------------------- schema validation

_JSON_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "array": (list,),
    "object": (dict,),
}


def validate(value: Any, schema_name: str) -> list[str]:
    """Problems of `value` against a schema of the Gmail discovery document ([] when valid)."""
    problems: list[str] = []
    _validate(value, {"$ref": schema_name}, schema_name, problems)
    return problems


def _validate(value: Any, schema: dict[str, Any], where: str, problems: list[str]) -> None:
    if "$ref" in schema:
        schema = DISCOVERY["schemas"][schema["$ref"]]
    kind = schema.get("type", "any")
    if kind != "any":
        types = _JSON_TYPES[kind]
        # A JSON boolean is not an integer, and 64-bit integers travel as strings ("format": "int64").
        ok = isinstance(value, types) and not (kind in ("integer", "number") and isinstance(value, bool))
        if not ok:
            problems.append(f"{where}: expected {kind}, got {type(value).__name__}")
            return
    if kind == "string" and schema.get("format") == "byte":
        if not _B64URL.match(value):
            problems.append(f"{where}: not base64url (only A-Z a-z 0-9 - _ and = padding are allowed)")
        else:
            try:
                base64.urlsafe_b64decode(value + "=" * (-len(value.rstrip("=")) % 4))
            except (binascii.Error, ValueError):
                problems.append(f"{where}: undecodable base64url")
    elif kind in ("string",) and schema.get("format") in ("int64", "uint64"):
        if not re.fullmatch(r"-?\d+", value):
            problems.append(f"{where}: expected a decimal integer string")
    elif kind == "object":
        properties = schema.get("properties")
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if properties is not None and key in properties:
                _validate(item, properties[key], f"{where}.{key}", problems)
            elif extra is not None:
                _validate(item, extra, f"{where}.{key}", problems)
            else:
                problems.append(f"{where}.{key}: unknown property")
    elif kind == "array":
        for i, item in enumerate(value):
            _validate(item, schema.get("items", {}), f"{where}[{i}]", problems)


# --------------------------------------------------------------------------------------- HTTP plumbing


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as httplib2 expects
    fake: FakeGmail  # set on the per-server subclass

    def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read fake.requests instead
        pass

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, out_headers, out = self.fake.handle(self.command, self.path, headers, body)
        self.send_response(status)
        for name, value in out_headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)

    do_GET = _serve
    do_POST = _serve
    do_PUT = _serve
    do_DELETE = _serve
    do_PATCH = _serve


class FakeGmailServer:
    """Runs a FakeGmail over HTTP on 127.0.0.1; use as a context manager or call start()/stop()."""

    def __init__(self, fake: FakeGmail | None = None) -> None:
        self.fake = fake or FakeGmail()
        handler = type("Handler", (_Handler,), {"fake": self.fake})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-gmail", daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    @property
    def token_uri(self) -> str:
        return self.url + "token"

    @property
    def auth_uri(self) -> str:
        return self.url + "auth"

    def start(self) -> FakeGmailServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeGmailServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def make_message(
    *,
    subject: str,
    sender: str = "Recruiter <jobs@acme.example>",
    to: str = "Me <me@example.com>",
    date: datetime | None = None,
    message_id: str | None = None,
    in_reply_to: str | None = None,
    references: str | None = None,
    body: str = "Hello,\n\nThanks.\n",
    extra_headers: dict[str, str] | None = None,
) -> bytes:
    """A small RFC 5322 message for fixtures."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = email.utils.format_datetime(date or datetime.now(UTC))
    msg["Message-ID"] = message_id or email.utils.make_msgid(domain="acme.example")
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = references
    for name, value in (extra_headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes(policy=email.policy.SMTP)
