"""Errors a user can act on: each message names the fix."""


class AssistantError(Exception):
    """Base class; the CLI prints ``error: <message>`` and exits 1, never a traceback."""


class CorpusError(AssistantError):
    """A corpus file is invalid; the message is ``path:line: what is wrong``."""


class IndexMissingError(AssistantError):
    pass


class InputError(AssistantError):
    """The question or input line is unusable."""


class IndexDamagedError(AssistantError):
    """The stored index cannot be read or disagrees with its manifest."""
