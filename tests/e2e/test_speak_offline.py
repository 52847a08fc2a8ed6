"""`radio speak --engine auto` never hangs: unreachable or silent network → espeak-ng within 30 s."""

import time
import wave

import pytest

from tests.e2e.station_process import StationCli
from tests.support.fake_gtts import BlackHoleProxy, refused_url

pytestmark = pytest.mark.e2e

TEXT = ("Căn cứ Kế hoạch số 05/KH-UBND ngày 05/01/2022 của UBND huyện về cải cách hành chính, "
        "UBND xã xây dựng kế hoạch tuyên truyền CCHC năm 2022. ") * 12  # about 1,500 characters


def speak(cli, tmp_path):
    out = tmp_path / "out.wav"
    started = time.monotonic()
    done = cli.run("speak", TEXT, "-o", str(out), "--engine", "auto")
    took = time.monotonic() - started
    with wave.open(str(out)) as wav:
        assert wav.getnframes() / wav.getframerate() > 30
    return done.stdout, took


def test_silent_network_falls_back_to_espeak_in_time(tmp_path):
    with BlackHoleProxy() as proxy:
        cli = StationCli(tmp_path / "home", {"HTTPS_PROXY": proxy.url, "https_proxy": proxy.url, "NO_PROXY": ""})
        output, took = speak(cli, tmp_path)
        assert proxy.connections >= 1  # it really tried, and was swallowed
    assert "engine espeak" in output
    assert took < 30


def test_unreachable_network_falls_back_to_espeak_in_time(tmp_path):
    proxy = refused_url()
    cli = StationCli(tmp_path / "home", {"HTTPS_PROXY": proxy, "https_proxy": proxy, "NO_PROXY": ""})
    output, took = speak(cli, tmp_path)
    assert "engine espeak" in output
    assert took < 30
