#!/usr/bin/env bash
# Builds and runs the libFuzzer target that hunts counterexamples to the paper's statements.
#
#   Fuzz/paper-statements.sh [SECONDS] [STATEMENT] [FORM]
#
# SECONDS   how long to fuzz (default 600)
# STATEMENT range | shells | trivialBound | theorem42 | asymptoticForm | lossChain | all (default all)
# FORM      corrected (default: what Proofs/ says holds) | paper (the statements as published)
# EMP_FUZZ_EMPTY_CORPUS=1 starts from an empty corpus instead of the committed seeds.
# Everything is built into Fuzz/build/ (git-ignored); the corpus grows in Fuzz/corpus-*/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
statement=${2:-all}
form=${3:-corrected}
build=Fuzz/build/paper-statements
mkdir -p "$build"

# The exact core (Exact with its C kernels, EMPCore, EMPReference) as static modules, then the
# harness with libFuzzer instrumentation.
kernels="$build/_ExactKernels"
mkdir -p "$kernels"
printf 'module _ExactKernels {\n  header "%s/Sources/_ExactKernels/include/ExactKernels.h"\n  export *\n}\n' \
  "$PWD" > "$kernels/module.modulemap"
clang -O2 -c -I Sources/_ExactKernels/include Sources/_ExactKernels/binary32_window.c -o "$kernels/binary32_window.o"
ar rcs "$build/lib_ExactKernels.a" "$kernels/binary32_window.o"
swiftc -parse-as-library -O -emit-library -static -emit-module -module-name Exact \
  -I Sources/CGMP -I "$kernels" -emit-module-path "$build/Exact.swiftmodule" -o "$build/libExact.a" Sources/Exact/*.swift
swiftc -parse-as-library -O -emit-library -static -emit-module -module-name EMPCore \
  -I Sources/CGMP -I "$kernels" -I "$build" -emit-module-path "$build/EMPCore.swiftmodule" -o "$build/libEMPCore.a" \
  Sources/EMPCore/*.swift
swiftc -parse-as-library -O -emit-library -static -emit-module -module-name EMPReference \
  -I Sources/CGMP -I "$kernels" -I "$build" -emit-module-path "$build/EMPReference.swiftmodule" \
  -o "$build/libEMPReference.a" Sources/EMPReference/*.swift
swiftc -sanitize=fuzzer -parse-as-library -O -module-name PaperStatementsFuzzer \
  -I Sources/CGMP -I "$kernels" -I "$build" -L "$build" -lEMPReference -lEMPCore -lExact -l_ExactKernels -lgmp \
  -o "$build/fuzz" \
  Sources/_TestOracles/SimplexPoint.swift Sources/_TestOracles/SimplexAnalysis.swift \
  Sources/_TestOracles/SimplexBounds.swift \
  Sources/_TestOracles/SimplexStatement.swift Fuzz/Shared/ByteReader.swift Fuzz/PaperStatements/PaperStatementsFuzzer.swift

if [ "${EMP_FUZZ_EMPTY_CORPUS:-0}" = 1 ]; then
  corpus=$(mktemp -d)
  seeds=()
else
  corpus="Fuzz/corpus-paper-$statement-$form"
  mkdir -p "$corpus"
  seeds=(Fuzz/PaperStatements/seeds)
fi
EMP_FUZZ_STATEMENT="$statement" EMP_FUZZ_FORM="$form" \
  "$build/fuzz" -max_total_time="$seconds" -max_len=512 -print_final_stats=1 \
  -artifact_prefix="$build/" "$corpus" "${seeds[@]}"
