import Foundation
@testable import OfstedCLI
import OfstedKit
import XCTest

/// Whatever the input, `ofsted extract FILE` ends one of two ways, never with a crash or a hang:
/// exit 0 with contract JSON (diagnostics saying what was odd), or exit 1 with one line on
/// standard error naming the file. Large inputs are generated here, in a temporary folder.
final class BadInputTests: XCTestCase {
    enum Outcome {
        case json([String: Any])
        case error(String)

        var codes: [String] {
            if case .json(let object) = self { return diagnosticCodes(object) }
            return []
        }

        var message: String? {
            if case .error(let message) = self { return message }
            return nil
        }
    }

    nonisolated(unsafe) static let validator = try? SchemaValidator(schemaAt: Repository.schema)

    /// `ofsted extract PATH` in this process, checked to end in one of the two allowed ways.
    func extract(_ path: String, arguments: [String] = [], input: [UInt8] = [], seconds: Double = 120,
                 file: StaticString = #filePath, line: UInt = #line) -> Outcome? {
        guard let run = withWatchdog(seconds: seconds, "ofsted extract \(path)", file: file, line: line, {
            CLIRun.run(["extract", path] + arguments, input: input)
        }) else { return nil }
        return Self.check(run, path: path, file: file, line: line)
    }

    static func check(_ run: CLIRun, path: String, file: StaticString = #filePath, line: UInt = #line) -> Outcome? {
        switch run.status {
        case 0:
            XCTAssertEqual(run.error, "", "nothing on standard error when it succeeds", file: file, line: line)
            guard let object = jsonObject(run.output) else {
                XCTFail("\(path): exit 0 without a JSON object on standard output", file: file, line: line)
                return nil
            }
            XCTAssertEqual(run.output.last, 0x0A, "a trailing newline", file: file, line: line)
            XCTAssertEqual(validator?.validate(object) ?? ["no schema"], [], "\(path)", file: file, line: line)
            return .json(object)
        case 1:
            XCTAssertEqual(run.output, [], "nothing on standard output when it fails", file: file, line: line)
            let shown = path == "-" ? "standard input" : path
            XCTAssertTrue(run.error.hasPrefix("ofsted: error: \(shown): "), "the message names the file: \(run.error)", file: file, line: line)
            XCTAssertTrue(run.error.hasSuffix("\n") && run.error.dropLast().allSatisfy { $0 != "\n" },
                          "one line: \(run.error)", file: file, line: line)
            return .error(String(run.error.dropFirst("ofsted: error: \(shown): ".count).dropLast()))
        default:
            XCTFail("\(path): exit \(run.status); stderr: \(run.error)", file: file, line: line)
            return nil
        }
    }

    let scratch = ScratchFolder("bad-input")

    // MARK: Empty and odd text

    func testEmptyFileGivesJSONSayingItIsEmpty() {
        let outcome = extract(scratch.file("empty.txt", []))
        XCTAssertEqual(outcome?.codes.contains("document.empty"), true)
        if case .json(let object)? = outcome {
            XCTAssertEqual((object["source"] as? [String: Any])?["bytes"] as? Int, 0)
            XCTAssertEqual((object["judgements"] as? [Any])?.count, 0)
        }
    }

    func testWhitespaceOnlyGivesJSONSayingItIsEmpty() {
        let outcome = extract(scratch.file("blank.txt", "  \t\n\r\n   \n\u{0C}\n \u{A0}\n"))
        XCTAssertEqual(outcome?.codes.contains("document.empty"), true)
    }

    func testInvalidUTF8IsReadAsWindows1252WithANote() {
        let bytes: [UInt8] = Array("Areas for improvement\n\n- ensure caf".utf8) + [0xE9, 0x20, 0xFF, 0xC3] + Array(" plans\n".utf8)
        let outcome = extract(scratch.file("invalid.txt", bytes))
        XCTAssertEqual(outcome?.codes.contains("decode.windows-1252"), true)
        if case .json(let object)? = outcome {
            XCTAssertEqual((object["source"] as? [String: Any])?["encoding"] as? String, "windows-1252")
        }
    }

    /// The same report in UTF-16 (either byte order, with a BOM) gives the same extraction.
    func testUTF16WithBOMGivesTheSameExtractionAsUTF8() throws {
        let seed = try XCTUnwrap(Repository.corpusCases().first { $0.lastPathComponent.hasPrefix("002_") })
        let utf8 = try Array(Data(contentsOf: seed))
        let text = String(decoding: utf8, as: UTF8.self)
        let expected = Repository.extractor.extract(utf8, fileName: "seed.txt")
        XCTAssertFalse(expected.judgements.isEmpty, "the seed has judgements to compare")
        for littleEndian in [true, false] {
            var bytes: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
            for unit in text.utf16 {
                bytes += littleEndian ? [UInt8(unit & 0xFF), UInt8(unit >> 8)] : [UInt8(unit >> 8), UInt8(unit & 0xFF)]
            }
            let name = littleEndian ? "utf16le.txt" : "utf16be.txt"
            let outcome = extract(scratch.file(name, bytes))
            XCTAssertEqual(outcome?.codes.contains("decode.utf-16"), true)
            let actual = Repository.extractor.extract(bytes, fileName: name)
            XCTAssertEqual(actual.source.encoding, littleEndian ? "utf-16le" : "utf-16be")
            XCTAssertEqual(actual.judgements, expected.judgements, name)
            XCTAssertEqual(actual.areasForImprovement, expected.areasForImprovement, name)
            XCTAssertEqual(actual.document, expected.document, name)
        }
    }

    /// A report saved as Windows-1252 gives the same extraction as in UTF-8.
    func testWindows1252GivesTheSameExtractionAsUTF8() throws {
        // A council paper with 189 characters beyond ASCII (quotes, dashes), all in Windows-1252.
        let seed = try XCTUnwrap(Repository.corpusCases().first { $0.lastPathComponent.hasPrefix("004_") })
        let text = String(decoding: try Data(contentsOf: seed), as: UTF8.self)
        let cp1252 = try Array(XCTUnwrap(text.data(using: .windowsCP1252)))
        XCTAssertLessThan(cp1252.count, text.utf8.count, "the text has characters that 1252 encodes differently")
        let outcome = extract(scratch.file("cp1252.txt", cp1252))
        XCTAssertEqual(outcome?.codes.contains("decode.windows-1252"), true)
        let expected = Repository.extractor.extract(Array(text.utf8), fileName: "seed.txt")
        let actual = Repository.extractor.extract(cp1252, fileName: "cp1252.txt")
        XCTAssertEqual(actual.judgements, expected.judgements)
        XCTAssertEqual(actual.areasForImprovement, expected.areasForImprovement)
        XCTAssertEqual(actual.document, expected.document)
        XCTAssertTrue(actual.areasForImprovement.contains { $0.text.unicodeScalars.contains { $0.value > 0x7F } },
                      "areas whose text is beyond ASCII came through")
    }

    // MARK: Not text

    func testPDFIsRefusedWithAHint() {
        let bytes = Array("%PDF-1.7\n%\u{E2}\u{E3}\n1 0 obj << /Type /Catalog >> endobj\n".utf8) + [0, 0x9C, 0xFF]
        XCTAssertEqual(extract(scratch.file("report.txt", bytes))?.message,
                       "not a text document: a PDF file; convert it to text first (pdftotext)")
    }

    func testPNGIsRefused() {
        let bytes: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]
        XCTAssertEqual(extract(scratch.file("image.txt", bytes))?.message, "not a text document: a PNG image")
    }

    func testRandomBytesAreRefusedOrReadNeverCrash() {
        var generator = SplitMix(seed: 6)
        let random = (0..<100_000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        XCTAssertEqual(extract(scratch.file("random.bin", random))?.message, "not a text document: binary data (it contains NUL bytes)")
        // Without NULs: mostly control characters, or high bytes read as Windows-1252.
        let noNUL = random.map { $0 == 0 ? 1 : $0 }
        XCTAssertNotNil(extract(scratch.file("random-no-nul.bin", noNUL)))
        let high = random.map { $0 | 0x80 }
        XCTAssertEqual(extract(scratch.file("random-high.bin", high))?.codes.contains("decode.windows-1252"), true)
    }

    func testNULBytesAreRefused() {
        let bytes = Array("Overall effectiveness\u{0}\u{0}Good\n".utf8)
        XCTAssertEqual(extract(scratch.file("nul.txt", bytes))?.message, "not a text document: binary data (it contains NUL bytes)")
        // A NUL far into a text is kept as text and escaped in the JSON.
        let late = Array(String(repeating: "The council will review the plan.\n", count: 3000).utf8) + [0] + Array("end\n".utf8)
        XCTAssertNotNil(extract(scratch.file("late-nul.txt", late)))
    }

    // MARK: Not a readable file

    func testDirectoryIsRefusedWithAHint() {
        let folder = scratch.folder("report.txt")
        XCTAssertEqual(extract(folder)?.message, "is a directory; to extract the documents in a folder, add --out-dir DIR or --jsonl")
    }

    func testMissingFileIsRefused() {
        XCTAssertEqual(extract(scratch.path + "/missing.txt")?.message, "no such file")
        XCTAssertEqual(extract(scratch.file("plain.txt", "x") + "/under-a-file.txt")?.message, "no such file (a folder on its path is a file)")
    }

    func testUnreadableFileIsRefused() throws {
        // A socket cannot be opened for reading, even by root.
        let socketPath = scratch.path + "/socket.txt"
        let descriptor = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        defer { close(descriptor) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in socketPath.utf8.prefix(buffer.count - 1).enumerated() { buffer[index] = byte }
        }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        XCTAssertEqual(bound, 0, "bind \(socketPath)")
        XCTAssertEqual(extract(socketPath)?.message?.hasPrefix("cannot read: "), true)
        // A file without read permission (root reads it anyway, so only for other users).
        let locked = scratch.file("locked.txt", "Overall effectiveness: good\n")
        chmod(locked, 0o000)
        if geteuid() != 0 {
            XCTAssertEqual(extract(locked)?.message, "cannot read: permission denied")
        } else {
            XCTAssertNotNil(extract(locked), "root reads it")
        }
    }

    func testNamedPipeWithoutAWriterReadsAsEmptyInsteadOfWaiting() {
        let path = scratch.path + "/pipe.txt"
        XCTAssertEqual(mkfifo(path, 0o644), 0)
        XCTAssertEqual(extract(path, seconds: 30)?.codes.contains("document.empty"), true)
    }

    func testStandardInputAboveTheLimitIsRefused() {
        let input = [UInt8](repeating: 0x61, count: (1 << 20) + 10)
        XCTAssertEqual(extract("-", arguments: ["--max-size", "1"], input: input)?.message,
                       "too large (over 1 MB; the limit is 1 MB, see --max-size)")
        XCTAssertNotNil(extract("-", input: Array("Overall effectiveness: good\n".utf8)))
    }

    // MARK: Large and deep

    /// The large inputs of the issue, extracted at once (two cores) under one generous watchdog:
    /// each must end, with JSON or a clear refusal.
    func testLargeAndDeepInputsEndWithJSONOrARefusal() throws {
        // 100 MB of real text: refused from its size, without being read.
        let seed = try Array(Data(contentsOf: XCTUnwrap(Repository.corpusCases().first)))
        var hundredMB = Data(capacity: 100_000_000 + seed.count)
        while hundredMB.count < 100_000_000 { hundredMB.append(contentsOf: seed) }
        let hundred = scratch.path + "/hundred-mb.txt"
        XCTAssertTrue(FileManager.default.createFile(atPath: hundred, contents: hundredMB))
        hundredMB = Data()

        var cases: [(name: String, path: String, check: (Outcome) -> Void)] = []
        cases.append(("100 MB", hundred, { outcome in
            XCTAssertEqual(outcome.message?.hasPrefix("too large ("), true, "\(outcome)")
            XCTAssertEqual(outcome.message?.hasSuffix("; the limit is 16 MB, see --max-size)"), true)
        }))
        let words = "the local authority should ensure that children in care are visited "
        let longLine = String(repeating: words, count: 10_000_000 / words.utf8.count)
        cases.append(("10 MB single line", scratch.file("single-line.txt", longLine), { outcome in
            guard case .json(let object) = outcome else { return XCTFail("10 MB line: \(outcome)") }
            XCTAssertEqual((object["source"] as? [String: Any])?["bytes"] as? Int, longLine.utf8.count)
        }))
        let dashes = String(repeating: "- ", count: 100_000) + "item\n"
        cases.append(("100,000 nested bullets on one line", scratch.file("dashes.txt", dashes), { outcome in
            guard case .json(let object) = outcome else { return XCTFail("nested bullets: \(outcome)") }
            XCTAssertEqual((object["source"] as? [String: Any])?["bytes"] as? Int, dashes.utf8.count)
        }))
        // Indentation one level deeper per line, 200 levels, 500 times over: 100,000 lines (12 MB).
        var staircase = "Areas for improvement\n\n"
        for index in 0..<100_000 { staircase += String(repeating: " ", count: index % 200) + "- item \(index)\n" }
        cases.append(("100,000 lines of nested bullets", scratch.file("staircase.txt", staircase), { outcome in
            XCTAssertEqual(outcome.codes.contains("tree.depth-limit"), true, "\(outcome)")
        }))
        cases.append(("a million blank lines", scratch.file("blank-lines.txt", String(repeating: "\n", count: 1_000_000)), { outcome in
            XCTAssertEqual(outcome.codes.contains("document.empty"), true, "\(outcome)")
        }))
        cases.append(("2.5 million lines", scratch.file("many-lines.txt", String(repeating: "\n", count: 2_500_000)), { outcome in
            XCTAssertEqual(outcome.message, "too many lines (2500000; the limit is 2000000)")
        }))

        let paths = cases.map(\.path)
        let outcomes = withWatchdog(seconds: 1200, "the large inputs") {
            final class Runs: @unchecked Sendable {
                var runs: [CLIRun?]
                let lock = NSLock()
                init(_ count: Int) { runs = Array(repeating: nil, count: count) }
            }
            let results = Runs(paths.count)
            DispatchQueue.concurrentPerform(iterations: paths.count) { index in
                let run = CLIRun.run(["extract", paths[index]])
                results.lock.lock()
                results.runs[index] = run
                results.lock.unlock()
            }
            return results.runs
        }
        guard let outcomes else { return }
        for (index, run) in outcomes.enumerated() {
            guard let run, let outcome = Self.check(run, path: cases[index].path) else {
                XCTFail("\(cases[index].name): no outcome")
                continue
            }
            cases[index].check(outcome)
        }
    }
}
