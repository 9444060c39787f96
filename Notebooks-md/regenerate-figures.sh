#!/usr/bin/env bash
# Regenerates every figure of the notebooks: runs each `$ emp plot …` line of
# Notebooks-md/*.md, in this folder, with the emp built from this package. The notebook
# replay test (NotebookReplayTests) fails while a committed figure differs from what these
# commands draw, so run this after changing the plotting code or the numbers it draws.
set -euo pipefail
cd "$(dirname "$0")"
swift build --package-path .. --product emp
emp="$(swift build --package-path .. --show-bin-path)/emp"
mkdir -p figures
grep -h '^\$ emp plot ' ./*.md | while read -r line; do
  read -ra arguments <<< "${line#\$ emp }"
  echo "\$ emp ${arguments[*]}"
  "$emp" "${arguments[@]}"
done
