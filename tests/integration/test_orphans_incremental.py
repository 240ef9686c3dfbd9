"""Re-joining earlier mail to an application created later in the same scan, across batches (issue 10).

The engine keeps the scan's orphans in memory instead of re-reading them all after every batch that creates an
application; a message recorded in one batch must still join the application a later batch creates.
"""

from __future__ import annotations

from pathlib import Path

from agent.mail.maildir import BATCH_SIZE
from tests import mailgen
from tests.integration.test_engine_scenarios import World, at


def newsletter(n: int) -> bytes:
    return (
        f"From: Digest <news@digest.example>\r\nTo: alex.candidate@gmail.com\r\nSubject: Weekly digest {n}\r\n"
        f"Date: Mon, 23 Feb 2026 08:00:00 -0500\r\nMessage-ID: <digest.{n}@digest.example>\r\n"
        f"List-Id: <weekly.digest.example>\r\nList-Unsubscribe: <https://digest.example/u>\r\n"
        f'Content-Type: text/plain; charset="UTF-8"\r\n\r\nThe week in review.\r\n'
    ).encode()


def test_an_orphan_from_an_early_batch_joins_an_application_a_later_batch_creates(tmp_path: Path) -> None:
    world = World(tmp_path)
    # Batch 1: Acme's invitation creates an application, so the orphans are loaded from the state.
    world.deliver(
        mailgen.calendar_invite(
            sent=at("2026-02-20T10:04"), start=at("2026-03-02T10:00"), end=at("2026-03-02T11:00"),
            message_id="acme-invite@google.com",
        )
    )  # fmt: skip
    for n in range(BATCH_SIZE):
        world.deliver(newsletter(n))
    # Batch 2: Globex's recruiter writes before any Globex application exists (recorded as an orphan).
    world.deliver(
        mailgen.reply(
            sent=at("2026-02-21T09:00"), message_id="kim-early@globex.com", in_reply_to=None,
            sender=("Kim Park", "kim.park@globex.com"), subject="Re: Platform Engineer",
            body="Hi Alex,\n\nThanks for getting back to me. Let's find a time next week.\n\nKim",
        )
    )  # fmt: skip
    for n in range(BATCH_SIZE, 2 * BATCH_SIZE):
        world.deliver(newsletter(n))
    # Batch 3: Globex's invitation, organised by the same recruiter.
    world.deliver(
        mailgen.calendar_invite(
            sent=at("2026-02-24T11:00"), start=at("2026-03-05T14:00"), end=at("2026-03-05T15:00"),
            message_id="globex-invite@google.com", organizer=("Kim Park", "kim.park@globex.com"),
            interviewers=(("Lee Wong", "lee.wong@globex.com"),), company="Globex", role="Platform Engineer",
            uid="globex-uid@google.com",
        )
    )  # fmt: skip
    world.scan("2026-02-25T09:00")

    globex = [a for a in world.store.applications() if "globex" in a.company.lower()]
    assert len(globex) == 1
    joined = {e.message_id for e in world.store.events(globex[0].id)}
    assert {"kim-early@globex.com", "globex-invite@google.com"} <= joined
