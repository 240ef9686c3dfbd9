"""How close a first IMAP scan comes to a bare imapclient listing of the same mailbox, and how it grows.

Run from the repository root (not collected by pytest; needs dovecot, `make system-deps`):

    .venv/bin/python bench/imap_floor.py [--messages N] [--keep]

It starts a throwaway Dovecot on loopback (tests/integration/dovecot.py) and writes a realistic mailbox of N
messages (default 100000; bench/floor_common.py says what is in it) straight into one account's Maildir++
folders, and one of N/10 into a second account, each in a child process so this parent stays small; a first
floor run lets Dovecot index them. Then, alternating three times, it runs

  * the floor: a bare imapclient child (bench/floor_probe.py, no agent import) that logs in, EXAMINEs INBOX and
    Sent, searches them back to the lookback and FETCHes, in batches of the agent's batch size, exactly the
    items the agent lists with (INTERNALDATE, BODYSTRUCTURE and the agent's header fields) for every message;
  * the agent: `followup-agent scan` as a subprocess on an empty state, the lookback covering the mailbox;
  * the agent on the N/10 account (growth);

and takes medians. Peak RSS is the agent child's own ru_maxrss (wait4). Then a no-change scan on the state the
agent left, through a counting loopback proxy: the IMAP commands sent after LOGIN (LOGOUT not counted) and its
wall time inside the process (`run_scan_once`, as every daemon tick runs it, connection included).

Last line: `imap-floor: N msgs ratio R agent A s floor F s rss M MB nochange C cmds T s growth G`.
Targets (exit status 1 on a miss): R <= 1.2, M <= 150, C <= one per folder (3), T < 0.2, G <= 11.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from floor_common import (
    LOOKBACK_DAYS,
    MAILDIRPP,
    REPEATS,
    Targets,
    agent_command,
    agent_env,
    build_mailbox,
    check,
    config_text,
    last_line,
    median,
    nochange,
    run_measured,
)

FOLDERS = 3  # INBOX, Sent, Drafts
PASSWORD_ENV = "BENCH_IMAP_PASSWORD"  # as bench/floor_probe.py reads it
PROBE = Path(__file__).resolve().parent / "floor_probe.py"


def write_config(workdir: Path, port: int, user: str, state: Path, batch: int) -> Path:
    body = (
        f'[imap]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "plain"\nusername = "{user}"\n'
        f'password_env = "{PASSWORD_ENV}"\nbatch_size = {batch}\ntimeout_seconds = 300\n'
    )
    path = workdir / f"config-{state.stem}-{port}.toml"
    path.write_text(config_text("imap", state, body))
    return path


def child(args: argparse.Namespace) -> int:
    if args.child == "build":
        stats = build_mailbox(args.root, MAILDIRPP, args.messages, datetime.fromisoformat(args.now))
        if os.geteuid() == 0:  # Dovecot runs the account as nobody (tests/integration/dovecot.py)
            for directory, _dirs, files in os.walk(args.root.parent):
                os.chown(directory, 65534, 65534)
                for name in files:
                    os.chown(os.path.join(directory, name), 65534, 65534)
        print(json.dumps(asdict(stats)))
    elif args.child == "nochange":
        print(json.dumps({"seconds": nochange(args.config, datetime.fromisoformat(args.now))}))
    return 0


def run_child(mode: str, env: dict[str, str] | None = None, **options: object) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", mode]
    for key, value in options.items():
        command += [f"--{key}", str(value)]
    run = run_measured(command, env=env)
    if run.returncode != 0:
        raise SystemExit(f"bench child {mode} failed ({run.returncode}):\n{run.stderr[-3000:]}")
    result: dict[str, object] = json.loads(run.stdout.strip().splitlines()[-1])
    result["_seconds"] = run.seconds
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000, help="mailbox size (default 100000)")
    parser.add_argument("--batch-size", type=int, default=200, help="[imap] batch_size of the agent and floor")
    parser.add_argument("--keep", action="store_true", help="keep the states (the Dovecot tree is always removed)")
    for hidden in ("child", "root", "config", "now"):
        parser.add_argument(f"--{hidden}", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.root = Path(args.root) if args.root else None
        args.config = Path(args.config) if args.config else None
        return child(args)

    from agent.mail.imap import HEADER_ITEM
    from tests.integration.dovecot import DovecotServer, TcpProxy

    items = json.dumps(["INTERNALDATE", "BODYSTRUCTURE", HEADER_ITEM])

    def probe(port: int, user: str) -> list[str]:
        return [sys.executable, str(PROBE), "imap", str(port), user, str(batch), str(LOOKBACK_DAYS), items]

    n, small, batch = args.messages, max(args.messages // 10, 1), args.batch_size
    now = datetime.now(UTC).replace(microsecond=0)
    workdir = Path(tempfile.mkdtemp(prefix="followup-imap-floor-"))
    try:
        with DovecotServer(tls=False) as server, TcpProxy(server.port) as proxy:
            accounts = {n: server.new_user(), small: server.new_user()}
            for size, user in accounts.items():
                root = server.root / "home" / user.name / "Maildir"
                stats = run_child("build", root=root, messages=size, now=now.isoformat())
                env = agent_env({PASSWORD_ENV: user.password})
                warm = run_measured(probe(server.port, user.name), env=env)
                print(f"mailbox of {size}: {json.dumps({k: v for k, v in stats.items() if k != '_seconds'})}, "
                      f"written in {float(str(stats['_seconds'])):.1f} s, indexed by Dovecot in "
                      f"{warm.seconds:.1f} s (Dovecot {server.version})", flush=True)  # fmt: skip
            floors, agents, smalls, rss = [], [], [], []
            big = accounts[n]
            big_env = agent_env({PASSWORD_ENV: big.password})
            for attempt in range(REPEATS):
                floors.append(run_measured(probe(server.port, big.name), env=big_env).seconds)
                for size, times in ((n, agents), (small, smalls)):
                    user = accounts[size]
                    config = write_config(workdir, server.port, user.name, workdir / f"state-{size}-{attempt}.db",
                                          batch)  # fmt: skip
                    run = run_measured(agent_command(config, now), env=agent_env({PASSWORD_ENV: user.password}))
                    if run.returncode != 0:
                        raise SystemExit(f"followup-agent scan failed ({run.returncode}):\n{run.stderr[-3000:]}")
                    times.append(run.seconds)
                    if size == n:
                        rss.append(run.rss_mb)
                print(f"run {attempt + 1}: floor {floors[-1]:.2f} s, agent {agents[-1]:.2f} s "
                      f"(rss {rss[-1]:.0f} MB), agent at {small} {smalls[-1]:.2f} s", flush=True)  # fmt: skip

            config = write_config(workdir, proxy.port, big.name, workdir / f"state-{n}-0.db", batch)
            later = (now + timedelta(minutes=15)).isoformat()
            quiet, counts = [], []
            for _ in range(REPEATS):
                proxy.reset_counters()
                quiet.append(float(str(run_child("nochange", big_env, config=config, now=later)["seconds"])))
                names = proxy.command_names()
                after = names[names.index("LOGIN") + 1 :] if "LOGIN" in names else names
                after = [name for name in after if name != "LOGOUT"]
                counts.append(len(after))
            print(f"no-change scan commands after LOGIN: {' | '.join(after)}")
        agent, floor_s, small_s = median(agents), median(floors), median(smalls)
        growth = agent / small_s if small_s else float("inf")
        ratio = agent / floor_s if floor_s else float("inf")
        commands = max(counts)
        misses = check(Targets(), ratio, max(rss), commands, FOLDERS, median(quiet), growth)
        for miss in misses:
            print(f"MISS {miss}")
        print(last_line("imap-floor", n, agent, floor_s, max(rss), commands, median(quiet), growth))
        return 1 if misses else 0
    finally:
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
