// The platforms EMPKit builds on (Package.swift declares the macOS version): Linux, where
// x86-64 uses AVX2 and AVX-512 kernels chosen at run time and other architectures (arm64)
// the portable code; and macOS 15 or later on Apple silicon (Mutex, Atomic, Int128 and
// UInt128 need macOS 15). Scores in IEEE binary16 are Swift's `Float16` throughout the
// package, and Swift does not provide `Float16` on macOS on Intel processors, so that
// combination is not supported: it stops here with one message instead of many.
#if os(macOS) && arch(x86_64)
  #error("EMPKit needs Float16, which Swift does not provide on Intel macOS; build on Apple silicon or on Linux")
#endif
