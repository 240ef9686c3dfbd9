"""`python -m agent` runs the command-line interface."""

from agent.cli import main

raise SystemExit(main())
