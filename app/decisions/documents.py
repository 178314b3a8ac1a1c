"""The decisions package's heavy documents, built by the job queue (app/jobs/documents.py)."""

from __future__ import annotations

from app.competitions.models import Competition
from app.core.i18n import gettext as _
from app.decisions import audit_file, protocol
from app.jobs.documents import DocumentKind, register_document
from app.ranking import exports


def _protocol_pdf(competition: Competition) -> bytes:
    return protocol.render_protocol_pdf(protocol.build_protocol(competition))


def _reviews_xlsx(competition: Competition) -> bytes:
    # Pseudonyms only: the export with juror names stays a direct, audited download.
    return exports.build_xlsx([exports.reviews_table(competition, with_names=False)], competition.title)


def register_documents() -> None:
    """Register the audit file, the protocol PDF and the reviews workbook."""
    register_document(DocumentKind(
        name="audit-file", label=lambda: _("Audit file"), filename=audit_file.audit_file_name,
        mime_type="application/zip", build=audit_file.build_audit_file,
        audit_action="competition.audit_file_exported"))
    register_document(DocumentKind(
        name="protocol-pdf", label=lambda: _("Jury protocol (PDF)"),
        filename=lambda competition: protocol.protocol_filename(competition, "pdf"),
        mime_type="application/pdf", build=_protocol_pdf))
    register_document(DocumentKind(
        name="reviews-xlsx", label=lambda: _("Individual reviews (Excel)"),
        filename=lambda competition: exports.export_filename("reviews", competition.id, None, "xlsx"),
        mime_type=exports.XLSX_MIME, build=_reviews_xlsx))
