"""`gaoxin-news publish`: a dry run lists the files and their sha256; --push drives a mocked HfApi (no
network) — create the dataset repo if missing, upload the folder, tag the commit — and the token never
shows in output or exceptions."""

from __future__ import annotations

import hashlib
import shutil
import traceback
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

import huggingface_hub
import pytest

from conftest import ROOT
from gaoxin_news import __version__
from gaoxin_news.cli import main
from gaoxin_news.errors import GaoxinError
from gaoxin_news.publish.hub import push, upload_files

TOKEN = "hf_TESTtoken0123456789secret"
REPO = "someone/gaoxin-news"


@pytest.fixture
def corpus(tmp_path) -> Path:
    dst = tmp_path / "corpus"
    shutil.copytree(ROOT / "corpus", dst, ignore=shutil.ignore_patterns(".tmp*", ".check*"))
    return dst


@pytest.fixture
def fake_api(monkeypatch):
    """HfApi replaced by an autospec mock: calls must match the real signatures."""
    cls = mock.create_autospec(huggingface_hub.HfApi)
    api = cls.return_value
    api.upload_folder.return_value = SimpleNamespace(oid="0123abcd" * 5)
    api.list_repo_refs.return_value = SimpleNamespace(tags=[SimpleNamespace(name="v0.0.1")], branches=[])
    monkeypatch.setattr(huggingface_hub, "HfApi", cls)
    return cls


def _files(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


def test_dry_run_lists_every_file_with_its_sha256(corpus, fake_api, monkeypatch, capsys):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    assert main(["publish", "--repo-id", REPO, "--folder", str(corpus)]) == 0
    out = capsys.readouterr().out
    listed = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3 and len(parts[0]) == 64:
            listed[parts[2]] = parts[0]
    assert listed == _files(corpus)
    assert {"README.md", "croissant.json", "data/ner/test.parquet"} <= set(listed)
    assert f"tag it v{__version__}" in out
    fake_api.assert_not_called()


def test_hidden_files_are_not_uploaded(corpus):
    (corpus / ".tmp-build-x").mkdir()
    (corpus / ".tmp-build-x" / "junk").write_text("x", encoding="utf-8")
    (corpus / ".gitattributes").write_text("*.parquet filter=lfs diff=lfs merge=lfs -text\n", encoding="utf-8")
    paths = [f.path for f in upload_files(corpus)]
    assert ".gitattributes" in paths and not any(p.startswith(".tmp") for p in paths)


def test_push_creates_uploads_and_tags(corpus, fake_api, monkeypatch, capsys):
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    assert main(["publish", "--repo-id", REPO, "--folder", str(corpus), "--push"]) == 0
    fake_api.assert_called_once_with(token=TOKEN)
    api = fake_api.return_value
    api.create_repo.assert_called_once_with(REPO, repo_type="dataset", private=False, exist_ok=True)
    kwargs = api.upload_folder.call_args.kwargs
    assert kwargs["repo_id"] == REPO and kwargs["repo_type"] == "dataset"
    assert kwargs["folder_path"] == str(corpus)
    assert sorted(kwargs["allow_patterns"]) == sorted(_files(corpus))
    api.create_tag.assert_called_once_with(REPO, tag=f"v{__version__}", repo_type="dataset",
                                           revision="0123abcd" * 5, tag_message=f"gaoxin-news {__version__}")
    captured = capsys.readouterr()
    assert TOKEN not in captured.out + captured.err
    assert f'revision="v{__version__}"' in captured.out


def test_refuses_to_republish_a_tagged_version(corpus, fake_api, monkeypatch, capsys):
    fake_api.return_value.list_repo_refs.return_value = SimpleNamespace(
        tags=[SimpleNamespace(name=f"v{__version__}")], branches=[])
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    assert main(["publish", "--repo-id", REPO, "--folder", str(corpus), "--push"]) == 1
    assert f"already has the tag v{__version__}" in capsys.readouterr().err
    fake_api.return_value.upload_folder.assert_not_called()
    fake_api.return_value.create_tag.assert_not_called()


def test_push_needs_the_token_from_the_environment(corpus, fake_api, monkeypatch, capsys):
    monkeypatch.delenv("HF_TOKEN", raising=False)
    assert main(["publish", "--repo-id", REPO, "--folder", str(corpus), "--push"]) == 1
    assert "HF_TOKEN is not set" in capsys.readouterr().err
    fake_api.assert_not_called()


def test_a_hub_error_never_shows_the_token(corpus, fake_api, monkeypatch, capsys):
    fake_api.return_value.upload_folder.side_effect = RuntimeError(f"401 Client Error: bad token {TOKEN}")
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    assert main(["publish", "--repo-id", REPO, "--folder", str(corpus), "--push"]) == 1
    captured = capsys.readouterr()
    assert "401 Client Error" in captured.err and "***" in captured.err
    assert TOKEN not in captured.out + captured.err
    fake_api.return_value.create_tag.assert_not_called()

    with pytest.raises(GaoxinError) as info:
        push(corpus, REPO, __version__, TOKEN, private=False)
    e = info.value
    assert e.__cause__ is None and e.__context__ is None
    assert TOKEN not in "".join(traceback.format_exception(e)) and TOKEN not in repr(e.args)


def test_a_failing_client_constructor_never_shows_the_token(corpus):
    def factory(token):
        raise ValueError(f"invalid token {token!r}")

    with pytest.raises(GaoxinError) as info:
        push(corpus, REPO, __version__, TOKEN, private=False, api_factory=factory)
    assert TOKEN not in "".join(traceback.format_exception(info.value))


def test_refuses_a_bad_repo_id(corpus, fake_api, capsys):
    assert main(["publish", "--repo-id", "no-owner", "--folder", str(corpus)]) == 1
    assert "expected OWNER/NAME" in capsys.readouterr().err


def test_refuses_an_invalid_corpus(corpus, fake_api, monkeypatch, capsys):
    with open(corpus / "sentences.jsonl", "a", encoding="utf-8") as f:
        f.write("{}\n")
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    assert main(["publish", "--repo-id", REPO, "--folder", str(corpus), "--push"]) == 1
    assert "not publishing" in capsys.readouterr().err
    fake_api.assert_not_called()


def test_refuses_a_stale_corpus_in_a_repository(tmp_path, fake_api, capsys):
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("pyproject.toml", "CHANGELOG.md"):
        shutil.copy(ROOT / name, root / name)
    for name in ("seeds", "annotations", "corpus"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns(".tmp*", ".check*"))
    ann = sorted((root / "annotations" / "gold").glob("*.ann"))[0]
    lines = ann.read_text(encoding="utf-8").splitlines(keepends=True)
    ann.write_text("".join(lines[1:]), encoding="utf-8")  # the gold annotation changed, corpus/ not rebuilt
    assert main(["publish", "--repo-id", REPO, "--folder", str(root / "corpus")]) == 1
    assert "is stale" in capsys.readouterr().err
