"""Where programmes are played: sound device, PulseAudio sinks, Icecast, file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from .base import BaseOutput, OutputError, PlayResult

__all__ = ["BaseOutput", "OutputError", "PlayResult", "open_output", "list_devices", "masked", "SPEC_FORMS"]

SPEC_FORMS = ("device", "device:NAME", "pulse:SINK[,SINK2...]", "file:DIR",
              "icecast://source:PASSWORD@host:port/mount")


def open_output(spec: str) -> BaseOutput:
    """Build the output that ``spec`` names.

    :raise ValueError: for a spec of no known form (lists the accepted forms).
    :raise OutputError: if the output's tool is missing.
    """
    spec = (spec or "").strip()
    kind, _, arg = spec.partition(":")
    if spec == "device" or (kind == "device" and arg in ("", "default")):
        from .device import DeviceOutput
        return DeviceOutput()
    if kind == "device":
        from .device import DeviceOutput
        return DeviceOutput(arg)
    if kind == "pulse":
        from .pulse import PulseOutput
        sinks = [s.strip() for s in arg.split(",") if s.strip()]
        if arg and not sinks:
            raise ValueError(f"Output {spec!r} names no sink; expected pulse:SINK[,SINK2...].")
        return PulseOutput(sinks)
    if kind == "file" and arg:
        from .file import FileOutput
        return FileOutput(Path(arg))
    if spec.startswith("icecast://"):
        from .icecast import IcecastOutput
        return IcecastOutput(spec)
    raise ValueError(f"Unknown output {spec!r}; accepted forms: {', '.join(SPEC_FORMS)}.")


def list_devices():
    """Sound devices and PulseAudio sinks (see :func:`audio.outputs.device.list_devices`)."""
    from .device import list_devices as _list
    return _list()


def masked(spec: str | None) -> str:
    """*spec* with any password replaced by ``***`` (safe to show and log)."""
    spec = spec or ""
    if spec.startswith("icecast://"):
        parts = urlsplit(spec)
        if parts.password is not None:
            user = parts.username or ""
            host = parts.hostname or ""
            port = f":{parts.port}" if parts.port else ""
            return f"icecast://{user}:***@{host}{port}{parts.path}"
    return spec
