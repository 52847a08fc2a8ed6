"""Actors the tests act as, one per role (see radio.accounts.roles)."""

from radio.accounts.roles import Actor

VIEWER = Actor("xem", "viewer", "Người xem")
OFFICER = Actor("canbo", "officer", "Cán bộ VH-XH")
OTHER_OFFICER = Actor("canbo2", "officer", "Cán bộ khác")
LEADER = Actor("lanhdao", "leader", "Lãnh đạo UBND xã")
ADMIN = Actor("quantri", "admin", "Quản trị")
