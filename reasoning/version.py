"""The one version of chosaku-kg: the package (pyproject.toml reads it from here), the ontology's
owl:versionInfo and owl:versionIRI of every module, and the engine version a result records."""

VERSION = "1.0.0"
