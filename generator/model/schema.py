"""JSON Schema of each playbook file, generated from the models.

Editors that speak the yaml-language-server protocol (VS Code's YAML extension,
Neovim, JetBrains) read the modeline at the top of each playbook file and then
autocomplete keys and flag mistakes as the owner types, with the model's field
docstrings as hover text.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import json
from functools import cache
from typing import Any

from pydantic import BaseModel, TypeAdapter

from . import records
from .records import Business, Person, Procedure, Role

SCHEMA_FILES = {
    "business.schema.json": Business,
    "people.schema.json": list[Person],
    "role.schema.json": Role,
    "procedure.schema.json": Procedure,
}
MODELINES = {
    "business": "business.schema.json",
    "people": "people.schema.json",
    "roles": "role.schema.json",
    "procedures": "procedure.schema.json",
}


def schemas() -> dict[str, str]:
    """File name -> JSON text, stable (sorted keys) so the shipped copies can be compared."""
    return {name: _dump(_schema(model)) for name, model in SCHEMA_FILES.items()}


def _schema(kind: Any) -> dict[str, Any]:
    schema = TypeAdapter(kind).json_schema()
    for node in (schema, *schema.get("$defs", {}).values()):
        for name, text in _field_docs().get(node.get("title", ""), {}).items():
            node["properties"][name].setdefault("description", text)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    step = schema.get("$defs", {}).get("Step")
    if step is not None:  # a step may also be written as a plain string
        either = [{"type": "string"}, {"$ref": "#/$defs/Step"}]
        step_list = {"type": "array", "items": {"anyOf": either}}
        step["properties"]["steps"].update(step_list)
        if "steps" in schema.get("properties", {}):
            schema["properties"]["steps"].update(step_list)
    return schema


@cache
def _field_docs() -> dict[str, dict[str, str]]:
    """Model name -> {field: the docstring written under it}, inherited ones included."""
    tree = ast.parse(inspect.getsource(records))
    own = {node.name: _docstrings(node) for node in tree.body if isinstance(node, ast.ClassDef)}
    models = [cls for cls in vars(records).values()
               if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__name__ in own]
    return {cls.__name__: {name: text for base in reversed(cls.__mro__)
                           for name, text in own.get(base.__name__, {}).items()}
            for cls in models}


def _docstrings(node: ast.ClassDef) -> dict[str, str]:
    """Attribute docstrings: a string expression right after an annotated field."""
    found = {}
    for field, after in itertools.pairwise(node.body):
        if (isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name)
                and isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)):
            found[field.target.id] = inspect.cleandoc(after.value.value)
    return found


def _dump(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def modeline(kind: str, schema_dir: str) -> str:
    """The comment that tells editors which schema a file follows."""
    return f"# yaml-language-server: $schema={schema_dir}/{MODELINES[kind]}\n"


@cache
def key_names() -> frozenset[str]:
    """Every key a playbook file may hold, at any depth."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            found.update(node.get("properties", {}))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for kind in SCHEMA_FILES.values():
        walk(_schema(kind))
    return frozenset(found)
