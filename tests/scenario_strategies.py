"""Generated scenarios for the property and differential tests: every fact of the format either
left out (unknown) or given a value of its vocabulary, for one work or several."""

from __future__ import annotations

from hypothesis import strategies as st

from chosaku.answers import set_answer, work_key
from chosaku.facts import fact_index


def values_of(spec) -> list:
    """The answers a fact can take: its vocabulary, or true and false."""
    return [True, False] if not spec.values else sorted(spec.values)


@st.composite
def scenarios(draw, max_works: int = 1):
    """A scenario of any technique with 1..max_works works ("w", "w2", ...), each fact of the
    scenario and of each work left out or answered independently."""
    techniques = sorted(fact_index()["technique"].values)
    works = [{"id": "w" if n == 1 else f"w{n}"} for n in range(1, draw(st.integers(1, max_works)) + 1)]
    data = {"id": "generated", "technique": draw(st.sampled_from(techniques)), "works": works}
    for key, spec in sorted(fact_index().items()):
        if key == "technique" or key == "works[].id":
            continue
        for work in works if spec.per_work else [None]:
            if draw(st.booleans()):
                target = work_key(work["id"], spec) if work else key
                data = set_answer(data, target, draw(st.sampled_from(values_of(spec))))
    return data
