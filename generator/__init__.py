"""Outsourcing playbook generator: YAML roles and procedures -> MkDocs site.

The packages are layers; each imports only the ones before it in this list:
`errors` (the problems every layer reports) and `runtime` (standard-library helpers),
`files` (reading YAML), `model` (records and values), `figures` (derived numbers),
`checking` (validation and the pipeline `checking.pipeline.check(folder)`, which loads,
validates and analyses a playbook), `pages` (rendering; never checking), `engines`
(everything MkDocs-specific: the plugin, export, preview server) and `commands` (the CLI).
tests/test_layout.py holds these rules. Nothing is imported here, so that
`playbook --version` and `playbook check` load only what they use.
"""
