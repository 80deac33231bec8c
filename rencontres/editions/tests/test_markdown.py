"""Organisers' Markdown never lets a script, a style or an event handler through."""

import re

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
    html = str(render_markdown(text)).lower()
    assert "<script" not in html and "<style" not in html and "<iframe" not in html
    assert not re.search(r"(href|src)\s*=\s*[\"']?\s*javascript:", html)  # as text it is inert
    assert not re.search(r"<[^>]+\son\w+\s*=", html)


def test_ordinary_markdown_keeps_its_formatting():
    html = render_markdown("## Title\n\n**bold** and [a link](https://example.org)")
    assert "<h2>Title</h2>" in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org"' in html and 'rel="noopener noreferrer"' in html
