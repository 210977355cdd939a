// swift-tools-version:6.0
import PackageDescription

// ofsted reads Ofsted inspection reports on councils' children's services, and the council papers
// that answer them, and writes their judgements and areas for improvement as JSON.
//
// OfstedKit holds every mechanism (bytes → text → tokens → tree → extraction → JSON → comparison);
// OfstedCLI turns arguments into calls on it; `ofsted` is the thin executable; the benchmark lives
// beside them. No third-party packages: Foundation, the standard library and XCTest only.
let package = Package(
    name: "ofsted",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "OfstedKit", targets: ["OfstedKit"]),
        .executable(name: "ofsted", targets: ["ofsted"]),
    ],
    targets: [
        .target(
            name: "OfstedKit",
            dependencies: ["OfstedSHA256"],
            exclude: ["Output/extraction.schema.json"],
            resources: [.copy("../../Grammar")]
        ),
        // SHA-256's compression on the x86 SHA extensions, for `source.sha256`. OfstedKit calls it only
        // after CPUID reports SHA and SSSE3, and hashes in portable Swift otherwise. The intrinsics compile
        // only with those target features, so this module alone gets them (and stays tiny, since LLVM may
        // use SSSE3 anywhere in it). They go to clang's cc1 because the driver's `-msha -mssse3` are errors
        // for arm64 targets, where cc1 only warns that it ignores them; there the code, all under
        // `#if arch(x86_64)`, is empty. With unsafeFlags, SwiftPM will not take this package as a
        // versioned dependency of another.
        .target(
            name: "OfstedSHA256",
            swiftSettings: [.unsafeFlags(["-Xcc", "-Xclang", "-Xcc", "-target-feature", "-Xcc", "-Xclang", "-Xcc", "+sha",
                                          "-Xcc", "-Xclang", "-Xcc", "-target-feature", "-Xcc", "-Xclang", "-Xcc", "+ssse3"])]
        ),
        .target(name: "OfstedCLI", dependencies: ["OfstedKit"]),
        .executableTarget(name: "ofsted", dependencies: ["OfstedCLI"]),
        // `swift run -c release ofsted-benchmark [--json]`: throughput, memory and CLI latency.
        .executableTarget(name: "ofsted-benchmark", dependencies: ["OfstedKit"]),
        .testTarget(name: "OfstedKitTests", dependencies: ["OfstedKit", "OfstedCLI"]),
    ]
)
