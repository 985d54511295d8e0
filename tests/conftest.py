from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED_ID = "000_af9ed2a9fbe09997"
SEED_FILE = SEEDS / f"{SEED_ID}.txt"
GOLD = ROOT / "annotations" / "gold"
DATA = Path(__file__).resolve().parent / "data"


def changed(record: dict, **changes) -> dict:
    """A deep copy of a JSON record with some values replaced; a key path is written with ``__`` between
    keys and list indices (``blocks__1__start``)."""
    r = json.loads(json.dumps(record))
    for path, value in changes.items():
        obj = r
        *head, last = path.split("__")
        for k in head:
            obj = obj[int(k)] if k.isdigit() else obj[k]
        obj[int(last) if last.isdigit() else last] = value
    return r


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built_corpus(tmp_path_factory) -> Path:
    """A corpus built from the committed seeds and gold annotation into a scratch folder."""
    from gaoxin_news.build.executor import write_corpus
    from gaoxin_news.publish.writers import WRITERS

    out = tmp_path_factory.mktemp("built") / "corpus"
    write_corpus(SEEDS, out, GOLD, progress=False, writers=WRITERS)
    return out


@pytest.fixture
def seeds_copy(tmp_path) -> Path:
    """A scratch copy of seeds/ that a test may change."""
    dst = tmp_path / "seeds"
    shutil.copytree(SEEDS, dst)
    return dst


@pytest.fixture
def root_copy(tmp_path) -> Path:
    """The parts of the repository that the dataset card and the datasheet read, in a scratch folder."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("CHANGELOG.md", "pyproject.toml"):
        shutil.copy(ROOT / name, root / name)
    for name in ("seeds", "annotations", "results"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name)
    return root
