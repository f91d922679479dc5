"""Database helpers the apps share."""

from django.db import models
from django.db.models import OrderBy


def desc_nulls_last(name: str) -> OrderBy:
    """Newest first, rows without a value (drafts without a submission date…) last, on every database:
    PostgreSQL puts NULL first in a descending order unless told, SQLite last."""
    return models.F(name).desc(nulls_last=True)


class NullsOrderIndex(models.Index):
    """An index for an order that says where NULL goes (`desc_nulls_last`). PostgreSQL needs the NULLS
    clause in the index to read that order from it; SQLite refuses the clause in an index, and its plain
    descending (ascending) order already puts NULL last (first), so there the clause is left out: the same
    order, served by the index on both (tests/test_list_order_indexes.py reads both plans)."""

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor != "sqlite":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        plain = self.clone()
        plain.expressions = tuple(_sqlite_order(expression) for expression in self.expressions)
        return models.Index.create_sql(plain, model, schema_editor, using=using, **kwargs)


def _sqlite_order(expression):
    if not isinstance(expression, OrderBy) or not (expression.nulls_last or expression.nulls_first):
        return expression
    if bool(expression.nulls_last) != expression.descending:
        raise ValueError(f"SQLite cannot index {expression!r}: NULL sorts first ascending and last descending there.")
    return OrderBy(expression.expression, descending=expression.descending)
