"""Outsourcing playbook generator: YAML roles and procedures -> MkDocs site.

The public API is the pipeline: `check(folder)` loads, validates and analyses a
playbook; everything MkDocs-specific lives in `generator.plugin`.
"""

from .check import Checked, check
from .errors import PlaybookError, Problem, Severity

__all__ = ["Checked", "PlaybookError", "Problem", "Severity", "check"]
