"""Outsourcing playbook generator: YAML roles and procedures -> MkDocs site.

The pipeline is `generator.checking.pipeline.check(folder)`: it loads, validates and analyses a
playbook; everything MkDocs-specific lives in `generator.plugin`. Nothing is imported
here, so that `playbook --version` and `playbook check` load only what they use.
"""
