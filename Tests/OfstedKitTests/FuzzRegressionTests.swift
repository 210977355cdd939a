import Foundation
import OfstedKit
import XCTest

/// Replays every input the fuzzers found, and the hangs found by hand, with the checks of the
/// fuzz targets (`Tests/Fuzz/ExtractFuzz.swift`, `Tests/Fuzz/GrammarFuzz.swift`).
///
/// A finding goes into `Tests/Fuzz/Regressions/extract/` or `.../grammar/` as the file libFuzzer
/// wrote; `.ci/fuzz.sh` also seeds the fuzzers' corpora from these folders.
final class FuzzRegressionTests: XCTestCase {
    static let folder = Repository.root.appendingPathComponent("Tests/Fuzz/Regressions")

    static func fixtures(_ target: String) -> [URL] {
        let directory = folder.appendingPathComponent(target)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { directory.appendingPathComponent($0) }
    }

    /// The extract target's checks: JSON that reads back the same, one line when compact, line
    /// numbers inside the input.
    static func checkExtract(_ bytes: [UInt8], _ name: String) {
        let extractor = Repository.extractor
        let extraction = extractor.extract(bytes, fileName: "fuzz.txt")
        let json = extraction.json()
        XCTAssertEqual(json.first, UInt8(ascii: "{"), name)
        XCTAssertEqual(json.last, 0x0A, name)
        XCTAssertEqual(try? Extraction(json: json), extraction, "\(name): the JSON reads back")
        XCTAssertEqual(extraction.json(pretty: false).filter { $0 == 0x0A }.count, 1, name)
        let lines = max(1, bytes.count(where: { $0 == 0x0A || $0 == 0x0D }) + 1)
        for judgement in extraction.judgements { XCTAssertTrue((1...lines).contains(judgement.line), name) }
        for area in extraction.areasForImprovement {
            XCTAssertTrue(1 <= area.line && area.line <= area.endLine && area.endLine <= lines, name)
        }
        _ = extractor.tokenDump(bytes)
        _ = extractor.treeDump(bytes)
    }

    static let ruleFileNames = ["manifest", "grades", "services", "areas", "frameworks", "sections", "timescales",
                                "judgements", "counts", "facts", "layout", "authorities", "themes", "comparison"].map { $0 + ".rules" }

    /// The grammar target's checks: the first byte picks a rule file, the rest replaces it; the
    /// grammar loads (and extracts) or is rejected at a line of a rule file.
    static func checkGrammar(_ bytes: [UInt8], _ name: String) throws {
        guard let first = bytes.first else { return }
        var files: [String: String] = [:]
        for file in ruleFileNames {
            files[file] = try String(contentsOf: Repository.grammarDirectory.appendingPathComponent(file), encoding: .utf8)
        }
        let replaced = ruleFileNames[Int(first) % ruleFileNames.count]
        files[replaced] = String(decoding: bytes.dropFirst(), as: UTF8.self)
        do {
            let grammar = try Grammar.load(files: files, directory: "Grammar")
            let extraction = Extractor(grammar: grammar).extract(Array("Overall effectiveness\tGood\n".utf8), fileName: nil)
            XCTAssertEqual(extraction.json().last, 0x0A, name)
        } catch {
            XCTAssertTrue(error.file.hasPrefix("Grammar/") && error.file.hasSuffix(".rules"), "\(name): \(error)")
            if error.file == "Grammar/\(replaced)" {
                let count = files[replaced]!.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }).count
                XCTAssertLessThanOrEqual(error.line, max(1, count), "\(name): \(error)")
            }
        }
    }

    func testExtractFindings() throws {
        let fixtures = Self.fixtures("extract")
        XCTAssertFalse(fixtures.isEmpty, "the hangs found by hand are fixtures")
        for fixture in fixtures {
            let bytes = try Array(Data(contentsOf: fixture))
            let name = fixture.lastPathComponent
            _ = withWatchdog(seconds: 300, name) { Self.checkExtract(bytes, name) }
        }
    }

    func testGrammarFindings() throws {
        let fixtures = Self.fixtures("grammar")
        XCTAssertFalse(fixtures.isEmpty, "the grammar gaps found by hand are fixtures")
        for fixture in fixtures {
            let bytes = try Array(Data(contentsOf: fixture))
            try Self.checkGrammar(bytes, fixture.lastPathComponent)
        }
    }
}
