"""File names of a corpus folder."""

ARTICLES = "articles.jsonl"
SENTENCES = "sentences.jsonl"
MANIFEST = "manifest.json"
