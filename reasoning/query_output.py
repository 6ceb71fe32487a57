"""Writing query answers: SPARQL results (JSON, XML, CSV, TSV), graphs (Turtle, N-Triples,
JSON-LD, RDF/XML, CSV) and a plain-text table for reading; IRIs shortened with the project's
prefixes wherever a person reads them."""

from __future__ import annotations

import csv
import io
import unicodedata

from rdflib import Graph, Literal, URIRef
from rdflib.query import Result
from rdflib.term import Variable

from .iris import compact
from .namespaces import bind_prefixes
from .query_errors import QueryError
from .query_result import QueryResult
from .results_xml import results_xml
from .serialization import to_jsonld

TABLE_CELL = 80
BINDINGS_FORMATS = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                    "csv": "text/csv", "tsv": "text/tab-separated-values", "table": "text/plain"}
GRAPH_FORMATS = {"turtle": "text/turtle", "nt": "application/n-triples", "nq": "application/n-quads",
                 "trig": "application/trig", "jsonld": "application/ld+json",
                 "rdfxml": "application/rdf+xml", "csv": "text/csv", "table": "text/turtle"}


def _rdflib_result(result: QueryResult):
    answer = Result(result.form if result.form in ("SELECT", "ASK") else "CONSTRUCT")
    if result.form == "ASK":
        answer.askAnswer = bool(result.boolean)
        return answer
    answer.vars = [Variable(v) for v in result.variables]
    answer.bindings = [{Variable(v): term for v, term in zip(result.variables, row) if term is not None}
                       for row in result.rows]
    return answer


def result_graph(result: QueryResult) -> Graph:
    """The triples of a CONSTRUCT / DESCRIBE answer as an rdflib Graph with the project's prefixes."""
    graph = bind_prefixes(Graph())
    for triple in result.triples:
        graph.add(triple)
    return graph


def _tsv_term(term) -> str:
    return "" if term is None else term.n3().replace("\t", "\\t")


def _csv_term(term) -> str:
    return "" if term is None else str(term)


def serialize(result: QueryResult, fmt: str) -> bytes:
    """The answer in one of BINDINGS_FORMATS (SELECT, ASK) or GRAPH_FORMATS (CONSTRUCT, DESCRIBE)."""
    if result.form in ("SELECT", "ASK"):
        if fmt == "xml":  # our own writer: rdflib's writes 0, 0.0 and false as empty literals
            return results_xml(result.form, result.variables, result.rows, result.boolean)
        if fmt == "json":
            return _rdflib_result(result).serialize(format=fmt, encoding="utf-8")
        if fmt == "table":
            return format_table(result).encode("utf-8")
        if result.form == "ASK":
            return ("true\n" if result.boolean else "false\n").encode("utf-8")
        out = io.StringIO()
        if fmt == "csv":
            writer = csv.writer(out, lineterminator="\r\n")
            writer.writerow(result.variables)
            writer.writerows([[_csv_term(t) for t in row] for row in result.rows])
        elif fmt == "tsv":
            out.write("\t".join(f"?{v}" for v in result.variables) + "\n")
            out.writelines("\t".join(_tsv_term(t) for t in row) + "\n" for row in result.rows)
        else:
            raise QueryError(f"unknown result format '{fmt}'; expected one of {', '.join(BINDINGS_FORMATS)}")
        return out.getvalue().encode("utf-8")
    graph = result_graph(result)
    if fmt in ("turtle", "table"):
        return graph.serialize(format="turtle", encoding="utf-8")
    if fmt in ("nt", "nq"):  # a CONSTRUCT answer is one graph: as N-Quads, its triples in the default graph
        return graph.serialize(format="nt", encoding="utf-8")
    if fmt == "trig":  # the triples in the default graph: Turtle is TriG with no graph block
        return graph.serialize(format="turtle", encoding="utf-8")
    if fmt == "rdfxml":
        return graph.serialize(format="xml", encoding="utf-8")
    if fmt == "jsonld":
        return to_jsonld(graph).encode("utf-8")
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(["subject", "predicate", "object"])
        writer.writerows([[str(t) for t in triple] for triple in sorted(result.triples)])
        return out.getvalue().encode("utf-8")
    raise QueryError(f"unknown graph format '{fmt}'; expected one of {', '.join(GRAPH_FORMATS)}")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cell_text(term) -> str:
    """A result cell for reading: IRIs shortened with the project's prefixes, literals as text
    (with their language tag), blank nodes as N3; '' for an unbound variable."""
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return compact(str(term))
    if isinstance(term, Literal):
        return str(term) + (f"@{term.language}" if term.language else "")
    return term.n3()


def _table_cell(term) -> str:
    text = " ".join(cell_text(term).split())
    if _width(text) > TABLE_CELL:
        while _width(text) > TABLE_CELL - 1:
            text = text[:-1]
        text += "…"
    return text


def format_table(result: QueryResult) -> str:
    """A plain-text table: IRIs shortened with the project's prefixes, long values cut."""
    if result.form == "ASK":
        return ("true" if result.boolean else "false") + "\n"
    if result.form != "SELECT":
        return serialize(result, "turtle").decode("utf-8")
    rows = [[_table_cell(t) for t in row] for row in result.rows]
    widths = [max([_width(v)] + [_width(r[i]) for r in rows]) for i, v in enumerate(result.variables)]

    def line(cells):
        return "  ".join(c + " " * (w - _width(c)) for c, w in zip(cells, widths)).rstrip()

    out = [line(result.variables), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''}{', cut at the row limit' if result.truncated else ''})")
    return "\n".join(out) + "\n"


def output_format(result: QueryResult, fmt: str) -> str:
    """The CLI's --format (table / csv / json) as the serializer's format for this answer."""
    if result.form in ("SELECT", "ASK"):
        return fmt
    return {"table": "turtle", "json": "jsonld", "csv": "csv"}.get(fmt, fmt)
