"""``gaoxin-news publish --repo-id OWNER/NAME``: upload ``corpus/`` to the Hugging Face Hub.

Without ``--push`` it is a dry run: it checks the corpus and lists the files that would be uploaded
with their sha256. With ``--push`` it creates the dataset repository if it is missing, uploads the
folder in one commit (removing remote files that the corpus no longer has) and tags that commit
``vX.Y.Z`` with the corpus version — refusing to touch a repository that already has that tag, since a
published version never changes — so that ``load_dataset(repo_id, revision="vX.Y.Z")`` loads
exactly this release.

The token is read only from the environment (``HF_TOKEN``). It is passed to ``HfApi`` and nowhere
else: it is never printed, and any error from the Hub is reported with the token masked and
without the original exception attached.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gaoxin_news.schema.files import MANIFEST
from gaoxin_news.errors import GaoxinError
from gaoxin_news.project import is_root
from gaoxin_news.corpus.sources import sha256_file

TOKEN_ENV = "HF_TOKEN"
REPO_TYPE = "dataset"
_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class UploadFile:
    path: str  # relative to the corpus folder, POSIX
    sha256: str
    bytes: int


def upload_files(folder: Path) -> list[UploadFile]:
    """The files of the corpus folder that make up the dataset repository, sorted.

    Hidden files and folders (a leftover ``.tmp-build-*``, say) are not part of it, except
    ``.gitattributes``.
    """
    out = []
    for p in sorted(folder.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(folder).as_posix()
        if any(part.startswith(".") for part in rel.split("/")) and rel != ".gitattributes":
            continue
        out.append(UploadFile(rel, sha256_file(p), p.stat().st_size))
    return out


def check_repo_id(repo_id: str) -> None:
    if not _REPO_ID.match(repo_id):
        raise GaoxinError(f"--repo-id {repo_id!r}: expected OWNER/NAME")


def corpus_version(folder: Path) -> str:
    path = folder / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError) as e:
        raise GaoxinError(f"{path}: cannot read the corpus version ({e})") from None


def check_corpus_folder(folder: Path) -> str:
    """Validate the folder and return its version; refuse a corpus that is invalid, built for another
    version than the package's, or (in a repository) stale against its seeds and annotation."""
    from gaoxin_news import __version__
    from gaoxin_news.build.validate import validate_folder

    problems = validate_folder(folder)
    if problems:
        head = "\n".join(f"  {p}" for p in problems[:10])
        raise GaoxinError(f"{folder}: {len(problems)} violation(s); not publishing:\n{head}")
    version = corpus_version(folder)
    if version != __version__:
        raise GaoxinError(f"{folder}: built for version {version}, the package is {__version__}; rebuild first")
    root = folder.resolve().parent
    if is_root(root):
        from gaoxin_news.build.executor import check_corpus
        from gaoxin_news.publish.writers import WRITERS

        stale = check_corpus(root / "seeds", folder, root / "annotations" / "gold", writers=WRITERS)
        if stale:
            raise GaoxinError(f"{folder} is stale ({', '.join(stale[:5])}); run 'gaoxin-news build' first")
    return version


def redact(text: str, secret: str | None) -> str:
    return text.replace(secret, "***") if secret else text


def _upload(api: Any, folder: Path, repo_id: str, version: str, private: bool, state: dict) -> str | None:
    """The Hub calls of :func:`push`; returns None, or why the upload was refused. ``state['step']``
    names the call under way, for the error message."""
    tag = f"v{version}"
    state["step"] = f"creating {repo_id}"
    api.create_repo(repo_id, repo_type=REPO_TYPE, private=private, exist_ok=True)
    state["step"] = f"reading the tags of {repo_id}"
    if any(t.name == tag for t in api.list_repo_refs(repo_id, repo_type=REPO_TYPE).tags):
        return f"{repo_id} already has the tag {tag}: a published version never changes; cut a new release"
    state["step"] = f"uploading {folder} to {repo_id}"
    commit = api.upload_folder(
        repo_id=repo_id, repo_type=REPO_TYPE, folder_path=str(folder),
        allow_patterns=[f.path for f in upload_files(folder)], delete_patterns=["*"],
        commit_message=f"gaoxin-news {version}",
    )
    state["step"] = f"tagging {repo_id} {tag}"
    api.create_tag(repo_id, tag=tag, repo_type=REPO_TYPE, revision=getattr(commit, "oid", None),
                   tag_message=f"gaoxin-news {version}")
    return None


def push(folder: Path, repo_id: str, version: str, token: str, private: bool,
         api_factory: Callable[..., Any] | None = None) -> str:
    """Create the repo if needed, upload ``folder``, tag the commit ``v<version>``. Returns the tag.

    Every failure becomes a :class:`GaoxinError` whose message has the token masked and which does
    not chain the original exception (whose arguments or traceback could hold the token).
    """
    if api_factory is None:
        from huggingface_hub import HfApi as api_factory
    state = {"step": "connecting to the Hub"}
    try:
        problem = _upload(api_factory(token=token), folder, repo_id, version, private, state)
    except Exception as e:  # noqa: BLE001 - whatever the client raises, report it without the token
        problem = f"{state['step']}: {type(e).__name__}: {redact(str(e), token)}"
    if problem is not None:
        raise GaoxinError(problem)  # raised outside the except clause: nothing chained
    return f"v{version}"
