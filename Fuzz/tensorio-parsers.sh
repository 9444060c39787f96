#!/usr/bin/env bash
# TensorIO parsers: builds the libFuzzer target fuzz-tensorio-parsers (TensorIO and the harness in
# Fuzz/TensorIOParsers, with AddressSanitizer), then fuzzes the in-memory safetensors, .npy,
# score-text and shard-index parsers.
# Usage: Fuzz/tensorio-parsers.sh [SECONDS]   (default 60)
# It is built into Fuzz/build/swiftpm-address/ and linked as Fuzz/build/tensorio-parsers/fuzz; new
# inputs go to Fuzz/corpus-tensorio-parsers/ and crashes to Fuzz/build/tensorio-parsers/ (all
# git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
build=Fuzz/build/tensorio-parsers
mkdir -p "$build" Fuzz/corpus-tensorio-parsers

# --sanitize fuzzer makes SwiftPM link libFuzzer's main; the address sanitizer is asked for with
# -Xswiftc, because with `--sanitize fuzzer --sanitize address` the Swift code is built without
# coverage instrumentation. EMPKIT_LIBFUZZER leaves out the target's own main (it replays input
# files when built without libFuzzer). A separate scratch path: other flags than the other fuzzers.
flags=(-c release --scratch-path Fuzz/build/swiftpm-address --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address
  -Xswiftc -DEMPKIT_LIBFUZZER)
swift build "${flags[@]}" --product fuzz-tensorio-parsers
ln -sf "$(swift build "${flags[@]}" --show-bin-path)/fuzz-tensorio-parsers" "$build/fuzz"

# Let a Swift trap reach libFuzzer as a plain crash instead of running the backtracer under ASan.
export SWIFT_BACKTRACE=enable=no
"$build/fuzz" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 \
  -artifact_prefix="$build/" -print_final_stats=1 \
  Fuzz/corpus-tensorio-parsers Fuzz/TensorIOParsers/corpus
