"""Derived figures: the analysis (hours, readiness, reviews), the plan and its costs, the
schedule of each task, and the history of changes read from git.

May import `generator.errors`, `runtime`, `files` and `model`; never checking (the
`Playbook` type is the model's), pages, an engine or a command.
"""
