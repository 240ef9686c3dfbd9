"""A real Dovecot IMAP server for tests and benchmarks, plus a TCP proxy that can count, drop and stall.

`DovecotServer` writes its own config into a private directory (nothing under /etc is read or touched),
starts `dovecot -F` as a child process on a free loopback port and hands out a fresh account per test:
accounts live in a passwd-file that Dovecot re-reads when it changes, so adding one needs no restart.

Works as root (mail is stored as nobody/nogroup, because Dovecot refuses to run mail processes as uid 0) and
as an ordinary user (every Dovecot process then runs as that user). Handles the 2.3 and 2.4 config syntax.
When openssl is available the server also speaks TLS (imaps and STARTTLS) with a throwaway self-signed
certificate for 127.0.0.1/localhost, whose file is the CA for `ImapConfig.ca_file`.

`TcpProxy` sits between a client and the server: it counts the IMAP commands the client sends and the bytes
it receives, and a test can cut every connection (`drop()`) or stop forwarding (`stall()`).
"""

from __future__ import annotations

import atexit
import contextlib
import itertools
import os
import pwd
import re
import select
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from imapclient import IMAPClient

NOBODY_UID = 65534
NOGROUP_GID = 65534
HOST = "127.0.0.1"
POOL_SIZE = 200  # accounts written before start; each test takes a fresh one

DEFAULT_SPECIAL_USE: Mapping[str, str] = {"Sent": "\\Sent", "Drafts": "\\Drafts"}


class DovecotUnavailable(RuntimeError):
    """No usable dovecot binary: tests skip (or fail when CI=true)."""


def find_dovecot() -> str | None:
    for candidate in (shutil.which("dovecot"), "/usr/sbin/dovecot", "/usr/local/sbin/dovecot"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def dovecot_version(binary: str) -> tuple[int, int]:
    out = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10, check=True).stdout
    match = re.match(r"\s*(\d+)\.(\d+)", out)
    if not match:
        raise DovecotUnavailable(f"cannot read the version of {binary}: {out!r}")
    return int(match.group(1)), int(match.group(2))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class DovecotUser:
    """One mailbox on a running server."""

    name: str
    password: str
    host: str
    port: int

    def client(self, timeout: float = 10.0) -> IMAPClient:
        """A logged-in plain-text client for setting up test data (the 'world' side, not the code under test)."""
        client = IMAPClient(self.host, self.port, ssl=False, timeout=timeout)
        client.login(self.name, self.password)
        return client


class DovecotServer:
    """One Dovecot instance with its own directory, config, port and accounts."""

    def __init__(
        self,
        root: Path | None = None,
        *,
        special_use: Mapping[str, str] | None = DEFAULT_SPECIAL_USE,
        tls: bool = True,
    ) -> None:
        binary = find_dovecot()
        if binary is None:
            raise DovecotUnavailable("dovecot is not installed (apt-get install dovecot-imapd)")
        self.binary = binary
        self.version = dovecot_version(binary)
        # Our own dir, not pytest's tmp_path: that one is mode 0700 under root's tree, which the unprivileged
        # Dovecot processes (nobody, dovenull) could not traverse.
        self.root = root or Path(tempfile.mkdtemp(prefix="followup-dovecot-"))
        self.root.chmod(0o755)
        self.special_use = dict(special_use or {})
        self.tls = tls and shutil.which("openssl") is not None
        self.port = free_port()
        self.tls_port = free_port() if self.tls else 0
        self.ca_file: Path | None = None
        self.passwd = self.root / "passwd"
        self.log_path = self.root / "dovecot.log"
        self.config_path = self.root / "dovecot.conf"
        self._proc: subprocess.Popen[bytes] | None = None
        self._users = itertools.count(1)
        self._pool = POOL_SIZE
        self._lock = threading.Lock()
        self._as_root = os.geteuid() == 0
        self._uid, self._gid = (NOBODY_UID, NOGROUP_GID) if self._as_root else (os.getuid(), os.getgid())

    # ------------------------------------------------------------------------------------------- lifecycle

    def start(self, timeout: float = 15.0) -> DovecotServer:
        for sub in ("run", "state", "home"):
            (self.root / sub).mkdir(exist_ok=True)
        if self._as_root:
            os.chown(self.root / "home", self._uid, self._gid)
        self.passwd.write_text("")
        self.passwd.chmod(0o644)
        self._write_users(1, self._pool)
        if self.tls:
            self._make_certificate()
        self.config_path.write_text(self._config())
        # -F: stay in the foreground so this Popen is the master process and we stop exactly what we started.
        self._proc = subprocess.Popen(
            [self.binary, "-F", "-c", str(self.config_path)],
            stdout=subprocess.DEVNULL,
            stderr=(self.root / "stderr.log").open("wb"),
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise DovecotUnavailable(f"dovecot exited at start:\n{self._diagnostics()}")
            if self._greets(self.port):
                return self
            time.sleep(0.05)
        self.stop()
        raise DovecotUnavailable(f"dovecot did not listen on {HOST}:{self.port} within {timeout}s")

    def terminate(self) -> None:
        """Ask the master to shut down without waiting (it takes about a second); `stop()` waits."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> DovecotServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------------------------------- accounts

    def new_user(self, prefix: str = "user") -> DovecotUser:
        """A fresh, empty mailbox (its home directory is created on first login)."""
        with self._lock:
            index = next(self._users)
            if index > self._pool:
                # Dovecot re-reads a changed passwd-file, but checks at most once a second: grow the pool and
                # wait that second out. Rare: the pool written at start covers a whole test session.
                self._write_users(self._pool + 1, self._pool + POOL_SIZE)
                self._pool += POOL_SIZE
                time.sleep(1.1)
        name = f"user{index}"
        return DovecotUser(name, self._password(name), HOST, self.port)

    def _password(self, name: str) -> str:
        return f"pw-{name}-{self.port}"

    def _write_users(self, first: int, last: int) -> None:
        with self.passwd.open("a") as fh:
            for index in range(first, last + 1):
                name = f"user{index}"
                home = self.root / "home" / name
                fh.write(f"{name}:{{PLAIN}}{self._password(name)}:{self._uid}:{self._gid}::{home}::\n")

    # ------------------------------------------------------------------------------------------- internals

    def _greets(self, port: int) -> bool:
        try:
            with socket.create_connection((HOST, port), timeout=1) as sock:
                return sock.recv(64).startswith(b"* OK")
        except OSError:
            return False

    def _diagnostics(self) -> str:
        parts = []
        for path in (self.root / "stderr.log", self.log_path):
            if path.exists():
                parts.append(f"--- {path.name}\n{path.read_text(errors='replace')[-4000:]}")
        return "\n".join(parts)

    def _make_certificate(self) -> None:
        key, cert = self.root / "tls.key", self.root / "tls.crt"
        subprocess.run(
            [
                "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
            ],
            check=True, capture_output=True, timeout=30,
        )  # fmt: skip
        key.chmod(0o600)
        self.ca_file = cert

    def _mailboxes(self) -> str:
        blocks = []
        for name, flag in self.special_use.items():
            blocks.append(f'  mailbox "{name}" {{\n    special_use = {flag}\n    auto = create\n  }}\n')
        return "".join(blocks)

    def _config(self) -> str:
        return self._config_24() if self.version >= (2, 4) else self._config_23()

    def _common(self) -> str:
        users = ""
        if not self._as_root:
            me = pwd.getpwuid(os.getuid()).pw_name
            users = f"default_internal_user = {me}\ndefault_login_user = {me}\n"
        imaps = (
            f"  inet_listener imaps {{\n    address = {HOST}\n    port = {self.tls_port}\n    ssl = yes\n  }}\n"
            if self.tls
            else "  inet_listener imaps {\n    port = 0\n  }\n"
        )
        return (
            f"base_dir = {self.root}/run\n"
            f"state_dir = {self.root}/state\n"
            f"instance_name = followup-test-{self.port}\n"
            f"log_path = {self.log_path}\n"
            f"listen = {HOST}\n"
            "protocols = imap\n"
            "auth_mechanisms = plain login\n"
            # A refused login would otherwise be answered only after 2 s (and slower each time from one IP).
            "auth_failure_delay = 0\n"
            f"login_trusted_networks = {HOST}/32\n"
            "mail_fsync = never\n"
            f"{users}"
            "service imap-login {\n"
            f"  inet_listener imap {{\n    address = {HOST}\n    port = {self.port}\n  }}\n"
            f"{imaps}"
            "}\n"
            "namespace inbox {\n  inbox = yes\n  separator = /\n"
            f"{self._mailboxes()}"
            "}\n"
        )

    def _config_23(self) -> str:
        ssl = (
            f"ssl = yes\nssl_cert = <{self.root}/tls.crt\nssl_key = <{self.root}/tls.key\n"
            + ("ssl_dh = </usr/share/dovecot/dh.pem\n" if Path("/usr/share/dovecot/dh.pem").exists() else "")
            if self.tls
            else "ssl = no\n"
        )
        return (
            self._common()
            + ssl
            + "disable_plaintext_auth = no\n"
            + "mail_location = maildir:~/Maildir\n"
            + f"passdb {{\n  driver = passwd-file\n  args = scheme=PLAIN username_format=%u {self.passwd}\n}}\n"
            + f"userdb {{\n  driver = passwd-file\n  args = username_format=%u {self.passwd}\n}}\n"
        )

    def _config_24(self) -> str:
        # Written against the 2.4 documentation (renamed settings, named passdb/userdb blocks); not yet run
        # against a 2.4 binary. Passwords carry their {PLAIN} scheme, uid/gid/home come from the passwd-file.
        ssl = (
            f"ssl = yes\nssl_server_cert_file = {self.root}/tls.crt\nssl_server_key_file = {self.root}/tls.key\n"
            if self.tls
            else "ssl = no\n"
        )
        return (
            "dovecot_config_version = 2.4.0\n"
            "dovecot_storage_version = 2.4.0\n"
            + self._common()
            + ssl
            + "auth_allow_cleartext = yes\n"
            + "mail_driver = maildir\nmail_path = ~/Maildir\n"
            + f"passdb passwd-file {{\n  passwd_file_path = {self.passwd}\n}}\n"
            + f"userdb passwd-file {{\n  passwd_file_path = {self.passwd}\n}}\n"
        )


# ------------------------------------------------------------------------------------------------ TCP proxy


class TcpProxy:
    """A loopback TCP proxy in a thread: counts client commands and server bytes, can drop or stall.

    Command counting assumes IMAP's line syntax: a client line starting with a tag ("ABCD12 ") opens a
    command. Literal payloads (APPEND) could contain such lines too, so count only across simple commands.
    """

    def __init__(self, target_port: int, target_host: str = HOST, *, source_host: str | None = None) -> None:
        self.target = (target_host, target_port)
        # Another loopback source address (127.0.0.2...) keeps Dovecot's per-IP penalty for failed logins,
        # which delays the next login from the same address by seconds, away from the other tests.
        self.source = (source_host, 0) if source_host else None
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind((HOST, 0))
        self._listener.listen(16)
        self.port = int(self._listener.getsockname()[1])
        self.commands: list[bytes] = []
        self.bytes_down = 0
        self.bytes_up = 0
        self._stalled = threading.Event()
        self._stop = threading.Event()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._cut_after: int | None = None  # drop the connection once this many more bytes went down
        self._refusing = threading.Event()
        self._thread = threading.Thread(target=self._accept_loop, name="imap-proxy", daemon=True)
        self._thread.start()

    # --------------------------------------------------------------------------------------------- control

    def reset_counters(self) -> None:
        with self._lock:
            self.commands.clear()
            self.bytes_down = 0
            self.bytes_up = 0

    def command_names(self) -> list[str]:
        """The verbs of the counted commands, e.g. ['EXAMINE', 'UID SEARCH']."""
        names = []
        for line in self.commands:
            words = line.split()[1:3]
            verb = words[0].decode().upper() if words else ""
            if verb == "UID" and len(words) > 1:
                verb = f"UID {words[1].decode().upper()}"
            names.append(verb)
        return names

    def stall(self) -> None:
        """Stop forwarding in both directions (connections stay open): the client sees a silent server."""
        self._stalled.set()

    def resume(self) -> None:
        self._stalled.clear()

    def refuse(self, on: bool = True) -> None:
        """Close every new connection at once (the server looks down), until `refuse(False)`."""
        if on:
            self._refusing.set()
        else:
            self._refusing.clear()

    def drop(self) -> None:
        """Cut every open connection now."""
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for a, b in pairs:
            for sock in (a, b):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
                with contextlib.suppress(OSError):
                    sock.close()

    def drop_after(self, nbytes: int) -> None:
        """Cut the connections once `nbytes` more bytes have gone from server to client (mid-response)."""
        with self._lock:
            self._cut_after = nbytes

    def close(self) -> None:
        self._stop.set()
        self.drop()
        with contextlib.suppress(OSError):
            self._listener.close()
        self._thread.join(timeout=5)

    def __enter__(self) -> TcpProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------------------------- plumbing

    def _accept_loop(self) -> None:
        self._listener.settimeout(0.1)
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            if self._refusing.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5, source_address=self.source)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, client: socket.socket, upstream: socket.socket) -> None:
        pending = b""  # an unfinished client line, so commands split over two reads count once
        try:
            while not self._stop.is_set() and client.fileno() >= 0 and upstream.fileno() >= 0:
                if self._stalled.is_set():
                    time.sleep(0.02)
                    continue
                readable, _, _ = select.select([client, upstream], [], [], 0.05)
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    if sock is client:
                        pending = self._count_up(pending + data)
                        upstream.sendall(data)
                    else:
                        data = self._count_down(data)
                        client.sendall(data)
                        if self._cut_now():
                            return
        except (OSError, ValueError):  # ValueError: select() on a socket drop() closed meanwhile
            return
        finally:
            for sock in (client, upstream):
                with contextlib.suppress(OSError):
                    sock.close()

    def _count_up(self, data: bytes) -> bytes:
        *lines, rest = data.split(b"\r\n")
        with self._lock:
            self.bytes_up += len(data) - len(rest)
            for line in lines:
                if re.match(rb"^[A-Za-z0-9]+ [A-Za-z]", line) and not line.startswith(b"DONE"):
                    self.commands.append(line)
        return rest

    def _count_down(self, data: bytes) -> bytes:
        with self._lock:
            if self._cut_after is not None:
                data = data[: self._cut_after]
                self._cut_after -= len(data)
            self.bytes_down += len(data)
        return data

    def _cut_now(self) -> bool:
        with self._lock:
            if self._cut_after == 0:
                self._cut_after = None
                return True
        return False


@contextlib.contextmanager
def running_dovecot(**kwargs: object) -> Iterator[DovecotServer]:
    """Start a server for the duration of a `with` block (benchmarks, ad-hoc scripts)."""
    server = DovecotServer(**kwargs)  # type: ignore[arg-type]
    server.start()
    try:
        yield server
    finally:
        server.stop()


# ------------------------------------------------------------------------------- shared servers and fixtures

VARIANTS: dict[str, Mapping[str, str]] = {
    "default": DEFAULT_SPECIAL_USE,
    # Localised / Outlook-style names carrying the RFC 6154 flags.
    "custom": {"Sent Items": "\\Sent", "Brouillons": "\\Drafts"},
    # No special-use flags at all: folders are found by their usual names.
    "plain": {},
}
_servers: dict[str, DovecotServer] = {}
_servers_lock = threading.Lock()


def shared_server(variant: str = "default") -> DovecotServer:
    """One server per variant per process, started on first use and stopped at exit.

    Raises DovecotUnavailable when dovecot is missing or does not start; `require_dovecot` turns that into a
    skip (or, under CI=true, a failure).
    """
    with _servers_lock:
        server = _servers.get(variant)
        if server is None:
            server = DovecotServer(special_use=VARIANTS[variant]).start()
            _servers[variant] = server
            if len(_servers) == 1:
                atexit.register(stop_shared_servers)
        return server


def stop_shared_servers() -> None:
    with _servers_lock:
        servers = list(_servers.values())
        _servers.clear()
    for server in servers:  # in parallel: each master takes about a second to wind down
        server.terminate()
    for server in servers:
        server.stop()


def require_dovecot(variant: str = "default") -> DovecotServer:
    """The shared server for pytest: skip without Dovecot, except on CI where a missing server is a failure."""
    import pytest

    try:
        return shared_server(variant)
    except DovecotUnavailable as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but no Dovecot: {exc}", pytrace=False)
        pytest.skip(str(exc))
