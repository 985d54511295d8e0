"""Derived output files that the build writes beside the JSONL data (exports, dataset card, metadata).

Each writer takes the finished temporary build folder and the build statistics, reads the data files
there and writes its own files. The build runs them in this order, then writes the manifest, so that
the manifest lists and hashes their files too.
"""

from __future__ import annotations

from .exports import finish_exports

WRITERS = [finish_exports]
