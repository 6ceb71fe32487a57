"""The engine's exceptions: each names what was wrong and what was expected."""


class ChosakuError(Exception):
    """Base class of the engine's errors."""


class OntologyError(ChosakuError):
    """The ontology or a shapes/rules file cannot be read."""
