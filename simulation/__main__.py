"""``python -m simulation`` is the same as the ``alliance-sim`` command."""

from simulation.cli import main

raise SystemExit(main())
