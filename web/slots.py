"""Broadcast slots: list, add and edit (with the quiet-hours warning), pause/resume."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, widgets

from radio.schedule import slot_edits
from radio.schedule import outputs as radio_outputs
from radio.schedule import slots as radio_slots
from radio.errors import RadioError, ValidationError
from radio.wording.messages import vi
from radio.schedule.slot_guard import SlotEditRefusedError
from radio.bulletins.topics import TOPICS, topic_label

from .auth import requires
from .db import get_db, get_settings, now
from .forms import choices

bp = Blueprint("slots", __name__, url_prefix="/slots")

DAY_CHOICES = choices(zip(radio_slots.WEEKDAYS, radio_slots.WEEKDAY_LABELS))


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class SlotForm(FlaskForm):
    name = StringField("Tên buổi phát", render_kw={"placeholder": "ví dụ: Buổi sáng"})
    at = StringField("Giờ phát", render_kw={"type": "time", "placeholder": "05:30"})
    days = MultiCheckboxField("Các ngày trong tuần", choices=DAY_CHOICES, validate_choice=False)
    on_date = StringField("hoặc phát một lần vào ngày", render_kw={"type": "date"})
    cap_minutes = StringField("Thời lượng tối đa (phút)", render_kw={"type": "number", "min": 1})
    topics = MultiCheckboxField("Chủ đề (không chọn chủ đề nào = mọi chủ đề)", validate_choice=False)
    valid_from = StringField("Hiệu lực từ ngày", render_kw={"type": "date"})
    valid_until = StringField("đến ngày", render_kw={"type": "date"})
    # names only: the admin defines what each one is (radio.schedule.outputs); not validated
    # here, the library refuses a name that is not defined
    output = SelectField("Cụm loa / đầu ra", default="", validate_choice=False)


def topic_choices() -> list[tuple[str, str]]:
    """The station's topics by their labels, and any other topic a slot already carries."""
    extra = {t for row in radio_slots.list_slots(get_db()) for t in (row["topics"] or "").split(",") if t}
    return [(t, topic_label(t)) for t in [*TOPICS, *sorted(extra - set(TOPICS))]]


def topic_labels(topics: str | None) -> str:
    """A slot's topics as people read them ("mọi chủ đề" when it carries any)."""
    return ", ".join(topic_label(t) for t in (topics or "").split(",") if t) or "mọi chủ đề"


def output_choices() -> list[tuple[str, str]]:
    rows = radio_outputs.list_outputs(get_db())
    return [("", "Đầu ra của đài (mặc định)")] + [
        (r["name"], " · ".join(filter(None, (r["label"] or r["name"], r["zone"],
                                               "ra tệp, không phát ra loa" if r["kind"] == "file" else ""))))
        for r in rows]


def _slot_rows(settings: dict) -> list[dict]:
    rows = radio_slots.list_slots(get_db())
    for row in rows:
        warning = radio_slots.quiet_hours_warning(
            row["at_time"], settings["quiet_before"], settings["quiet_after"])
        row["warning"] = vi(warning) if warning else None
        row["topic_labels"] = topic_labels(row["topics"])
    return rows


def _form_fields(form: SlotForm) -> dict:
    """The form as add_slot/update_slot keyword arguments; the library checks every one
    (the cap included) and writes nothing on error."""
    on_date = (form.on_date.data or "").strip() or None
    picked = form.days.data or []
    days = "daily" if set(picked) == set(radio_slots.WEEKDAYS) else ",".join(picked)
    return dict(
        at=form.at.data or "", days=None if (on_date and not days) else days, on_date=on_date,
        name=form.name.data or "", cap_minutes=(form.cap_minutes.data or "").strip() or None,
        topics=",".join(form.topics.data or []) or None,
        valid_from=(form.valid_from.data or "").strip() or None,
        valid_until=(form.valid_until.data or "").strip() or None,
        output=(form.output.data or "").strip() or None)


def _flash_warning(slot: dict, settings: dict) -> None:
    warning = radio_slots.quiet_hours_warning(slot["at_time"], settings["quiet_before"], settings["quiet_after"])
    if warning:
        flash(vi(warning), "warning")


@bp.route("/", methods=("GET", "POST"))
@requires("read", post="slot.create")
def index():
    form = SlotForm()
    form.output.choices = output_choices()
    form.topics.choices = topic_choices()
    settings = get_settings()
    if form.validate_on_submit():
        try:
            slot_id = radio_slots.add_slot(get_db(), now=now(), actor=g.actor, **_form_fields(form))
        except RadioError as exc:
            flash(vi(exc), "error")
        else:
            slot = radio_slots.get_slot(get_db(), slot_id)
            current_app.logger.info("slot %s added at %s", slot_id, slot["at_time"])
            flash(f"Đã thêm khung giờ {slot['at_time'][:5]} ({radio_slots.describe_days(slot)}).",
                  "success")
            _flash_warning(slot, settings)
            return redirect(url_for("slots.index"))
    return render_template("slots/index.html", form=form, slots=_slot_rows(settings), settings=settings,
                           outputs={r["name"]: r for r in radio_outputs.list_outputs(get_db())},
                           output_choices=form.output.choices)


def _prefilled(slot: dict) -> SlotForm:
    """The form showing a stored slot (GET of the edit page)."""
    days = list(radio_slots.WEEKDAYS) if slot["days"] == "daily" else (slot["days"] or "").split(",")
    return SlotForm(formdata=None, data=dict(
        name=slot["name"], at=slot["at_time"][:5] if slot["at_time"].endswith(":00") else slot["at_time"],
        days=[d for d in days if d], on_date=slot["date"] or "",
        cap_minutes=str(slot["cap_minutes"] or ""), topics=[t for t in (slot["topics"] or "").split(",") if t],
        valid_from=slot["valid_from"] or "", valid_until=slot["valid_until"] or "",
        output=slot["output"] or ""))


@bp.route("/<int:id>/edit", methods=("GET", "POST"))
@requires("slot.edit")
def edit(id: int):
    """Change a slot: the same form as adding one, filled in with what is stored."""
    slot = radio_slots.get_slot(get_db(), id)  # unknown id → 404
    settings = get_settings()
    form = SlotForm() if request.method == "POST" else _prefilled(slot)
    form.output.choices = output_choices()
    form.topics.choices = topic_choices()
    status = 200
    if form.validate_on_submit():
        try:
            slot = slot_edits.update_slot(get_db(), id, actor=g.actor, now=now(), settings=settings,
                                           **_form_fields(form))
        except RadioError as exc:
            if not isinstance(exc, ValidationError | SlotEditRefusedError):
                raise  # not allowed → 403
            # an officer's edit that silences the slot, or someone else's slot: said, 403
            status = 403 if isinstance(exc, SlotEditRefusedError) else 200
            flash(vi(exc), "error")
            slot = radio_slots.get_slot(get_db(), id)
        else:
            current_app.logger.info("slot %s edited: %s %s", id, slot["at_time"], slot["date"] or slot["days"])
            flash(f"Đã lưu khung giờ {slot['at_time'][:5]} ({radio_slots.describe_days(slot)}).", "success")
            _flash_warning(slot, settings)
            return redirect(url_for("slots.index"))
    warning = radio_slots.quiet_hours_warning(slot["at_time"], settings["quiet_before"], settings["quiet_after"])
    return render_template("slots/edit.html", form=form, slot=slot, settings=settings,
                           warning=vi(warning) if warning else None), status


@bp.post("/<int:id>/active/<int(min=0, max=1):active>")
@requires("slot.pause")
def set_active(id: int, active: int):
    slot = radio_slots.set_slot_active(get_db(), id, bool(active), actor=g.actor, now=now())
    flash(f"Đã {'bật' if active else 'tạm dừng'} khung giờ {slot['at_time'][:5]}.", "success")
    return redirect(url_for("slots.index"))


@bp.post("/<int:id>/output")
@requires("slot.edit")
def set_output(id: int):
    """Point a slot at another of the admin's named outputs (empty: the station's output)."""
    try:
        slot = slot_edits.set_slot_output(get_db(), id, request.form.get("output") or None,
                                           actor=g.actor, now=now(), settings=get_settings())
    except RadioError as exc:
        if not isinstance(exc, ValidationError | SlotEditRefusedError):
            raise  # unknown slot → 404, not allowed → 403
        flash(vi(exc), "error")
    else:
        flash(f"Đã đổi đầu ra của khung giờ {slot['at_time'][:5]}.", "success")
    return redirect(url_for("slots.index"))
