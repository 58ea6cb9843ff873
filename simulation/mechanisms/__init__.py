"""One module per mechanism; each is a set of functions over the model's numpy arrays.

The phase order in which :class:`simulation.model.AllianceModel` calls them is stated once, in
``AllianceModel.step`` and in ``docs/ODD.md`` ("Process overview and scheduling").
"""
