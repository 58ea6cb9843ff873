"""Nations as Mesa agents: thin views onto the model's arrays.

State lives in :class:`simulation.state.State` so mechanisms stay vectorised; a ``Nation`` exposes
its own entries as properties, so Mesa idioms (``model.agents.select``, ``agg``, agent reporters
in a ``DataCollector``) work on nations.
"""

from __future__ import annotations

import mesa
import numpy as np


class Nation(mesa.Agent):
    """One nation; ``index`` is its row in every state array."""

    def __init__(self, model: mesa.Model, index: int):
        super().__init__(model)
        self.index = index

    @property
    def _s(self):
        return self.model.state

    @property
    def iso3(self) -> str:
        """ISO3 code."""
        return self._s.iso3[self.index]

    @property
    def name(self) -> str:
        """Display name."""
        return self._s.names[self.index]

    @property
    def role(self) -> str:
        """member, partner, adversary or neutral."""
        return str(self._s.role[self.index])

    @property
    def gdp_busd(self) -> float:
        """GDP, billion USD."""
        return float(self._s.gdp[self.index])

    @property
    def defence_share_pct(self) -> float:
        """Defence spending, % of GDP."""
        return float(self._s.defence_share[self.index] * 100.0)

    @property
    def capability_busd(self) -> float:
        """Capability stock, billion USD."""
        return float(self._s.capability[self.index])

    @property
    def readiness(self) -> float:
        """Readiness, 0-1."""
        return float(self._s.readiness[self.index])

    @property
    def threat(self) -> float:
        """Threat perception of the adversary, 0-1."""
        return float(self._s.threat[self.index])

    @property
    def influence(self) -> float:
        """Negotiating influence (members sum to 1)."""
        return float(self._s.influence[self.index])

    @property
    def trust_given(self) -> np.ndarray:
        """Row of the trust matrix: how much this nation trusts each other nation (a view)."""
        return self._s.trust[self.index]

    @property
    def trust_received(self) -> np.ndarray:
        """Column of the trust matrix: how much each nation trusts this one (a view)."""
        return self._s.trust[:, self.index]

    @property
    def mean_trust_given(self) -> float:
        """Mean trust this nation places in the other members, 0-1."""
        return self._mean_over_members(self.trust_given)

    @property
    def mean_trust_received(self) -> float:
        """Mean trust the other members place in this nation, 0-1."""
        return self._mean_over_members(self.trust_received)

    def _mean_over_members(self, values: np.ndarray) -> float:
        mask = self._s.member.copy()
        mask[self.index] = False
        return float(values[mask].mean()) if mask.any() else float("nan")
