"""The test-support helpers themselves (shared with the end-to-end tests)."""

import numpy as np

from tests.support.signal import xcorr_similarity

from .conftest import sweep


def test_xcorr_similarity_matches_shifted_and_padded_copies():
    a = sweep(1.0).astype(float)
    recorded = np.concatenate([np.zeros(5000), a * 0.3, np.zeros(3000)])
    assert xcorr_similarity(recorded, a) > 0.99
    noisy = recorded + np.random.default_rng(1).normal(0, 200, recorded.size)
    assert xcorr_similarity(noisy, a) > 0.9


def test_xcorr_similarity_rejects_different_sound():
    a = sweep(1.0)
    other = np.random.default_rng(2).normal(0, 3000, a.size)
    assert xcorr_similarity(other, a) < 0.3
    assert xcorr_similarity(a, np.zeros(0)) == 0.0
    # Half a recording still matches the part it has (the shorter slides in the longer).
    assert xcorr_similarity(a[: a.size // 2], a) > 0.99
