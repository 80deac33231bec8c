"""Tables on a phone: .print-table stacks each row's cells at 360 px and hides the column
headers, so every data cell of every such table in our templates carries its column's label
(data-label), which the stylesheet writes before the value there. A cell holding only a box to
tick (print-table__select) is named by the box's own label instead. The browser test of the
registrations list (rencontres/backoffice/tests/test_browser.py) shows what the label looks like."""

import pathlib
import re
from html.parser import HTMLParser

from django.conf import settings

TEMPLATES = pathlib.Path(settings.BASE_DIR, "templates")
# Figures that keep their columns on a phone instead of being stacked (print-table--grid, which
# the overview's curve table becomes on the branch that draws it as a grid).
STAYS_A_GRID = {("backoffice/home.html", "Registrations over time")}


class Cells(HTMLParser):
    """For each print-table of a template: its caption and the data cells without a label."""

    def __init__(self):
        super().__init__()
        self.tables, self.current, self.in_body, self.in_caption = [], None, False, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "table" and "print-table" in classes:
            self.current = {"grid": "print-table--grid" in classes, "caption": "", "bare": []}
        elif self.current is None:
            return
        elif tag == "caption":
            self.in_caption = True
        elif tag == "tbody":
            self.in_body = True
        elif tag == "td" and self.in_body:
            named = attrs.get("data-label") or "print-table__select" in classes
            self.current["bare"] += [] if named else [self.getpos()[0]]

    def handle_endtag(self, tag):
        if self.current is None:
            return
        if tag == "caption":
            self.in_caption = False
        elif tag == "tbody":
            self.in_body = False
        elif tag == "table":
            self.tables.append(self.current)
            self.current = None

    def handle_data(self, data):
        if self.in_caption and self.current is not None:
            self.current["caption"] += data


def caption_text(caption):
    return re.sub(r"\{%\s*translate\s+[\"'](.*?)[\"']\s*%\}", r"\1", caption).strip()


def print_tables():
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        if "print-table" not in text:
            continue
        parser = Cells()
        parser.feed(text)
        for table in parser.tables:
            yield path.relative_to(TEMPLATES).as_posix(), table


def test_every_data_cell_of_a_stacked_table_carries_its_column_label():
    tables = list(print_tables())
    assert len(tables) >= 20  # the scan finds the tables (it found 22 when written)
    bare = [
        f"{name} ({caption_text(table['caption']) or 'no caption'}): lines {table['bare']}"
        for name, table in tables
        if table["bare"]
        and not table["grid"]
        and (name, caption_text(table["caption"])) not in STAYS_A_GRID
    ]
    assert not bare, "cells without data-label:\n" + "\n".join(bare)


def test_the_scan_finds_a_cell_without_its_label():
    parser = Cells()
    parser.feed(
        '<table class="print-table"><thead><tr><th>Name</th><th>Town</th></tr></thead>'
        '<tbody><tr><th scope="row">Awa</th><td data-label="Town">Thiès</td><td>x</td>'
        '<td class="print-table__select"><input type="checkbox"></td></tr></tbody></table>'
    )
    assert [len(table["bare"]) for table in parser.tables] == [1]
