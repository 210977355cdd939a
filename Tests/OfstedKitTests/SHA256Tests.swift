import Foundation
@testable import OfstedKit
import XCTest

/// SHA-256 on both engines — the x86 SHA extensions where the CPU has them, and portable Swift —
/// against known answers (computed with Python's hashlib) and against each other. The short known
/// answers are in JSONOutputTests.
final class SHA256Tests: XCTestCase {
    /// The engines this machine can run: portable always, the SHA extensions where CPUID has them.
    private var engines: [SHA256.Engine] {
        SHA256.Engine.best == .shaExtensions ? [.portable, .shaExtensions] : [.portable]
    }

    /// Deterministic bytes that are not a repeating pattern of a block.
    private func message(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 2654435761) >> 13) }
    }

    /// Every length from 0 to 130 bytes crosses the padding's edges (55/56, 63/64, 119/120 bytes)
    /// and one, two and three blocks; the known answer is the digest of all 131 digests in hex.
    func testEveryLengthUpToThreeBlocks() {
        let bytes = message(131)
        for engine in engines {
            var digests = ""
            for n in 0...130 {
                let digest = SHA256.hex(bytes[0..<n], engine: engine)
                digests += digest
                XCTAssertEqual(digest, SHA256.hex(Array(bytes[0..<n]), engine: .portable), "\(engine), \(n) bytes")
            }
            XCTAssertEqual(SHA256.hex(Array(digests.utf8), engine: engine),
                           "117f25a12154848af0dab6a5fe8566877bf0b4b3f8453ed184c81f1a88bc3dbf", "\(engine)")
        }
    }

    func testMegabytes() {
        let bytes = message(3 * 1024 * 1024 + 17)
        for engine in engines {
            XCTAssertEqual(SHA256.hex(bytes, engine: engine),
                           "0ee7f7e0f66f14b38886a4a318c7073a85256a220d29339606f53f94849afbb6", "\(engine)")
            // A slice starting off any block or word boundary is hashed in place.
            XCTAssertEqual(SHA256.hex(bytes[1000..<201_003], engine: engine),
                           "244ef783c3279ce6b895cc43cf16cfa7272eb274176dbf19ba240e320ae1eac6", "\(engine)")
        }
    }

    /// NIST's long message: one million "a". `repeatElement` has no contiguous storage, so this also
    /// takes the path that copies a collection first.
    func testMillionA() {
        for engine in engines {
            XCTAssertEqual(SHA256.hex(repeatElement(UInt8(ascii: "a"), count: 1_000_000), engine: engine),
                           "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "\(engine)")
        }
    }

    /// The CPUID check agrees with the kernel's view of the CPU, so a machine with the SHA
    /// extensions (CI's included) really uses them.
    func testEngineMatchesTheCPU() throws {
        #if os(Linux) && arch(x86_64)
        let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        guard let flags = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else {
            throw XCTSkip("no flags line in /proc/cpuinfo")
        }
        let names = Set(flags.split(separator: " "))
        let expected: SHA256.Engine = names.contains("sha_ni") && names.contains("ssse3") ? .shaExtensions : .portable
        XCTAssertEqual(SHA256.Engine.best, expected)
        #elseif arch(x86_64)
        throw XCTSkip("checked against /proc/cpuinfo on Linux only")
        #else
        XCTAssertEqual(SHA256.Engine.best, .portable)
        #endif
    }
}
