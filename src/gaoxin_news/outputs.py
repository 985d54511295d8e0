"""Derived output files that the build writes beside the JSONL data (exports, dataset card, metadata).

Each writer takes the finished temporary build folder and the build statistics, reads the data files
there and writes its own files. The build runs them in this order, then writes the manifest, so that
the manifest lists and hashes their files too.
"""

from __future__ import annotations

from .card import write_card
from .croissant import write_croissant
from .datasheet import write_datasheet
from .exports import finish_exports
from .hfdata import write_hf_data

#: Parquet files first: the Croissant metadata hashes them and the card measures them.
WRITERS = [finish_exports, write_hf_data, write_croissant, write_datasheet, write_card]
