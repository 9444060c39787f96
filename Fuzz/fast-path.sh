#!/usr/bin/env bash
# Builds and runs the libFuzzer target that checks the fast path against the exact oracle.
#
#   Fuzz/fast-path.sh [SECONDS]      (default 600)
#
# The SwiftPM product fuzz-fast-path is built into Fuzz/build/swiftpm/ (git-ignored) and linked
# as Fuzz/build/fast-path/fuzz; the corpus grows in Fuzz/corpus-fast-path/, starting from the
# committed seeds in Fuzz/FastPath/seeds/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
build=Fuzz/build/fast-path
mkdir -p "$build"

# Every Swift module (EMPFast, the oracle, the harness) and the C kernels with libFuzzer's
# coverage instrumentation; EMPKIT_LIBFUZZER leaves out the target's own main (it replays input
# files when built without libFuzzer).
flags=(-c release --scratch-path Fuzz/build/swiftpm --sanitize fuzzer -Xswiftc -DEMPKIT_LIBFUZZER)
swift build "${flags[@]}" --product fuzz-fast-path
ln -sf "$(swift build "${flags[@]}" --show-bin-path)/fuzz-fast-path" "$build/fuzz"

# Let a Swift trap reach libFuzzer as a plain crash (an input file to replay) instead of the backtracer.
export SWIFT_BACKTRACE=enable=no
mkdir -p Fuzz/corpus-fast-path
"$build/fuzz" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=4096 -print_final_stats=1 \
  -artifact_prefix="$build/" Fuzz/corpus-fast-path Fuzz/FastPath/seeds
