"""Which statement to show next: Polis' comment priority (OPINION_MATH 1.11)."""

from __future__ import annotations

import numpy as np

META_PRIORITY = 49.0  # Polis shows meta statements early: 7^2


def priorities(
    agree: np.ndarray,
    disagree: np.ndarray,
    seen: np.ndarray,
    extremity: np.ndarray,
    *,
    is_meta: np.ndarray,
    in_maths: np.ndarray,
) -> np.ndarray:
    """((1 - p) * (E + 1) * a * (1 + 8 * 2^(-S/5)))^2 with p = pass rate and a = agree rate, both
    with a +1/+2 prior; new statements get a boost that fades as they are seen. Statements out of
    the maths (rejected) get 0 so they are never shown, meta ones 49."""
    passes = seen - agree - disagree
    p = (passes + 1.0) / (seen + 2.0)
    a = (agree + 1.0) / (seen + 2.0)
    value = ((1.0 - p) * (extremity + 1.0) * a * (1.0 + 8.0 * np.exp2(-seen / 5.0))) ** 2
    value = np.where(in_maths, value, 0.0)
    return np.where(is_meta, META_PRIORITY, value)
