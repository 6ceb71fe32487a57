"""The explorer's own words in English and Japanese, and ontology labels in the chosen language.

Only the interface's chrome lives here (tab names, buttons, headings). Legal vocabulary —
facts, values, acts, conclusions, provisions, requirements, risks — is read from the ontology's
rdfs:label / kg:helpText in the same language, through the package (chosaku.glossary, chosaku.facts)."""

from __future__ import annotations

import re

from chosaku.glossary import exemption_citation, exemption_label
from chosaku.glossary import term as ontology_term
from chosaku.memo_content import conclusion_text, exemption_status_text

LANGUAGES = {"en": "English", "ja": "日本語"}

STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("chosaku-kg explorer: Japanese copyright law and generative AI",
                  "chosaku-kg エクスプローラ：生成AIと著作権法"),
    "disclaimer": ("Supports legal analysis; it is not legal advice. Every conclusion cites the passage it rests on.",
                   "法的分析を支援するもので、法的助言ではありません。すべての結論に根拠となる箇所を示します。"),
    "language": ("Language / 言語", "言語 / Language"),
    "start_from": ("Start from", "出発点"),
    "blank": ("Blank scenario", "空のシナリオ"),
    "upload": ("Upload a scenario (YAML, JSON or Turtle)", "シナリオをアップロード（YAML・JSON・Turtle）"),
    "paste": ("…or paste one", "…または貼り付け"),
    "load_pasted": ("Load pasted scenario", "貼り付けたシナリオを読み込む"),
    "loaded": ("Loaded scenario", "シナリオを読み込みました"),
    "upload_refused": ("This scenario was not loaded; your current scenario is kept.",
                       "このシナリオは読み込みませんでした。現在のシナリオはそのままです。"),
    "downloads": ("Download", "ダウンロード"),
    "scenario_yaml": ("Scenario (YAML)", "シナリオ（YAML）"),
    "scenario_json": ("Scenario (JSON)", "シナリオ（JSON）"),
    "result_json": ("Result (JSON)", "結果（JSON）"),
    "result_ttl": ("Result graph (Turtle)", "結果グラフ（Turtle）"),
    "result_jsonld": ("Result graph (JSON-LD)", "結果グラフ（JSON-LD）"),
    "result_graphml": ("Result graph (GraphML)", "結果グラフ（GraphML）"),
    "tab_builder": ("Scenario", "シナリオ"),
    "tab_results": ("Results", "結果"),
    "tab_whatif": ("What-if", "仮定分析"),
    "tab_graph": ("Graph", "グラフ"),
    "tab_sparql": ("SPARQL", "SPARQL"),
    "unknown": ("Unknown", "わからない"),
    "yes": ("Yes", "はい"),
    "no": ("No", "いいえ"),
    "case_id": ("Scenario id (a-z, 0-9, -)", "シナリオID（英小文字・数字・ハイフン）"),
    "title": ("Title", "タイトル"),
    "title_ja": ("Title (Japanese)", "タイトル（日本語）"),
    "position": ("Interpretive position", "解釈上の立場"),
    "general": ("The system", "システム"),
    "works": ("Works used", "利用する著作物"),
    "work": ("Work", "著作物"),
    "work_id": ("Work id", "著作物ID"),
    "add_work": ("Add a work", "著作物を追加"),
    "remove_work": ("Remove this work", "この著作物を削除"),
    "shown_because_answered": ("shown because it is answered", "回答済みのため表示"),
    "invalid": ("The scenario is not valid yet: answer or correct these, then the analysis appears.",
                "シナリオがまだ有効ではありません。次の点を回答・修正すると分析が表示されます。"),
    "unreadable": ("The scenario cannot be read", "シナリオを読み取れません"),
    "rag_type": ("RAG type", "RAG類型"),
    "display_pattern": ("Display pattern", "表示パターン"),
    "who_stores_inputs": ("Who stores and who inputs the works", "誰が蓄積し、誰が入力するか"),
    "stores": ("stores", "蓄積"),
    "inputs": ("inputs", "入力"),
    "generates": ("generates", "生成"),
    "sends": ("sends the output", "送信"),
    "uses": ("uses the output", "利用"),
    "vector_db": ("stored works", "蓄積された著作物"),
    "model": ("generative AI", "生成AI"),
    "output_node": ("output", "生成物"),
    "acts": ("Acts and conclusions", "行為と結論"),
    "actors": ("Actors", "行為主体"),
    "fault": ("fault", "故意・過失"),
    "exemptions": ("Exemptions weighed", "検討した権利制限規定"),
    "requirements": ("Requirements", "要件"),
    "status": ("Status", "状態"),
    "why_fails": ("Why it fails", "適用されない理由"),
    "why_open": ("What it depends on", "未確定の理由"),
    "because": ("Reasoning steps", "推論の根拠"),
    "citation": ("Citation", "典拠"),
    "rule": ("rule", "規則"),
    "provision": ("Provision", "条文"),
    "official_text": ("Official text (Japanese)", "条文（公式）"),
    "source": ("Source passage", "典拠箇所"),
    "liability": ("Liability", "責任"),
    "role": ("role", "責任の種類"),
    "remedies": ("remedies", "救済"),
    "for_acts": ("for", "対象行為"),
    "nobody_liable": ("Nobody is liable for an infringing act.", "侵害行為について責任を負う者はいません。"),
    "risks": ("Risks", "リスク"),
    "risk_conditional": ("Raised on a condition: it depends on facts not yet answered",
                         "条件付きのリスク：まだ回答されていない事実によります"),
    "no_risks": ("No risk raised.", "リスクはありません。"),
    "countermeasures": ("Countermeasures", "対策"),
    "severity": ("severity (1-5)", "重大度（1〜5）"),
    "binding": ("binding law", "法的拘束力あり"),
    "non_binding": ("non-binding", "法的拘束力なし"),
    "legal_basis": ("Legal basis", "法的根拠"),
    "raised_by": ("raised because", "指摘の理由"),
    "guidance": ("Guidance", "指針"),
    "missing": ("Facts still to answer", "回答が必要な事実"),
    "missing_help": ("These facts could change a conclusion. Answer them here or in the questionnaire.",
                     "これらの事実は結論を左右し得ます。ここでも質問票でも回答できます。"),
    "none_missing": ("Every fact that matters is answered.", "結論を左右する事実はすべて回答済みです。"),
    "whatif_intro": ("For each fact, which conclusions would change if it were answered differently. "
                     "Each alternative is evaluated again by the engine; the facts that matter most come first.",
                     "各事実について、別の回答だった場合にどの結論が変わるかを示します。各代替回答はエンジンで"
                     "評価し直しており、影響の大きい事実から順に並べます。"),
    "whatif_run": ("Compute what-if", "仮定分析を実行"),
    "whatif_stale": ("The scenario changed since the last what-if; compute it again.",
                     "前回の仮定分析の後にシナリオが変わりました。もう一度実行してください。"),
    "whatif_progress": ("Re-evaluating", "再評価中"),
    "whatif_fact": ("Fact", "事実"),
    "whatif_now": ("Now", "現在"),
    "whatif_if": ("If answered", "別の回答"),
    "whatif_changes": ("Changes", "変化"),
    "whatif_no_change": ("No conclusion changes whatever the answer to these facts:",
                         "次の事実は、どう回答しても結論が変わりません："),
    "whatif_contradiction": ("contradicts another answer", "他の回答と矛盾"),
    "graph_intro": ("The annotated case graph: the facts, the acts coloured by conclusion, exemptions and requirements "
                    "coloured by status; edges inferred by a rule name it. Select a node for its details.",
                    "注釈付きの事例グラフ：事実、結論で色分けした行為、状態で色分けした権利制限規定と要件。"
                    "規則が推論した辺にはその規則名を付します。ノードを選ぶと詳細を表示します。"),
    "graph_legend": ("Colours", "凡例"),
    "graph_requirements": ("Show each requirement assessment", "要件ごとの判断も表示"),
    "sparql_intro": ("SPARQL over the scenario on screen (its evaluated graph, named case:<id>, and the ontology) "
                     "or over the library (the ontology and every evaluated case, one named graph per case). "
                     "Read-only; each query stops after 10 s and 2,000 rows.",
                     "画面のシナリオ（評価済みグラフ case:<id> とオントロジー）または事例集（オントロジーと評価済みの全事例、"
                     "事例ごとの名前付きグラフ）に対するSPARQL検索。読み取り専用で、各クエリは10秒・2,000行で打ち切ります。"),
    "sparql_source": ("Data queried", "検索対象"),
    "sparql_source_scenario": ("the scenario on screen", "画面のシナリオ"),
    "sparql_source_library": ("the library (every case)", "事例集（全事例）"),
    "sparql_examples": ("Example queries", "例示クエリ"),
    "sparql_query": ("Query", "クエリ"),
    "sparql_run": ("Run query", "クエリを実行"),
    "sparql_loading": ("Loading the dataset (the first time, every case is evaluated)…",
                       "データセットを読み込んでいます（初回は全事例を評価します）…"),
    "sparql_rows": ("{rows} rows", "{rows} 行"),
    "sparql_cut": ("cut at the row limit", "行数の上限で打ち切り"),
    "change_conclusion": ("{act}: {before} → {after}", "{act}：{before} → {after}"),
    "change_act": ("{act}: {before} → {after}", "{act}：{before} → {after}"),
    "change_exemption": ("{act} / {item}: {before} → {after}", "{act}／{item}：{before} → {after}"),
    "change_rag_type": ("RAG type: {before} → {after}", "RAG類型：{before} → {after}"),
    "change_display_pattern": ("display pattern: {before} → {after}", "表示パターン：{before} → {after}"),
    "change_actors": ("{act} performed by: {before} → {after}", "{act}の行為者：{before} → {after}"),
    "no_actor": ("nobody", "なし"),
    "whatif_cell_actors": ("{cell} (by {actors})", "{cell}（行為者：{actors}）"),
    "change_liability": ("liability of {item}: {before} → {after}", "{item}の責任：{before} → {after}"),
    "change_risk": ("risk {item}: {before} → {after}", "リスク {item}：{before} → {after}"),
    "absent": ("absent", "なし"),
    "present": ("raised", "あり"),
    "not_raised": ("not raised", "なし"),
    "tab_summary": ("Summary", "概要"),
    "tab_analysis": ("Analysis", "分析"),
    "tab_memo": ("Memo", "メモ"),
    "tab_compare": ("Compare", "比較"),
    "tab_flow": ("Flowchart", "フローチャート"),
    "technical": ("Technical details", "技術的詳細"),
    "technical_help": ("Show checklists with rule ids, reasoning steps, IRIs, the data graph and SPARQL.",
                       "規則ID付きのチェックリスト、推論の過程、IRI、データグラフ、SPARQLを表示します。"),
    "bottom_line": ("Bottom line", "結論"),
    "who_liable": ("Who is liable, and for what", "誰が何について責任を負うか"),
    "civil_remedies": ("civil remedies", "民事上の救済"),
    "if_fault": ("if the fault allows", "故意・過失次第"),
    "criminal_exposure": ("criminal exposure", "刑事責任"),
    "open_questions": ("Open questions", "未確定事項（確認すべき事実）"),
    "make_lawful": ("To make this lawful", "適法にするには"),
    "make_lawful_help": ("Design changes that clear an infringing act without making another act worse, found by "
                         "re-evaluating every other answer (what-if).",
                         "他の回答をすべて再評価し（仮定分析）、侵害となる行為を解消し、他の行為を悪化させない設計変更を示します。"),
    "make_lawful_run": ("Find design changes", "設計変更を探す"),
    "make_lawful_none": ("No single change of an answered fact clears an infringing act.",
                         "回答済みの事実を一つ変えるだけで侵害を解消できるものはありません。"),
    "nothing_infringing": ("No act is infringing.", "侵害となる行為はありません。"),
    "see_source": ("per", "根拠"),
    "go_scenario": ("Answer or correct the questionnaire (Scenario).", "質問票（シナリオ）で回答・修正してください。"),
    "memo_download": ("Memo (PDF)", "メモ（PDF）"),
    "top_facts": ("The facts that would change most", "結論を最も大きく変え得る事実"),
    "top_fact_line": ("{fact} (now {now}): {count} conclusions could change", "{fact}（現在：{now}）：{count} 件の結論が変わり得る"),
    "memo_intro": ("A memo to file: facts, conclusion per act, reasons with checklists, liability, risks and "
                   "countermeasures, open questions and the law relied on; dated, with versions and the "
                   "scenario's hash.",
                   "記録用のメモ：事案の概要、行為ごとの結論、チェックリスト付きの理由、責任、リスクと対策、未確定事項、"
                   "根拠（条文と出典）。作成日、バージョン、シナリオのハッシュ値を付します。"),
    "summary_label": ("summary", "要旨"),
    "not_performed": ("not performed", "行われない"),
    "whatif_liability": ("Who is liable", "責任を負う者"),
    "other_exemptions": ("Other exemptions weighed, which do not apply (unmet requirements)",
                         "その他の検討した権利制限規定（適用なし。満たさない要件）"),
    "compare_intro": ("Two analyses side by side; the rows that differ are marked ≠.",
                      "二つの分析を並べて示します。異なる行に ≠ を付します。"),
    "compare_name": ("Save the scenario on screen in the dataset as (id: a-z, 0-9, -)",
                     "表示中のシナリオをデータセットに保存するID（英小文字・数字・ハイフン）"),
    "compare_save": ("Save", "保存"),
    "upload_button": ("Upload", "ファイルを選択"),
    "upload_limits": ("{mb} MB per file", "ドロップ可・{mb}MBまで"),
    "compare_mode": ("Compare", "比較の対象"),
    "compare_scenarios": ("with another scenario", "別のシナリオと"),
    "compare_positions": ("under both interpretive positions", "二つの解釈上の立場で"),
    "compare_with": ("Other scenario (★ saved in the dataset)", "比較するシナリオ（★：データセットに保存済み）"),
    "compare_current": ("on screen", "表示中"),
    "compare_item": ("Act / exemption", "行為・権利制限規定"),
    "compare_count": ("{n} rows differ.", "{n} 行が異なります。"),
    "whatif_matrix_help": ("One row per other answer that changes a conclusion or who acts, most decisive first; each act's cell "
                           "shows its new conclusion (＝: unchanged) and, where it changes, who performs the act.",
                           "結論または行為者を変える別の回答ごとに1行（影響の大きい順）。各行為の欄は変更後の結論"
                           "（＝：変化なし）と、行為者が変わる場合は変更後の行為者です。"),
    "whatif_details": ("Every change in words", "すべての変化（文章）"),
    "flow_intro": ("Each act's decision flow, drawn from the engine's result: the exemptions in the order weighed "
                   "(Art. 30-4, then Art. 47-5, then the others), each requirement met ✓, unmet ✗ or unknown ?; "
                   "dashed where the answer is still open.",
                   "各行為の判断の流れ（エンジンの結果から生成）：検討した順（第30条の4、第47条の5、その他）の権利制限規定と、"
                   "各要件の充足 ✓・不充足 ✗・不明 ?。未確定の箇所は破線で示します。"),
    "id_derived": ("An id uses a-z, 0-9 and -: “{typed}” became the id “{derived}” (and the title, where it had none).",
                   "IDには英小文字・数字・ハイフンを使います。「{typed}」からID「{derived}」を作りました（タイトルが空なら入力した文字列をタイトルにします）。"),
}


def term(value_set: str, code, lang: str) -> str:
    """The label of a contract code in the language; a conclusion reads as chosaku.memo_content
    words it (「未確定（事実関係次第）」 rather than the ontology's short 「条件付き」)."""
    if value_set == "Conclusion" and code is not None:
        return conclusion_text(str(code)).in_lang(lang)
    if value_set == "ExemptionStatus" and code is not None:
        return exemption_status_text(str(code)).in_lang(lang)
    return ontology_term(value_set, code, lang)


def t(key: str, lang: str, **values) -> str:
    """The interface string `key` in `lang` ('en' or 'ja'), formatted with `values`."""
    en, ja = STRINGS[key]
    text = ja if lang == "ja" else en
    return text.format(**values) if values else text


# The labels of codes (term, exemption_label, exemption_citation) come from the package's glossary,
# which reads them from the ontology.
__all__ = ["LANGUAGES", "STRINGS", "t", "plain", "term", "exemption_label", "exemption_citation"]


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:])")


def plain(text) -> str:
    """Text from a scenario made inert for st.markdown: markdown and HTML characters escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
