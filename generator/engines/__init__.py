"""Engines: the MkDocs plugin, the `playbook render` export, the preview server, the
atomic publishing of a built site, the PDF handouts and the pages MkDocs passes through.
Only these import MkDocs, and MkDocs' private API only in `mkdocs_internals`.

May import every layer below: `generator.errors`, `runtime`, `files`, `model`, `checking`,
`figures` and `pages`; never a command.
"""
