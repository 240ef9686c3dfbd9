# The two quick-start commands: `make demo` and `make test`. Each installs what it needs.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: demo test lint unit system-deps bench report-png reliability clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

# Dovecot for the IMAP integration tests, systemd-analyze for the unit-file tests, Chromium for the report's.
system-deps:
	@missing=""; \
	command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || missing="$$missing dovecot-imapd"; \
	command -v systemd-analyze >/dev/null 2>&1 || missing="$$missing systemd"; \
	[ -x /usr/lib/chromium/chromium ] || command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

demo: $(STAMP)
	$(VENV)/bin/followup-agent demo

lint: $(STAMP)
	$(VENV)/bin/ruff check agent tests bench
	$(VENV)/bin/ruff format --check agent tests bench
	$(VENV)/bin/mypy

test: $(STAMP) system-deps lint
	$(VENV)/bin/pytest -q -p no:cacheprovider

unit: $(STAMP)
	$(VENV)/bin/pytest -q tests/unit

# Issue 11's reliability suite at full size (kills, faults, fuzzing, malformed mail, secrets, file modes): one line
# per check and a summary line; `make test` runs the same tests at their small sizes. About 10 minutes on 2 cores.
reliability: $(STAMP) system-deps
	$(PY) tests/reliability/run.py

# Every benchmark (bench/README.md): the Maildir scan checks its targets; IMAP and Gmail report numbers.
bench: $(STAMP) system-deps
	$(PY) bench/run_all.py

# The README's screenshot: the demo's report in headless Chromium, by the browser test's own code.
report-png: $(STAMP) system-deps
	$(PY) -m tests.integration.report_png

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
