"""The model: the records a playbook holds (pydantic), their values (times, days, limits),
prose (the inline Markdown of text fields, checked), step pictures, and the JSON Schema.

May import `generator.errors`, `generator.runtime` and `generator.files`; never checking,
figures, pages or an engine.
"""
