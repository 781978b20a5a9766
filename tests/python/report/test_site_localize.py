"""jdx.report.evidence_site.localize: the post-build step that puts Evidence's hard-coded English
interface strings into Japanese and sets lang="ja" (no browser: a made-up build folder)."""
from __future__ import annotations

from pathlib import Path

import pytest

from jdx.report.evidence_site import LOCALIZE, SiteError, localize


def _fake_build(root: Path, *, drop: str | None = None) -> Path:
    """A build folder holding one compiled form of every string LOCALIZE knows, plus the same
    words used as keyboard keys, which must stay as they are."""
    js = ('function a(){let o="Home",i;r.title="Home";let t="Loading...";x.add({message:"Loading...",status:"info"});'
          'let p=\'<span class="sr-only">Loading...</span>\';let d="No Results";let n="Open sidebar";let c="Close sidebar";'
          'let q=\'<span class="sr-only">Close sidebar</span>\';let{text:s="Download"}=e;let{placeholder:n2="Search"}=e;'
          'toast({title:"Search Failed"});let f="Fullscreen";$(t,"aria-label","Enter Fullscreen");'
          'g({text:"Save Image"});g({text:"Download Data"});i=Qe("See more");let l=\'<span class="sr-only">Links</span>\';'
          'p=Qe(`Page\n\t\t`);s=d>1?"records":"record";x=Qe(" of "),k=Qe(" records");'
          '$(n,"aria-label","first-page");$(n,"aria-label","previous-page");$(n,"aria-label","next-page");'
          '$(n,"aria-label","last-page");let z="Page Not Found";'
          'const K={HOME:"Home"};if(e.key==="Home")go();m={key:"Home",run:h}}')
    html = ('<!doctype html>\n<html lang="en"><body><a href="/">Home</a><span>Loading...</span><div>No Results</div>'
            '<span>Open sidebar</span><input placeholder="Search"><a href="/x" class="sr-only">See more</a>'
            '<th><span class="sr-only">Links</span></th><span class="page-count">Page\n\t<input type="number">'
            '<span class="print-page-count">25 of 79 records</span><button aria-label="first-page"></button>'
            '<p>Home is where the data is</p></body></html>')
    if drop:
        js = js.replace(drop, "")
        html = html.replace(drop, "")
    (root / "_app" / "immutable").mkdir(parents=True)
    (root / "_app" / "immutable" / "app.js").write_text(js, encoding="utf-8")
    (root / "page").mkdir()
    (root / "page" / "index.html").write_text(html, encoding="utf-8")
    return root


def test_every_rule_translates_and_keys_stay(tmp_path: Path) -> None:
    root = _fake_build(tmp_path)
    counts = localize(root)
    assert set(counts) == {name for name, *_ in LOCALIZE}
    js = (root / "_app" / "immutable" / "app.js").read_text(encoding="utf-8")
    html = (root / "page" / "index.html").read_text(encoding="utf-8")
    for english in ('"Loading..."', '"No Results"', '"Open sidebar"', '"Download"', '"Search"', '"See more"',
                    ">Links<", "first-page", "last-page", '" records"', '"Page Not Found"', 'o="Home"', 'title="Home"'):
        assert english not in js, english
    assert 'o="トップ"' in js and 'r.title="トップ"' in js and 'text:s="ダウンロード"' in js
    assert 'g({text:"画像を保存"})' in js and 'g({text:"データをダウンロード"})' in js  # still valid JS
    # the same word as a key name or inside data is left alone
    assert 'HOME:"Home"' in js and 'e.key==="Home"' in js and 'key:"Home"' in js
    assert html.startswith('<!doctype html>\n<html lang="ja">')
    assert ">トップ</a>" in html and ">読み込み中…<" in html and ">該当なし<" in html and ">メニューを開く<" in html
    assert 'placeholder="検索"' in html and "25 / 79 件" in html and 'aria-label="最初のページ"' in html
    assert "<p>Home is where the data is</p>" in html


@pytest.mark.parametrize("drop", ['"No Results"', '<html lang="en">', '"Open sidebar"'])
def test_a_string_evidence_no_longer_writes_fails_the_build(tmp_path: Path, drop: str) -> None:
    root = _fake_build(tmp_path, drop=drop)
    with pytest.raises(SiteError, match="matched nothing"):
        localize(root)
