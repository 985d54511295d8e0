#!/usr/bin/env bash
# Set everything up on a fresh clone and build the corpus:
#   a virtual environment in .venv, the package with its test, baseline and Hugging Face (CPU torch)
#   dependencies, then corpus/ (rebuilt: a fresh clone gives the committed bytes);
#   the annotation tool Label Studio (server and SDK, the extra 'labelstudio') in a virtual environment
#   of its own, .venv-labelstudio: its pinned dependencies would clash with the corpus's.
#   The browser tests of 'gaoxin-news view' need Debian's chromium and a CJK font: installed with
#   apt-get when missing and this runs as root; otherwise it says what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if ! command -v fc-list >/dev/null 2>&1 || [[ -z "$(fc-list ':lang=zh' family 2>/dev/null)" ]]; then
  missing+=(fonts-noto-cjk)
fi
if (( ${#missing[@]} )); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" fontconfig >/dev/null
  else
    echo "setup: the view's browser tests need: ${missing[*]} (Debian: sudo apt-get install -y ${missing[*]})" >&2
  fi
fi
PYTHON=${PYTHON:-python3}
# git: 'gaoxin-news release' reads the state of the checkout, and its tests make scratch repositories
if ! command -v git >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq git
fi
if [[ ! -x .venv/bin/python ]]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -c constraints.txt -e '.[test,baselines,hf]'
if [[ ! -x .venv-labelstudio/bin/python ]]; then
  "$PYTHON" -m venv .venv-labelstudio
fi
.venv-labelstudio/bin/python -m pip install --quiet --upgrade pip
.venv-labelstudio/bin/python -m pip install --quiet -c constraints-labelstudio.txt \
  'label-studio==1.23.2' 'label-studio-sdk==2.1.2'
.venv/bin/gaoxin-news build --quiet
.venv/bin/gaoxin-news validate corpus
