"""The one exception the CLI shows to users as-is (no traceback)."""


class NewsclaimsError(Exception):
    """An error whose message is a sentence for the user, saying what went wrong and what to do."""


class InputError(NewsclaimsError):
    """An input could not be read or decoded as an article."""


class RulesError(NewsclaimsError):
    """A rule file is invalid; the message names the file, line and entry."""


class ModelError(NewsclaimsError):
    """The spaCy pipeline could not be loaded."""
