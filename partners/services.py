"""Writes on the people and organisations of the programmes."""

from .models import Entrepreneur


def entrepreneur_peer_mentor_update(*, entrepreneur: Entrepreneur, available: bool, topics: str) -> Entrepreneur:
    """The entrepreneur says whether, as an alumnus, they may be asked to mentor later cohorts, and on what."""
    entrepreneur.peer_mentor_available = available
    entrepreneur.peer_mentor_topics = topics.strip()
    fields = ("peer_mentor_available", "peer_mentor_topics")
    # Only the two fields written here: a profile imported with an odd phone number must not block them.
    entrepreneur.full_clean(exclude=[f.name for f in Entrepreneur._meta.fields if f.name not in fields], validate_unique=False)
    entrepreneur.save(update_fields=fields)
    return entrepreneur
