"""``python -m cli`` is the same as the ``alliance-sim`` command."""

from cli.main import main

raise SystemExit(main())
