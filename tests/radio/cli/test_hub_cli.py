"""``radio hub ...`` at the command line, with its servers away: what each command prints, the
files it writes, and one ``Error:`` line (exit 3) when the servers do not answer."""

import json
import stat

import pytest
from click.testing import CliRunner

from radio.cli import cli
from radio.hub import open_hub
from radio.network.credentials import read_join

pytestmark = pytest.mark.timeout(60)

NOWHERE = "nats://127.0.0.1:1"


@pytest.fixture
def hub_env(tmp_path, clock):
    env = {"RADIO_HUB_HOME": str(tmp_path / "hub")}

    def radio(*args, code=0):
        result = CliRunner().invoke(cli, ["hub", *args], env=env, obj={"clock": clock}, catch_exceptions=False)
        assert result.exit_code == code, result.output
        if code in (1, 3):
            assert [line.startswith("Error: ") for line in result.stderr.splitlines()] == [True], result.output
        return result

    radio.root = tmp_path / "hub"
    return radio


@pytest.fixture
def radio(hub_env, tmp_path):
    hub_env("init", "--name", "Tỉnh Thử", "--servers", NOWHERE)
    for code, zone in (("XA01", "bac"), ("XA02", "nam")):
        hub_env("station", "add", code, "--name", f"Xã {code}", "--zone", zone, "-o", str(tmp_path / f"{code}.creds"))
    return hub_env


def test_init_makes_the_hub_and_again_keeps_it(hub_env):
    made = hub_env("init", "--name", "Tỉnh Thử")
    assert made.output.startswith(f"Hub of Tỉnh Thử ready in {hub_env.root}")
    assert "No servers recorded yet" in made.output
    again = hub_env("init", "--servers", "10.0.0.1:4222,nats://10.0.0.2")
    assert "already in" in again.output and "Servers: nats://10.0.0.1:4222, nats://10.0.0.2:4222" in again.output
    refused = hub_env("init", "--name", "Tỉnh Khác", code=1)
    assert "is province 'Tỉnh Thử'" in refused.stderr
    assert "give nats://HOST:PORT" in hub_env("init", "--servers", "http://x", code=1).stderr


def test_a_command_before_init_says_how_to_make_the_hub(hub_env):
    assert f"No hub in {hub_env.root}: run radio hub init first" in hub_env("status", code=1).stderr


def test_nats_config_writes_the_cluster_and_records_its_urls(hub_env, tmp_path):
    hub_env("init")
    shown = hub_env("nats-config", "--servers", "3", "--base-port", "14222", "--dir", str(tmp_path / "nats")).output
    for i in (1, 2, 3):
        assert (tmp_path / "nats" / f"nats-{i}.conf").is_file()
        assert f"  nats-server -c {tmp_path / 'nats' / f'nats-{i}.conf'}\n" in shown
    assert "Servers: nats://127.0.0.1:14222, nats://127.0.0.1:14223, nats://127.0.0.1:14224" in shown
    assert "--servers" in hub_env("nats-config", "--servers", "0", "--base-port", "1", "--dir", "x", code=2).output


def test_a_station_added_with_the_servers_away_gets_its_file_and_a_warning(radio, tmp_path):
    path = tmp_path / "XA01.creds"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and read_join(path).code == "XA01"
    added = radio("station", "add", "xa03", "--name", "Xã Ba", "-o", str(tmp_path / "XA03.creds"))
    assert added.stdout.startswith("Station XA03 (Xã Ba) registered; its join file: ")
    assert added.stderr == ("Warning: connection refused: its consumer is made at the next radio hub send "
                            "or radio hub serve.\n")
    listed = radio("station", "list").output.splitlines()
    assert [line.split()[0] for line in listed] == ["XA01", "XA02", "XA03"]
    assert "[zone bac]" in listed[0] and "consumer not made yet" in listed[0]
    assert "registered already" in radio("station", "add", "XA03", "--name", "X", "-o",
                                         str(tmp_path / "again.creds"), code=1).stderr


def test_a_send_with_the_servers_away_prints_the_id_and_one_error_naming_resend(radio):
    failed = radio("send", "--class", "khan-cap", "--to", "all", "--title", "Bão", "--text", "Bão số 9.",
                   "--by", "Nguyễn Văn A", code=3)
    assert failed.stdout == "P-20261123-0001\n"
    assert failed.stderr.startswith("Error: Bulletin P-20261123-0001 is approved but was not sent to XA01, XA02: "
                                    f"the province's NATS servers ({NOWHERE}) cannot be reached")
    assert failed.stderr.rstrip().endswith("send the rest: radio hub resend P-20261123-0001.")
    again = radio("resend", "P-20261123-0001", code=3)
    assert "not sent to XA01, XA02" in again.stderr
    assert "No provincial bulletin P-1" in radio("resend", "P-1", code=1).stderr


def test_a_send_reads_a_file_and_refuses_audio_for_now(radio, tmp_path, clock):
    document = tmp_path / "tiem.txt"
    document.write_text("Lịch tiêm chủng\n\nThứ Bảy tại trạm y tế.\n", encoding="utf-8")
    radio("send", "--class", "thuong", "--to", "zone:nam", "--file", str(document), "--by", "B", code=3)
    hub = open_hub(radio.root, clock=clock)
    row = hub.db.execute("SELECT title, text, imported_from, targets FROM bulletins").fetchone()
    hub.close()
    assert row == ("Lịch tiêm chủng", "Thứ Bảy tại trạm y tế.", "tiem.txt", '{"stations": [], "zones": ["nam"]}')
    refused = radio("send", "--class", "thuong", "--to", "all", "--title", "T", "--audio", str(document), "--by", "B",
                    code=1)
    assert "not supported yet" in refused.stderr
    assert "exactly one of --text or --file" in radio("send", "--class", "thuong", "--to", "all", "--title", "T",
                                                      "--by", "B", code=2).output
    assert "Not registered: XA09" in radio("send", "--class", "thuong", "--to", "XA09", "--title", "T", "--text",
                                           "X", "--by", "B", code=1).stderr


def test_status_shows_every_station_and_bulletin_in_both_forms(radio):
    radio("send", "--class", "uu-tien", "--to", "XA02", "--title", "Tiêm", "--text", "Tiêm.", "--by", "B", code=3)
    human = radio("status").output
    assert human.startswith(f"Province Tỉnh Thử: servers {NOWHERE}\nStations:\n")
    assert "  XA01           Xã XA01 [zone bac]: offline, no heartbeat yet; chain: no entries\n" in human
    assert ("  P-20261123-0001  priority (ưu tiên)  'Tiêm', approved by B 23/11/2026 08:00:00; "
            "delivered 0/1, aired 0/1\n") in human
    assert "    XA02           sent 23/11/2026 08:00:00, not delivered yet; last error: connection refused" in human
    shown = json.loads(radio("status", "--json").stdout)
    assert sorted(shown) == ["alerts", "bulletins", "province", "servers", "stations"]
    (bulletin,) = shown["bulletins"]
    assert (bulletin["id"], bulletin["class"], bulletin["delivered"], bulletin["stations"][0]["state"]) == (
        "P-20261123-0001", "uu-tien", 0, "not delivered")


def test_following_and_rebuilding_with_the_servers_away_end_in_one_line(radio):
    assert "cannot be reached" in radio("serve", "--once", code=3).stderr
    assert radio("rebuild", code=3).stderr.startswith("Error: Nothing was rebuilt: the province's NATS servers")


def test_a_second_applier_is_refused_while_one_runs(radio, clock):
    running = open_hub(radio.root, clock=clock)
    running.lock()
    try:
        assert "stop it first" in radio("serve", code=1).stderr
        assert "stop it first" in radio("rebuild", code=1).stderr
    finally:
        running.close()


def test_nats_config_over_tls_records_tls_urls_and_the_certificate(hub_env, tmp_path):
    hub_env("init")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    assert "no such file" in hub_env("nats-config", "--servers", "1", "--base-port", "14222", "--dir",
                                     str(tmp_path / "nats"), "--tls-cert", str(cert), "--tls-key", str(key),
                                     code=1).stderr
    cert.write_text("not checked here: nats-server reads it"), key.write_text("x")
    shown = hub_env("nats-config", "--servers", "1", "--base-port", "14222", "--dir", str(tmp_path / "nats"),
                    "--tls-cert", str(cert), "--tls-key", str(key)).output
    assert "Servers: tls://127.0.0.1:14222" in shown
    assert "cert_file" in (tmp_path / "nats" / "nats-1.conf").read_text()
    hub = open_hub(hub_env.root, clock=None)
    assert hub.tls_ca == cert
    hub.close()


def test_report_writes_the_month_whole_and_refuses_a_bad_month(radio, tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    shown = radio("report", "--month", "2026-11", "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"), "--target", "2")
    assert shown.output.strip() == ("Wrote " + str(tmp_path / "r.xlsx") + " (tháng 11/2026): 0/2 station(s) met the "
                                    "target of 2; 0 provincial bulletin(s); 0 chain alert(s).")
    assert [r[0] for r in load_workbook(tmp_path / "r.xlsx")["Chỉ tiêu các xã"].iter_rows(values_only=True)] == [
        "Mã đài", "XA01", "XA02"]
    radio("report", "--month", "2026-11", "--format", "docx", "-o", str(tmp_path / "r.docx"), "--number", "7")
    assert Document(str(tmp_path / "r.docx")).tables[0].cell(1, 0).text == "Số: 7/BC-UBND"
    assert 'Month "2026-1" is not YYYY-MM' in radio("report", "--month", "2026-1", "--format", "xlsx", "-o",
                                                    str(tmp_path / "x.xlsx"), code=1).stderr
    radio("report", "--month", "2026-11", "--format", "xlsx", "-o", str(tmp_path / "no" / "x.xlsx"), code=3)
    assert "give a file name with -o" in radio("report", "--month", "2026-11", "--format", "docx", "-o", "-",
                                               code=1).stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith((".", "x"))) == []
