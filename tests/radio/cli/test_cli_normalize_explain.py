"""`radio normalize --explain`: the unsure spans after each spoken line."""

from radio.cli import cli


def run(runner, *args, input=None):
    result = runner.invoke(cli, list(args), input=input, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_explain_lists_the_spans_of_a_line(runner):
    out = run(runner, "normalize", "--explain", "Ban XKLĐ xã họp")
    assert out == "Ban ích ca e lờ đê xã họp\n  ? 4-8 unknown_abbreviation: XKLĐ -> ích ca e lờ đê\n"


def test_a_line_without_guesses_prints_nothing_extra(runner):
    plain = run(runner, "normalize", "UBND xã thông báo ngày 26/01/2022")
    assert run(runner, "normalize", "--explain", "UBND xã thông báo ngày 26/01/2022") == plain
    assert plain.count("\n") == 1


def test_explain_from_stdin_keeps_spans_under_their_line(runner):
    out = run(runner, "normalize", "--explain", input="UBND xã\nUống 500mg paracetamol\n\n")
    assert out.split("\n") == ["Ủy ban nhân dân xã", "Uống năm trăm mi li gam paracetamol",
                               "  ? 11-22 foreign: paracetamol -> paracetamol", "", ""]


def test_a_station_entry_resolves_the_span(runner):
    assert "? 4-8" in run(runner, "normalize", "--explain", "Ban XKLĐ xã họp")
    run(runner, "lexicon", "set", "XKLĐ", "xuất khẩu lao động")
    assert run(runner, "normalize", "--explain", "Ban XKLĐ xã họp") == "Ban xuất khẩu lao động xã họp\n"
