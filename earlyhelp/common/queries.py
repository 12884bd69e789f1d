"""Small query idioms shared by the apps."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db import connection, models
from django.db.models.expressions import Col

M = TypeVar("M", bound=models.Model)


def unique_or_none(queryset: models.QuerySet[M]) -> M | None:
    """The row of a lookup by a unique key, or None. Unlike `.first()` it adds no ORDER BY:
    with one row at most there is nothing to sort, and the ordering costs a compile."""
    return next(iter(queryset.order_by()[:1]), None)


Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True, slots=True)
class _Rows:
    """One model's columns in a row: where they are, how to read each, how to build it."""

    model: type[models.Model]
    start: int
    columns: list[str]  # as the SELECT names them
    attnames: list[str]
    readers: list[tuple[Col, list[Converter]]]

    @classmethod
    def of(cls, model: type[models.Model], alias: str, start: int) -> _Rows:
        fields = model._meta.concrete_fields
        readers = []
        for field in fields:
            column = field.get_col(alias)
            converters = connection.ops.get_db_converters(column)
            readers.append((column, converters + field.get_db_converters(connection)))
        quote = connection.ops.quote_name
        columns = [f"{alias}.{quote(f.column)}" for f in fields]
        return cls(model, start, columns, [f.attname for f in fields], readers)

    def instance(self, row: tuple[Any, ...]) -> Any:
        values = []
        for value, (column, converters) in zip(row[self.start :], self.readers, strict=False):
            for convert in converters:
                value = convert(value, column, connection)
            values.append(value)
        return self.model.from_db(connection.alias, self.attnames, values)


class LookupWithRelated(Generic[M]):
    """`model.objects.select_related(relation).get(<field>=value)` for a unique `field`, its
    statement written once a process and kept: what the API's token lookup asks on every
    request. The ORM compiles that query again each time, which costs more than running it
    (decision 0018). Both rows come back as instances of every concrete field, read with
    the converters the ORM applies, so they behave exactly as the ORM's would."""

    def __init__(self, model: type[M], *, relation: str, field: str) -> None:
        self.model = model
        self.relation = relation
        self.field = model._meta.get_field(field)
        self.join = model._meta.get_field(relation)
        if self.join.null:
            raise ValueError(f"{relation}: an inner join reads a relation that is always set")
        self.related = self.join.related_model
        self._built: dict[str, tuple[str, _Rows, _Rows]] = {}

    def get(self, value: object) -> M | None:
        sql, own, related = self._statement()
        with connection.cursor() as cursor:
            cursor.execute(sql, [value])
            row = cursor.fetchone()
        if row is None:
            return None
        found: M = own.instance(row)
        setattr(found, self.relation, related.instance(row))
        return found

    def _statement(self) -> tuple[str, _Rows, _Rows]:
        vendor = connection.vendor  # one database per process: its vendor names it
        if vendor not in self._built:
            quote = connection.ops.quote_name
            own = _Rows.of(self.model, "t", 0)
            related = _Rows.of(self.related, "r", len(own.columns))
            columns = ", ".join(own.columns + related.columns)
            sql = (
                f"SELECT {columns} FROM {quote(self.model._meta.db_table)} t "  # noqa: S608  # nosec B608 - quoted names from the models
                f"JOIN {quote(self.related._meta.db_table)} r "
                f"ON r.{quote(self.join.target_field.column)} = t.{quote(self.join.column)} "
                f"WHERE t.{quote(self.field.column)} = %s"
            )
            self._built[vendor] = (sql, own, related)
        return self._built[vendor]
