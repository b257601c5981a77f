"""The selftest's checks: the failure it raises, and reading an exported PDF back."""

from __future__ import annotations

import io
import re


class SelftestError(Exception):
    """A step's check failed; the message says what was expected and what was found."""


def check(condition: object, message: str) -> None:
    """Raise :class:`SelftestError` with ``message`` unless ``condition`` holds."""
    if not condition:
        raise SelftestError(message)


def check_pdf(data: bytes, name: str) -> tuple[int, str]:
    """Check a PDF's bytes and that it names the build; return its page count and how checked."""
    check(data.startswith(b"%PDF-"), "the PDF has no %PDF- header")
    check(len(data) > 10_000, f"the PDF is suspiciously small ({len(data)} bytes)")
    check(data.rstrip().endswith(b"%%EOF"), "the PDF has no %%EOF trailer")
    squashed = re.sub(r"\s+", "", name)
    try:
        from pypdf import PdfReader
    except ImportError:
        pages = pdf_page_count(data)
        title = pdf_title(data)
        check(
            title is not None and re.sub(r"\s+", "", title) == squashed,
            f"the PDF's title is {title!r}, not the build's name",
        )
        return pages, "structure and title checked (pypdf not installed)"
    reader = PdfReader(io.BytesIO(data))
    pages = len(reader.pages)
    check(pages >= 1, "the PDF has no pages")
    text = re.sub(r"\s+", "", reader.pages[0].extract_text() or "")
    check(squashed in text, f"the build's name {name!r} is not on the PDF's first page")
    return pages, "text checked with pypdf"


def pdf_page_count(data: bytes) -> int:
    """Count pages without a PDF library: the page tree's /Count must match the page objects."""
    counts = [int(n) for n in re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", data, re.S)]
    counts += [int(n) for n in re.findall(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", data, re.S)]
    objects = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    check(objects >= 1, "the PDF has no page objects")
    check(not counts or max(counts) == objects, f"page tree /Count {counts} ≠ {objects} pages")
    return objects


def pdf_title(data: bytes) -> str | None:
    """Return the document information's /Title (a literal string), or None."""
    match = re.search(rb"/Title\s*\(((?:\\.|[^\\)])*)\)", data, re.S)
    if not match:
        return None
    raw = re.sub(rb"\\(.)", lambda m: m.group(1), match.group(1), flags=re.S)
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", errors="replace")
    return raw.decode("latin-1")
