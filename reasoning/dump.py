"""The researchers' dataset as files (`chosaku dump OUT`): every named graph of the dataset (the
ontology, each case as written and under each other position) in one N-Quads or TriG file, gzipped
by default, with its description and terms of use beside it:

- `chosaku-kg-<version>.nq.gz` (or `.trig.gz`): the quads, blank nodes skolemised as the stores
  hold them, so that two dumps of the same dataset are byte for byte the same;
- `void.ttl`: a VoID and DCAT description (title, version, licence, the dump file, the triples of
  each named graph, the vocabulary);
- `LICENSE-DATA.md`: the data licence (CC BY 4.0), in English and Japanese;
- `CITATION.cff`: how to cite the dataset (the same file as the repository's).

Files are written atomically with the ordinary file mode (0644 under the usual umask 022)."""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, VOID, XSD

from .atomic import atomic_output, atomic_write
from .dataset import ONTOLOGY_GRAPH
from .dataset_build import build_dataset
from .embedded_store import EmbeddedStore
from .errors import ChosakuError
from .namespaces import BASE, PREFIXES, bind_prefixes
from .service_description import DATASET, TITLE
from .version import VERSION

DUMP_FORMATS = {"nq": (ox.RdfFormat.N_QUADS, ".nq", "application/n-quads"),
                "trig": (ox.RdfFormat.TRIG, ".trig", "application/trig")}
DATA_LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
GZIP = URIRef("http://www.iana.org/assignments/media-types/application/gzip")

LICENCE_TEXT = f"""# Data licence — chosaku-kg {VERSION}

The chosaku-kg dataset — the ontology (`ontology/`), the evaluated cases and the files of this dump —
is licensed under the **Creative Commons Attribution 4.0 International licence (CC BY 4.0)**:
<{DATA_LICENCE}>. You may share and adapt it for any purpose, provided you give appropriate credit
(cite it as `CITATION.cff` says), link to the licence and indicate if changes were made.

The statute texts it quotes are Japanese laws, which are not subject to copyright (Copyright Act
Art. 13). Commentary from the sources is paraphrased and cited, never copied. The software that
produced the dataset is licensed separately (Apache License 2.0, see the package metadata).

## データのライセンス

chosaku-kg のデータセット（オントロジー（`ontology/`）、評価済みの事例、このダンプのファイル）は
**クリエイティブ・コモンズ 表示 4.0 国際ライセンス（CC BY 4.0）** で提供します：<{DATA_LICENCE}>。
適切なクレジットを表示し（引用の仕方は `CITATION.cff`）、ライセンスへのリンクを示し、変更があればその旨を示す限り、
どのような目的でも共有・翻案できます。

引用する条文は日本の法令であり、著作権の目的となりません（著作権法第13条）。典拠の解説は要約して出典を示し、
複製していません。データセットを生成したソフトウェアのライセンスは別です（Apache License 2.0。パッケージの情報を参照）。
"""

CITATION = f"""cff-version: 1.2.0
message: "If you use this dataset or software, please cite it as below."
type: dataset
title: "chosaku-kg: Japanese copyright law and generative AI (ontology, reasoning engine and evaluated cases)"
version: "{VERSION}"
url: "{BASE}"
license:
  - CC-BY-4.0
  - Apache-2.0
authors:
  - name: "chosaku-kg maintainers"
keywords:
  - copyright
  - Japan
  - generative AI
  - RAG
  - knowledge graph
  - OWL
  - SHACL
abstract: >-
  An OWL ontology of the Japanese Copyright Act provisions, requirements, guidance documents,
  RAG types and risks that bear on generative AI, SHACL rules that evaluate scenarios against
  them with cited provenance, and the evaluated case library as an RDF dataset (CC BY 4.0 data,
  Apache-2.0 code).
"""


@dataclass
class DumpFiles:
    """What `dump` wrote: the quads file, its description, the licence and the citation."""

    quads: Path
    void: Path
    licence: Path
    citation: Path
    triples: int
    graphs: int


def void_graph(file_name: str, media_type: str, compressed: bool, counts: dict[str, int]) -> Graph:
    """The VoID / DCAT description of a dump file holding `counts` (graph name -> triples)."""
    graph = bind_prefixes(Graph())
    graph.bind("void", VOID)
    graph.bind("dcat", DCAT)
    download = URIRef(f"{BASE}dump/{file_name}")
    graph.add((DATASET, RDF.type, VOID.Dataset))
    graph.add((DATASET, RDF.type, DCAT.Dataset))
    for lang, title in TITLE.items():
        graph.add((DATASET, DCTERMS.title, Literal(title, lang=lang)))
    graph.add((DATASET, DCTERMS.license, DATA_LICENCE))
    graph.add((DATASET, DCTERMS.hasVersion, Literal(VERSION)))
    graph.add((DATASET, OWL.versionInfo, Literal(VERSION)))
    graph.add((DATASET, DCTERMS.conformsTo, URIRef(f"{BASE}ontology/{VERSION}")))
    graph.add((DATASET, VOID.vocabulary, URIRef(str(ONTOLOGY_GRAPH) + "#")))
    graph.add((DATASET, VOID.uriSpace, Literal(BASE)))
    graph.add((DATASET, VOID.triples, Literal(sum(counts.values()), datatype=XSD.integer)))
    graph.add((DATASET, VOID.dataDump, download))
    distribution = BNode("dump")
    graph.add((DATASET, DCAT.distribution, distribution))
    graph.add((distribution, RDF.type, DCAT.Distribution))
    graph.add((distribution, DCAT.downloadURL, download))
    graph.add((distribution, DCAT.mediaType, Literal(media_type)))
    graph.add((distribution, DCTERMS.license, DATA_LICENCE))
    if compressed:
        graph.add((distribution, DCAT.compressFormat, GZIP))
    for name, triples in sorted(counts.items()):
        subset = URIRef(name)
        graph.add((DATASET, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, VOID.triples, Literal(triples, datatype=XSD.integer)))
    return graph


def _write_quads(store: ox.Store, path: Path, fmt: ox.RdfFormat, compressed: bool) -> None:
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()} if fmt == ox.RdfFormat.TRIG else None

    def write(temporary: Path) -> None:
        with open(temporary, "wb") as raw:
            if compressed:  # mtime 0 and no file name in the header: the same data gives the same bytes
                with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as handle:
                    store.dump(handle, format=fmt, **({"prefixes": prefixes} if prefixes else {}))
            else:
                store.dump(raw, format=fmt, **({"prefixes": prefixes} if prefixes else {}))
    atomic_output(path, write)


def dump(out: Path, fmt: str = "nq", compressed: bool = True, data: Path | None = None,
         cases: Path | None = None, progress=None) -> DumpFiles:
    """Write the dataset and its description into the folder `out` (created if missing)."""
    if fmt not in DUMP_FORMATS:
        raise ChosakuError(f"unknown dump format '{fmt}'; expected one of {', '.join(DUMP_FORMATS)}")
    rdf_format, suffix, media_type = DUMP_FORMATS[fmt]
    store = EmbeddedStore(build_dataset(data, cases, progress)).ox
    store.clear_graph(ox.DefaultGraph())  # the union of the default graphs, kept for queries: not data of its own
    counts = {graph.value: sum(1 for _ in store.quads_for_pattern(None, None, None, graph))
              for graph in store.named_graphs()}
    out = Path(out)
    name = f"chosaku-kg-{VERSION}{suffix}" + (".gz" if compressed else "")
    quads = out / name
    _write_quads(store, quads, rdf_format, compressed)
    void = atomic_write(out / "void.ttl", void_graph(name, media_type, compressed, counts).serialize(format="turtle"))
    licence = atomic_write(out / "LICENSE-DATA.md", LICENCE_TEXT)
    citation = atomic_write(out / "CITATION.cff", CITATION)
    return DumpFiles(quads, void, licence, citation, sum(counts.values()), len(counts))
