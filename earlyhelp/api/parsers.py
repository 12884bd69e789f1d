"""Request bodies, read strictly: bounded size, strict UTF-8, no duplicate keys, no NaN or
Infinity, bounded nesting; CSV (the police feed) with one header row."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from typing import IO, Any

from django.conf import settings
from rest_framework.parsers import BaseParser

from earlyhelp.api.exceptions import FieldError

MAX_DEPTH = 20
_CSV_FIELD_LIMIT = 20_000


class DuplicateKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise DuplicateKey(key)
        result[key] = value
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _float(text: str) -> float:
    value = float(text)
    if value in {float("inf"), float("-inf")}:
        raise ValueError("number too large")
    return value


def _int(text: str) -> int:
    if len(text.lstrip("-")) > 30:
        raise ValueError("number too large")
    return int(text)


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, Mapping):
        return max([_depth(v, level + 1) for v in value.values()] or [level])
    if isinstance(value, list):
        return max([_depth(v, level + 1) for v in value] or [level])
    return level


def _limit(parser_context: Mapping[str, Any] | None) -> int:
    view = (parser_context or {}).get("view")
    return int(getattr(view, "max_body_bytes", settings.EARLYHELP_API_MAX_BODY_BYTES))


def read_body(stream: IO[bytes] | None, parser_context: Mapping[str, Any] | None) -> str:
    """The body as text: refused (413) beyond the view's limit, (400) if not UTF-8."""
    limit = _limit(parser_context)
    request = (parser_context or {}).get("request")
    declared = request.META.get("CONTENT_LENGTH") if request is not None else None
    if declared and declared.isdigit() and int(declared) > limit:
        raise _too_big(limit)
    raw = stream.read(limit + 1) if stream is not None else b""
    if len(raw) > limit:
        raise _too_big(limit)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FieldError(
            "body", f"The body is not valid UTF-8 (byte {error.start} is wrong)."
        ) from error


def _too_big(limit: int) -> FieldError:
    return FieldError(
        "body", f"The body is larger than the limit of {limit:,} bytes.", status_code=413
    )


class StrictJSONParser(BaseParser):
    media_type = "application/json"

    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None
    ) -> Any:
        text = read_body(stream, parser_context)
        if not text.strip():
            raise FieldError("body", "The body is empty: send a JSON object.")
        try:
            data = json.loads(
                text,
                object_pairs_hook=_pairs,
                parse_constant=_no_constant,
                parse_float=_float,
                parse_int=_int,
            )
        except DuplicateKey as error:
            raise FieldError(error.key, f"{error.key!r} appears twice: send it once.") from error
        except RecursionError as error:
            raise FieldError("body", f"Nest JSON at most {MAX_DEPTH} levels deep.") from error
        except ValueError as error:
            raise FieldError("body", f"The body is not valid JSON: {error}.") from error
        if _depth(data) > MAX_DEPTH:
            raise FieldError("body", f"Nest JSON at most {MAX_DEPTH} levels deep.")
        return data


class CSVParser(BaseParser):
    """`text/csv`, UTF-8 (a byte-order mark is allowed), a header row then one row a record."""

    media_type = "text/csv"

    def parse(
        self, stream: IO[bytes], media_type: str | None = None, parser_context: Any = None
    ) -> list[dict[str, str]]:
        text = read_body(stream, parser_context).removeprefix("\ufeff")
        csv.field_size_limit(_CSV_FIELD_LIMIT)
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        except csv.Error as error:
            raise FieldError("body", f"The CSV could not be read: {error}.") from error
        rows = [r for r in rows if any(cell.strip() for cell in r)]
        if not rows:
            raise FieldError("body", "The CSV is empty: send a header row, then the records.")
        header = [h.strip() for h in rows[0]]
        repeated = sorted({h for h in header if header.count(h) > 1})
        if repeated:
            raise FieldError("header", f"Columns named more than once: {', '.join(repeated)}.")
        records: list[dict[str, str]] = []
        for number, row in enumerate(rows[1:], start=1):
            if len(row) != len(header):
                raise FieldError(
                    f"rows[{number - 1}]",
                    f"Record {number} has {len(row)} values; the header has {len(header)}.",
                )
            records.append(dict(zip(header, row, strict=True)))
        return records
