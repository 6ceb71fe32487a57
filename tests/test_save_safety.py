"""`chosaku save` never loses a case: one file per id whatever suffixes concurrent saves use,
cleanup that touches only that id's own files, a dataset that still loads with a stray duplicate
(the newer file wins, with a warning), corrupt cache files rebuilt, and saves killed at random
points leaving either the old case or the new one, whole, and nothing the dataset trips over."""

from __future__ import annotations

import gzip
import json
import multiprocessing
import os
import random
import signal
import time

import yaml

from case_library import read_case
from chosaku.dataset import saved_dir
from chosaku.dataset_build import build_dataset
from chosaku.resources import cases_dir
from chosaku.save import save_case

BASE = "icl-pattern3-answer-only.yaml"


def scenario(case_id: str, **changes) -> dict:
    data = dict(read_case(cases_dir() / BASE), id=case_id, **changes)
    for key in ("expected", "sources"):
        data.pop(key, None)
    return data


def empty_cases(tmp_path):
    folder = tmp_path / "cases"
    folder.mkdir()
    return folder


def _save_as(args):
    data, cases, index = args
    case = scenario("same-id", display="none" if index % 2 else "partial")
    text = json.dumps(case) if index % 3 == 0 else yaml.safe_dump(case)
    save_case(text, data=data, cases=cases)
    return index


def test_concurrent_saves_of_one_id_with_mixed_suffixes_leave_one_whole_case(tmp_path):
    data, cases = tmp_path / "data", empty_cases(tmp_path)
    save_case(scenario("same-id"), data=data, cases=cases)  # warm the cache of the ontology
    with multiprocessing.get_context("fork").Pool(4) as pool:
        assert sorted(pool.map(_save_as, [(data, cases, i) for i in range(20)])) == list(range(20))
    files = [p for p in saved_dir(data).iterdir() if not p.name.startswith(".")]
    assert len(files) == 1 and files[0].stem == "same-id", files
    dataset = build_dataset(data, cases)
    assert [entry.id for entry in dataset.cases] == ["same-id"] and not dataset.problems


def test_cleanup_touches_only_the_id_s_own_files(tmp_path):
    data, cases = tmp_path / "data", empty_cases(tmp_path)
    saved_dir(data).mkdir(parents=True)
    unrelated = saved_dir(data) / "same-id.v1.yaml"
    unrelated.write_text(yaml.safe_dump(scenario("same-id-v1")), encoding="utf-8")
    save_case(json.dumps(scenario("same-id")), data=data, cases=cases)
    save_case(scenario("same-id"), data=data, cases=cases)
    names = sorted(p.name for p in saved_dir(data).iterdir() if not p.name.startswith("."))
    assert names == ["same-id.v1.yaml", "same-id.yaml"]


def test_a_stray_duplicate_loads_with_the_newer_file_and_a_warning(tmp_path):
    data, cases = tmp_path / "data", empty_cases(tmp_path)
    save_case(scenario("twice", display="none"), data=data, cases=cases)
    older = saved_dir(data) / "twice.yaml"
    os.utime(older, (time.time() - 100, time.time() - 100))
    (saved_dir(data) / "twice.json").write_text(json.dumps(scenario("twice", display="partial")), encoding="utf-8")
    dataset = build_dataset(data, cases)
    assert [(e.id, e.path.name) for e in dataset.cases] == [("twice", "twice.json")]
    assert any("warning: case id 'twice'" in problem and "twice.yaml" in problem for problem in dataset.problems)


def test_a_corrupt_cache_file_is_rebuilt(tmp_path):
    data, cases = tmp_path / "data", empty_cases(tmp_path)
    save_case(scenario("kept"), data=data, cases=cases)
    first = build_dataset(data, cases)
    cache = first.cases[0].cache
    cache.write_bytes(b"not gzip at all")
    again = build_dataset(data, cases)
    assert [e.id for e in again.cases] == ["kept"] and again.cases[0].cache == cache
    with gzip.open(cache, "rt", encoding="utf-8") as handle:
        assert handle.readline().startswith("# chosaku-kg case graphs: ")


def _save_forever(data, cases, seed):
    random.seed(seed)
    while True:
        save_case(scenario("killed", display=random.choice(["none", "partial", "full"])), data=data, cases=cases)


def test_saves_killed_at_random_points_never_leave_a_broken_dataset(tmp_path):
    data, cases = tmp_path / "data", empty_cases(tmp_path)
    save_case(scenario("killed"), data=data, cases=cases)
    context = multiprocessing.get_context("fork")
    rng = random.Random(7)
    for round_ in range(50):  # fifty SIGKILLs, each at a random point of a save loop
        process = context.Process(target=_save_forever, args=(data, cases, round_))
        process.start()
        time.sleep(rng.uniform(0.02, 0.6))
        os.kill(process.pid, signal.SIGKILL)
        process.join()
        dataset = build_dataset(data, cases)
        assert [e.id for e in dataset.cases] == ["killed"], dataset.problems
        files = [p for p in saved_dir(data).iterdir() if not p.name.startswith(".")]
        assert [p.stem for p in files] == ["killed"], files
        assert yaml.safe_load(files[0].read_text(encoding="utf-8"))["id"] == "killed"
