"""Exceptions raised by untact-qa. Every message says what went wrong and how to fix it;
the CLI prints them as a single ``Error:`` line."""


class UntactQAError(Exception):
    """Base class for all errors the user can act on."""


class ConfigError(UntactQAError):
    """A setting has a value outside the allowed ones."""


class CorpusError(UntactQAError):
    """A corpus file could not be read or is empty."""


class ModelError(UntactQAError):
    """The embedding model could not be found, converted or loaded."""


class IndexError_(UntactQAError):
    """The index is missing, corrupt, or was built with another model or format."""


class QueryError(UntactQAError):
    """The question is empty, too long, or has no searchable text."""
