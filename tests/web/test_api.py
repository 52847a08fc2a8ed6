"""The read-only JSON API: bearer tokens only, every route in the OpenAPI document and every
response valid against it."""

import json
from datetime import timedelta

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse

from radio.proof import log as prooflog
from radio.accounts import tokens
from radio.accounts.roles import Actor
from web.api.spec import SPEC_PATH

from .conftest import START

ADMIN = Actor("quantri", "admin")
SPEC = json.loads(SPEC_PATH.read_text(encoding="utf-8"))
OPENAPI = OpenAPI.from_dict(SPEC)


@pytest.fixture
def secret(db):
    return tokens.create_token(db, ADMIN, "huyen", now=START)[1]


def get(client, path, secret=None, **kwargs):
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    response = client.get(path, headers=headers, **kwargs)
    # every answer, errors included, is one the document describes
    OPENAPI.validate_response(WerkzeugOpenAPIRequest(response.request), WerkzeugOpenAPIResponse(response))
    assert "Set-Cookie" not in response.headers
    return response


def log(db, n):
    for i in range(n):
        prooflog.append(db, prooflog.Entry(
            key=f"slot:1:{i}", slot_id=1, scheduled_at=START + timedelta(hours=i), status="aired",
            started_at=START + timedelta(hours=i), ended_at=START + timedelta(hours=i, seconds=20),
            seconds_played=20.0, programme_seconds=20.0, programme_sha256="a" * 64, loudness_lufs=-16.0,
            hooks=[{"hook": "before", "ok": True}], output="device:default",
            items=[prooflog.LoggedItem(0, 1, f"Tin {i}", "cchc", "normal", "c" * 64, "b" * 64, "espeak",
                                       20000, True)]), now=START + timedelta(hours=i, minutes=1))


def test_every_route_is_in_the_document_and_the_document_is_served(app, client):
    routes = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/")}
    assert routes == set(SPEC["paths"])
    assert get(client, "/api/v1/openapi.json").get_json() == SPEC


@pytest.mark.parametrize("path", ["/api/v1/log", "/api/v1/log/head", "/api/v1/health", "/api/v1/targets"])
def test_no_token_no_access(client, path, secret):
    for header in (None, "radio_wrong", "radio_" + "x" * 43):
        response = get(client, path, header)
        assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get(path, headers={"Authorization": f"Basic {secret}"}).status_code == 401


def test_an_admin_session_cookie_gives_no_access(client, auth):
    auth.login("quantri", "admin")
    assert client.get("/bulletins/").status_code == 200  # the session works on the admin
    assert get(client, "/api/v1/log").status_code == 401


def test_a_revoked_token_is_refused_from_the_next_request(client, db, secret):
    assert get(client, "/api/v1/log/head", secret).status_code == 200
    tokens.revoke_token(db, ADMIN, "huyen", now=START)
    assert get(client, "/api/v1/log/head", secret).status_code == 401


def test_the_log_in_pages_with_items_hashes_and_the_chain_head(client, db, secret):
    log(db, 5)
    seen, url = [], "/api/v1/log?limit=2&month=2026-11"
    while url:
        body = get(client, url, secret).get_json()
        seen += body["entries"]
        url = body["next"]
    assert [e["id"] for e in seen] == [1, 2, 3, 4, 5]
    count, head = prooflog.chain_head(db)
    assert body["chain_head"] == {"entries": count, "hash": head} and seen[-1]["hash"] == head
    assert seen[0]["items"][0]["audio_sha256"] == "b" * 64 and seen[0]["programme_sha256"] == "a" * 64
    assert seen[1]["prev_hash"] == seen[0]["hash"]
    assert get(client, "/api/v1/log?from=2026-11-23", secret).get_json()["entries"] == []
    assert get(client, "/api/v1/log/head", secret).get_json() == {"entries": 5, "hash": head}


@pytest.mark.parametrize("query", ["month=11-2026", "from=hôm-qua", "limit=0", "limit=x", "after=-3",
                                   "month=2026-11&from=2026-11-01",
                                   # each was a 500 (HTML), or accepted by int()
                                   "after=" + "9" * 20, "from=0001-01-01&until=9999-12-31", "until=9999-12-31",
                                   "limit=٣", "limit=1_0", "limit=²", "after=1_0"])
def test_bad_queries_are_400_with_one_message(client, secret, query):
    response = client.get(f"/api/v1/log?{query}", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 400 and set(response.get_json()) == {"error"}


def test_health(client, db, secret, clock):
    body = get(client, "/api/v1/health", secret).get_json()
    assert body["daemon_running"] is False and body["chain_head"]["entries"] == 0
    assert body["now"] == "2026-11-22T02:00:00.000+00:00"


def test_token_use_is_recorded(client, db, secret):
    get(client, "/api/v1/health", secret)
    (listed,) = tokens.list_tokens(db, ADMIN)
    assert listed.last_used_at == START


def test_posts_are_not_allowed(client, secret):
    response = client.post("/api/v1/log", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 405
    assert response.is_json and set(response.get_json()) == {"error"}  # JSON, never an HTML error page


@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v2/log", "/api/", "/api/v1/log/head/x", "/api/v1/log/٣"])
def test_unknown_api_paths_answer_json(client, secret, path):
    for headers in ({}, {"Authorization": f"Bearer {secret}"}):
        response = client.get(path, headers=headers)
        assert response.status_code == 404 and response.is_json and set(response.get_json()) == {"error"}


def test_targets_count_aired_cchc_bulletins_against_the_plan(client, db, secret, clock):
    log(db, 2)  # two aired CCHC occurrences on 23/11/2026
    clock.set(START + timedelta(days=2))
    body = get(client, "/api/v1/targets?month=2026-11", secret).get_json()
    (month,) = [t for t in body["targets"] if t["period_kind"] == "month"]
    assert (month["topic"], month["period"], month["minimum"], month["count"], month["status"]) == (
        "cchc", "2026-11", 1, 2, "met")
    assert body["chain_head"]["entries"] == 2 and "partial ones do not count" in body["counts"]
    december = get(client, "/api/v1/targets?month=2026-12", secret).get_json()["targets"]
    assert [t["count"] for t in december if t["period_kind"] == "month"] == [0]


@pytest.mark.parametrize("query", ["month=2026-13", "period=2026-Q7", "month=2026-11&period=2026-Q4"])
def test_targets_bad_periods_are_400(client, secret, query):
    response = get(client, f"/api/v1/targets?{query}", secret)
    assert response.status_code == 400 and response.get_json()["error"]


def test_log_entries_say_whether_they_reached_loudspeakers(client, db, secret):
    """An airing to a file is labelled in the API too."""
    log(db, 1)
    prooflog.append(db, prooflog.Entry(
        key="slot:1:file", slot_id=1, scheduled_at=START + timedelta(hours=5), status="aired",
        output="file:/srv/ghi-am", items=[]), now=START + timedelta(hours=5))
    body = get(client, "/api/v1/log", secret).get_json()
    assert [(e["output"], e["loudspeakers"]) for e in body["entries"]] == [
        ("device:default", True), ("file:/srv/ghi-am", False)]
