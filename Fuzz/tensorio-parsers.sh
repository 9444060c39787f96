#!/usr/bin/env bash
# TensorIO parsers: builds a libFuzzer binary from Sources/TensorIO and Fuzz/TensorIOParsers, then
# fuzzes the in-memory safetensors, .npy, score-text and shard-index parsers.
# Usage: Fuzz/tensorio-parsers.sh [SECONDS]   (default 60)
# New inputs go to Fuzz/corpus-tensorio-parsers/ and crashes to Fuzz/build/ (both git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
mkdir -p Fuzz/build Fuzz/corpus-tensorio-parsers
swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name TensorIOFuzz \
  Sources/TensorIO/*.swift Fuzz/TensorIOParsers/*.swift -o Fuzz/build/tensorio-parsers
Fuzz/build/tensorio-parsers -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 \
  -artifact_prefix=Fuzz/build/ -print_final_stats=1 \
  Fuzz/corpus-tensorio-parsers Fuzz/TensorIOParsers/corpus
