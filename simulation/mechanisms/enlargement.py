"""Enlargement: an aspirant's request, the invitation by consensus, ratification by each member.

An aspirant that meets its programme's criteria requests accession (see
:mod:`simulation.mechanisms.partnership`). The invitation is a proposal at the aspirant's
position, put by the member that trusts it most and decided under the scenario's rule (with the
kind parameters in ``enlargement``, and ``enlargement.support_threshold`` in place of the routine
threshold if it is set). A blocked aspirant may ask again after ``reapply_months``.

Once invited, each member ratifies after an exponential delay with mean
``ratification_mean_months``; a member holds out with probability
``holdout_probability * (1 - A[i, aspirant])`` (less aligned members hold out more, as Turkey and
Hungary did over Sweden) and then adds an exponential delay with mean ``holdout_extra_months``
(stream ``enlargement``). The aspirant joins when the last member has ratified: it becomes a
member (institutional trust bonus, influence, a place in decisions and burden sharing) and the
adversary's threat perception of the alliance closes ``enlargement_threat_gain`` of its gap to 1
(Russia's stated reaction to NATO enlargement; the security-dilemma reading of Jervis 1978).
Finland's accession took 11 months from application, Sweden's 22.
"""

from __future__ import annotations

import numpy as np


def ratification_months(
    rng: np.random.Generator,
    alignment_to_aspirant: np.ndarray,
    mean_months: float,
    holdout_probability: float,
    holdout_extra_months: float,
) -> tuple[np.ndarray, np.ndarray]:
    """Each ratifying member's delay in months, and which of them held out."""
    n = len(alignment_to_aspirant)
    delay = rng.exponential(mean_months, n) if mean_months > 0 else np.zeros(n)
    uniforms = rng.random(n)
    holdout = uniforms < holdout_probability * (1.0 - alignment_to_aspirant)
    extra = rng.exponential(holdout_extra_months, n) if holdout_extra_months > 0 else np.zeros(n)
    return delay + np.where(holdout, extra, 0.0), holdout
