"""Derived output files that the build writes beside the JSONL data (exports, dataset card, metadata).

Each writer takes the finished temporary build folder and the build statistics, reads the data files
there and writes its own files. The build runs them in this order, then writes the manifest, so that
the manifest lists and hashes their files too.
"""

from __future__ import annotations

from gaoxin_news.publish.card import write_card
from gaoxin_news.publish.croissant import write_croissant
from gaoxin_news.publish.datasheet import write_datasheet
from gaoxin_news.build.exports import finish_exports
from gaoxin_news.publish.hfdata import write_hf_data

#: Parquet files first: the Croissant metadata hashes them and the card measures them.
WRITERS = [finish_exports, write_hf_data, write_croissant, write_datasheet, write_card]
