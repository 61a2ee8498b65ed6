"""How long a playbook's values may be: lengths no real playbook reaches, so that a value
nobody meant (a pasted file, a generated string, a hostile pull request) ends in an error
at its line instead of a site that blows up or a build that dies.

The YAML reader already bounds the shape of every file (strict_yaml.py: its size, its
number of values and its nesting depth, which also bounds how deep steps nest and how
long any list is), and everything the site makes from a list grows with the list. What
it did not bound is how long one value is, which matters most where one value is
repeated: a role's title is in the navigation of every page, so the site grows with its
length times the number of pages.
"""

from __future__ import annotations

NAME_MAX = 200
"""Titles and names (the business, people, roles, procedures, tasks, KPIs): one line of a
heading or a menu. The longest real ones are a few dozen characters; the site repeats
them on many pages (a role's title in every page's navigation)."""

ID_MAX = 64
"""Ids (of roles, procedures, people, tasks, steps) and each segment of an alias: they
become file and folder names, such as `roles/<id>/<id>.pdf`, which must stay well under
the 255 bytes most file systems allow for a name."""

PATH_MAX = 200
"""An alias (an old address, segments of at most ID_MAX each) or a picture's path in
media/: paths of the site, far under the 4,096 bytes of a whole path on Linux."""

ADDRESS_MAX = 2_000
"""A task's `link:` or a step's `video:`: longer addresses fail in sitemaps, some
browsers and link checkers, and no page a task is done in needs one."""

TEXT_MAX = 20_000
"""Any other text (a purpose, a note, a step): a few printed pages, where a real one is a
paragraph or two. Each is shown once or twice, so this only stops the absurd."""


def too_long(length: int, limit: int) -> str:
    """How a message says a value is over its limit: both figures, never the value (it is
    long)."""
    return f"{length:,} characters long, over the limit of {limit:,}"
