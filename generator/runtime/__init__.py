"""Runtime helpers: parallel work in a forked helper, the garbage collector's protocol,
atomic file writes and watching folders for changes.

Standard library only, plus `generator.errors`: every other layer may import these.
"""
