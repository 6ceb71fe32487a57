"""Package data: the chosaku-kg ontology (OWL in Turtle): statutes, requirements, sources, RAG types,
risks, rules and shapes. Nothing to import; chosaku.resources.ontology_dir() finds these files."""
