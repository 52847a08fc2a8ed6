"""Units of measure and currency written after a number.

:data:`UNITS` is data: how each symbol is read.  The rules around it decide
when a symbol really is a unit (glued to a number, or after a space for the
symbols that cannot be anything else) and how a slash between two units
is read: a physical rate ("m/s", "m³/s", "Mbps") is "trên", an amount per
thing ("62 tạ/ha", "đồng/kWh", "1,5 kg giống/sào") is "mỗi".
"""

from __future__ import annotations

import re

from content.numbers import read_int

#: Symbol → spoken form.  Electrical, computing, medical and farming units
#: beside the common ones.  Case matters: "mA" is milliampere, "MA" is not.
UNITS = {
    # length, area, volume
    "km": "ki lô mét", "m": "mét", "cm": "xen ti mét", "mm": "mi li mét", "dm": "đề xi mét",
    "km²": "ki lô mét vuông", "km2": "ki lô mét vuông", "m²": "mét vuông", "m2": "mét vuông",
    "cm²": "xen ti mét vuông", "cm2": "xen ti mét vuông", "m³": "mét khối", "m3": "mét khối",
    "ha": "héc ta", "l": "lít", "ml": "mi li lít", "cc": "xê xê",
    # mass
    "kg": "ki lô gam", "g": "gam", "mg": "mi li gam", "mcg": "mi crô gam", "µg": "mi crô gam",
    "μg": "mi crô gam",
    # temperature, pressure, medicine
    "°C": "độ xê", "ºC": "độ xê", "°": "độ", "mmHg": "mi li mét thủy ngân", "IU": "đơn vị quốc tế",
    "mmol/l": "mi li mol trên lít", "mg/dl": "mi li gam trên đề xi lít",
    # electricity
    "V": "vôn", "kV": "ki lô vôn", "mA": "mi li am pe", "W": "oát", "kW": "ki lô oát",
    "MW": "mê ga oát", "kWh": "ki lô oát giờ", "MWh": "mê ga oát giờ", "kVA": "ki lô vôn am pe",
    "Hz": "héc", "kHz": "ki lô héc", "MHz": "mê ga héc", "GHz": "gi ga héc", "mAh": "mi li am pe giờ",
    # computing
    "KB": "ki lô bai", "MB": "mê ga bai", "GB": "gi ga bai", "TB": "tê ra bai",
    "Mbps": "mê ga bít trên giây", "Gbps": "gi ga bít trên giây", "Kbps": "ki lô bít trên giây",
    # rates written as one symbol
    "km/h": "ki lô mét trên giờ", "m/s": "mét trên giây", "m³/s": "mét khối trên giây",
    "m3/s": "mét khối trên giây", "km/giờ": "ki lô mét một giờ", "mm/h": "mi li mét một giờ",
    # money
    "đ": "đồng", "₫": "đồng", "VNĐ": "đồng", "VND": "đồng", "USD": "đô la Mỹ", "EUR": "ơ rô",
    "$": "đô la", "€": "ơ rô", "£": "bảng Anh", "¥": "yên",
    "tỷ đ": "tỷ đồng", "tr.đ": "triệu đồng", "trđ": "triệu đồng", "tr": "triệu",
}

#: Symbols read as units even after a space ("220 V", "100.000 IU"): either
#: unambiguous, or upper-case electrical symbols that are not item letters.
_SPACED_SINGLE = {"V", "W", "₫", "$", "€", "£", "¥", "°"}
#: "A" (ampere) clashes with "lớp 10A", "thôn 5A"; only "mA" is taken.
_UNIT_ALTERNATION = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
UNIT_AFTER_NUMBER = re.compile(
    r"(?<=[0-9])(\s?)(" + _UNIT_ALTERNATION + r")(?![^\W\d_]|[0-9²³]|-[A-ZĐ])"
)
#: Currency signs written before the amount: "$500", "€1.000", "£200".
_SIGN_BEFORE = re.compile(r"(?<![\w$€£¥])([$€£¥])\s?([0-9][0-9.,]*[0-9]|[0-9])")
_PER_HOURS = re.compile(r"\s*/\s*([0-9]{1,2})\s?(?:h|giờ)(?![^\W\d_]|[0-9])")

#: Units after a slash, read "mỗi": "đồng/kWh", "tạ/ha", "kg/sào".
_PER_UNIT_SYMBOL = re.compile(
    r"(?<=[^\W\d_])\s*/\s*(kWh|kg|km|km2|m2|m²|m3|m³|ha|ml|m|kW|con)(?![^\W\d_]|[0-9²³/])"
)


def currency_signs(line: str) -> str:
    """"$500" → "500 $" so the amount is read before its currency."""
    return _SIGN_BEFORE.sub(lambda m: f"{m.group(2)} {m.group(1)}", line)


def _is_unit(match: re.Match[str]) -> bool:
    """Whether a symbol matched after a number is really a unit here."""
    unit, spaced = match.group(2), bool(match.group(1))
    if not spaced or len(unit) > 1 or not unit.isalpha() or unit in _SPACED_SINGLE:
        return True
    # "Điều 5 g" is an item letter; but "8.000 đ/kg", "500 đ" are money:
    # a spaced "đ" after three or more digits, or before "/", is the currency.
    before, after = match.string[: match.start()], match.string[match.end():]
    return unit == "đ" and bool(re.match(r"\s*/", after) or re.search(r"[0-9]{3}$", before))


def units(line: str) -> str:
    """Unit symbols after a number: "12 km", "1.500.000đ", "25°C", "220V",
    "5kWh", "100 Mbps"; then "/unit" after a word: "đồng/kWh" → "đồng mỗi
    ki lô oát giờ"."""
    line = _PER_HOURS.sub(lambda m: f" trong {read_int(int(m.group(1)))} giờ ", line)
    line = UNIT_AFTER_NUMBER.sub(lambda m: f" {UNITS[m.group(2)]} " if _is_unit(m) else m.group(0), line)
    return _PER_UNIT_SYMBOL.sub(lambda m: f" mỗi {UNITS.get(m.group(1), m.group(1))} ", line)
