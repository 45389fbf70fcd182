"""The commands' bodies: what ``ecslint check`` and ``ecslint scan`` do, free of typer."""
