"""Reports on the proof log: periods, targets, the chart and the exports.

Everything here is a function of the database and an explicit ``now``; the CLI
(``radio targets``, ``radio log export``) and the admin call the same functions.
"""
