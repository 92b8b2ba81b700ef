"""PDF documents written once: a Django template rendered to PDF with WeasyPrint (Debian's Pango).

Every printable document (attendance recap, TPP payroll sheet, frozen aid round…) extends
``core/pdf/base.html``, which carries the letterhead, the page size, the page numbers and a sign-off
block, so officials get one recognisable layout. Rendering takes about a second: views call it directly
for one-unit documents; anything larger belongs in a job.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

PDF_TYPE = "application/pdf"
# The most table rows a PDF rendered in a request may hold (about 40 pages, some seconds): a longer list is
# refused with a message pointing to a narrower choice or the Excel export.
PDF_MAX_ROWS = 1000


def render_pdf(template_name: str, context: dict) -> bytes:
    """The template rendered to PDF bytes. No network: only local fonts and inline CSS are used."""
    # Imported late: Pango loads in ~0.3 s and most requests never print.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    context = {
        "generated_at": timezone.localtime(),
        "government_name": getattr(settings, "LAYAN_GOVERNMENT_NAME", "Pemerintah Kabupaten"),
        **context,
    }
    html = render_to_string(template_name, context)
    # Only data: URIs (embedded images, QR codes) load: a URL in user text must never make the server
    # fetch it (SSRF, file:// reads), and a missing network must not hang the render.
    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=1)
    return HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()


def pdf_download(filename_stem: str, template_name: str, context: dict) -> HttpResponse:
    """An attachment response with the rendered PDF, named ``<stem>-<yyyymmdd>.pdf``."""
    stem = slugify(filename_stem) or "dokumen"
    stamp = timezone.localdate().strftime("%Y%m%d")
    response = HttpResponse(render_pdf(template_name, context), content_type=PDF_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{stem}-{stamp}.pdf"'
    return response
