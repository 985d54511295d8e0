"""gaoxin-news: an annotated corpus of Chinese newspaper pages about high-tech zones (高新区)."""

__version__ = "1.0.0"
