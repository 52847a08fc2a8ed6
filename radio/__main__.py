from radio.cli import cli

cli()
