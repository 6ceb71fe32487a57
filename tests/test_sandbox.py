"""The forked sandbox: values and serialised answers come back whole, an answer over its byte
limit is refused with 413 (the child killed), a failure in the child comes back as a message,
and a child that outlives its time limit is stopped."""

from __future__ import annotations

import time

import pytest

from chosaku import sandbox
from chosaku.query_errors import QueryFailed, QueryTimeout, QueryTooLarge


def test_a_value_comes_back_pickled():
    assert sandbox.run_forked(lambda: {"rows": [1, 2, 3]}, timeout=10) == {"rows": [1, 2, 3]}


def test_a_serialised_answer_comes_back_as_a_file_with_its_summary():
    body = "行".encode() * 400_000  # 1.2 MB: spooled past nothing, read back whole
    summary, answer = sandbox.run_forked_serialized(lambda: "value", lambda v: body, lambda v: v.upper(), timeout=10)
    try:
        assert summary == "VALUE" and answer.read() == body
    finally:
        answer.close()


def test_a_serialised_answer_over_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(sandbox, "STREAM_LIMIT", 100_000)
    with pytest.raises(QueryTooLarge) as refused:
        sandbox.run_forked_serialized(lambda: None, lambda v: b"x" * 100_001, lambda v: v, timeout=10)
    assert refused.value.status == 413 and "larger than 100,000 bytes" in str(refused.value)


def test_a_pickled_value_over_the_limit_is_refused(monkeypatch):
    monkeypatch.setattr(sandbox, "ANSWER_LIMIT", 10_000)
    with pytest.raises(QueryTooLarge):
        sandbox.run_forked(lambda: b"x" * 20_000, timeout=10)


def test_a_failure_in_the_child_comes_back_as_its_message():
    def fails():
        raise KeyError("no such graph")

    with pytest.raises(QueryFailed) as failed:
        sandbox.run_forked_serialized(fails, lambda v: b"", lambda v: v, timeout=10)
    assert "KeyError" in str(failed.value) and "no such graph" in str(failed.value)


def test_a_child_past_its_time_limit_is_stopped():
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        sandbox.run_forked(lambda: time.sleep(30), timeout=1)
    assert time.monotonic() - started < 5
