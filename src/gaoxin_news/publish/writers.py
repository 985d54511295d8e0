"""Derived output files that the build writes beside the JSONL data (exports, dataset card, metadata).

Each writer takes the finished temporary build folder and the build statistics, reads the data files
there and writes its own files, or is :class:`~gaoxin_news.build.executor.Streamed`: fed the JSON
lines as the pages are written and finished in its place in the list. The build runs them in this
order, then writes the manifest, so that the manifest lists (and hashes, where no writer recorded a
digest) their files too.
"""

from __future__ import annotations

from gaoxin_news.publish.card import write_card
from gaoxin_news.publish.croissant import write_croissant
from gaoxin_news.publish.datasheet import write_datasheet
from gaoxin_news.build.exports import finish_exports
from gaoxin_news.build.executor import Streamed
from gaoxin_news.publish.hfdata import ParquetStream

#: The Parquet files are written while the pages stream and finished first: the Croissant metadata
#: lists their digests and the card their sizes.
WRITERS = [finish_exports, Streamed(ParquetStream), write_croissant, write_datasheet, write_card]
