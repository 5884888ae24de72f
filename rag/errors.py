"""Errors that tell the user what to do next."""


class RagError(Exception):
    """Base class: the message is shown to the user as is."""

    exit_code = 1


class UsageError(RagError):
    """Bad input from the user (exit status 2)."""

    exit_code = 2


class IndexNotFoundError(RagError):
    """No index exists yet where we looked."""


class IndexUnfinishedError(RagError):
    """The index is empty, or an ingest into it did not finish."""


class IndexBusyError(RagError):
    """Another process is writing to the index and did not finish in time."""


class IndexMismatchError(RagError):
    """The index was built with a different embedding model."""


class ModelUnavailableError(RagError):
    """The embedding model cannot be loaded offline."""


class BackendUnavailableError(RagError):
    """A server we were told to use (Chroma, LLM) does not answer."""


class UnreadableFileError(RagError):
    """One document cannot be read (damaged, protected, a scan, an unknown type); the message names it."""


class LLMUnavailableError(BackendUnavailableError):
    """The configured chat model cannot be reached, did not answer in time, or cannot be loaded."""


class ModelFetchError(RagError):
    """The local model could not be downloaded or assembled."""
