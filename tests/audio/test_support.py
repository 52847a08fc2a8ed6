"""The test-support helpers themselves (shared with the end-to-end tests)."""

import numpy as np
import pytest

from tests.support.signal import inner_silence_s, without_silences, xcorr_similarity

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


def test_a_break_inserted_into_a_recording_is_measured_and_can_be_cut_out():
    noise = np.random.default_rng(0).normal(0, 3000, 44100)
    programme = np.concatenate([noise, np.zeros(22050), noise]).astype(np.int16)  # its own 0.5 s pause
    heard = np.concatenate([np.zeros(9000), programme[:60000], np.zeros(3000),  # a 68 ms break
                            programme[60000:], np.zeros(9000)]).astype(np.int16)
    assert inner_silence_s(programme) == 0.5
    assert inner_silence_s(heard) == pytest.approx(0.5 + 3000 / 44100)  # lead-in and tail not counted
    assert xcorr_similarity(heard, programme) < 0.9  # the break shifts the rest
    assert xcorr_similarity(without_silences(heard), without_silences(programme)) > 0.99
