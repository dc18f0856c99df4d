"""`import`: an article pasted as plain text becomes a draft sheet, with every guess marked for the editor.

text (decode, clean lines) -> noise (trailers, captions, bylines) -> outline (headline, headings, lists,
details table) -> body (outcomes apart, the rest as Markdown), details, dates, people and delegations,
facts (tags, place, sources) -> draft (the record) -> sheet_text (YAML with `# راجع:` marks) -> command.
"""
