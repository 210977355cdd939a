import Foundation
import OfstedCLI
import XCTest

/// The 481 reports of `../shared/corpus/reports` and every kind of bad file in one batch: every
/// report extracted, every bad file reported with its reason, exit status 1.
final class CorpusBatchTests: XCTestCase {
    enum Expect {
        case json
        case failure(String)
    }

    /// One file (or folder, or missing path) of each bad kind, with what the batch must say of it.
    static func badFiles(in scratch: ScratchFolder) throws -> [(path: String, expect: Expect)] {
        var files: [(String, Expect)] = []
        var generator = SplitMix(seed: 481)
        let random = (0..<65_536).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        files.append((scratch.file("bad/empty.txt", []), .json))
        files.append((scratch.file("bad/whitespace.txt", " \n\t\n\r\n  "), .json))
        files.append((scratch.file("bad/pdf.txt", Array("%PDF-1.6\n".utf8) + random.prefix(500)), .failure("not a text document: a PDF file")))
        files.append((scratch.file("bad/png.txt", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A] + random.prefix(500)), .failure("not a text document: a PNG image")))
        files.append((scratch.file("bad/random.bin", random), .failure("not a text document: binary data")))
        files.append((scratch.file("bad/nul.txt", Array("Overall\u{0}effectiveness\n".utf8)), .failure("not a text document: binary data (it contains NUL bytes)")))
        files.append((scratch.file("bad/invalid-utf8.txt", [0x41, 0xFF, 0xFE, 0x0A, 0xC3, 0x28, 0x0A]), .json))
        files.append((scratch.file("bad/utf16.txt", [0xFF, 0xFE] + Array("Overall effectiveness: Good\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })), .json))
        files.append((scratch.file("bad/cp1252.txt", Array("Caf".utf8) + [0xE9, 0x20, 0x96, 0x20, 0x93, 0x71, 0x94, 0x0A]), .json))
        var hundredMB = Data(capacity: 100_000_000)
        let line = Data("The council should review the plan for children in care and report on it.\n".utf8)
        while hundredMB.count < 100_000_000 { hundredMB.append(line) }
        let hundred = scratch.path + "/bad/hundred-mb.txt"
        FileManager.default.createFile(atPath: hundred, contents: hundredMB)
        files.append((hundred, .failure("too large (")))
        let words = "the local authority should ensure that children in care are visited "
        files.append((scratch.file("bad/single-line.txt", String(repeating: words, count: 10_000_000 / words.utf8.count)), .json))
        files.append((scratch.file("bad/dashes.txt", String(repeating: "- ", count: 100_000) + "item\n"), .json))
        var staircase = "Areas for improvement\n\n"
        for index in 0..<100_000 { staircase += String(repeating: " ", count: index % 200) + "- item \(index)\n" }
        files.append((scratch.file("bad/staircase.txt", staircase), .json))
        files.append((scratch.file("bad/blank-lines.txt", String(repeating: "\n", count: 1_000_000)), .json))
        files.append((scratch.file("bad/many-lines.txt", String(repeating: "\n", count: 2_500_000)), .failure("too many lines")))
        files.append((scratch.folder("bad/a-folder.txt"), .failure("no documents in this folder")))
        files.append((scratch.path + "/bad/missing.txt", .failure("no such file")))
        let socketPath = scratch.path + "/bad/socket.txt"
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in socketPath.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        close(descriptor)
        files.append((socketPath, .failure("cannot read: ")))
        return files
    }

    func testReportsAndBadFilesInOneBatch() throws {
        let reports = Repository.shared.appendingPathComponent("corpus/reports")
        guard FileManager.default.fileExists(atPath: reports.path) else { throw XCTSkip("../shared is not beside the checkout") }
        let reportNames = try FileManager.default.contentsOfDirectory(atPath: reports.path).filter { $0.hasSuffix(".txt") }.sorted()
        XCTAssertGreaterThanOrEqual(reportNames.count, 481)
        let scratch = ScratchFolder("corpus-batch")
        let bad = try Self.badFiles(in: scratch)
        let out = scratch.path + "/out"

        let arguments = ["extract", "--out-dir", out, reports.path] + bad.map(\.path)
        guard let run = withWatchdog(seconds: 3600, "the corpus batch", { CLIRun.run(arguments) }) else { return }

        XCTAssertEqual(run.status, 1, "bad files make the batch fail")
        let failures = run.error.split(separator: "\n").filter { $0.hasPrefix("  failed: ") }.map { String($0.dropFirst(10)) }
        // Every report extracted to a complete JSON file.
        for name in reportNames {
            let data = try Data(contentsOf: URL(fileURLWithPath: out + "/" + name.dropLast(4) + ".json"))
            let object = try XCTUnwrap(jsonObject(Array(data)), name)
            XCTAssertEqual((object["source"] as? [String: Any])?["file"] as? String, name)
            XCTAssertNotNil(object["judgements"] as? [Any], name)
            XCTAssertFalse(failures.contains { $0.hasPrefix(reports.path + "/" + name + ":") }, name)
        }
        // Every bad file reported, or extracted with diagnostics.
        var expectedFailures = 0
        for (path, expect) in bad {
            let reported = failures.filter { $0.hasPrefix(path + ": ") }
            switch expect {
            case .json:
                XCTAssertEqual(reported, [], path)
                let name = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent + ".json"
                XCTAssertNotNil(jsonObject(Array((try? Data(contentsOf: URL(fileURLWithPath: out + "/" + name))) ?? Data())), path)
            case .failure(let reason):
                expectedFailures += 1
                XCTAssertEqual(reported.count, 1, "\(path) is reported once: \(run.error)")
                XCTAssertTrue(reported.first?.dropFirst(path.count + 2).hasPrefix(reason) == true, "\(path): \(reported)")
            }
        }
        XCTAssertEqual(failures.count, expectedFailures, run.error)
        let summary = try XCTUnwrap(run.error.split(separator: "\n").first { $0.hasPrefix("ofsted: ") })
        XCTAssertTrue(summary.hasSuffix(", \(expectedFailures) failed"), String(summary))
        XCTAssertTrue(summary.hasPrefix("ofsted: \(reportNames.count + bad.count) documents in "), String(summary))
        XCTAssertEqual(scratch.names(in: "out").filter { $0.hasPrefix(".") }, [], "no temporary file left")
    }
}
