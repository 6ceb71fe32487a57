"""What can go wrong with a query, each with the HTTP status the endpoint answers it with."""

from __future__ import annotations

from .errors import ChosakuError


class QueryError(ChosakuError):
    """A query that was not answered; `status` is the HTTP status the endpoint answers with."""

    status = 400


class QuerySyntaxError(QueryError):
    """Not a SPARQL 1.1 query."""

    status = 400


class QueryRefused(QueryError):
    """A query the read-only dataset does not run: SPARQL Update, SERVICE."""

    status = 403


class QueryTimeout(QueryError):
    """The query ran longer than its time limit and was stopped."""

    status = 503


class QueryFailed(QueryError):
    """The engine failed while answering."""

    status = 500


class QueryTooLarge(QueryError):
    """A query, or its answer, larger than the endpoint takes or gives."""

    status = 413


class QueryBusy(QueryError):
    """Every query slot is taken; the client should retry later."""

    status = 503
