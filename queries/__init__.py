"""Package data: the example SPARQL queries over the dataset (see README.md here).
chosaku.resources.queries_dir() finds these files."""
