"""``python -m newsclaims``: the same command line as the ``newsclaims`` script."""

from newsclaims.cli import app

if __name__ == "__main__":
    app(prog_name="newsclaims")
