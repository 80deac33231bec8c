"""Organisers' Markdown never lets a script, a style or an event handler through."""

import re
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from rencontres.markdown import render_markdown

HOSTILE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[link](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<style>body{display:none}</style>",
        '<iframe src="https://evil.example"></iframe>',
        '<svg onload="alert(1)">',
        "<div onclick=alert(1)>x</div>",
        "**bold**",
        "[ok](https://example.org)",
        "\n\n- item\n",
    ]
)


@given(st.lists(st.one_of(HOSTILE, st.text(max_size=40)), max_size=8).map("".join))
def test_rendered_markdown_is_inert(text):
    # Parsed as a browser would: escaped text (a code block showing a tag) is inert.
    tags = []

    class Tags(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, attrs))

    Tags().feed(str(render_markdown(text)))
    for tag, attrs in tags:
        assert tag not in {"script", "style", "iframe", "svg", "object", "embed"}, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name in {"href", "src"}:
                assert not re.sub(r"\s", "", value or "").lower().startswith("javascript:")


def test_ordinary_markdown_keeps_its_formatting():
    html = render_markdown("## Title\n\n**bold** and [a link](https://example.org)")
    assert "<h2>Title</h2>" in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer"' in html
