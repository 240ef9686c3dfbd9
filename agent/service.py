"""`followup-agent run`: the daemon that scans the mailbox on a schedule until it is stopped.

Shape of the process:

* The **state lock** is taken once at start and held for the daemon's whole life, so a second daemon or a
  manual `followup-agent scan` on the same state is refused (exit code 5) instead of racing it. Each scan then
  runs with `run_scan_once(..., lock=False)`.
* An APScheduler `BlockingScheduler` runs the scan job in the main thread's scheduler loop and one worker
  thread: the first scan at start, then every `[schedule] interval_minutes` plus up to `jitter_seconds` of
  random delay; `max_instances=1` and coalescing mean a slow scan or a suspended laptop never piles up runs.
* The config is re-read and validated before every scan and on SIGHUP. A broken edit is logged problem by
  problem (once per distinct set of problems) and the last good config keeps running. A changed interval
  reschedules the job. `state.path` cannot change while the lock is held; that change waits for a restart.
* SIGTERM/SIGINT set a stop flag the engine checks between batches and before each draft, so the current
  batch (one transaction) completes and the process exits 0, well inside systemd's TimeoutStopSec. A scan
  stuck in the network is abandoned after `STOP_DEADLINE_SECONDS`: nothing is lost, because a batch that did
  not commit is simply read again by the next scan and drafts are found by their key before one is written.
* Failures never end the daemon: an authentication failure is logged once, with what to do, and retried with
  exponential back-off (up to 6 h) until it works or a SIGHUP asks for a retry now; a transient mailbox fault
  is a warning and the next tick retries; anything unexpected is logged with its traceback. Every scan's
  outcome lands in the state database (`followup-agent status`).

Signal handlers do no real work: they set a flag and put a word on a `SimpleQueue` (safe to call from a signal
handler); a control thread does the reloading and the shutting down, outside the scheduler's locks.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import queue
import signal
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers import SchedulerNotRunningError
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger

from agent.config import Config, load_config
from agent.errors import AuthError, BackendError, ConfigError, FollowupError, StateError
from agent.logs import describe_failure
from agent.store import StateLock

log = logging.getLogger(__name__)

JOB_ID = "scan"

#: Testing aid, not a user setting: how many seconds one configured minute of `[schedule] interval_minutes`
#: lasts (default 60). The daemon tests set it to 1 so a tick takes seconds; the public schema stays in whole
#: minutes. Never set it in production.
ENV_SECONDS_PER_MINUTE = "FOLLOWUP_AGENT_TEST_SECONDS_PER_MINUTE"

#: After SIGTERM, how long the current scan may take to reach a batch boundary before the process exits anyway.
#: Below systemd's TimeoutStopSec=15 and the promised 10 s.
STOP_DEADLINE_SECONDS = 9.0

#: Repeated authentication failures back off exponentially up to this; a person has to act anyway.
AUTH_BACKOFF_MAX = timedelta(hours=6)

# Exit codes the daemon itself returns (the CLI maps escaping FollowupErrors to theirs).
EXIT_OK = 0


def seconds_per_minute() -> float:
    """60, unless the testing aid `FOLLOWUP_AGENT_TEST_SECONDS_PER_MINUTE` says otherwise."""
    raw = os.environ.get(ENV_SECONDS_PER_MINUTE, "")
    if not raw:
        return 60.0
    try:
        value = float(raw)
    except ValueError:
        log.warning("%s=%r is not a number; ignoring it", ENV_SECONDS_PER_MINUTE, raw)
        return 60.0
    if value <= 0:
        log.warning("%s=%r must be positive; ignoring it", ENV_SECONDS_PER_MINUTE, raw)
        return 60.0
    log.warning("%s=%s: testing aid active, one schedule minute lasts %s s", ENV_SECONDS_PER_MINUTE, raw, value)
    return value


def _one_line(exc: FollowupError) -> str:
    """The error and its hint on one line: journald shows one entry per line."""
    first = exc.message.splitlines()[0] if exc.message else type(exc).__name__
    return f"{first} (hint: {exc.hint})" if exc.hint else first


def _changed_sections(old: Config, new: Config) -> list[str]:
    """Names of the config sections that differ; never their values (a section may hold a password)."""
    return [
        f.name
        for f in dataclasses.fields(Config)
        if f.name not in ("source", "warnings") and getattr(old, f.name) != getattr(new, f.name)
    ]


class Daemon:
    """One daemon run. `run()` blocks until a stop signal and returns the exit code."""

    def __init__(self, config_path: Path, config: Config) -> None:
        self.config_path = config_path
        self.config = config
        self.minute = seconds_per_minute()
        self._stopping = False  # read by the engine between batches; a plain bool is safe to set in a handler
        self._shutting_down = False  # guarded by _sched_lock: no scheduler call once shutdown has begun
        self._sched_lock = threading.Lock()
        self._reload_lock = threading.Lock()
        self._signals: queue.SimpleQueue[str] = queue.SimpleQueue()
        self._last_problems: tuple[str, ...] | None = None
        self._auth_failures = 0
        self._auth_message = ""
        self._auth_retry_at = 0.0
        self.scheduler = BlockingScheduler(
            timezone=UTC,  # only intervals are scheduled; UTC avoids any local-zone lookup
            executors={"default": ThreadPoolExecutor(max_workers=1)},
        )

    # ------------------------------------------------------------------------------------------ schedule

    def _interval_seconds(self, config: Config) -> float:
        return config.schedule.interval_minutes * self.minute

    def _trigger(self, config: Config) -> IntervalTrigger:
        return IntervalTrigger(
            seconds=self._interval_seconds(config), jitter=config.schedule.jitter_seconds or None, timezone=UTC
        )

    def _grace_seconds(self, config: Config) -> int:
        # With coalescing, a run missed during a suspend is at most one interval (plus jitter) late: this grace
        # time makes exactly one catch-up scan happen on wake-up instead of none.
        return int(self._interval_seconds(config) + config.schedule.jitter_seconds) + 1

    def _describe_schedule(self, config: Config) -> str:
        every = f"every {config.schedule.interval_minutes} min"
        if self.minute != 60.0:
            every += f" ({self._interval_seconds(config):g} s)"
        return every + (f" + up to {config.schedule.jitter_seconds} s jitter" if config.schedule.jitter_seconds else "")

    def _reschedule(self, config: Config) -> None:
        with self._sched_lock:
            if self._shutting_down:
                return
            self.scheduler.reschedule_job(JOB_ID, trigger=self._trigger(config))
            self.scheduler.modify_job(JOB_ID, misfire_grace_time=self._grace_seconds(config))
        log.info("rescheduled: scans %s", self._describe_schedule(config))

    def _run_soon(self) -> None:
        with self._sched_lock:
            if self._shutting_down:
                return
            self.scheduler.modify_job(JOB_ID, next_run_time=datetime.now(UTC))
            self.scheduler.wakeup()

    # ------------------------------------------------------------------------------------------ config

    def reload(self, *, forced: bool) -> None:
        """Re-read the config; keep the last good one if the file is broken. `forced`: asked for by SIGHUP."""
        with self._reload_lock:
            try:
                new = load_config(self.config_path)
            except ConfigError as exc:
                problems = tuple(exc.problems) or (exc.message.splitlines()[0],)
                if forced or problems != self._last_problems:
                    header = exc.message.splitlines()[0]
                    log.error("config not reloaded, the last good config keeps running: %s", header)
                    for problem in problems:
                        log.error("config problem: %s", problem)
                else:
                    log.debug("config still broken (%d problem(s) already logged)", len(problems))
                self._last_problems = problems
                return
            if self._last_problems is not None:
                log.info("config is valid again")
            self._last_problems = None
            old = self.config
            if new.state.path != old.state.path:
                log.warning(
                    "state.path changed to %s; the daemon keeps using %s until it is restarted",
                    new.state.path,
                    old.state.path,
                )
                new = dataclasses.replace(new, state=old.state)
            changed = _changed_sections(old, new)
            if not changed:
                if forced:
                    log.info("config reloaded: no change")
                return
            for warning in new.warnings:
                log.warning("%s", warning)
            self.config = new
            log.info("config reloaded: changed %s", ", ".join(f"[{name}]" for name in changed))
            if new.schedule != old.schedule:
                self._reschedule(new)

    # ------------------------------------------------------------------------------------------ the job

    def should_stop(self) -> bool:
        return self._stopping

    def tick(self) -> int:
        """One scheduled scan; never raises. Returns the exit code the outcome corresponds to."""
        if self._stopping:
            return EXIT_OK
        self.reload(forced=False)
        if self._auth_failures and time.time() < self._auth_retry_at:
            log.debug("skipping this scan: backing off after %d authentication failure(s)", self._auth_failures)
            return AuthError.exit_code
        return self._scan(self.config)

    def _scan(self, config: Config) -> int:
        from agent.progress import for_terminal
        from agent.runner import run_scan_once  # imports the engine; kept out of `followup-agent --help`

        now = datetime.now().astimezone()
        try:
            # Under systemd stderr is no terminal: a first scan of a large mailbox logs its progress every 10 s.
            quiet = not logging.getLogger().isEnabledFor(logging.INFO)
            report = run_scan_once(config, now, lock=False, should_stop=self.should_stop, progress=for_terminal(quiet))
        except AuthError as exc:
            self._auth_failed(exc, config)
            return exc.exit_code
        except BackendError as exc:
            log.warning("mailbox unavailable, the next scan retries: %s", _one_line(exc))
            return exc.exit_code
        except StateError as exc:
            log.error("state database unusable: %s", _one_line(exc))
            return exc.exit_code
        except FollowupError as exc:
            log.error("scan failed: %s", _one_line(exc))
            return exc.exit_code
        except Exception as exc:
            # The frames, not the message: an unexpected error's text may quote a mail it was reading.
            log.error("scan failed with an unexpected error; the daemon keeps running: %s", describe_failure(exc))
            return 1
        if self._auth_failures:
            log.info("the mailbox accepts the credentials again")
        self._auth_failures = 0
        self._auth_message = ""
        log.info(
            "scan done: %d new message(s) recorded, %d draft(s) created%s%s",
            report.messages_recorded,
            len(report.drafts),
            f", {report.skipped} skipped" if report.skipped else "",
            " (stopped early; the rest is read by the next scan)" if report.stopped else "",
        )
        return EXIT_OK

    def _auth_failed(self, exc: AuthError, config: Config) -> None:
        self._auth_failures += 1
        interval = timedelta(seconds=self._interval_seconds(config))
        # The exponent is capped: 2 ** 40 intervals would overflow timedelta (after about 8 days of failures).
        wait = min(interval * 2 ** min(self._auth_failures - 1, 20), max(AUTH_BACKOFF_MAX, interval))
        # Half an interval of slack: a tick that comes a little early (jitter) still counts as "due".
        self._auth_retry_at = time.time() + (wait - interval / 2).total_seconds()
        message = _one_line(exc)
        if message != self._auth_message:
            # Once, clearly, without a traceback: repeating it every tick would bury everything else.
            log.error("authentication failed: %s", message)
            log.error(
                "the daemon keeps running and retries with back-off (up to %d h); after fixing the "
                "credentials, reload it (systemctl --user reload followup-agent, or kill -HUP %d) to retry "
                "at once",
                AUTH_BACKOFF_MAX.total_seconds() // 3600,
                os.getpid(),
            )
            self._auth_message = message
        else:
            log.debug("authentication still failing (%d times); next try in about %s", self._auth_failures, wait)

    # ------------------------------------------------------------------------------------------ signals

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        if signum == signal.SIGHUP:
            self._signals.put("reload")
            return
        if self._stopping:
            # A second Ctrl-C: the user does not want to wait for the batch. The state stays consistent.
            os._exit(128 + signum)
        self._stopping = True
        self._signals.put(f"stop:{signal.Signals(signum).name}")

    def _control(self) -> None:
        while True:
            word = self._signals.get()
            if word == "reload":
                log.info("SIGHUP: reloading the config")
                self.reload(forced=True)
                if self._auth_failures:
                    # The user may just have fixed the credentials: try now rather than after the back-off.
                    self._auth_failures = 0
                    self._auth_message = ""
                    self._run_soon()
            elif word.startswith("stop"):
                log.info("%s: stopping after the current batch", word.partition(":")[2])
                self._shutdown()
                return
            elif word == "exit":
                return

    def _shutdown(self) -> None:
        watchdog = threading.Timer(STOP_DEADLINE_SECONDS, self._give_up)
        watchdog.daemon = True
        watchdog.start()
        with self._sched_lock:
            self._shutting_down = True
        # A stop that arrives while start() is still setting up must wait for it, or shutdown() would refuse.
        while not self.scheduler.running:
            time.sleep(0.02)
        try:
            self.scheduler.shutdown(wait=True)  # waits for the running scan to reach its next stop check
        except SchedulerNotRunningError:
            pass

    def _give_up(self) -> None:
        log.warning(
            "the running scan did not stop within %.0f s; exiting anyway (no batch is half-applied: the "
            "next scan reads it again)",
            STOP_DEADLINE_SECONDS,
        )
        logging.shutdown()
        os._exit(EXIT_OK)

    # ------------------------------------------------------------------------------------------ main

    def run(self) -> int:
        config = self.config
        self.scheduler.add_job(
            self.tick,
            self._trigger(config),
            id=JOB_ID,
            name="mailbox scan",
            next_run_time=datetime.now(UTC),  # the first scan right at start
            coalesce=True,
            max_instances=1,
            misfire_grace_time=self._grace_seconds(config),
        )
        control = threading.Thread(target=self._control, name="followup-agent-control", daemon=True)
        control.start()
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
        try:
            log.info(
                "daemon started (pid %d): config %s, state %s, scans %s",
                os.getpid(),
                self.config_path,
                config.state.path,
                self._describe_schedule(config),
            )
            self.scheduler.start()  # blocks until _shutdown() stops it
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self._signals.put("exit")
        log.info("daemon stopped")
        return EXIT_OK


def run_daemon(config_path: Path, once: bool = False) -> int:
    """Run the daemon (or, with `once`, a single scan with the daemon's error handling) until stopped.

    A config that is invalid at start raises ConfigError (exit 2); a state already in use raises
    StateLockedError (exit 5): the CLI prints either as one clear message.
    """
    config = load_config(config_path)
    for warning in config.warnings:
        log.warning("%s", warning)
    if log.getEffectiveLevel() > logging.DEBUG:
        # APScheduler logs every job start and end at INFO: one line per tick with no information in it.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
    lock = StateLock(config.state.path)
    lock.acquire()
    try:
        daemon = Daemon(config_path, config)
        if once:
            return daemon._scan(config)
        return daemon.run()
    finally:
        lock.release()
