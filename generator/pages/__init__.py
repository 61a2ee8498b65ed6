"""Pages: the site's Markdown, HTML, calendars, feeds, charts, briefs and redirects,
rendered from a checked playbook and its figures through the templates in
generator/templates/, and the hook that resolves links in the generated pages' HTML.

May import `generator.errors`, `runtime`, `files`, `model` and `figures`; never checking
(it renders a playbook already checked), an engine, a command, or MkDocs.
"""
