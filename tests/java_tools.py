"""Java programs as second opinions in tests: Jena (Debian libapache-jena-java) and the OWL API
(Debian libowlapi-java), run by small programs in tests/java/ compiled with javac at test time.

The classpath is the Debian package's jars with those of the Java packages it depends on (from
dpkg), with one SLF4J binding (nop). A JVM starts slowly, so each test passes all its files to one
run. `.ci/run` installs the packages when missing; without them (or without javac) the tests skip
and say which package is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

JAVA_SOURCES = Path(__file__).resolve().parent / "java"
SHARE = Path("/usr/share/java")
_VERSIONED_JAR = re.compile(r"-\d[\d.]*[^/]*\.jar$")


def _depends(package: str) -> list[str]:
    out = subprocess.run(["dpkg-query", "-W", "-f=${Depends}", package], capture_output=True, text=True).stdout
    return [re.split(r"[ (]", d.strip().split("|")[0].strip())[0] for d in out.split(",") if d.strip()]


def _installed(package: str) -> bool:
    out = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    return out.returncode == 0 and out.stdout.endswith("installed")


def debian_classpath(package: str) -> list[str]:
    """The jars of a Debian Java package and of the Java packages it depends on (skip if absent)."""
    if shutil.which("dpkg-query") is None or shutil.which("javac") is None:
        pytest.skip("needs Debian's dpkg and a JDK (javac)")
    if not _installed(package):
        pytest.skip(f"Debian package {package} is not installed (.ci/run installs it)")
    seen: set[str] = set()
    todo = [package]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo += [d for d in _depends(name) if d.startswith("lib") and d.endswith("-java")]
    jars = []
    for name in sorted(seen):
        files = subprocess.run(["dpkg", "-L", name], capture_output=True, text=True).stdout.split()
        jars += [f for f in files if f.startswith(f"{SHARE}/") and f.endswith(".jar")
                 and not _VERSIONED_JAR.search(f) and "slf4j" not in f and "log4j" not in f]
    return jars + [str(SHARE / "slf4j-api.jar"), str(SHARE / "slf4j-nop.jar")]


def jena_resource_fix(directory: Path) -> Path:
    """A classpath folder with the message bundles of Jena's bundled Xerces where its classes look
    for them. Debian's jena-core 4.5.0 moved the classes to `xerces.*` but left the bundles under
    `org/apache/jena/ext/xerces/`, so every XSD datatype fails to initialise ("internal error")."""
    jar = SHARE / "jena-core.jar"
    prefix = "org/apache/jena/ext/xerces/"
    with zipfile.ZipFile(jar) as archive:
        for name in archive.namelist():
            if name.startswith(prefix) and name.endswith(".properties"):
                target = directory / "xerces" / name[len(prefix):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(archive.read(name))
    return directory


def compile_java(source: str, classpath: list[str], out: Path) -> Path:
    """Compile tests/java/<source> into `out` with javac; the class folder."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["javac", "-nowarn", "-d", str(out), "-cp", ":".join(classpath), str(JAVA_SOURCES / source)],
                   check=True, capture_output=True, text=True)
    return out


def run_java(main: str, classpath: list[str], args: list[str], timeout: float = 300) -> list[list[str]]:
    """Run a compiled program once; its standard output as tab-separated rows."""
    done = subprocess.run(["java", "-Xmx1g", "-cp", ":".join(classpath), main, *args],
                          capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, f"{main} failed ({done.returncode}): {done.stderr[-3000:]}"
    return [line.split("\t") for line in done.stdout.splitlines() if line]


def jena(tmp: Path) -> list[str]:
    """A classpath running tests/java/JenaCheck.java (compiled into `tmp`)."""
    classpath = debian_classpath("libapache-jena-java")
    classpath = [str(jena_resource_fix(tmp / "resources")), *classpath]
    return [str(compile_java("JenaCheck.java", classpath, tmp / "classes")), *classpath]


def owlapi(tmp: Path) -> list[str]:
    """A classpath running tests/java/OwlProfile.java (compiled into `tmp`)."""
    classpath = debian_classpath("libowlapi-java")
    return [str(compile_java("OwlProfile.java", classpath, tmp / "classes")), *classpath]
