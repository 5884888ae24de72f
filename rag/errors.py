"""Errors that tell the user what to do next."""


class RagError(Exception):
    """Base class: the message is shown to the user as is."""

    exit_code = 1


class UsageError(RagError):
    """Bad input from the user (exit status 2)."""

    exit_code = 2


class IndexNotFoundError(RagError):
    """No index exists yet where we looked."""


class IndexMismatchError(RagError):
    """The index was built with a different embedding model."""


class ModelUnavailableError(RagError):
    """The embedding model cannot be loaded offline."""


class BackendUnavailableError(RagError):
    """A server we were told to use (Chroma, LLM) does not answer."""


class LLMUnavailableError(BackendUnavailableError):
    """The configured chat model cannot be reached, did not answer in time, or cannot be loaded."""


class ModelFetchError(RagError):
    """The local model could not be downloaded or assembled."""
