"""One module per sub-command; each exposes ``register(subparsers)`` and ``handle(args)``.

:func:`cli.main.build_parser` finds them by scanning this package, so adding a command is adding
a module here. Help lists the commands in ``ORDER``, then any other module alphabetically.
"""

ORDER = ("run", "compare", "sweep", "sensitivity", "report", "validate", "viz")
"""The order in which ``alliance-sim --help`` lists the commands."""
