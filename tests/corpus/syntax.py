"""Syntax mistakes as people make them in real YAML, each with the line the user must edit.

Gathered from the mistakes in public YAML files and editors' issue trackers: indentation
one or two columns off, quotes and brackets left open, a colon or a '#' inside a value,
tabs, a missing space, mixed list styles, curly quotes pasted from a word processor, and
files saved by Windows editors (a byte-order mark, CRLF, UTF-16). Valid YAML that is
almost certainly a slip (an item folded into the one above, a key swallowed by a block of
text, a comment that cuts a value short) is a warning at its line.
"""

from __future__ import annotations

from .cases import KEPT, PROC, Case, E, W, bad

Y = "roles/x.yml"
CAUSE = "keys of one block line up"

SYNTAX: list[Case] = [
    # --- indentation ---------------------------------------------------------------------------
    bad("key indented under a key that has a value",
        {Y: "title: X\nparent: operations\n  sourcing: keep\nreason: r\n"},
        E(Y, 3, 1, f"line 3 is indented 2 spaces deeper than 'parent:' on line 2; {CAUSE}"),
        fix="Line the key up with the keys above it; a deeper key reads as part of the value "
            "above."),
    bad("task key indented too deep",
        {Y: KEPT + "tasks:\n  - task: a\n      every: weekly\n    time: 1h\n"},
        E(Y, 6, 1, f"line 6 is indented 2 spaces deeper than 'task:' on line 5; {CAUSE}")),
    bad("task key one space short",
        {Y: KEPT + "tasks:\n  - task: a\n    every: weekly\n   time: 1h\n"},
        E(Y, 7, 1, "line 7 is indented 3 spaces: more than 'task:' on line 5, less than "
          f"'every:' on line 6; {CAUSE}")),
    bad("nested key one space short",
        {Y: KEPT + "review:\n  last: 2026-10-01\n every: yearly\n"},
        E(Y, 6, 1, "line 6 is indented 1 space: more than 'review:' on line 4, less than "
          f"'last:' on line 5; {CAUSE}")),
    bad("first line indented", {Y: " title: X\nsourcing: keep\nreason: r\n"},
        E(Y, 1, 1, "line 1 is indented; the keys at the top of the file start at the beginning "
          "of the line")),
    bad("list item one column short", {Y: KEPT + "skills:\n  - a\n - b\n"},
        E(Y, 6, 1, "the list item on line 6 starts at column 2, the one on line 5 at column 3; "
          "line them up")),
    bad("list item one column deep folds into the one above",
        {Y: KEPT + "skills:\n  - Keep Dana out of QuickBooks\n   - Know the profit\n"},
        W(Y, 6, 4, "line 6 is read as more of the text on line 5, not as a new list item: YAML "
          "joins them into 'Keep Dana out of QuickBooks - Know the profit'"),
        fix="Line the '-' up with the one above; YAML silently joined the two items (a "
            "warning)."),
    bad("list item two columns deep folds into the one above",
        {Y: KEPT + "skills:\n  - a\n    - b\n"},
        W(Y, 6, 5, "line 6 is read as more of the text on line 5, not as a new list item")),
    bad("list item under a key that has a value",
        {Y: KEPT + "skills: Excel\n  - Canva\n"},
        E(Y, 4, 9, "skills: expected a list, found 'Excel - Canva'"),
        W(Y, 5, 3, "line 5 is read as more of the text on line 4, not as a new list item")),
    bad("key among list items", {Y: KEPT + "skills:\n  - a\n  b: c\n"},
        E(Y, 6, 3, "line 6 lines up with the list items above it (line 5) but does not start "
          "with '- '")),
    bad("tabs on several lines", {Y: KEPT + "skills:\n\t- a\n\t- b\n"},
        E(Y, 5, 1, "a tab character; indent with spaces, YAML does not allow tabs (line 6 "
          "too)"),
        fix="Replace the tabs with spaces (set your editor to indent YAML with spaces)."),
    bad("tab after a dash", {Y: KEPT + "skills:\n  -\ta\n"},
        E(Y, 5, 4, "a tab character; indent with spaces")),
    # --- list styles mixed -----------------------------------------------------------------------
    bad("block item after a bracketed list", {Y: KEPT + "skills: [Excel, Canva]\n  - Figma\n"},
        E(Y, 5, 3, "a list item on line 5, but 'skills:' on line 4 already has a value; write "
          "the list one way")),
    bad("bracketed items among block items", {Y: KEPT + "skills:\n  - Excel\n  [Canva, Figma]\n"},
        E(Y, 6, 3, "line 6 lines up with the list items above it (line 5) but does not start "
          "with '- '")),
    bad("list started on its key's line", {Y: KEPT + "skills: - Excel\n  - Canva\n"},
        E(Y, 4, 9, "a list cannot start on the line of its key; put '- Excel' on a line of its "
          "own, indented under 'skills:'")),
    bad("item at the key's column folds the next one",
        {Y: KEPT + "skills:\n- Excel\n  - Canva\n"},
        W(Y, 6, 3, "line 6 is read as more of the text on line 5, not as a new list item: YAML "
          "joins them into 'Excel - Canva'")),
    # --- quotes and brackets --------------------------------------------------------------------
    bad("quote left open far above the error",
        {Y: 'title: "PPC management\nsourcing: keep\nreason: r\nskills:\n  - "Excel"\n'},
        E(Y, 1, 8, 'close the quote " opened at line 1, column 8 (YAML read on to line 5, '
          "column 6)"),
        fix="Close the quote or bracket at the place the message names."),
    bad("single quote left open", {Y: "title: 'Weekly review\nsourcing: keep\n"},
        E(Y, 1, 8, "close the quote ' opened at line 1, column 8")),
    bad("double quote left open on the last line", {Y: KEPT + 'purpose: "Grow the shop\n'},
        E(Y, 4, 10, 'close the quote " opened at line 4, column 10')),
    bad("apostrophe inside single quotes", {Y: "title: 'Owner's work'\nsourcing: keep\n"},
        E(Y, 1, 14, "the apostrophe in Owner's ends the quoted text; inside single quotes write "
          "it twice ('') or put the value in double quotes"),
        fix="Write the apostrophe twice (`'Owner''s work'`) or use double quotes."),
    bad("text after the closing quote", {Y: 'title: "PPC" management\nsourcing: keep\n'},
        E(Y, 1, 12, "the quoted text ends before the value does; put the whole value in "
          "quotes")),
    bad("curly quotes from a word processor", {Y: KEPT + "purpose: \u201cGrow: the shop\u201d\n"},
        E(Y, 4, 10, "the value starts with a curly quote \u201c, which YAML does not read as a "
          "quote"),
        fix="Retype the quotes as straight quotes (`\"`), which YAML reads as quotes."),
    bad("curly apostrophes", {Y: "title: \u2018Weekly: review\u2019\nsourcing: keep\n"},
        E(Y, 1, 8, "the value starts with a curly quote \u2018")),
    bad("bracket left open", {Y: KEPT + "skills: [a, b\nexpectations: [c]\n"},
        E(Y, 4, 9, "close the bracket [ opened at line 4, column 9 with ]")),
    bad("brace left open", {Y: KEPT + "kpis:\n  - {name: a, target: b\n  - {name: c}\n"},
        E(Y, 5, 5, "close the bracket { opened at line 5, column 5 with }")),
    # --- colons, dashes and other characters ----------------------------------------------------
    bad("colon and space in a plain value", {Y: KEPT + "purpose: Every Monday: before 10\n"},
        E(Y, 4, 22, "the value of 'purpose' contains ': ', which YAML reads as the start of a "
          'key; put the whole value in quotes: purpose: "Every Monday: before 10"'),
        fix="Put the whole value in quotes: `purpose: \"Every Monday: before 10\"`."),
    bad("no space after a colon", {Y: "title:X\nsourcing: keep\nreason: r\n"},
        E(Y, 1, 7, "put a space after the colon: 'title: X'")),
    bad("no space after a colon on the last line", {Y: KEPT + "purpose:Grow the shop\n"},
        E(Y, 4, 9, "put a space after the colon: 'purpose: Grow the shop'")),
    bad("no space after a dash", {Y: KEPT + "skills:\n  - a\n  -b\n"},
        E(Y, 6, 4, "put a space after '-' to start a list item: '- b'")),
    bad("no space after the only dash", {Y: KEPT + "skills:\n  -Excel\n"},
        E(Y, 5, 3, "skills: expected a list, found '-Excel'"),
        W(Y, 5, 4, "'-Excel' is text, not a list item; put a space after '-' to make it one")),
    bad("missing colon", {Y: KEPT + "purpose Grow the shop\nskills: [a]\n"},
        E(Y, 4, 1, "line 4 is not 'key: value'; check it for a missing colon")),
    bad("missing colon on the last line", {Y: KEPT + "purpose Grow the shop\n"},
        E(Y, 4, 1, "line 4 is not 'key: value'; check it for a missing colon")),
    bad("equals sign for a colon", {Y: "title = X\nsourcing: keep\nreason: r\n"},
        E(Y, 1, 1, "line 1 is not 'key: value'; check it for a missing colon")),
    bad("value starting with @", {Y: KEPT + "purpose: @joy answers the tickets\n"},
        E(Y, 4, 10, "'@' at the start of a value is reserved; put the whole value in quotes")),
    bad("value starting with a backtick", {Y: KEPT + "purpose: `make site` every day\n"},
        E(Y, 4, 10, "'`' at the start of a value is reserved")),
    bad("value starting with an asterisk", {Y: KEPT + "purpose: *Always* reply\n"},
        E(Y, 4, 10, "'*' at the start of a value marks an alias")),
    bad("value starting with a bracket", {Y: KEPT + "purpose: [Draft] grow the shop\n"},
        E(Y, 4, 10, "'[' at the start of a value starts a list")),
    bad("comment cuts a value short", {Y: KEPT + "purpose: Answer ticket #12 first\n"},
        W(Y, 4, 24, "'#12 first' is read as a comment, so the value is 'Answer ticket'; put the "
          "whole value in quotes"),
        fix="Put the value in quotes; ` #` starts a comment (a warning)."),
    bad("comment leaves a value empty", {Y: "title: #1 seller\nsourcing: keep\nreason: r\n"},
        E(Y, 1, 7, "title: expected text, found nothing"),
        W(Y, 1, 8, "'#1 seller' is read as a comment, so the value is empty")),
    bad("key swallowed by a block of text",
        {Y: "title: X\nsourcing: keep\nreason: >\n  Core work.\n  skills: [Excel]\n"},
        W(Y, 5, 3, "line 5 reads like the key 'skills:' but is part of the text of 'reason:' on "
          "line 3; if it is a key, indent it like 'reason:'")),
    # --- several mistakes, several files ---------------------------------------------------------
    bad("three mistakes in one file",
        {Y: KEPT + "purpose: Every Monday: before 10\nparent: operations\n  skills: [a]\n"
                   "expectations:\n  - a\n - b\n"},
        E(Y, 4, 22, "the value of 'purpose' contains ': '"),
        E(Y, 6, 1, "line 6 is indented 2 spaces deeper than 'parent:' on line 5"),
        E(Y, 9, 1, "the list item on line 9 starts at column 2, the one on line 8 at column 3")),
    bad("mistakes in two files, and a reference to one of them",
        {Y: "title:X\nsourcing: keep\n", "roles/y.yml": KEPT + "parent: x\n  skills: [a]\n",
         "procedures/p.yml": PROC.replace("operations", "x") + "steps: [a]\n"},
        E(Y, 1, 7, "put a space after the colon: 'title: X'"),
        E("roles/y.yml", 5, 1, "line 5 is indented 2 spaces deeper than 'parent:' on line 4")),
    # --- files from Windows editors -------------------------------------------------------------
    bad("byte-order mark, CRLF and a mistake",
        {Y: b"\xef\xbb\xbf" + b"title:X\r\nsourcing: keep\r\nreason: r\r\n"},
        E(Y, 1, 7, "put a space after the colon: 'title: X'")),
    bad("UTF-16 file from Notepad", {Y: KEPT.encode("utf-16")},
        E(Y, 1, 1, "file is saved as UTF-16; save it as UTF-8")),
]
