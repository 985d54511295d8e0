"""A static HTML view of the corpus: pages, items, blocks, sentences and entities, gold against
predictions (``gaoxin-news view``).

``data`` turns records into plain view data (pure functions), ``colours`` fixes one colour per entity
type, and ``site`` renders the Jinja templates and writes the site whole or not at all.
"""
