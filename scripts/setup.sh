#!/usr/bin/env bash
# Set everything up on a fresh clone and build the corpus:
#   a virtual environment in .venv, the package with its test, baseline and Hugging Face (CPU torch)
#   dependencies, then corpus/ (rebuilt: a fresh clone gives the committed bytes).
set -euo pipefail
cd "$(dirname "$0")/.."
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
.venv/bin/gaoxin-news build --quiet
.venv/bin/gaoxin-news validate corpus
