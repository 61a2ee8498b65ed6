"""A corpus of bad playbooks: every mistake a hand-edited playbook is known to contain.

`cases.py` lists them; `tests/test_corpus.py` runs each through the real
`playbook check` and `mkdocs build --strict` commands.
"""
