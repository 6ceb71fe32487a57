"""The wheel a user installs: built from this checkout, installed into a fresh venv, used from a
directory outside the repository (the Python API, the CLI, the explorer), with every data file
the package needs inside it.

The fresh venv installs the wheel itself with pip (no index); its third-party dependencies are
made visible by a .pth line naming this environment's site-packages, so the test needs no
network. Only a path line is added: the checkout's editable hook is never activated, and a test
checks that `chosaku` is imported from the new venv."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import sysconfig
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

from checkout import REPO_ROOT

CASE = "rag-type8-db-and-rag-provider.yaml"


def run(command, cwd, env, timeout=180, check=True):
    """Run a command, failing with its output when it fails."""
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if check and done.returncode != 0:
        raise AssertionError(f"{command} exited {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel built from the checkout."""
    out = tmp_path_factory.mktemp("wheel")
    # Built from a copy of the checkout's tracked files, as from a fresh clone: an in-tree build
    # would pick up stale files from an earlier build/ folder.
    tree = tmp_path_factory.mktemp("tree")
    tracked = run(["git", "ls-files", "-z"], cwd=REPO_ROOT, env=dict(os.environ)).stdout.split("\0")
    for name in filter(None, tracked):
        if (REPO_ROOT / name).is_file():
            (tree / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO_ROOT / name, tree / name)
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
         str(tree)], cwd=out, env=dict(os.environ))
    wheels = list(out.glob("chosaku_kg-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """(venv bin directory, environment, working directory outside the repository)."""
    root = tmp_path_factory.mktemp("fresh")
    venv = root / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=root, env=dict(os.environ))
    python = venv / "bin" / "python"
    run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], cwd=root,
        env=dict(os.environ))
    purelib = run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                  cwd=root, env=dict(os.environ)).stdout.strip()
    (Path(purelib) / "zz_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("CHOSAKU_") and key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["CHOSAKU_DATA"] = str(root / "data")
    work = root / "elsewhere"
    work.mkdir()
    (work / CASE).write_bytes((REPO_ROOT / "cases" / CASE).read_bytes())
    return venv / "bin", env, work


def test_wheel_holds_one_top_level_package_and_all_its_data(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/", 1)[0] for name in names}
    assert {t for t in top if not t.endswith(".dist-info")} == {"chosaku"}
    for needed in ("chosaku/ontology/copyright-act/art47-5.ttl", "chosaku/ontology/shapes/scenario-shapes.ttl",
                   "chosaku/ontology/context.jsonld", "chosaku/explorer/app.py", f"chosaku/cases/{CASE}",
                   "chosaku/cases/invalid/display-full-without-eop.yaml", "chosaku/queries/provider-liability.rq",
                   "chosaku/static/query.js", "chosaku/cli.py"):
        assert needed in names, needed
    shipped_rules = [n for n in names if n.startswith("chosaku/ontology/") and n.endswith(".ttl")]
    repo_rules = [name for name in run(["git", "ls-files", "ontology"], cwd=REPO_ROOT, env=dict(os.environ))
                  .stdout.split() if name.endswith(".ttl")]
    assert len(shipped_rules) == len(repo_rules)


def test_python_api_from_outside_the_repository(installed):
    bin_dir, env, work = installed
    code = ("import chosaku, json, sys; r = chosaku.evaluate(sys.argv[1]); "
            "print(json.dumps({'file': chosaku.__file__, 'rag_type': r.to_dict()['rag_type'], "
            "'acts': {a['act']: a['conclusion'] for a in r.to_dict()['acts']}}))")
    out = json.loads(run([str(bin_dir / "python"), "-c", code, CASE], cwd=work, env=env).stdout)
    assert Path(out["file"]).is_relative_to(bin_dir.parent), out["file"]
    assert out["rag_type"] == 8
    assert out["acts"] == {"collection": "infringing", "input": "infringing", "output": "infringing",
                           "transmission": "infringing"}


def test_cli_evaluate_validate_query_from_outside_the_repository(installed, shipped):
    bin_dir, env, work = installed
    chosaku = str(bin_dir / "chosaku")
    result = json.loads(run([chosaku, "evaluate", CASE, "--format", "json"], cwd=work, env=env).stdout)
    assert result["id"] == "rag-type8-db-and-rag-provider" and result["display_pattern"] == 1
    assert {entry["actor"] for entry in result["liable"]} == {"ai_provider", "ai_user"}
    (work / "bad.yaml").write_text("id: bad\ntechnique: rag\ndisplay: everything\n", encoding="utf-8")
    refused = run([chosaku, "validate", "bad.yaml"], cwd=work, env=env, check=False)
    assert refused.returncode == 1 and "display" in refused.stderr
    checked = run([chosaku, "ontology", "--check"], cwd=work, env=env)
    assert "SHACL self-check: conforms" in checked.stdout
    # the dataset of the shipped cases, as the checkout built it: the installed package finds its
    # cases and ontology identical (the cache is keyed by their content) and answers from it
    data = work / "data"
    shutil.copytree(shipped, data)
    rows = run([chosaku, "query", "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s a kg:Scenario } }",
                "--format", "csv"], cwd=work, env=dict(env, CHOSAKU_DATA=str(data)), timeout=600).stdout.splitlines()
    assert rows[0] == "n" and int(rows[1]) > 50  # the shipped case library, found inside the package


def test_explorer_serves_from_the_installed_package(installed):
    bin_dir, env, work = installed
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = open(work / "ui.log", "w")
    process = subprocess.Popen([str(bin_dir / "chosaku"), "ui", "--port", str(port)], cwd=work, env=env,
                               stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline, status = time.monotonic() + 60, None
        while time.monotonic() < deadline and status != 200:
            assert process.poll() is None, (work / "ui.log").read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as response:
                    status = response.status
            except OSError:
                time.sleep(0.3)
        assert status == 200, (work / "ui.log").read_text()
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=20)
        log.close()
