"""The ``alliance-sim`` command line: the layer above :mod:`simulation` and :mod:`analysis`.

Imports flow one way: commands use the model and the analysis; neither imports this package.
:mod:`cli.main` builds the parser from the command modules of :mod:`cli.commands`.
"""
