"""Documentation sources: Markdown and reStructuredText files, one article each (see ``load``)."""
