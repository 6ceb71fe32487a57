"""Citations in the form a lawyer writes them, read from the ontology.

- a provision of an instrument: 著作権法30条の4第2号 / Copyright Act Art. 30-4(ii) (the instrument's
  name, then the provision's own citation; in Japanese the article's leading 第 is dropped, as
  briefs and memos write it);
- a judgment: its bibliographic citation and its common name, 最一小判平成23年1月20日民集65巻1号399頁
  （ロクラクII）;
- any other document: its issuer, its title in 「」 and the section, with the URL and date where the
  ontology records them.

The project's own paraphrase of a passage is marked as such (要旨 / summary); a statute's official
text is quoted verbatim and never marked."""

from __future__ import annotations

from functools import lru_cache

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF

from .explanation import Provision, Source, Text
from .labels import label
from .namespaces import KG
from .ontology_graph import load_ontology

PARAPHRASE = Text("summary", "要旨")
# Where a document's name ends and its description starts, in its label, by language.
_NAME_ENDS = {"ja": ("（", "(", "【", " ", "、"), "en": ("(", "（", ",")}
# Where a long document title's subtitle starts.
_SUBTITLE = {"ja": "～", "en": ":"}


def _short(text: str, lang: str) -> str:
    """A label up to its first bracket or comma: the common name of a judgment or document."""
    cut = min((i for i in (text.find(m) for m in _NAME_ENDS[lang]) if i > 0), default=len(text))
    return text[:cut].strip()


@lru_cache(maxsize=256)
def instrument_name(provision_iri: str) -> Text:
    """The short name of the instrument a provision belongs to (著作権法 / Copyright Act), '' if none."""
    graph = load_ontology()
    instrument = graph.value(URIRef(provision_iri), KG.inInstrument)
    if instrument is None:
        return Text("", "")
    return Text(*(_short(label(graph, instrument, lang), lang) for lang in ("en", "ja")))


def provision_citation(provision: Provision | None, lang: str) -> str:
    """著作権法30条の4第2号 / Copyright Act Art. 30-4(ii); '' for no provision. A citation that
    already names its instrument (著作権法施行令第7条の4, Civil Code Art. 709) is kept as it is."""
    if provision is None:
        return ""
    own = provision.citation.in_lang(lang) or provision.label.in_lang(lang)
    name = instrument_name(provision.iri).in_lang(lang)
    if not name:
        return own
    if own.startswith(name):
        rest = own[len(name):]
        return name + rest[1:] if lang == "ja" and rest.startswith("第") else own
    if lang == "ja":
        return name + (own[1:] if own.startswith("第") else own)
    return f"{name} {own}"


def provision_title(provision: Provision, lang: str) -> str:
    """The provision's heading without its citation: 複製権 for 第21条（複製権）, '' when it has none."""
    label, own = provision.label.in_lang(lang), provision.citation.in_lang(lang)
    rest = label[len(own):].strip() if own and label.startswith(own) else ""
    return rest[1:-1] if rest[:1] in ("（", "(") and rest[-1:] in ("）", ")") else rest


def provision_heading(provision: Provision, lang: str) -> str:
    """著作権法30条の4（著作物に表現された思想又は感情の享受を目的としない利用）"""
    title = provision_title(provision, lang)
    cited = provision_citation(provision, lang)
    if not title:
        return cited
    return f"{cited}（{title}）" if lang == "ja" else f"{cited} ({title})"


@lru_cache(maxsize=512)
def _document(document_iri: str) -> dict:
    graph = load_ontology()
    node = URIRef(document_iri)
    issued = graph.value(node, DCTERMS.issued)
    url = graph.value(node, KG.officialUrl) or graph.value(node, DCTERMS.source)
    return {"judgment": (node, RDF.type, KG.Judgment) in graph,
            "reference": str(graph.value(node, DCTERMS.bibliographicCitation) or ""),
            "issued": str(issued) if issued is not None else "",
            "url": str(url) if url is not None else ""}


def source_citation(source: Source, lang: str) -> str:
    """A source as a lawyer cites it: a judgment by its reference and name, any other document
    by issuer, 「title」 and section."""
    document = _document(source.document_iri)
    title = source.document.in_lang(lang)
    main_title = title.split(_SUBTITLE[lang], 1)[0].strip() or title
    if document["judgment"] and document["reference"]:
        name = _short(title, lang).removesuffix("事件")
        reference = document["reference"].replace(" ", "") if lang == "ja" else document["reference"]
        return f"{reference}（{name}）" if lang == "ja" else f"{name}, {reference}"
    issuer = _short(source.issuer.in_lang(lang), lang)
    section = f" {source.section}" if source.section else ""
    if lang == "ja":
        return f"{issuer}「{main_title}」{section}".strip()
    return f"{issuer}, “{main_title}”{section}".strip(", ")


def source_reference(source: Source) -> tuple[str, str]:
    """(date issued, URL) of a source's document, '' where the ontology records none."""
    document = _document(source.document_iri)
    return document["issued"], document["url"]


@lru_cache(maxsize=1)
def _passages() -> tuple[tuple[str, str], ...]:
    """(contract citation string, node IRI) of every passage, longest citation first."""
    from .labels import source_citation as contract_citation

    graph = load_ontology()
    found = {contract_citation(graph, node): str(node) for node in set(graph.subjects(KG.inSource, None))}
    return tuple(sorted(found.items(), key=lambda item: -len(item[0])))


def cited_in_lawyer_form(text: str, lang: str) -> str:
    """A text citing passages as the contract writes them ('seed004 第8 … 2(1); seed003 …') with each
    passage the ontology knows cited as a lawyer does; anything else is kept as written."""
    from .citations import source_of

    out = str(text)
    for citation, iri in _passages():
        if citation and citation in out:
            out = out.replace(citation, source_citation(source_of(URIRef(iri)), lang))
    return out


def paraphrase(text: Text, lang: str) -> str:
    """The project's paraphrase of a passage, marked as a summary: 【要旨】… / [summary] …"""
    body = text.in_lang(lang)
    if not body:
        return ""
    return f"【{PARAPHRASE.ja}】{body}" if lang == "ja" else f"[{PARAPHRASE.en}] {body}"
