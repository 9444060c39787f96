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

# The C kernels (clang, with module maps), Exact and EMPCore as static modules; then EMPFast's
# sources, the tests' exact oracle and the harness as one module with libFuzzer
# instrumentation (the harness reaches EMPFast's internal kernel choice).
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
swiftc -parse-as-library -O -emit-library -static -emit-module -module-name Exact "${modules[@]}" \
  -emit-module-path "$build/Exact.swiftmodule" -o "$build/libExact.a" Sources/Exact/*.swift
swiftc -parse-as-library -O -emit-library -static -emit-module -module-name EMPCore "${modules[@]}" \
  -emit-module-path "$build/EMPCore.swiftmodule" -o "$build/libEMPCore.a" Sources/EMPCore/*.swift
swiftc -sanitize=fuzzer -parse-as-library -O -module-name FastPathFuzzer "${modules[@]}" \
  -L "$build" -lEMPCore -lExact -l_ExactKernels -l_FastKernels -lgmp -o "$build/fuzz" \
  Sources/EMPFast/*.swift Tests/EMPFastTests/ExactOracle.swift Fuzz/Shared/ByteReader.swift \
  Fuzz/FastPath/FastPathFuzzer.swift

# Let a Swift trap reach libFuzzer as a plain crash (an input file to replay) instead of the backtracer.
export SWIFT_BACKTRACE=enable=no
mkdir -p Fuzz/corpus-fast-path
"$build/fuzz" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=4096 -print_final_stats=1 \
  -artifact_prefix="$build/" Fuzz/corpus-fast-path Fuzz/FastPath/seeds
