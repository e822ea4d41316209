"""``python -m newsclaims`` and the ``newsclaims`` script: one command line.

The script imports ``main`` from here, not the Typer app from ``newsclaims.cli``: a batch worker
process (multiprocessing's spawn) re-runs the script that started its parent before it takes any
work, and importing the CLI there (Typer, Rich, every command's module) cost each worker 0.5 s of
CPU on the way to its first article (issue 13). Importing this module costs nothing.
"""


def main() -> None:
    """Run the command line."""
    from newsclaims.cli import app
    from newsclaims.pipeline import freeze_built_pipelines

    freeze_built_pipelines()
    app(prog_name="newsclaims")


if __name__ == "__main__":
    main()
