"""Whatever a moderator types, the rendered page carries no script."""

from html.parser import HTMLParser

import pytest

from resources.content.markup import cited_keys, plain_text, render_markdown

# Real payloads from the OWASP XSS filter evasion cheat sheet and Markdown-specific vectors.
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/xss.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    '<a href="JaVaScRiPt:alert(1)">click</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "[click me](javascript:alert(1))",
    "[click me](JAVASCRIPT:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<javascript:alert(1)>",
    '![img](x" onerror="alert(1))',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<body onload="alert(1)">',
    '<input autofocus onfocus="alert(1)">',
    '<details open ontoggle="alert(1)">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<style>@import "javascript:alert(1)";</style>',
    '<p title="x" onclick="alert(1)">text</p>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '"><script>alert(1)</script>',
]

ALLOWED_SCHEMES = ("http:", "https:", "mailto:", "#", "/")


class DomAudit(HTMLParser):
    """Collects every tag, event handler and link target the browser would see."""

    def __init__(self):
        super().__init__()
        self.tags, self.handlers, self.urls = set(), [], []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.handlers.append(name)
            if name in {"href", "src", "action", "data", "formaction"}:
                self.urls.append((value or "").strip().lower())


def audit(html):
    parser = DomAudit()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_payload_is_neutralised(payload):
    html = render_markdown(f"Before.\n\n{payload}\n\nAfter.")
    dom = audit(html)
    assert not dom.tags & {
        "script",
        "iframe",
        "object",
        "embed",
        "form",
        "meta",
        "base",
        "style",
        "svg",
        "math",
        "input",
        "body",
        "details",
        "img",
    }, html
    assert dom.handlers == [], html
    assert all(url.startswith(ALLOWED_SCHEMES) for url in dom.urls), html
    assert "Before." in html


def test_text_after_a_closed_payload_is_kept():
    html = render_markdown('Before <img src=x onerror="alert(1)"> after.')
    assert "Before" in html and "after." in html


def test_safe_markdown_survives_sanitising():
    html = render_markdown(
        "## Heading\n\n**bold** and *em*, a [link](https://example.org/a).\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n- item"
    )
    assert (
        '<h2 id="heading">Heading<a class="headerlink" href="#heading" '
        'title="Link to this section">#</a></h2>'
    ) in html
    assert "<strong>bold</strong>" in html
    assert 'href="https://example.org/a"' in html
    assert "<table>" in html and "<li>item</li>" in html


def test_a_typed_h1_becomes_a_section_heading():
    html = render_markdown("# Big\n\ntext")
    assert "<h1" not in html
    assert "<h2" in html


def test_cited_keys_keep_order_and_are_unique():
    assert cited_keys("[@b] x [@a; @b]", "[@c, @a]") == ["b", "a", "c"]


def test_brackets_that_are_not_citations_stay_text():
    assert cited_keys("[see below] and [x](https://e.org) and email@example.org") == []
    html = render_markdown("A [note] here.")
    assert "[note]" in html


def test_plain_text_drops_markup_and_citations():
    assert plain_text("**Bold** [@key] & <b>tag</b>") == "Bold & tag"
