"""The regulatory documentation pages: the shipped data file, and the loader's checks on a broken one."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.assistance.documentation import (
    ProcedureDocumentation,
    _load,
    common_references,
    documentation,
    documentation_of,
)
from backend.dossiers.catalogue import PROCEDURES, Procedure

OWN_ARTICLES = {
    Procedure.TEMPORARY_ADMISSION: {"250"},
    Procedure.END_USE: {"254"},
    Procedure.CUSTOMS_WAREHOUSING: {"240", "237"},
    Procedure.INWARD_PROCESSING: {"256"},
    Procedure.OUTWARD_PROCESSING: {"259"},
}


def _procedure_block(
    code: str, url: str = "https://eur-lex.europa.eu/eli/reg/2013/952/oj", label: str = "Article"
) -> str:
    return f'''
[{code}]
summary = "Résumé du régime {code}."

[[{code}.references]]
label = "{label} {code}"
act = "CDU"
article = "{code}-1"
url = "{url}"

[[{code}.links]]
label = "Lien {code}"
url = "https://www.douane.gouv.fr/"
'''


def _common_block() -> str:
    return """
[[common.references]]
label = "Code des douanes de l'Union, article 211 — Autorisation"
act = "CDU"
article = "211"
url = "https://eur-lex.europa.eu/eli/reg/2013/952/oj"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "documentation.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _valid_text(**overrides: str) -> str:
    blocks = {p.value: _procedure_block(p.value) for p in PROCEDURES}
    blocks.update(overrides)
    return _common_block() + "".join(blocks.values())


def test_every_procedure_of_the_catalogue_has_a_page_in_catalogue_order_with_its_catalogue_title():
    pages = documentation()
    assert [page.code for page in pages] == list(PROCEDURES)
    for page in pages:
        assert isinstance(page, ProcedureDocumentation)
        assert page.title == PROCEDURES[page.code].label


def test_every_page_has_a_summary_links_and_at_least_two_references_of_its_own():
    common = set(common_references())
    for page in documentation():
        assert len(page.summary) > 40
        assert page.links
        own = [r for r in page.references if r not in common]
        assert len(own) >= 2, page.code


def test_every_page_cites_the_code_articles_of_its_own_procedure():
    for page in documentation():
        own_articles = {r.article for r in page.references if r.act == "CDU"}
        assert own_articles & OWN_ARTICLES[page.code], (page.code, own_articles)


def test_common_references_are_appended_after_each_procedures_own_references():
    common = common_references()
    assert common
    assert any(r.act == "CDU" and r.article == "211" for r in common)
    assert any(r.act == "RDC" and r.article == "Annexe A" for r in common)
    for page in documentation():
        assert page.references[-len(common) :] == common
        assert len(page.references) > len(common)


def test_documentation_of_finds_a_page_by_procedure_or_by_code_string():
    assert documentation_of(Procedure.INWARD_PROCESSING).code is Procedure.INWARD_PROCESSING
    assert documentation_of("OPO") == documentation_of(Procedure.OUTWARD_PROCESSING)


def test_documentation_of_an_unknown_code_is_none():
    assert documentation_of("XYZ") is None
    assert documentation_of("") is None
    assert documentation_of("CW1") is None


def test_all_urls_of_the_shipped_file_are_https():
    urls = [r.url for page in documentation() for r in page.references]
    urls += [link.url for page in documentation() for link in page.links]
    assert urls
    assert all(url.startswith("https://") for url in urls)


def test_loader_accepts_a_minimal_valid_file(tmp_path):
    data = _load(_write(tmp_path, _valid_text()))
    page = data.pages[Procedure.TEMPORARY_ADMISSION]
    assert page.title == "Admission temporaire"
    assert [r.article for r in page.references] == ["TEA-1", "211"]


def test_loader_refuses_a_file_missing_a_procedure(tmp_path):
    path = _write(tmp_path, _valid_text(EUS=""))
    with pytest.raises(ValueError, match=r"EUS missing"):
        _load(path)


def test_loader_refuses_an_http_url_and_names_the_procedure_and_field(tmp_path):
    path = _write(
        tmp_path, _valid_text(CW=_procedure_block("CW", url="http://eur-lex.europa.eu/eli/reg/2013/952/oj"))
    )
    with pytest.raises(ValueError, match=r"CW\.references\[1\]\.url must be an https:// address"):
        _load(path)


def test_loader_refuses_an_empty_label_and_names_the_procedure_and_field(tmp_path):
    path = _write(tmp_path, _valid_text(IPO=_procedure_block("IPO").replace('label = "Lien IPO"', 'label = "  "')))
    with pytest.raises(ValueError, match=r"IPO\.links\[1\]\.label is missing or empty"):
        _load(path)


def test_loader_refuses_an_unknown_procedure_code(tmp_path):
    path = _write(tmp_path, _valid_text() + _procedure_block("XYZ"))
    with pytest.raises(ValueError, match=r"unknown procedure code\(s\) XYZ"):
        _load(path)


def test_loader_refuses_a_reference_cited_twice_on_one_page(tmp_path):
    twice = _procedure_block("OPO").replace('article = "OPO-1"', 'article = "211"')
    path = _write(tmp_path, _valid_text(OPO=twice))
    with pytest.raises(ValueError, match=r"OPO\.references: CDU article 211 cited twice"):
        _load(path)


def test_loader_refuses_a_page_without_summary(tmp_path):
    path = _write(
        tmp_path, _valid_text(TEA=_procedure_block("TEA").replace('summary = "Résumé du régime TEA."', ""))
    )
    with pytest.raises(ValueError, match=r"TEA\.summary is missing or empty"):
        _load(path)


def test_loader_refuses_a_file_that_is_not_toml(tmp_path):
    with pytest.raises(ValueError, match="not valid TOML"):
        _load(_write(tmp_path, "[TEA\nsummary = "))
