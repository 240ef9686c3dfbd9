"""Times every compiled regex of agent.detect (and agent.parsing) on pathological input; run by test_regexes.py.

Patterns are discovered by introspection, so a regex added to agent/detect later is covered without a change
here: every `re.Pattern` a module holds at its top level or inside a top-level list, tuple, set or dict.
Inputs are folded as agent.parsing folds text before detection. Prints `START n name` before each pattern and
`SLOW n name input seconds` for each search over the budget, so that a search that never ends is named by the
parent, which kills this process after its time budget.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import sys
import time
from collections.abc import Iterator

import agent.detect
from agent.detect.gate import Gated

BUDGET = 0.5
SIZE = 5_000


def patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    seen: set[int] = set()
    modules = [importlib.import_module(f"agent.detect.{m.name}") for m in pkgutil.iter_modules(agent.detect.__path__)]
    modules += [agent.detect, importlib.import_module("agent.parsing")]
    for module in modules:
        for name, value in sorted(vars(module).items()):
            items = [value]
            if isinstance(value, (list, tuple, set, frozenset)):
                items = list(value)
            elif isinstance(value, dict):
                items = [*value.keys(), *value.values()]
            for item in items:
                if isinstance(item, Gated):
                    item = item.regex  # the pattern as it runs, with its first-character check
                if isinstance(item, re.Pattern) and isinstance(item.pattern, str) and id(item) not in seen:
                    seen.add(id(item))
                    yield f"{module.__name__}.{name}", item


def inputs(pattern: re.Pattern[str]) -> Iterator[tuple[str, str]]:
    literal = sorted({ch for ch in pattern.pattern if ch.isalnum() or ch in " .,:;-/@<>=?\n'\"()"})[:40]
    yield "spaces", " " * SIZE
    yield "newlines", "\n" * SIZE
    yield "digits", "1" * SIZE
    yield "digit-colons", "1:" * (SIZE // 2)
    yield "words", "on the " * (SIZE // 7)
    yield "dots", ". " * (SIZE // 2)
    yield "dashes", "-" * SIZE
    for ch in literal:
        yield f"{ch!r}*n", ch * SIZE
        yield f"{ch!r} *n", (ch + " ") * (SIZE // 2)
        yield f"{ch!r}*n!", ch * SIZE + "\x00!"
    yield "pattern-letters", "".join(literal) * (SIZE // max(1, len(literal)))


def main() -> None:
    from agent.parsing import _tidy

    for number, (name, pattern) in enumerate(patterns()):
        print(f"START {number} {name}", flush=True)
        for label, raw in inputs(pattern):
            # What detection is given: parsing folds runs of blanks and of empty lines (tidy), so a run of 5,000
            # spaces never reaches a pattern; runs of anything else do.
            text = _tidy(raw)
            started = time.perf_counter()
            pattern.search(text)
            for _ in pattern.finditer(text[: SIZE // 2]):
                pass
            took = time.perf_counter() - started
            if took > BUDGET:
                print(f"SLOW {number} {name} {label} {took:.2f}", flush=True)
    print("END", flush=True)


if __name__ == "__main__":
    sys.exit(main())
