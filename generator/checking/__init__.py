"""Checking a playbook: validation of the records and their references, the links in
prose, and the pipeline (`pipeline.check`: load -> validate -> analyse) every engine calls.

May import everything below it: `generator.errors`, `runtime`, `files`, `model` and
`figures` (the pipeline's last step is the analysis, and validation uses the schedule);
never pages, an engine or a command.
"""
