"""``Record``: ``typing.NamedTuple`` without its run-time check of each field's annotation.

``class Span(Record)`` is ``class Span(NamedTuple)`` to a type checker (``Record`` is that
name), and at run time the same class: ``collections.namedtuple`` of the annotated fields,
with the body's defaults, methods and docstring. What it leaves out is the check: under
``from __future__ import annotations`` each annotation is a string, and
``typing.NamedTuple`` made a ``ForwardRef`` of each, compiling it with ``compile()``; the
first ``compile()`` of a process builds the AST types (9 M instructions), and the records
on the path of one ``ecslint check`` made 63 of them, a twentieth of a one-file run.
Nothing reads those ForwardRefs; ``typing.get_type_hints`` still resolves the strings.
"""

from __future__ import annotations

__all__ = ["Record"]

TYPE_CHECKING = False  # typing itself is not imported for this
if TYPE_CHECKING:
    from typing import NamedTuple as Record
else:
    import collections

    # As typing.NamedTuple: what a body may not set, and what is not copied from it.
    _PROHIBITED = frozenset(
        {
            "__new__",
            "__init__",
            "__slots__",
            "__getnewargs__",
            "_fields",
            "_field_defaults",
            "_make",
            "_replace",
            "_asdict",
            "_source",
        }
    )
    _SPECIAL = frozenset({"__module__", "__name__", "__annotations__"})

    class _RecordMeta(type):
        def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, object]):
            if not bases:  # Record itself
                return super().__new__(mcs, name, bases, namespace)
            if bases != (Record,):
                raise TypeError("a Record inherits from Record alone")
            annotations: dict[str, object] = namespace.get("__annotations__", {})
            defaults: list[str] = []
            for field in annotations:
                if field in namespace:
                    defaults.append(field)
                elif defaults:
                    raise TypeError(
                        f"Non-default namedtuple field {field} cannot follow default "
                        f"field{'s' if len(defaults) > 1 else ''} {', '.join(defaults)}"
                    )
            record = collections.namedtuple(
                name,
                list(annotations),
                defaults=[namespace[field] for field in defaults],
                module=namespace["__module__"],
            )
            record.__annotations__ = record.__new__.__annotations__ = dict(annotations)
            for key, value in namespace.items():
                if key in _PROHIBITED:
                    raise AttributeError("Cannot overwrite NamedTuple attribute " + key)
                if key not in _SPECIAL and key not in record._fields:
                    setattr(record, key, value)
            return record

    class Record(metaclass=_RecordMeta):
        """The base of a record: ``class Span(Record): line: int`` (see the module)."""
