"""Rows of a plain SQL query written as their serializer writes a model instance: one shape.

The hot reads (a request, the lists of requests, conversations, a postcode, a helper's profile,
the services of a postcode) run one plain query and skip the ORM's instances, which costs several
times the query itself. Their serializer still defines the response; this module is how a row
follows it. The contract:

- **The serializer's fields, in its order, are the keys.** The query aliases each column to a
  field's name: ``SELECT u.display_name AS "display_name"``. A nested serializer's fields are
  aliased with a dot: ``AS "location.lat"``, ``AS "municipality.name.fr"``; the nested object is
  null when all its columns are null (as a serializer writes None for a missing relation).
- **Values are written once per field class**, as the field writes them: datetimes through
  core.api_values.date_time_text, floats through float(), a related field's column holds the key;
  any other field through its own ``to_representation``. A null stays null, as in DRF.
- **A list of nested objects** (a ``many=True`` serializer) is one column holding the list
  already written (e.g. ``json_agg(json_build_object(...))``).
- **A field with no column is left None** at its place for the serializer's ``finish_data``.
- **``finish_data(data, context)``** (a static method of a serializer using
  FinishedRepresentation) adjusts what depends on more than one field or on the reader: a field
  computed from others, one shown only to some readers and removed for the others. The
  serializer runs it after its own fields, rows_data runs it after the columns: one definition.

Adding a field to a hot read is then one column alias and one serializer field. A column with no
field is an error, so a misspelt alias cannot go unnoticed. tests/core/test_fast_rows.py holds the
contract; tests/test_fast_paths.py compares its bytes with the serializer's on the model instance,
for every persona and language.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from django.db import connection
from rest_framework import serializers

from core.api_values import date_time_text


def _copy(value):
    return value


# Writers by exact field class, where a cheaper one gives the field's own output for the values
# PostgreSQL returns (text for CharField, int for IntegerField, bool for BooleanField...).
# Subclasses are not assumed alike: they fall back to their own to_representation.
_WRITERS = {
    serializers.IntegerField: _copy,
    serializers.CharField: _copy,
    serializers.BooleanField: _copy,
    serializers.ChoiceField: _copy,
    serializers.PrimaryKeyRelatedField: _copy,  # the column is the key
    serializers.SerializerMethodField: _copy,  # the column is the method's result
    serializers.ReadOnlyField: _copy,
    serializers.ListSerializer: _copy,  # the column is the written list
    serializers.FloatField: float,
    serializers.DateTimeField: date_time_text,
}


def _list_writer(field: serializers.ListField):
    child = _writer(field.child)
    if child is _copy:
        return list
    return lambda values: [None if value is None else child(value) for value in values]


def _writer(field: serializers.Field):
    writer = _WRITERS.get(type(field))
    if writer is not None:
        return writer
    if type(field) is serializers.ListField:
        return _list_writer(field)
    return field.to_representation


class FinishedRepresentation:
    """Mixin for a serializer with a ``finish_data(data, context)`` step (see the module's
    docstring), run after its fields on a model instance as on a row."""

    @staticmethod
    def finish_data(data: dict, context: dict) -> dict:
        return data

    def to_representation(self, instance):
        return self.finish_data(super().to_representation(instance), self.context)


class ComputedFieldMixin:
    """A field that finish_data writes: the serializer reads no attribute for it (None until
    finish_data), the query selects no column for it; the schema keeps the field's type."""

    def __init__(self, **kwargs):
        # drf-spectacular lists read-only fields as required in a response's schema; a field
        # some readers do not get (required=False, e.g. the carer signal) must not be read-only
        # to stay optional there. These serializers only write, so it is writable in name only.
        if kwargs.get("required", True):
            kwargs["read_only"] = True
        kwargs.setdefault("source", "*")
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return None


_computed_classes: dict[type, type] = {}


def computed(field_class: type[serializers.Field], **kwargs) -> serializers.Field:
    """A `field_class` field whose value finish_data computes (ComputedFieldMixin)."""
    if field_class not in _computed_classes:
        _computed_classes[field_class] = type(
            f"Computed{field_class.__name__}", (ComputedFieldMixin, field_class), {}
        )
    return _computed_classes[field_class](**kwargs)


class _Plan:
    """How to turn the columns of one query into one serializer's data (see row_data)."""

    def __init__(self, serializer: serializers.BaseSerializer, names: Sequence[str], prefix=""):
        self.finish = getattr(serializer, "finish_data", None)
        # (key, column index or None, writer or nested plan)
        self.steps: list[tuple[str, int | None, Any]] = []
        self.indexes: list[int] = []
        for field in serializer.fields.values():
            if field.write_only:
                continue
            name = prefix + field.field_name
            if isinstance(field, serializers.BaseSerializer) and name not in names:
                nested = _Plan(field, names, prefix=name + ".")
                self.steps.append((field.field_name, None, nested))
                self.indexes.extend(nested.indexes)
            elif name in names:
                index = names.index(name)
                self.steps.append((field.field_name, index, _writer(field)))
                self.indexes.append(index)
            else:
                self.steps.append((field.field_name, None, None))

    def data(self, row: Sequence, context: dict) -> dict | None:
        data = {}
        for key, index, writer in self.steps:
            if index is not None:
                value = row[index]
                data[key] = None if value is None else writer(value)
            elif writer is not None:  # a nested serializer
                data[key] = writer.nested_data(row, context)
            else:
                data[key] = None
        if self.finish is not None:
            data = self.finish(data, context)
        return data

    def nested_data(self, row: Sequence, context: dict) -> dict | None:
        if all(row[index] is None for index in self.indexes):
            return None
        return self.data(row, context)


_plans: dict[tuple[type, tuple[str, ...]], _Plan] = {}


def _plan(serializer_class: type[serializers.BaseSerializer], names: tuple[str, ...]) -> _Plan:
    key = (serializer_class, names)
    plan = _plans.get(key)
    if plan is None:
        plan = _Plan(serializer_class(), names)
        unused = set(range(len(names))) - set(plan.indexes)
        if unused:
            raise ValueError(
                f"{serializer_class.__name__} has no field for the columns "
                f"{sorted(names[index] for index in unused)}"
            )
        _plans[key] = plan
    return plan


class Rows(NamedTuple):
    """The rows of a query and the names of their columns (its aliases)."""

    names: tuple[str, ...]
    values: list[tuple]

    def column(self, name: str) -> list:
        """Every row's value of one column (none for no rows, whatever their names)."""
        if not self.values:
            return []
        index = self.names.index(name)
        return [row[index] for row in self.values]

    def __bool__(self) -> bool:
        return bool(self.values)


def fetch_rows(sql: str, params, *, prepared: bool = False) -> Rows:
    """Runs one query on the default database and keeps its rows with their column names.

    `prepared`: through core.prepared_statements.prepared_cursor (a hot query PostgreSQL may
    keep planned).
    """
    from core.prepared_statements import prepared_cursor

    with prepared_cursor() if prepared else connection.cursor() as cursor:
        cursor.execute(sql, params)
        return Rows(tuple(column[0] for column in cursor.description), cursor.fetchall())


def rows_data(
    serializer_class: type[serializers.BaseSerializer], rows: Rows, context: dict | None = None
) -> list[dict]:
    """Each row as `serializer_class(instance, context=context).data` writes the instance the
    row was read from: the same keys in the same order, the same values (the module's contract).
    """
    plan = _plan(serializer_class, rows.names)
    context = context or {}
    return [plan.data(row, context) for row in rows.values]
