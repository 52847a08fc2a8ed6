"""A viewer cannot fill the disk with speech.

The attack: ``POST /speech/listen`` with 3,000 words rendered 749 s of speech
(33 MB) in 2.9 s for a viewer; eleven requests grew ``speech/`` to 203 MB.
Now a preview is an officer's, at most MAX_LISTEN_CHARS long, a few a minute
per user, and the cache has a size limit whose eviction never touches what
air needs (radio/speech/cache.py).
"""

import json
import os
from datetime import timedelta

import pytest

from radio.speech import preview, cache as speech_cache
from radio import settings as settings_mod
from radio.accounts.roles import PermissionDeniedError
from radio.bulletins.lifecycle import add_bulletin, approve_bulletin, get_bulletin
from radio.wording.messages import vi
from radio.programme.parts import render_ident
from tests.support.actors import ADMIN, LEADER, OFFICER, OTHER_OFFICER, VIEWER

MB = 1024 * 1024
WORDS_3000 = " ".join(["Ủy ban nhân dân xã thông báo lịch tiêm chủng cho trẻ."] * 250)  # 3,000 words


@pytest.fixture
def settings(home, db):
    values = settings_mod.load(home, db)
    values["engine"] = "espeak"
    return values


def _speech_files(home):
    return sorted(p.name for p in home.speech_cache.iterdir() if p.is_file())


def test_a_viewer_renders_nothing(home, db, settings, clock):
    with pytest.raises(PermissionDeniedError):
        preview.listen(db, home, settings, "Xã họp lúc 14h.", actor=VIEWER, now=clock.now())
    draft = add_bulletin(db, title="Tin", text="Nội dung bản nháp.", now=clock.now(), actor=OFFICER)
    with pytest.raises(PermissionDeniedError):
        preview.bulletin_audio(db, home, settings, get_bulletin(db, draft), actor=VIEWER, now=clock.now())
    assert _speech_files(home) == []


def test_three_thousand_words_are_refused_before_any_render(home, db, settings, clock):
    assert len(WORDS_3000.split()) == 3000
    with pytest.raises(preview.PreviewTooLongError) as info:
        preview.listen(db, home, settings, WORDS_3000, actor=OFFICER, now=clock.now())
    assert _speech_files(home) == []
    assert vi(info.value).startswith("Nghe thử tối đa 5.000 ký tự; nội dung này dài")


def test_each_user_starts_a_few_previews_a_minute(home, db, settings, clock):
    settings["preview_renders_per_minute"] = 3
    for n in range(3):
        preview.listen(db, home, settings, f"Thông báo số {n}.", actor=OFFICER, now=clock.now())
    with pytest.raises(speech_cache.TooManyRendersError) as info:
        preview.listen(db, home, settings, "Thông báo số 9.", actor=OFFICER, now=clock.now())
    assert vi(info.value).startswith("Bạn đã tạo 3 lần nghe thử trong một phút vừa qua; tối đa 3 lần")
    assert len(_speech_files(home)) == 3
    # hearing again what is made costs nothing; another officer has their own share
    preview.listen(db, home, settings, "Thông báo số 1.", actor=OFFICER, now=clock.now())
    preview.listen(db, home, settings, "Thông báo số 9.", actor=OTHER_OFFICER, now=clock.now())
    clock.advance(61)
    preview.listen(db, home, settings, "Thông báo số 10.", actor=OFFICER, now=clock.now())
    assert len(_speech_files(home)) == 5
    assert db["speech_previews"].count == 5


def _file(home, name, size_mb, mtime):
    path = home.speech_cache / name
    with open(path, "wb") as fh:
        fh.truncate(size_mb * MB)  # sparse: the size counts, the disk is spared
    os.utime(path, (mtime, mtime))
    return path


def test_eviction_takes_old_previews_and_never_what_air_needs(home, db, settings, clock):
    settings["speech_cache_max_mb"] = 50
    now = clock.now()
    old = (now - timedelta(hours=2)).timestamp()
    # what air needs: an approved bulletin's render, the ident, a part not kept for replay yet
    bulletin = add_bulletin(db, title="Tin", text="Nội dung.", now=now, actor=OFFICER)
    approve_bulletin(db, bulletin, actor=LEADER, expected_sha256=None, now=now)
    air = _file(home, "a" * 64 + ".wav", 20, old - 3600)
    db["renders"].update(bulletin, {"state": "done", "path": str(air)})
    ident = render_ident(db, home, settings).path
    os.utime(ident, (old - 7200, old - 7200))
    part = _file(home, "b" * 64 + ".wav", 5, old - 3600)
    db["programme_recipes"].insert({"sha256": "c" * 64, "created_at": "2026-11-23T00:00:00Z", "complete": 0,
                                    "recipe": json.dumps({"parts": [{"sha256": "x", "source": str(part)}]})})
    # previews: two old ones (the oldest-used first), one just made, and a file never marked
    oldest = _file(home, "d" * 64 + ".wav", 10, old - 60)
    older = _file(home, "e" * 64 + ".wav", 10, old)
    fresh = _file(home, "f" * 64 + ".wav", 10, now.timestamp() - 60)
    unmarked = _file(home, "0" * 64 + ".wav", 10, old - 9000)
    for path in (air, oldest, older, fresh, ident):
        speech_cache.mark_preview(db, path, actor=OFFICER, now=now)  # air audio heard first as a preview
    # the ident lives outside the cache (parts/), so the cache holds the six files above
    assert speech_cache.usage_bytes(home) >= 65 * MB

    evicted = speech_cache.evict(db, home, settings, now=now)

    assert evicted == [oldest, older]
    assert speech_cache.usage_bytes(home) <= 50 * MB
    for path in (air, ident, part, fresh, unmarked):
        assert path.is_file(), path.name
    assert {r["name"] for r in db["speech_previews"].rows} == {air.name, fresh.name, ident.name}


def test_a_cache_full_of_what_air_needs_refuses_previews(home, db, settings, clock):
    settings["speech_cache_max_mb"] = 50
    now = clock.now()
    bulletin = add_bulletin(db, title="Tin", text="Nội dung.", now=now, actor=OFFICER)
    approve_bulletin(db, bulletin, actor=LEADER, expected_sha256=None, now=now)
    air = _file(home, "a" * 64 + ".wav", 60, now.timestamp() - 86400)
    db["renders"].update(bulletin, {"state": "done", "path": str(air)})
    with pytest.raises(speech_cache.CacheFullError) as info:
        preview.listen(db, home, settings, "Xã họp lúc 14h.", actor=OFFICER, now=now)
    assert "Bộ nhớ giọng đọc đã đầy (50 MB)" in vi(info.value)
    assert air.is_file() and _speech_files(home) == [air.name]


def test_a_preview_past_the_limit_evicts_older_previews(home, db, settings, clock):
    settings["speech_cache_max_mb"] = 50
    now = clock.now()
    stale = _file(home, "d" * 64 + ".wav", 50, (now - timedelta(hours=1)).timestamp())
    speech_cache.mark_preview(db, stale, actor=OTHER_OFFICER, now=now - timedelta(hours=1))
    rendering = preview.listen(db, home, settings, "Xã họp lúc 14h.", actor=OFFICER, now=now)
    assert rendering.path.is_file() and not stale.exists()
