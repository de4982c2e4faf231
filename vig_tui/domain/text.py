"""Free text as the record keeps it: clean characters, and each answer's length limit.

Every text answer reaches the record through the models (typed, pasted, imported
or given on the command line), so the models clean it here, at one place:
control characters (a BEL, a NUL, an ESC that could drive the terminal) are
never stored, and a one-line answer stays on one line. Right-to-left text,
combining marks and joined emoji are kept as they were written.

The limits are the models' own (``ShortText``, ``LongText``): the text boxes
read them with :func:`max_length_of`, so a box never holds more than its answer
may, and the limit is written down once.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any, Protocol

__all__ = ["clean_text", "field_problems", "limit_note", "max_length_of"]

#: Line breaks of every kind: CR LF, CR, LF, vertical tab, form feed, NEL and the
#: Unicode line and paragraph separators.
_LINE_BREAK = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
#: Control characters (C0 but tab and newline, DEL, C1) and lone surrogates,
#: which cannot be written as UTF-8.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str, *, multiline: bool) -> str:
    """``text`` without control characters.

    One-line text (``multiline=False``) has its line breaks, with the blanks
    around them, joined into single spaces and tabs made spaces: a pasted
    address keeps every line. Long text keeps its lines (as ``\\n``) and tabs.
    """
    text = _LINE_BREAK.sub("\n", text) if multiline else _joined(text).replace("\t", " ")
    return _CONTROL.sub("", text)


def _joined(text: str) -> str:
    """``text`` with each run of line breaks, and the blanks around them, made one space.

    Split on the breaks rather than matched by one pattern: a pattern with blanks on both
    sides of the breaks backtracks over every long run of blanks with no break in it,
    which took minutes for a pasted page of spaces.
    """
    parts = _LINE_BREAK.split(text)
    if len(parts) == 1:
        return text
    first, *middle, last = parts
    kept = [part.strip(" \t") for part in middle]
    return " ".join([first.rstrip(" \t"), *(part for part in kept if part), last.lstrip(" \t")])


def max_length_of(model: type[Any], path: str) -> int | None:
    """The most characters the text answer at ``path`` may hold (None: no limit).

    ``path`` is the dotted model path the rules use: ``"referrer.name"``,
    ``"carers.0.phone"``, ``"evidence.bonding.evidence"``. It is read from the
    models' constraints (``max_length`` in the field's metadata), never typed again.
    Raises KeyError for a path the model does not have.
    """
    current: Any = model
    parts = path.split(".")
    position = 0
    while position < len(parts):
        fields = getattr(current, "model_fields", None)
        if fields is None or parts[position] not in fields:
            break
        field = fields[parts[position]]
        if position == len(parts) - 1:
            if _not_optional(field.annotation) is not str:
                return None  # a list's max_length counts items, not characters
            return next(
                (m.max_length for m in field.metadata if getattr(m, "max_length", None)),
                None,
            )
        current = _not_optional(field.annotation)
        if typing.get_origin(current) in (list, dict):
            # carers.0.name, evidence.bonding.evidence: step over the index or key.
            current = _not_optional(typing.get_args(current)[-1])
            position += 1
        position += 1
    raise KeyError(f"{model.__name__} has no answer {path!r}")


def _not_optional(annotation: Any) -> Any:
    """``X`` for ``X | None``."""
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return next(a for a in typing.get_args(annotation) if a is not type(None))
    return annotation


def limit_note(length: int, limit: int, *, cut: bool = False) -> str:
    """What a text box says about its limit: empty until the answer is near it.

    GOV.UK's character count: the words appear as the limit comes near, and say
    plainly when text did not fit.
    """
    if cut:
        return f"This answer can be up to {limit:,} characters: the rest was not added."
    if length >= limit:
        return f"You have reached the limit of {limit:,} characters."
    remaining = limit - length
    if remaining <= max(10, limit // 10):
        return f"You have {remaining:,} character{'s' if remaining != 1 else ''} remaining."
    return ""


class _ErrorList(Protocol):
    def errors(self) -> list[Any]: ...


def field_problems(error: _ErrorList) -> dict[str, str]:
    """A pydantic ValidationError as plain words keyed by the answer's name (its last
    location part): the dialogs and pages show them beside the answers."""
    problems: dict[str, str] = {}
    for detail in error.errors():
        location = [str(part) for part in detail.get("loc", ()) if not isinstance(part, int)]
        name = location[-1] if location else ""
        context = detail.get("ctx") or {}
        if detail.get("type") == "string_too_long":
            message = f"This answer can be up to {context.get('max_length', 0):,} characters"
        else:
            message = f"This answer cannot be saved as it is: {detail.get('msg', '')}"
        problems.setdefault(name, message)
    return problems
