"""Hypothesis strategies for what an attacker or a broken client types: SQL, markup and
scripts, header injection, Unicode edge cases, NUL bytes, oversized values, and junk JSON."""

from hypothesis import strategies as st

# Markup that runs script if a page or an e-mail ever shows it unescaped: each payload sets
# window.__pwned (the browser test looks for it) or opens a dialog.
SCRIPTS = [
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    "'><svg onload=window.__pwned=1>",
    '<iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>',
    "javascript:window.__pwned=1//",
    '<a href="javascript:alert(1)">x</a>',
    "</textarea><script>alert(1)</script>",
    "{{ 7|add:7 }}{% now 'Y' %}",
]
SQL = [
    "'; DROP TABLE registration_registration; --",
    "' OR '1'='1",
    "1; SELECT pg_sleep(5)--",
    '" UNION SELECT password FROM auth_user --',
    "%' AND 1=1 --",
    "\\",
]
HEADERS = [
    "a\r\nBcc: victim@example.org",
    "x\nSubject: injected",
    "x\rX-Injected: 1",
    "name@example.org\r\nBcc: victim@example.org",
    "%0d%0aBcc: victim@example.org",
]
UNICODE = [
    "\u202eevil.exe",  # right-to-left override
    "a\u200bb\u200dc\ufeff",  # zero-width space, joiner, byte order mark
    "e" + "\u0301" * 50,  # a letter with fifty combining accents
    "👩🏽‍🚀🇸🇳𝕏",  # astral characters, ZWJ sequence, flag
    "\x00",
    "a\x00b",
    "\ud800",  # a lone surrogate: not even encodable in UTF-8
    "ＡＢＣ",
    "١٢٣",
    "Ὀδυσσεύς",
    "\t\x0b\x0c\x1b[31m",
]
OTHER = ["", " ", "%s%n%x", "../../etc/passwd", "999999999999999999999", "-1", "0", "null",
         "[]", "{}", "true"]  # fmt: skip
OVERSIZED = ["0" * 10_000, "𝕏" * 3_000, "<b>" * 2_000]

PAYLOADS = SCRIPTS + SQL + HEADERS + UNICODE + OTHER + OVERSIZED

hostile = st.sampled_from(PAYLOADS)
# A payload, random text, an odd but valid address, a payload inside ordinary text, or several
# values for one field.
value = st.one_of(
    hostile,
    st.text(max_size=40),
    st.emails(),
    st.builds(lambda a, b, c: a + b + c, st.text(max_size=8), hostile, st.text(max_size=8)),
    st.lists(hostile, min_size=2, max_size=3),
)

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False),
        hostile,
        st.text(max_size=20),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(hostile, st.text(max_size=10)), children, max_size=4),
    ),
    max_leaves=12,
)


def form(fields):
    """Form data: a few of `fields` (or fields nobody expects), each with a hostile value."""
    names = st.sampled_from(sorted(set(fields))) if fields else hostile
    return st.dictionaries(st.one_of(names, names, hostile), value, max_size=6)


def json_object(fields):
    """A JSON object whose keys are mostly the expected ones."""
    keys = st.one_of(st.sampled_from(sorted(fields)), hostile)
    return st.dictionaries(keys, json_values, max_size=6)


def shown_unescaped(html):
    """The payloads a page shows as live markup (it should show them as text)."""
    found = [p for p in SCRIPTS if p.startswith(("<", '"', "'", "</")) and p in html]
    if 'href="javascript:' in html.lower():
        found.append("a javascript: link")
    return found
