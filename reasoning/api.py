"""The REST API (`chosaku api`): the engine for programs, read-only, with an OpenAPI 3.1 document
at /openapi.json whose request body is the scenario format (chosaku.scenario_schema).

    POST /evaluate  /validate  /whatif  /missing-facts  /explain  /memo     (body: a scenario, JSON)
    GET  /provisions  /provisions/{id}  /cases  /cases/{id}  /openapi.json  /scenario.schema.json

Every error is an RFC 9457 problem (application/problem+json) with the message in English
(`detail`) and Japanese (`detail_ja`), the key at fault and, for a refused scenario, every
problem the validator found. Limits: the body (Content-Length checked before reading, then while
it streams), one engine call at a time with a bounded queue (503 with Retry-After beyond it), and
a time per request (the what-if analyses stop between evaluations; 503 past the limit).
Starlette, as the SPARQL endpoint (chosaku.serve): the answers are the engine's, so the request
schema is generated from the ontology rather than from Python models."""

from __future__ import annotations

import functools
import json
import socket
import time

import anyio
from jsonschema import Draft202012Validator

from . import api_service as service
from .api_spec import MEMO_MEDIA, PROBLEM_MEDIA, openapi_document
from .errors import ChosakuError, ScenarioError, ValidationError
from .load import MAX_INPUT_BYTES
from .scenario_schema import scenario_schema
from .scenario_text import parse_json

PROBLEM_BASE = "https://w3id.org/chosaku-kg/problems/"
DEFAULT_TIMEOUT = 30.0
DEFAULT_QUEUE = 8
HEADERS = {"X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}


class Problem(Exception):
    """An answer that is a problem: status, type, title and the message in en and ja."""

    def __init__(self, status: int, kind: str, title: str, en: str, ja: str, key: str | None = None,
                 errors: list | None = None, headers: dict | None = None):
        super().__init__(en)
        self.status, self.kind, self.title, self.en, self.ja = status, kind, title, en, ja
        self.key, self.errors, self.headers = key, errors, headers or {}

    def body(self, instance: str) -> dict:
        """The problem details object."""
        body = {"type": PROBLEM_BASE + self.kind, "title": self.title, "status": self.status, "detail": self.en,
                "detail_ja": self.ja, "instance": instance, "key": self.key}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


# --- the request body ------------------------------------------------------------------------------


async def read_body(request, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The request body, refused (413) as soon as it is known to pass `limit`."""
    too_large = Problem(413, "body-too-large", "Request body too large",
                        f"the request body is larger than {limit} bytes; a scenario is a short document",
                        f"要求の本文が {limit} バイトを超えています。シナリオは短い文書です")
    declared = request.headers.get("content-length", "").strip()
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _schema_key(error, data) -> str:
    """The key at fault as the validator names it: `works[<id>].kind` for a work with an id."""
    parts = list(error.absolute_path)
    if len(parts) > 1 and parts[0] == "works" and isinstance(parts[1], int):
        work = data["works"][parts[1]]
        if isinstance(work, dict) and isinstance(work.get("id"), str) and work["id"]:
            parts[1] = work["id"]
    path = "".join(f"[{p}]" if i and parts[i - 1] == "works" else f".{p}" for i, p in enumerate(parts)).lstrip(".")
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        return f"{path}.{missing}".lstrip(".")
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return ", ".join(f"{path}.{k}".lstrip(".") for k in extra) or path
    return path or "(scenario)"


@functools.lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(scenario_schema())


def schema_problems(data) -> list[dict]:
    """Where a parsed body breaks the scenario's JSON Schema, as problems (key, value, en, ja)."""
    problems = []
    for error in sorted(_validator().iter_errors(data), key=lambda e: list(map(str, e.path))):
        key = _schema_key(error, data)
        shown = json.dumps(error.instance, ensure_ascii=False)[:80]
        if error.validator == "additionalProperties":
            en, ja = (f"{key}: not a key of the scenario format (docs/scenario-format.md)",
                      f"{key}：シナリオ形式にないキーです")
        elif error.validator == "required":
            en, ja = f"{key}: required, and missing", f"{key}：必須のキーがありません"
        elif error.validator == "enum":
            codes = ", ".join(str(v) for v in error.validator_value if v is not None)
            en, ja = (f"{key}: {shown} is not allowed; expected one of {codes} (leave the key out if unknown)",
                      f"{key}：{shown} は使えません。{codes} のいずれかを指定してください（不明ならキーを省略）")
        elif error.validator == "type":
            kinds = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
            expected = " or ".join(k for k in kinds if k != "null")
            en, ja = (f"{key}: {shown} has the wrong type; expected {expected}",
                      f"{key}：{shown} は型が違います（{expected} を指定してください）")
        else:
            en, ja = (f"{key}: {shown} does not fit the format ({error.message})",
                      f"{key}：{shown} はシナリオ形式に合いません（{error.validator}: {error.validator_value}）")
        problems.append({"key": key, "value": shown, "en": en, "ja": ja})
    return problems


def _plain(key: str) -> str:
    """A key without its punctuation, so that `works.w.kind` and `works[w].kind` compare equal."""
    return "".join(c for c in key.strip() if c not in ".[]")


def _invalid(problems: list[dict]) -> Problem:
    return Problem(422, "invalid-scenario", "Invalid scenario", "\n".join(p["en"] for p in problems),
                   "\n".join(p["ja"] for p in problems), key=problems[0]["key"], errors=problems)


def _engine_problems(data) -> list[dict]:
    """The validator's own problems with a scenario (its messages name keys as the format does)."""
    try:
        return service.validation_report(data)["problems"]
    except ScenarioError as exc:
        return [{"key": "(scenario)", "value": None, "en": exc.message_en, "ja": exc.message_ja}]


async def json_body(request):
    """The request body parsed as JSON within the scenario parser's limits (415 for another media
    type, 413 too large, 400 not JSON)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind not in ("application/json", "") and not kind.endswith("+json"):
        raise Problem(415, "unsupported-media-type", "Unsupported media type",
                      f"send the scenario as application/json, not {kind!r}",
                      f"シナリオは application/json で送ってください（{kind!r} は扱えません）", key="Content-Type")
    body = await read_body(request)
    try:
        data = parse_json(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise Problem(400, "malformed-body", "Malformed body", "the body is not UTF-8 text",
                      "本文が UTF-8 のテキストではありません") from None
    except ScenarioError as exc:
        raise Problem(400, "malformed-body", "Malformed body", exc.message_en, exc.message_ja) from None
    return data


def _not_a_mapping(data) -> dict:
    return {"key": "(scenario)", "value": type(data).__name__,
            "en": f"a scenario is a JSON object of keys and values, got {type(data).__name__}",
            "ja": "シナリオはキーと値の JSON オブジェクトでなければなりません"}


async def scenario_of(request) -> dict:
    """The request's scenario: a JSON object that fits the format (422 naming every problem)."""
    data = await json_body(request)
    if not isinstance(data, dict):
        raise _invalid([_not_a_mapping(data)])
    problems = schema_problems(data)
    if problems:  # the validator's own words where it finds the fault too, the schema's for the rest
        found = await anyio.to_thread.run_sync(_engine_problems, data)
        named = {_plain(part) for p in found for part in p["key"].split(",")}
        raise _invalid(found + [p for p in problems if _plain(p["key"]) not in named])
    return data


def _integer(request, name: str, default: int) -> int:
    text = request.query_params.get(name)
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        raise service.ParameterError(name, f"{name}: {text!r} is not a whole number",
                                     f"{name}：{text!r} は整数ではありません") from None


# --- running the engine ----------------------------------------------------------------------------


class Engine:
    """One engine call at a time, a bounded queue and a time per request."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, queue: int = DEFAULT_QUEUE):
        self.timeout, self.queue = timeout, queue
        self.limiter = anyio.CapacityLimiter(1)
        self.waiting = 0

    async def run(self, function, *args, **kwargs):
        """Run an engine function in a worker thread within the limits."""
        if self.waiting >= self.queue:
            raise Problem(503, "busy", "Busy", f"{self.waiting} requests are waiting; try again shortly",
                          f"{self.waiting} 件の要求が待っています。しばらくしてから再度お試しください",
                          headers={"Retry-After": "2"})
        self.waiting += 1
        call = functools.partial(function, *args, **kwargs)
        try:
            with anyio.fail_after(self.timeout + 5):  # a safety net: the analyses stop at their deadline
                return await anyio.to_thread.run_sync(call, limiter=self.limiter, abandon_on_cancel=True)
        except (TimeoutError, service.TimeLimitError):
            raise Problem(503, "time-limit", "Time limit",
                          f"the answer took longer than the {self.timeout:g} s allowed for one request",
                          f"回答が一回の要求に許される {self.timeout:g} 秒を超えました",
                          headers={"Retry-After": "5"}) from None
        finally:
            self.waiting -= 1

    def deadline(self) -> float:
        """The monotonic time by which a request's analysis must stop."""
        return time.monotonic() + self.timeout


def _problem_of(exc: Exception) -> Problem:
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, ValidationError):
        return _invalid([p.to_dict() for p in exc.problems])
    if isinstance(exc, service.NotFoundError):
        return Problem(404, "not-found", "Not found", exc.message_en, exc.message_ja, key=exc.key)
    if isinstance(exc, service.ParameterError):
        return Problem(400, "bad-parameter", "Bad parameter", exc.message_en, exc.message_ja, key=exc.key)
    if isinstance(exc, ScenarioError):
        return Problem(422, "unreadable-scenario", "Unreadable scenario", exc.message_en, exc.message_ja,
                       key="(scenario)", errors=[{"key": "(scenario)", "value": None, "en": exc.message_en,
                                                  "ja": exc.message_ja}])
    if isinstance(exc, ChosakuError):
        return Problem(500, "engine-error", "Engine error", exc.message_en, exc.message_ja)
    return Problem(500, "internal-error", "Internal error", f"the engine failed: {type(exc).__name__}",
                   f"エンジンの内部エラー：{type(exc).__name__}")


# --- the application -------------------------------------------------------------------------------


def create_app(engine: Engine | None = None, allowed_hosts: list[str] | None = None):
    """The Starlette application of the REST API."""
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    engine = engine or Engine()

    def problem_response(problem: Problem, request) -> JSONResponse:
        return JSONResponse(problem.body(request.url.path), status_code=problem.status, media_type=PROBLEM_MEDIA,
                            headers={**HEADERS, **problem.headers})

    def answer(handler):
        @functools.wraps(handler)
        async def endpoint(request):
            try:
                return await handler(request)
            except Exception as exc:  # every failure becomes a problem, never a bare 500 page
                return problem_response(_problem_of(exc), request)
        return endpoint

    def ok(data) -> JSONResponse:
        return JSONResponse(data, headers=HEADERS)

    @answer
    async def evaluate(request):
        position, lang = request.query_params.get("position"), request.query_params.get("lang")
        service.check_position(position), service.check_lang(lang)
        scenario = await scenario_of(request)
        return ok(await engine.run(service.evaluate_scenario, scenario, position, lang))

    @answer
    async def validate(request):
        scenario = await json_body(request)  # a scenario that breaks the format is a report here, not a 422
        if not isinstance(scenario, dict):
            return ok({"valid": False, "problems": [_not_a_mapping(scenario)]})
        report = await engine.run(service.validation_report, scenario)
        if report["valid"]:
            problems = schema_problems(scenario)
            report = {"valid": not problems, "problems": problems}
        return ok(report)

    @answer
    async def whatif(request):
        position = service.check_position(request.query_params.get("position"))
        scenario = await scenario_of(request)
        return ok(await engine.run(service.what_if_report, scenario, position, engine.deadline()))

    @answer
    async def missing_facts(request):
        position = service.check_position(request.query_params.get("position"))
        scenario = await scenario_of(request)
        return ok(await engine.run(service.missing_fact_questions, scenario, position, engine.deadline()))

    @answer
    async def explain(request):
        params = request.query_params
        act = params.get("act")
        if act is None:
            raise service.ParameterError("act", "act: required (training, collection, input, output, transmission, use)",
                                         "act：行為を指定してください")
        page, per_page = _integer(request, "page", 1), _integer(request, "per_page", 10)
        position = service.check_position(params.get("position"))
        scenario = await scenario_of(request)
        return ok(await engine.run(service.explain_act, scenario, act, params.get("exemption"), position, page, per_page))

    @answer
    async def memo(request):
        from .memo import render_memo

        fmt, lang = request.query_params.get("format", "pdf"), request.query_params.get("lang", "ja")
        if fmt not in MEMO_MEDIA:
            raise service.ParameterError("format", f"format: {fmt!r}; expected one of {', '.join(MEMO_MEDIA)}",
                                         f"format：{fmt!r}。{', '.join(MEMO_MEDIA)} のいずれかを指定してください")
        service.check_lang(lang)
        position = service.check_position(request.query_params.get("position"))
        scenario = await scenario_of(request)
        if position:
            scenario = dict(scenario, position=position)
        data = await engine.run(render_memo, scenario, fmt, lang)
        name = f"{scenario['id']}-memo.{fmt}"
        return Response(data, media_type=MEMO_MEDIA[fmt],
                        headers={**HEADERS, "Content-Disposition": f'attachment; filename="{name}"'})

    @answer
    async def provisions(request):
        return ok(await engine.run(service.provision_list))

    @answer
    async def provision(request):
        return ok(await engine.run(service.provision_info, request.path_params["id"]))

    @answer
    async def cases(request):
        return ok(await engine.run(service.case_list))

    @answer
    async def case(request):
        return ok(await engine.run(service.case_detail, request.path_params["id"]))

    async def openapi(request):
        return ok(openapi_document())

    async def schema(request):
        return JSONResponse(scenario_schema(), media_type="application/schema+json", headers=HEADERS)

    async def root(request):
        return ok({"openapi": "/openapi.json", "scenario_schema": "/scenario.schema.json",
                   "operations": sorted(openapi_document()["paths"])})

    async def http_problem(request, exc: HTTPException):
        statuses = {404: ("not-found", "Not found", "no such resource", "そのようなリソースはありません"),
                    405: ("method-not-allowed", "Method not allowed", f"{request.method} is not allowed here",
                          f"ここでは {request.method} は使えません")}
        kind, title, en, ja = statuses.get(exc.status_code, ("http-error", "HTTP error", str(exc.detail), str(exc.detail)))
        return problem_response(Problem(exc.status_code, kind, title, en, ja, headers=dict(exc.headers or {})), request)

    async def server_error(request, exc: Exception):
        return problem_response(_problem_of(exc), request)

    routes = [Route("/", root), Route("/openapi.json", openapi), Route("/scenario.schema.json", schema),
              Route("/evaluate", evaluate, methods=["POST"]), Route("/validate", validate, methods=["POST"]),
              Route("/whatif", whatif, methods=["POST"]), Route("/missing-facts", missing_facts, methods=["POST"]),
              Route("/explain", explain, methods=["POST"]), Route("/memo", memo, methods=["POST"]),
              Route("/provisions", provisions), Route("/provisions/{id}", provision),
              Route("/cases", cases), Route("/cases/{id}", case)]
    middleware = [Middleware(TrustedHostMiddleware, allowed_hosts=allowed_hosts)] if allowed_hosts else []
    return Starlette(routes=routes, middleware=middleware,
                     exception_handlers={HTTPException: http_problem, Exception: server_error})


def warm_up() -> None:
    """Load the ontology, the shapes, the rules and the parsers once before serving, so that the
    first request is answered as fast as the others and no parser is first used from two threads."""
    from .text import render_text
    from .ontology_graph import load_ontology

    from .evaluate import evaluate

    result = evaluate(service.case_detail(service.case_list()[0]["id"])["scenario"])
    render_text(result, load_ontology(), lang="en")
    openapi_document()


def serve_api(*, host: str = "127.0.0.1", port: int = 8000, timeout: float = DEFAULT_TIMEOUT,
              queue: int = DEFAULT_QUEUE, announce=print) -> None:
    """Run the REST API until interrupted. Port 0 picks a free port; `announce` gets the URL."""
    import uvicorn

    from .serve import allowed_hosts_for

    warm_up()
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(256)
    port = sock.getsockname()[1]
    app = create_app(Engine(timeout=timeout, queue=queue), allowed_hosts_for(host, port))
    shown = f"[{host}]" if family == socket.AF_INET6 else host
    announce(f"chosaku REST API (read-only) at http://{shown}:{port}/ — OpenAPI at /openapi.json, "
             f"time limit {timeout:g} s; Ctrl-C stops it")
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2, access_log=False,
                            timeout_keep_alive=5)
    uvicorn.Server(config).run(sockets=[sock])
