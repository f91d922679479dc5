"""Writes about reading documents: every opening by staff or a reviewer is recorded."""

from accounts.models import User

from ..models import ApplicationDocument, DocumentAccess


def document_access_record(*, document: ApplicationDocument, user: User, inline: bool) -> DocumentAccess:
    """Record that `user` opened `document` (in the browser's viewer when `inline`, else downloaded)."""
    return DocumentAccess.objects.create(document=document, user=user, inline=inline)
