"""Queries that cost CPU and no memory, for the tests of time limits: Oxigraph counts the rows of a
product of VALUES blocks as they stream, so the query runs as long as there are rows to count
(pyoxigraph's regular expressions run in linear time, so a backtracking REGEX is not heavy there,
and a cross product of the data would meet the memory limit first)."""


def counting_query(blocks: int, last_block: int = 100) -> str:
    """COUNT(*) over `blocks` VALUES blocks of 100 numbers, the last of `last_block` numbers:
    100^(blocks-1) × last_block rows (5 blocks: 10^10, more than any time limit; 4 blocks of which
    the last has 30: 3·10^7, a few seconds)."""
    hundred = " ".join(str(n) for n in range(1, 101))
    values = [f"VALUES ?v{i} {{ {hundred} }}" for i in range(blocks - 1)]
    values.append("VALUES ?last { " + " ".join(str(n) for n in range(1, last_block + 1)) + " }")
    return "SELECT (COUNT(*) AS ?n) WHERE { " + " ".join(values) + " }"
