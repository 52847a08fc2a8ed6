"""``radio bulletin ...``: queue, approve, return and list bulletins (as the CLI operator)."""

from __future__ import annotations

import time
from pathlib import Path

import click

from radio.bulletins import lifecycle as bulletins_mod
from radio.clock import local_text
from radio.cli.base import ROW_ID, cli, pass_station


# -- bulletins -------------------------------------------------------------------
@cli.group()
def bulletin():
    """Queue, approve and list bulletins."""


@bulletin.command(name="add")
@click.option("--title", help="Title (default with --file: the file's first paragraph, then left out of the text)")
@click.option("--text", help="The bulletin's text")
@click.option("--file", "file_", type=click.Path(dir_okay=False), help="Read the text from a .txt or .docx file, as the admin's import does")
@click.option("--topic", default="cchc", show_default=True, help="Topic (cchc = administrative reform)")
@click.option("--priority", default="normal", show_default=True,
              help="normal (thường), priority (ưu tiên) or urgent (khẩn cấp)")
@click.option("--repeat", "repeat_count", default=1, show_default=True, type=int, help="How many airings")
@click.option("--from", "valid_from", help="First local date it may air (YYYY-MM-DD)")
@click.option("--until", "valid_until", help="Last local date it may air (YYYY-MM-DD)")
@click.option("--by", "created_by", help="Who wrote it (default: the CLI operator, cli:<os-user>)")
@click.option("--audio", "audio", type=click.Path(dir_okay=False),
              help="A human reading (mp3, wav, m4a, ogg, opus, webm) that airs instead of speech")
@click.option("--language", help="Language of the --audio reading (default: Tiếng Việt)")
@pass_station
def bulletin_add(station, title, text, file_, topic, priority, repeat_count, valid_from, valid_until, created_by,
                 audio, language):
    """Add a draft bulletin and print its id.

    Example:

    \b
        radio bulletin add --title "Dịch vụ công trực tuyến" --text "UBND xã thông báo ..."
        radio bulletin add --file thong-bao.docx --topic cchc --repeat 3
        radio bulletin add --title "Lịch tiêm chủng" --audio doc-tieng-thai.m4a --language "Tiếng Thái"
    """
    if audio:
        _add_recorded(station, audio, language, title=title, text=text, file_=file_, topic=topic,
                      priority=priority, repeat_count=repeat_count, valid_from=valid_from,
                      valid_until=valid_until, created_by=created_by)
        return
    if language:
        raise click.UsageError("--language describes an --audio reading; give --audio FILE too.")
    if (text is None) == (file_ is None):
        raise click.UsageError("Give exactly one of --text or --file.")
    fields = dict(topic=topic, priority=priority, repeat_count=repeat_count, valid_from=valid_from,
                  valid_until=valid_until, created_by=created_by)
    if file_:
        from radio.bulletins.importing import DocumentError, import_bulletin

        if not Path(file_).exists():
            raise click.ClickException(f'File "{file_}" does not exist.')
        try:
            imported = import_bulletin(station.db, Path(file_), title=title, now=station.clock.now(),
                                       actor=station.actor, **fields)
        except DocumentError as exc:
            raise click.ClickException(str(exc)) from None
        if imported.encoding_note:
            # on stderr: stdout carries the id alone, for scripts
            click.echo(f"Note: {imported.encoding_note}", err=True)
        click.echo(imported.id)
        return
    new_id = bulletins_mod.add_bulletin(station.db, title=title or "", text=text, now=station.clock.now(),
                                        actor=station.actor, **fields)
    click.echo(new_id)


def _add_recorded(station, audio, language, *, title, text, file_, created_by, **fields):
    """``bulletin add --audio``: the draft and its converted recording, or nothing."""
    from radio.bulletins.recordings import add_recorded_bulletin

    if file_:
        raise click.UsageError("--audio cannot be used with --file; give --text to describe the reading.")
    if not title:
        raise click.UsageError("--audio needs --title.")
    new_id = add_recorded_bulletin(
        station.db, station.home, Path(audio), filename=Path(audio).name, title=title, text=text,
        language=language, actor=station.actor, now=station.clock.now(), settings=station.settings,
        created_by=created_by, **fields)
    click.echo(new_id)


@bulletin.command(name="approve")
@click.argument("bulletin_id", type=ROW_ID)
@click.option("--by", required=True, help="Name of the leader who approves")
@click.option("--sha256", "expected_sha256",
              help="Approve only if the content still has this hash (printed by bulletin show)")
@click.option("--no-render", is_flag=True, help="Leave speech rendering to the station daemon")
@pass_station
def bulletin_approve(station, bulletin_id, by, expected_sha256, no_render):
    """Approve a bulletin (its content is frozen) and render its speech.

    The approval binds the content, the spoken form and the audio. An approved
    bulletin waiting for re-approval (the lexicon now reads it differently, see
    bulletin show) is approved again with its new reading, which is then rendered.

    Example:

    \b
        radio bulletin approve 3 --by "Nguyễn Văn A"
        radio bulletin approve 3 --by "Nguyễn Văn A" --sha256 <hash from bulletin show>
    """
    from radio.speech.rendering import render_bulletin

    row = bulletins_mod.approve_bulletin(station.db, bulletin_id, by=by, now=station.clock.now(),
                                         actor=station.actor, expected_sha256=expected_sha256)
    click.echo(f"Bulletin {row['id']} approved by {row['approved_by']}.")
    if no_render:
        return
    click.echo("Rendering speech...", nl=False)
    started = time.monotonic()
    render = render_bulletin(station.db, station.home, station.settings, row["id"], station.clock.now())
    if render is None:
        click.echo(" already in progress elsewhere.")
    elif render["state"] == "done":
        click.echo(f" done with {render['engine']} ({render['duration_ms'] / 1000:.1f} s of audio, "
                   f"{time.monotonic() - started:.1f} s).")
    else:
        click.echo(f" failed: {render['error']}. The station daemon will retry.")


@bulletin.command(name="list")
@click.option("--status", type=click.Choice(["draft", "approved", "withdrawn"]), help="Only this status")
@pass_station
def bulletin_list(station, status):
    """List bulletins with their status and speech rendering.

    Example:

    \b
        radio bulletin list --status approved
    """
    from radio.bulletins.approval import reapprovals

    rows = bulletins_mod.list_bulletins(station.db, status)
    if not rows:
        click.echo("No bulletins.")
        return
    waiting = {row["id"] for row in reapprovals(station.db)}
    for row in rows:
        render = row["render"] or {}
        speech = render.get("state") or "-"
        if render.get("engine"):
            speech += f" ({render['engine']})"
        mark = "  [re-approve: the lexicon changed its reading]" if row["id"] in waiting else ""
        click.echo(f"{row['id']:>4}  {row['status']:<9} {row['priority']:<8} x{row['repeat_count']:<3} "
                   f"{row['topic']:<8} {speech:<16} {row['title']}{mark}")
    if waiting:
        click.echo(f"{len(waiting)} approved bulletin(s) wait for re-approval: they air their approved "
                   "audio until `radio bulletin approve ID --by NAME`; `radio bulletin show ID` shows the "
                   "difference.")


@bulletin.command(name="show")
@click.argument("bulletin_id", type=ROW_ID)
@pass_station
def bulletin_show(station, bulletin_id):
    """Show one bulletin, its text and its spoken form (and a new reading waiting for re-approval)."""
    from radio.bulletins import approval as approval_mod

    row = bulletins_mod.get_bulletin(station.db, bulletin_id)
    render = bulletins_mod.get_render(station.db, bulletin_id) or {}
    click.echo(f"#{row['id']} {row['title']}\nstatus: {row['status']}  priority: {row['priority']}  "
               f"topic: {row['topic']}  repeats: {row['repeat_count']}")
    click.echo(f"content sha256: {bulletins_mod.content_sha256(row)}")
    if row["approved_by"]:
        click.echo(f"approved by {row['approved_by']} at {local_text(row['approved_at'])}")
    bound = approval_mod.get(station.db, row["id"]) if row["status"] == "approved" else None
    if bound:
        click.echo(f"approval binds: content {bound['content_sha256']}, spoken form "
                   f"{bound['spoken_sha256'] or '-'}, audio {bound['audio_sha256'] or 'not rendered yet'}")
        if problem := approval_mod.content_problem(station.db, row, bound):
            click.echo(f"WARNING: {problem}; it does not air")
    if row.get("recording_path"):
        click.echo(f"recording: {row['recording_path']} ({row.get('recording_language') or 'Tiếng Việt'})")
    if row.get("return_reason"):
        click.echo(f"returned by {row['returned_by']} at {local_text(row['returned_at'])}: "
                   f"{row['return_reason']}")
    click.echo(f"speech: {render.get('state', '-')} {render.get('engine') or ''}".rstrip())
    if render.get("error"):
        click.echo(f"speech error: {render['error']}")
    click.echo(f"\n{row['text']}")
    if render.get("spoken_text"):
        click.echo(f"\nAs spoken:\n{render['spoken_text']}")
    if bound and bound.get("reapprove_spoken") is not None:
        click.echo(f"\nWaiting for re-approval since {local_text(bound['reapprove_since'])}: the lexicon "
                   "now reads it differently. It airs the approved reading until a leader approves the "
                   "new one (radio bulletin approve ID --by NAME).\n"
                   f"Approved reading:\n{bound['spoken_text']}\nNew reading:\n{bound['reapprove_spoken']}\n"
                   f"Difference ([-approved-] {{+new+}}):\n"
                   f"{approval_mod.diff_text(bound['spoken_text'], bound['reapprove_spoken'])}")


@bulletin.command(name="withdraw")
@click.argument("bulletin_id", type=ROW_ID)
@pass_station
def bulletin_withdraw(station, bulletin_id):
    """Stop a bulletin from airing again (the log keeps what aired)."""
    bulletins_mod.withdraw_bulletin(station.db, bulletin_id, actor=station.actor, now=station.clock.now())
    click.echo(f"Bulletin {bulletin_id} withdrawn.")


@bulletin.command(name="return")
@click.argument("bulletin_id", type=int)
@click.option("--reason", required=True, help="What the officer should change")
@pass_station
def bulletin_return(station, bulletin_id, reason):
    """Return a draft to its officer with a reason (it stays a draft).

    Example:

    \b
        radio bulletin return 4 --reason "Ghi rõ thời hạn nộp hồ sơ"
    """
    bulletins_mod.return_bulletin(station.db, bulletin_id, actor=station.actor, reason=reason,
                                  now=station.clock.now())
    click.echo(f"Bulletin {bulletin_id} returned to its officer.")
