// swift-tools-version: 6.0
import PackageDescription

let package = Package(
  name: "EMPKit",
  // Mutex and Atomic (Synchronization), Int128 and UInt128 need macOS 15. Intel macOS is not
  // supported (Swift has no Float16 there; see Sources/Exact/_SupportedPlatforms.swift).
  platforms: [.macOS(.v15)],
  products: [
    .library(name: "EMPKit", targets: ["EMPKit"]),
    .library(name: "Exact", targets: ["Exact"]),
    .library(name: "EMPCore", targets: ["EMPCore"]),
    .library(name: "EMPReference", targets: ["EMPReference"]),
    .library(name: "EMPFast", targets: ["EMPFast"]),
    .library(name: "TensorIO", targets: ["TensorIO"]),
    .library(name: "EMPVerify", targets: ["EMPVerify"]),
    .library(name: "EMPModel", targets: ["EMPModel"]),
    .executable(name: "emp", targets: ["emp"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    .package(url: "https://github.com/attaswift/BigInt.git", from: "6.0.1"),
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
  ],
  targets: [
    // MARK: - Public API
    .target(name: "Exact", dependencies: ["CGMP", "_ExactKernels"]),
    .target(name: "EMPCore", dependencies: ["Exact"]),
    .target(name: "EMPReference", dependencies: ["EMPCore", "Exact"]),
    .target(name: "EMPFast", dependencies: ["EMPCore", "Exact", "_FastKernels"]),
    .target(name: "TensorIO"),
    .target(name: "EMPVerify", dependencies: ["EMPReference", "EMPCore", "Exact", "TensorIO"]),
    .target(name: "EMPModel", dependencies: ["EMPCore", "EMPFast", "EMPReference", "Exact", "TensorIO"]),
    .target(
      name: "EMPKit", dependencies: ["EMPCore", "EMPFast", "EMPModel", "EMPReference", "EMPVerify", "Exact", "TensorIO"]),
    .executableTarget(
      name: "emp",
      dependencies: [
        "Exact", "EMPCore", "EMPReference", "EMPFast", "EMPModel", "EMPVerify", "TensorIO", "_EMPPlot",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      exclude: ["Resources", "README.md"]),

    // MARK: - Implementation details
    .target(name: "_ExactKernels"),
    .target(name: "_FastKernels"),
    .target(name: "_EMPPlot", dependencies: ["EMPCore", "EMPModel", "EMPReference", "Exact"]),
    .systemLibrary(
      name: "CGMP",
      pkgConfig: "gmp",
      providers: [.apt(["libgmp-dev"]), .brew(["gmp"])]),
    // Oracles and generators that need neither Testing nor PropertyBased: the fuzzers link them.
    .target(name: "_TestOracles", dependencies: ["Exact", "EMPCore", "EMPReference", "EMPFast"]),
    // Seeded property checks and PropertyBased generators; re-exports _TestOracles.
    .target(
      name: "_TestSupport",
      dependencies: [
        "_TestOracles", "Exact", "EMPCore",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
    .executableTarget(name: "prune-model", dependencies: ["EMPKit"], path: "Examples/PruneModel"),

    // MARK: - Fuzzers
    // libFuzzer targets, built by Fuzz/*.sh with `--sanitize fuzzer -Xswiftc -DEMPKIT_LIBFUZZER`;
    // a plain build makes each a program that replays the input files it is given.
    .target(name: "_FuzzSupport", path: "Fuzz/Shared"),
    .executableTarget(
      name: "fuzz-paper-statements", dependencies: ["_FuzzSupport", "_TestOracles", "Exact"],
      path: "Fuzz/PaperStatements", exclude: ["seeds"]),
    .executableTarget(
      name: "fuzz-fast-path", dependencies: ["_FuzzSupport", "_TestOracles", "EMPFast", "EMPCore", "Exact"],
      path: "Fuzz/FastPath", exclude: ["seeds"]),
    .executableTarget(
      name: "fuzz-scores-and-groups",
      dependencies: ["_FuzzSupport", "EMPModel", "EMPReference", "EMPCore", "Exact", "TensorIO"],
      path: "Fuzz/ScoresAndGroups", exclude: ["seeds"]),
    .executableTarget(
      name: "fuzz-tensorio-parsers", dependencies: ["_FuzzSupport", "TensorIO"], path: "Fuzz/TensorIOParsers",
      exclude: ["corpus"]),
    .executableTarget(
      name: "EMPBenchmarks",
      dependencies: ["Exact", "EMPCore", "EMPReference", "EMPFast", "EMPModel", "TensorIO"],
      path: "Benchmarks/EMPBenchmarks"),

    // MARK: - Tests
    .testTarget(
      name: "ExactTests",
      dependencies: [
        "Exact", "_TestSupport",
        .product(name: "BigInt", package: "BigInt"),
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
    .testTarget(
      name: "EMPCoreTests",
      dependencies: [
        "EMPCore", "Exact", "_TestSupport",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
    .testTarget(
      name: "EMPReferenceTests",
      dependencies: [
        "EMPReference", "_TestSupport",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
    .testTarget(
      name: "EMPFastTests",
      dependencies: [
        "EMPFast", "_TestSupport",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
    .testTarget(
      name: "TensorIOTests",
      dependencies: ["TensorIO"],
      exclude: ["Fixtures/make_fixtures.py"]),
    .testTarget(
      name: "PaperTests",
      dependencies: [
        "EMPReference", "EMPFast", "_TestSupport",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ]),
    .testTarget(
      name: "EMPVerifyTests",
      dependencies: ["EMPVerify", "EMPReference"]),
    .testTarget(name: "EMPKitTests", dependencies: ["EMPKit"]),
    .testTarget(
      name: "EMPToolTests",
      dependencies: ["emp", "EMPCore", "Exact", "EMPModel", "TensorIO", "_EMPPlot"]),
  ],
  swiftLanguageModes: [.v6]
)
