"""Real-browser tests: Playwright driving Debian's Chromium against the built example site.

A package, so that this folder's conftest.py and test modules get names of their own
(browser.conftest, ...) instead of clashing with tests/conftest.py.
"""
