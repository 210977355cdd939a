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
            exclude: ["Output/extraction.schema.json"],
            resources: [.copy("../../Grammar")]
        ),
        .target(name: "OfstedCLI", dependencies: ["OfstedKit"]),
        .executableTarget(name: "ofsted", dependencies: ["OfstedCLI"]),
        // `swift run -c release ofsted-benchmark [--json]`: throughput, memory and CLI latency.
        .executableTarget(name: "ofsted-benchmark", dependencies: ["OfstedKit"]),
        .testTarget(name: "OfstedKitTests", dependencies: ["OfstedKit", "OfstedCLI"]),
    ]
)
