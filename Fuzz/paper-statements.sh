#!/usr/bin/env bash
# Builds and runs the libFuzzer target that hunts counterexamples to the paper's statements.
#
#   Fuzz/paper-statements.sh [SECONDS] [STATEMENT] [FORM]
#
# SECONDS   how long to fuzz (default 600)
# STATEMENT range | shells | trivialBound | theorem42 | asymptoticForm | lossChain | all (default all)
# FORM      corrected (default: what Proofs/ says holds) | paper (the statements as published)
# EMP_FUZZ_EMPTY_CORPUS=1 starts from an empty corpus instead of the committed seeds.
# The SwiftPM product fuzz-paper-statements is built into Fuzz/build/swiftpm/ (git-ignored) and
# linked as Fuzz/build/paper-statements/fuzz; the corpus grows in Fuzz/corpus-*/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
statement=${2:-all}
form=${3:-corrected}
build=Fuzz/build/paper-statements
mkdir -p "$build"

# Every Swift module with libFuzzer's coverage instrumentation; EMPKIT_LIBFUZZER leaves out the
# target's own main (it replays input files when built without libFuzzer).
flags=(-c release --scratch-path Fuzz/build/swiftpm --sanitize fuzzer -Xswiftc -DEMPKIT_LIBFUZZER)
swift build "${flags[@]}" --product fuzz-paper-statements
ln -sf "$(swift build "${flags[@]}" --show-bin-path)/fuzz-paper-statements" "$build/fuzz"

if [ "${EMP_FUZZ_EMPTY_CORPUS:-0}" = 1 ]; then
  corpus=$(mktemp -d)
  seeds=()
else
  corpus="Fuzz/corpus-paper-$statement-$form"
  mkdir -p "$corpus"
  seeds=(Fuzz/PaperStatements/seeds)
fi
# Let a Swift trap reach libFuzzer as a plain crash (an input file to replay) instead of the backtracer.
export SWIFT_BACKTRACE=enable=no
EMP_FUZZ_STATEMENT="$statement" EMP_FUZZ_FORM="$form" \
  "$build/fuzz" -max_total_time="$seconds" -max_len=512 -print_final_stats=1 \
  -artifact_prefix="$build/" "$corpus" "${seeds[@]}"
