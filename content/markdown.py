"""Advice bodies are Markdown: this turns them into safe HTML for the web and plain text for
WhatsApp.

The HTML is sanitised with nh3 against a short allow-list (p, ul, ol, li, strong, em, br, and
a with an http, https, tel or mailto href), so nothing typed into a body can put a script, an
event handler, a style or a ``javascript:`` link in front of a resident. HTML typed into a body
is not advice (content/README.md), so it is removed rather than shown as code; the words inside
harmless tags are kept. WhatsApp text is made from that same sanitised HTML, so it can never
carry anything the web version would not.
"""
from __future__ import annotations

import re
from html.parser import HTMLParser

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset({"p", "ul", "ol", "li", "strong", "em", "a", "br"})
ALLOWED_SCHEMES = frozenset({"http", "https", "tel", "mailto"})
# Dropped with everything inside them, not just unwrapped: their text is never advice.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "template",
                                  "noscript", "textarea", "svg", "math"})


def _any_link(_url: str) -> bool:
    # markdown-it would show a refused link as its raw "[text](javascript:...)" source; we let
    # every link through as a link instead, and nh3 below removes any href that is not allowed.
    return True


# "zero" starts with every rule off; we switch on only what advice may use.
_parser = MarkdownIt("zero", {"html": True, "breaks": False}).enable(
    ["paragraph", "list", "emphasis", "link", "autolink", "newline", "escape", "html_inline", "html_block",
     "entity"]
)
_parser.validateLink = _any_link


def to_html(text: str) -> str:
    """Markdown to sanitised HTML."""
    return sanitise(_parser.render(text or ""))


def sanitise(html: str) -> str:
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={"a": {"href"}},
        url_schemes=set(ALLOWED_SCHEMES),
        url_relative="deny",  # a relative href is a mistake in an answer sent to other sites
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
    return re.sub(r"<p>\s*</p>\n?", "", clean).strip()  # paragraphs that held only removed HTML


def to_whatsapp(text: str) -> str:
    """Markdown to WhatsApp's plain text: *bold*, _italics_, "- " list items, and each link
    written out in full after its words, because WhatsApp shows no link text."""
    writer = _WhatsAppWriter()
    writer.feed(to_html(text))
    writer.close()
    plain = re.sub(r"[ \t]+\n", "\n", "".join(writer.parts))
    return re.sub(r"\n{3,}", "\n\n", plain).strip()


class _WhatsAppWriter(HTMLParser):
    MARKS = {"strong": "*", "em": "_"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[list] = []  # per open list: [ordered, items so far]
        self.href = ""
        self.link_start = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.MARKS:
            self.parts.append(self.MARKS[tag])
        elif tag in ("ul", "ol"):
            self.lists.append([tag == "ol", 0])
        elif tag == "li" and self.lists:
            self.lists[-1][1] += 1
            ordered, number = self.lists[-1]
            self.parts.append(f"{number}. " if ordered else "- ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "a":
            self.href, self.link_start = dict(attrs).get("href") or "", len(self.parts)

    def handle_endtag(self, tag):
        if tag in self.MARKS:
            self.parts.append(self.MARKS[tag])
        elif tag in ("p", "ul", "ol"):
            if tag != "p":
                self.lists.pop() if self.lists else None
            self.parts.append("\n\n")
        elif tag == "li":
            self.parts.append("\n")
        elif tag == "a" and self.href:
            words = "".join(self.parts[self.link_start:]).strip()
            address = self.href.removeprefix("mailto:").removeprefix("tel:")
            if words not in (address, self.href):
                self.parts.append(f" ({address})")
            self.href = ""

    def handle_data(self, data):
        if not data.strip():
            return  # the line breaks between block tags in the HTML source
        data = data.replace("\n", " ")
        if self.parts and self.parts[-1].endswith("\n"):
            data = data.lstrip()
        self.parts.append(data)
