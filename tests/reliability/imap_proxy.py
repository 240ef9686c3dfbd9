"""A loopback IMAP fault proxy in front of the test Dovecot: it forwards every byte until a fault is armed, then
does that fault to every client command matching the fault's pattern (on every connection, so a client that
reconnects and retries meets it again) until it is disarmed.

Faults (`kind`):
* `drop`     - the connection is cut when the command arrives (it never reaches the server);
* `stall`    - from the command on, nothing is forwarded either way: the client must time out;
* `truncate` - the command runs, and the connection is cut after the first half of the first chunk of answer;
* `garbage`  - the command runs, but the client gets bytes that are no IMAP at all in place of the answer;
* `no`, `bad`- the proxy answers the command itself with a tagged NO or BAD (the server never sees it);
* `bye`      - the command runs, the first line of the answer goes through, then `* BYE` and the cut;
* `lose`     - the command runs to completion on the server, and the connection is cut just before the tagged
               answer reaches the client (an APPEND that succeeded while its response was lost).

Client lines are read as IMAP lines: a synchronising literal (`{N}`) is forwarded as payload, not parsed.
"""

from __future__ import annotations

import contextlib
import re
import select
import socket
import threading
from dataclasses import dataclass

from tests.integration.dovecot import HOST

KINDS = ("drop", "stall", "truncate", "garbage", "no", "bad", "bye", "lose")
GARBAGE = b"\x00\xff\xfe\x1b[2J not imap at all {\x07\r\n"
_LITERAL = re.compile(rb"\{(\d+)\+?\}$")


@dataclass(frozen=True)
class Fault:
    kind: str
    command: bytes  # a regex on the command after its tag, e.g. rb"UID FETCH", rb"APPEND"

    def matches(self, line: bytes) -> bool:
        parts = line.split(b" ", 1)
        return len(parts) == 2 and re.match(self.command, parts[1], re.IGNORECASE) is not None


class _Link:
    """One client connection and its upstream, pumped by one thread."""

    def __init__(self, proxy: FaultProxy, client: socket.socket, upstream: socket.socket) -> None:
        self.proxy, self.client, self.upstream = proxy, client, upstream
        self.up_buffer = b""  # client bytes not yet forwarded (an unfinished line)
        self.literal = 0  # payload bytes of a client literal still to forward as they are
        self.stalled = False
        self.pending: tuple[Fault, bytes] | None = None  # a fault waiting for the command's answer, and its tag
        self.down_buffer = b""  # for `lose`: the answer held back until its tagged line shows

    def close(self) -> None:
        for sock in (self.client, self.upstream):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                sock.close()

    def pump(self) -> None:
        try:
            while not self.proxy.stopping.is_set():
                readable, _, _ = select.select([self.client, self.upstream], [], [], 0.05)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if self.stalled:
                        continue
                    keep = self.from_client(data) if sock is self.client else self.from_server(data)
                    if not keep:
                        return
        except (OSError, ValueError):
            return
        finally:
            self.close()

    def from_client(self, data: bytes) -> bool:
        self.up_buffer += data
        while self.up_buffer:
            if self.literal:
                chunk, self.up_buffer = self.up_buffer[: self.literal], self.up_buffer[self.literal :]
                self.literal -= len(chunk)
                self.upstream.sendall(chunk)
                continue
            line, sep, rest = self.up_buffer.partition(b"\r\n")
            if not sep:
                return True
            self.up_buffer = rest
            if (match := _LITERAL.search(line)) is not None:
                self.literal = int(match.group(1))
            fault = self.proxy.armed
            if fault is not None and self.pending is None and fault.matches(line):
                self.proxy.hits += 1
                tag = line.split(b" ", 1)[0]
                if fault.kind == "drop":
                    return False
                if fault.kind == "stall":
                    self.stalled = True
                    return True
                if fault.kind in ("no", "bad"):
                    self.literal = 0  # the client sends no literal to a command refused at once
                    self.client.sendall(tag + b" " + fault.kind.upper().encode() + b" [UNAVAILABLE] injected fault\r\n")
                    continue
                self.pending = (fault, tag)
            self.upstream.sendall(line + b"\r\n")
        return True

    def from_server(self, data: bytes) -> bool:
        if self.pending is None:
            self.client.sendall(data)
            return True
        fault, tag = self.pending
        if fault.kind == "truncate":
            self.client.sendall(data[: max(1, len(data) // 2)])
            return False
        if fault.kind == "garbage":
            self.pending = None
            self.client.sendall(GARBAGE)
            return True
        if fault.kind == "bye":
            first, sep, _rest = data.partition(b"\r\n")
            self.client.sendall(first + sep + b"* BYE injected fault: shutting down\r\n")
            return False
        # lose: everything up to the tagged answer goes through (a `+` continuation included), that line not.
        self.down_buffer += data
        while b"\r\n" in self.down_buffer:
            line, _, self.down_buffer = self.down_buffer.partition(b"\r\n")
            if line.startswith(tag + b" "):
                return False
            self.client.sendall(line + b"\r\n")
        return True


class FaultProxy:
    """`FaultProxy(dovecot.port)`; point the agent's `imap.port` at `.port`; `arm(kind, command)` / `disarm()`."""

    def __init__(self, target_port: int) -> None:
        self.target = (HOST, target_port)
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((HOST, 0))
        self.listener.listen(16)
        self.listener.settimeout(0.1)
        self.port = int(self.listener.getsockname()[1])
        self.armed: Fault | None = None
        self.hits = 0  # commands the armed faults acted on
        self.stopping = threading.Event()
        self.links: list[_Link] = []
        self.thread = threading.Thread(target=self._accept, name="imap-fault-proxy", daemon=True)
        self.thread.start()

    def arm(self, kind: str, command: bytes) -> None:
        assert kind in KINDS, kind
        self.armed = Fault(kind, command)

    def disarm(self) -> None:
        self.armed = None
        self.cut()  # a stalled or half-answered connection is of no use to anyone after the fault

    def cut(self) -> None:
        links, self.links = self.links, []
        for link in links:
            link.close()

    def close(self) -> None:
        self.stopping.set()
        self.cut()
        with contextlib.suppress(OSError):
            self.listener.close()
        self.thread.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                client, _ = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            link = _Link(self, client, upstream)
            self.links.append(link)
            threading.Thread(target=link.pump, name="imap-fault-link", daemon=True).start()
