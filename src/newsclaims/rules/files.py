"""Reading rule files and reporting their problems by file, line and entry.

YAML is loaded with a safe loader that also rejects a key given twice; the node tree, composed
only when a problem is reported, turns a Pydantic error location ('cues', 3, 'lemmas') into a
line number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from newsclaims.errors import RulesError


class EntryError(ValueError):
    """A rule problem found by a whole-file check, located at one entry (``loc``)."""

    def __init__(
        self, loc: tuple[str | int, ...], message: str, other: int | None = None, relative: bool = False
    ) -> None:
        super().__init__(message)
        self.loc = loc
        self.other = other  # the index of the entry this one conflicts with
        self.relative = relative  # loc is below the entry Pydantic reports, not from the top


# libyaml's parser where PyYAML was built with it: the pure-Python one took ~0.45 s of CPU for our
# rule files in every process that builds the pipeline (each batch worker, each CLI run). A file
# that fails is parsed again by the pure-Python one, whose messages say what it found instead.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _UniqueKeyLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """A SafeLoader that rejects a key given twice in one mapping (PyYAML silently keeps the last)."""


class _UniqueKeyPyLoader(yaml.SafeLoader):
    """The same checks on the pure-Python parser, for error messages."""


def _unique_mapping(loader: _UniqueKeyLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            first = seen.setdefault(key, line)
        except TypeError:
            continue  # an unhashable key: construct_mapping reports it
        if first != line:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} given twice (first on line {first})", key_node.start_mark
            )
    return loader.construct_mapping(node, deep=True)


for _loader in (_UniqueKeyLoader, _UniqueKeyPyLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


class RuleFile:
    """One rule file's data and YAML node tree, so that problems can be reported by line."""

    def __init__(self, name: str, path: Path) -> None:
        self.name, self.path = name, path
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as e:
            raise RulesError(f"{path}: cannot read rule file: {getattr(e, 'strerror', None) or e}") from None
        self._text = text
        self._root: yaml.Node | None = None
        try:
            self.data = yaml.load(text, Loader=_UniqueKeyLoader)  # a SafeLoader: plain data only
        except yaml.YAMLError as fast_error:
            error = fast_error
            try:
                yaml.load(text, Loader=_UniqueKeyPyLoader)
            except yaml.YAMLError as e:
                error = e
            mark = getattr(error, "problem_mark", None)
            where = f", line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
            problem = getattr(error, "problem", None) or str(error)
            raise RulesError(f"{path}{where}: invalid YAML: {problem}") from None

    @property
    def root(self) -> yaml.Node | None:
        """The file's YAML node tree (with line marks), composed on first use."""
        if self._root is None:
            self._root = yaml.compose(self._text, Loader=_SafeLoader)
        return self._root

    def line(self, loc: Iterable[str | int]) -> int:
        """Line of the deepest node along ``loc`` that exists in the file (1 for the top level)."""
        node, line = self.root, 1
        for key in loc:
            if isinstance(node, yaml.MappingNode):
                node = next((v for k, v in node.value if k.value == key), None)
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and 0 <= key < len(node.value):
                node = node.value[key]
            else:
                node = None
            if node is None:
                break
            line = node.start_mark.line + 1
        return line

    def where(self, loc: tuple[str | int, ...]) -> str:
        return f"{self.path}, line {self.line(loc)}: {entry_name(loc)}"


def entry_name(loc: Iterable[str | int]) -> str:
    """``cues[3].lemmas`` for the location ('cues', 3, 'lemmas')."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def clean_loc(loc: tuple[Any, ...]) -> tuple[str | int, ...]:
    # Pydantic adds validator and union-member names ("function-after[...]", "[key]") to locations.
    return tuple(p for p in loc if isinstance(p, int) or not any(c in p for c in "[("))


def fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> list[str] | None:
    """Allowed keys of the rule model found at ``loc``, for "unknown key" messages."""
    tp: Any = model
    for part in loc:
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(part) if isinstance(part, str) else None
            if field is None:
                return None
            tp = field.annotation
        else:
            args = [a for a in get_args(tp) if a is not type(None)]
            origin = get_origin(tp)
            if origin is list and isinstance(part, int) and args:
                tp = args[0]
            elif origin is dict and len(args) == 2:
                tp = args[1]
            else:
                models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
                if not models:
                    return None
                tp = models[0]
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return list(tp.model_fields)
    return None


def describe(model: type[BaseModel], err: Any) -> tuple[tuple[str | int, ...], str, int | None]:
    """Location, message and (for conflicts) the other entry's index of one Pydantic error."""
    loc = clean_loc(err["loc"])
    cause = (err.get("ctx") or {}).get("error")
    if isinstance(cause, EntryError):
        return (*loc, *cause.loc) if cause.relative else cause.loc, str(cause), cause.other
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = fields_at(model, loc[:-1])
        hint = f" (allowed: {', '.join(allowed)})" if allowed else ""
        return loc, f"unknown key {loc[-1]!r}{hint}", None
    if kind == "missing":
        return loc[:-1], f"missing key {loc[-1]!r}", None
    msg = err["msg"].removeprefix("Value error, ")
    # Whole-model checks that name their field in the message ("currency_codes: ..." or
    # "currency_symbols -> '¤': ..."): point at that field's line.
    named = re.match(r"(\w+)(?: -> '([^']*)')?: ", msg)
    if kind == "value_error" and named and named[1] in (fields_at(model, loc) or []):
        loc = (*loc, named[1], *([named[2]] if named[2] is not None else []))
        msg = msg[named.end() :]
    if kind != "value_error":
        got = repr(err.get("input"))
        msg += f" (got {got[:60] + '…' if len(got) > 60 else got})"
    return loc, msg, None


def problems_in(
    file: RuleFile, model: type[BaseModel], *, partial: bool = False, context: dict[str, Any] | None = None
) -> list[str]:
    """Every problem in one rule file; ``partial`` files (layered over the built-ins) may omit keys.

    ``context`` is pydantic's validation context (``models.BUILTIN`` for the shipped files).
    """
    if file.data is None and partial:
        return []
    if not isinstance(file.data, dict):
        return [f"{file.path}, line 1: (top level): expected a mapping of keys (version, {file.name}…)"]
    try:
        model.model_validate(file.data, context=context)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            loc, msg, other = describe(model, err)
            if partial and err["type"] == "missing" and len(loc) == 0:
                continue
            if other is not None:
                msg += f" (line {file.line((*loc[:-1], other))})"
            problems.append(f"{file.where(loc)}: {msg}")
        return problems
    return []
