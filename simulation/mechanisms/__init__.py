"""One module per mechanism, each whole: parameters, pure rules, phase and outputs.

Every mechanism module exposes the same interface: ``Params`` (its parameter dataclass, or
``None``), ``SECTION`` (its key in the scenario file, or ``None``), ``init(model)``,
``step(model)`` (its phase) and ``OUTPUTS`` (its per-step columns). The order in which
:class:`simulation.model.AllianceModel` runs them is written once, in ``simulation.model.PHASES``,
and matched by ``docs/ODD.md`` ("Process overview and scheduling"). ``rates`` and
``negotiation`` are shared rules, not phases. See ``docs/adding_a_mechanism.md``.
"""
