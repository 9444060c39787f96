#!/usr/bin/env bash
# Builds and runs the libFuzzer target that checks the fast path against the exact oracle.
#
#   Fuzz/fast-path.sh [SECONDS]      (default 600)
#
# Everything is built into Fuzz/build/fast-path/ (git-ignored); the corpus grows in
# Fuzz/corpus-fast-path/, starting from the committed seeds in Fuzz/FastPath/seeds/.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-600}
build=Fuzz/build/fast-path
mkdir -p "$build"

# The C kernels (clang, with module maps), Exact and EMPCore as static modules, EMPFast as a
# testable static module with libFuzzer's coverage instrumentation (the harness chooses its
# internal kernel); then the tests' score vectors and exact oracle and the harness.
for target in _ExactKernels _FastKernels; do
  mkdir -p "$build/$target"
  header=$(ls Sources/$target/include/*.h)
  printf 'module %s {\n  header "%s/%s"\n  export *\n}\n' "$target" "$PWD" "$header" > "$build/$target/module.modulemap"
  objects=()
  for source in Sources/$target/*.c; do
    object="$build/$target/$(basename "$source" .c).o"
    clang -O2 -c -I Sources/$target/include "$source" -o "$object"
    objects+=("$object")
  done
  ar rcs "$build/lib$target.a" "${objects[@]}"
done
modules=(-I Sources/CGMP -I "$build/_ExactKernels" -I "$build/_FastKernels" -I "$build")
library() {  # module name, extra flags, sources...
  local name=$1 flags=$2
  shift 2
  # shellcheck disable=SC2086
  swiftc -parse-as-library -O -emit-library -static -emit-module -module-name "$name" $flags "${modules[@]}" \
    -emit-module-path "$build/$name.swiftmodule" -o "$build/lib$name.a" "$@"
}
library Exact "" Sources/Exact/*.swift
library EMPCore "" Sources/EMPCore/*.swift
library EMPFast "-enable-testing -sanitize=fuzzer" Sources/EMPFast/*.swift
swiftc -sanitize=fuzzer -parse-as-library -O -module-name FastPathFuzzer "${modules[@]}" \
  -L "$build" -lEMPFast -lEMPCore -lExact -l_ExactKernels -l_FastKernels -lgmp -o "$build/fuzz" \
  Sources/_TestOracles/TestScores.swift Sources/_TestOracles/ExactOracle.swift Fuzz/Shared/ByteReader.swift \
  Fuzz/FastPath/FastPathFuzzer.swift

# Let a Swift trap reach libFuzzer as a plain crash (an input file to replay) instead of the backtracer.
export SWIFT_BACKTRACE=enable=no
mkdir -p Fuzz/corpus-fast-path
"$build/fuzz" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=4096 -print_final_stats=1 \
  -artifact_prefix="$build/" Fuzz/corpus-fast-path Fuzz/FastPath/seeds
