"""How close a first Maildir scan comes to the cheapest possible look at every message, and how it grows.

Run from the repository root (not collected by pytest):

    .venv/bin/python bench/maildir_floor.py [--messages N] [--keep]

It writes a realistic Maildir of N messages (default 100000; bench/floor_common.py says what is in it) and one
of N/10, each in a child process so this parent stays small. Then, alternating three times, it runs

  * the floor: a child (bench/floor_probe.py, standard library only) that reads every file's header block and
    parses it with `email.parser.BytesHeaderParser(policy=compat32)`, nothing more;
  * the agent: `followup-agent scan` as a subprocess on an empty state, the lookback covering the mailbox;
  * the agent on the N/10 mailbox (growth);

and takes medians. Peak RSS is the agent child's own ru_maxrss (wait4). Then a no-change scan on the state the
agent left: its wall time inside the process (`run_scan_once`, as every daemon tick runs it; the interpreter's
start is not the scan's), and, as a Maildir has no commands, 0 IMAP commands.

Last line: `maildir-floor: N msgs ratio R agent A s floor F s rss M MB nochange C cmds T s growth G`.
Targets (exit status 1 on a miss): R <= 1.2, M <= 150, T < 0.2, G <= 11.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from floor_common import (
    MBSYNC,
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
PROBE = Path(__file__).resolve().parent / "floor_probe.py"


def write_config(workdir: Path, root: Path, state: Path) -> Path:
    body = f'[maildir]\npath = "{root}"\ninbox = "{MBSYNC.inbox}"\nsent = "{MBSYNC.sent}"\ndrafts = "{MBSYNC.drafts}"\n'
    path = workdir / f"config-{state.stem}.toml"
    path.write_text(config_text("maildir", state, body))
    return path


def child(args: argparse.Namespace) -> int:
    if args.child == "build":
        stats = build_mailbox(args.root, MBSYNC, args.messages, datetime.fromisoformat(args.now))
        print(json.dumps(asdict(stats)))
    elif args.child == "nochange":
        print(json.dumps({"seconds": nochange(args.config, datetime.fromisoformat(args.now))}))
    return 0


def run_child(mode: str, **options: object) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", mode]
    for key, value in options.items():
        command += [f"--{key}", str(value)]
    run = run_measured(command)
    if run.returncode != 0:
        raise SystemExit(f"bench child {mode} failed ({run.returncode}):\n{run.stderr[-3000:]}")
    result: dict[str, object] = json.loads(run.stdout.strip().splitlines()[-1])
    result["_seconds"] = run.seconds
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=100_000, help="mailbox size (default 100000)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary mailboxes and states")
    parser.add_argument("--child", choices=("build", "nochange"), help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--config", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--now", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args)

    n, small = args.messages, max(args.messages // 10, 1)
    now = datetime.now(UTC).replace(microsecond=0)
    workdir = Path(tempfile.mkdtemp(prefix="followup-maildir-floor-"))
    try:
        roots = {n: workdir / f"mail-{n}", small: workdir / f"mail-{small}"}
        for size, root in roots.items():
            stats = run_child("build", root=root, messages=size, now=now.isoformat())
            print(f"mailbox of {size}: {json.dumps({k: v for k, v in stats.items() if k != '_seconds'})}, "
                  f"written in {float(str(stats['_seconds'])):.1f} s", flush=True)  # fmt: skip
        probe = [sys.executable, str(PROBE), "maildir", str(roots[n]), MBSYNC.inbox, MBSYNC.sent]
        run_measured(probe)  # warm the page cache, so the first timed run is not the only cold one
        floors, agents, smalls, rss = [], [], [], []
        for attempt in range(REPEATS):
            floors.append(run_measured(probe).seconds)
            for size, times in ((n, agents), (small, smalls)):
                state = workdir / f"state-{size}-{attempt}.db"
                config = write_config(workdir, roots[size], state)
                run = run_measured(agent_command(config, now), env=agent_env())
                if run.returncode != 0:
                    raise SystemExit(f"followup-agent scan failed ({run.returncode}):\n{run.stderr[-3000:]}")
                times.append(run.seconds)
                if size == n:
                    rss.append(run.rss_mb)
            print(f"run {attempt + 1}: floor {floors[-1]:.2f} s, agent {agents[-1]:.2f} s (rss {rss[-1]:.0f} MB), "
                  f"agent at {small} {smalls[-1]:.2f} s", flush=True)  # fmt: skip
        config = write_config(workdir, roots[n], workdir / f"state-{n}-0.db")
        later = (now + timedelta(minutes=15)).isoformat()
        quiet = [float(str(run_child("nochange", config=config, now=later)["seconds"])) for _ in range(REPEATS)]
        agent, floor_s, small_s = median(agents), median(floors), median(smalls)
        growth = agent / small_s if small_s else float("inf")
        ratio = agent / floor_s if floor_s else float("inf")
        misses = check(Targets(), ratio, max(rss), 0, FOLDERS, median(quiet), growth)
        for miss in misses:
            print(f"MISS {miss}")
        print(last_line("maildir-floor", n, agent, floor_s, max(rss), 0, median(quiet), growth))
        return 1 if misses else 0
    finally:
        if args.keep:
            print(f"kept {workdir}", file=sys.stderr)
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
