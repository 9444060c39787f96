#!/usr/bin/env bash
# Builds and runs the libFuzzer target that checks score criteria and structured groups against a rational oracle.
#
#   Fuzz/scores-and-groups.sh [SECONDS]      (default 600)
#
# The SwiftPM product fuzz-scores-and-groups is built into Fuzz/build/swiftpm/ (git-ignored) and linked
# as Fuzz/build/scores-and-groups/fuzz; the corpus grows in Fuzz/corpus-scores-and-groups/, starting from the
# committed seeds in Fuzz/ScoresAndGroups/seeds/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
build=Fuzz/build/scores-and-groups
mkdir -p "$build"

# Every Swift module (EMPModel, EMPReference, TensorIO, the harness) and the C kernels with libFuzzer's
# coverage instrumentation; EMPKIT_LIBFUZZER leaves out the target's own main (it replays input
# files when built without libFuzzer).
flags=(-c release --scratch-path Fuzz/build/swiftpm --sanitize fuzzer -Xswiftc -DEMPKIT_LIBFUZZER)
swift build "${flags[@]}" --product fuzz-scores-and-groups
ln -sf "$(swift build "${flags[@]}" --show-bin-path)/fuzz-scores-and-groups" "$build/fuzz"

# Let a Swift trap reach libFuzzer as a plain crash (an input file to replay) instead of the backtracer.
export SWIFT_BACKTRACE=enable=no
mkdir -p Fuzz/corpus-scores-and-groups
"$build/fuzz" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=4096 -print_final_stats=1 \
  -artifact_prefix="$build/" Fuzz/corpus-scores-and-groups Fuzz/ScoresAndGroups/seeds
