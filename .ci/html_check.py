"""Checks the DOM Chromium rendered from `ofsted compare --format html` (see html-check.sh).

The page compares the Lancashire Ofsted report (seed 002) with a fixture council paper whose
texts hold markup: `<script>alert(1)</script>`, an `<img onerror=...>` that would mark the
page if it ran, and a formula. Exits 1, naming each failed check, if anything is wrong.
"""
import sys
from html.parser import HTMLParser


class DOM(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags = []          # (tag, attributes) of every element, in order
        self.cells = {}         # (service, area, document) -> (text, classes)
        self.text = []          # every text node
        self._cell = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "td" and "data-document" in attributes and "data-area" in attributes:
            key = (attributes["data-service"], attributes["data-area"], attributes["data-document"])
            self._cell = (key, attributes.get("class", ""), [])

    def handle_endtag(self, tag):
        if tag == "td" and self._cell:
            key, classes, text = self._cell
            self.cells[key] = ("".join(text).strip(), classes.split())
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell:
            self._cell[2].append(data)


def main(path):
    dom = DOM()
    with open(path, encoding="utf-8") as handle:
        dumped = handle.read()
    if not dumped.strip():
        # A dialog (alert) that a script opened blocks the page, and Chromium dumps nothing.
        print("html-check: FAIL: Chromium rendered no DOM: a script ran and blocked the page?", file=sys.stderr)
        return 1
    dom.feed(dumped)
    failures = []

    def check(condition, message):
        if not condition:
            failures.append(message)

    # The grid: 22 SLAC rows, one cell per document, graded and coloured.
    rows = {(service, area) for (service, area, _) in dom.cells}
    check(len(rows) == 22, f"the grid has 22 rows, not {len(rows)}")
    check(len(dom.cells) == 44, f"the grid has 44 cells, not {len(dom.cells)}")
    expected = {
        ("safeguarding", "overall-effectiveness", "1"): ("Good", "grade-good"),
        ("safeguarding", "overall-effectiveness", "2"): ("Inadequate (-2)", "grade-inadequate"),
        ("safeguarding", "capacity-for-improvement", "1"): ("Good", "grade-good"),
        ("safeguarding", "capacity-for-improvement", "2"): ("Outstanding (+1)", "grade-outstanding"),
        ("safeguarding", "health-contribution", "1"): ("Adequate", "grade-adequate"),
        ("safeguarding", "health-contribution", "2"): ("\u2014", "not-stated"),
        ("looked-after-children", "capacity-for-improvement", "1"): ("Outstanding", "grade-outstanding"),
        ("looked-after-children", "economic-well-being", "2"): ("\u2014", "not-stated"),
    }
    for key, (text, css) in expected.items():
        found = dom.cells.get(key)
        check(found is not None, f"no grid cell {key}")
        if found:
            check(found[0] == text, f"cell {key} reads {found[0]!r}, expected {text!r}")
            check(css in found[1], f"cell {key} has classes {found[1]}, expected {css}")
    legend = [attributes for tag, attributes in dom.tags if tag == "ul" and attributes.get("class") == "legend"]
    check(len(legend) == 1, "the page has one colour legend")

    # Report text is text: no element came from it, nothing ran, and it reads as written.
    tags = {tag for tag, _ in dom.tags}
    check("script" not in tags, "a <script> element is in the DOM")
    check("img" not in tags, "an <img> element is in the DOM")
    check(not any("data-injected" in attributes for _, attributes in dom.tags), "injected markup ran (data-injected is set)")
    check(not any(name.startswith("on") for _, attributes in dom.tags for name in attributes), "an element has an event handler")
    text = "".join(dom.text)
    check("<script>alert(1)</script> ensure that the views of the child" in text, "the <script> area does not show as text")
    check("<img src=x onerror=" in text, "the <img> area does not show as text")
    check('=HYPERLINK("http://example.invalid/","click here")' in text, "the formula area does not show as written")

    if failures:
        for failure in failures:
            print(f"html-check: FAIL: {failure}", file=sys.stderr)
        return 1
    print(f"html-check: ok: {len(rows)} grid rows, {len(dom.cells)} cells, hostile text shown as text, nothing ran")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
