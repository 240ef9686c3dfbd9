"""agent/cli.py called in process: what the command line says about arguments it cannot use.

tests/integration/test_cli.py runs the command line as a user does, in real subprocesses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from agent import cli


@pytest.mark.parametrize(
    "args",
    [
        ["snooze", "1", "--days", "99999999"],
        ["snooze", "1", "--days", "-3"],
        ["explain", "99999999999999999999"],
        ["close", "99999999999999999999"],
    ],
)
def test_an_out_of_range_number_on_the_command_line_is_a_clear_error_not_a_traceback(
    config_file: Path, capsys: pytest.CaptureFixture[str], args: list[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main(["--config", str(config_file), *args])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "must be" in err
