import Foundation
import OfstedKit
import XCTest

/// Each `Corpus/**/NAME.txt` is extracted and compared with `NAME.expected.json`.
///
/// `RECORD=1 swift test --filter CorpusGoldenTests` rewrites the expected files and then fails,
/// so that nothing is recorded without a look at the diff. The `parser.grammar` digest changes
/// with every grammar edit and is not compared.
final class CorpusGoldenTests: XCTestCase {
    func testEveryCorpusCaseMatchesItsExpectedJSON() throws {
        let cases = Repository.corpusCases()
        XCTAssertGreaterThanOrEqual(cases.count, 5, "the corpus holds at least the five seeds")
        var recorded: [String] = []
        for input in cases {
            let expectedURL = input.deletingPathExtension().appendingPathExtension("expected.json")
            let bytes = try Array(Data(contentsOf: input))
            let actual = Self.comparable(Repository.extractor.extract(bytes, fileName: input.lastPathComponent).json())
            if Repository.recording {
                try Data(Repository.extractor.extract(bytes, fileName: input.lastPathComponent).json()).write(to: expectedURL)
                recorded.append(input.lastPathComponent)
                continue
            }
            guard let expectedData = FileManager.default.contents(atPath: expectedURL.path) else {
                XCTFail("\(input.lastPathComponent): no \(expectedURL.lastPathComponent); record it with RECORD=1 swift test")
                continue
            }
            let expected = Self.comparable(Array(expectedData))
            if actual != expected {
                XCTFail("\(input.lastPathComponent) differs from \(expectedURL.lastPathComponent):\n\(Self.firstDifference(expected, actual))")
            }
        }
        if !recorded.isEmpty {
            XCTFail("recorded \(recorded.count) expected file(s); review the diff and run again without RECORD")
        }
    }

    /// The JSON text with the grammar digest blanked.
    static func comparable(_ bytes: [UInt8]) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        return text.replacingOccurrences(of: #""grammar": "[^"]*""#, with: #""grammar": "…""#, options: .regularExpression)
    }

    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(e.count, a.count) {
            let left = index < e.count ? String(e[index]) : "<end>"
            let right = index < a.count ? String(a[index]) : "<end>"
            if left != right { return "line \(index + 1):\n  expected: \(left)\n  actual:   \(right)" }
        }
        return "(no line differs)"
    }

    /// Every expected file, and a fresh extraction of every case, follows the JSON Schema.
    func testCorpusOutputFollowsTheSchema() throws {
        let validator = try SchemaValidator(schemaAt: Repository.schema)
        for input in Repository.corpusCases() {
            let bytes = try Array(Data(contentsOf: input))
            let fresh = try JSONSerialization.jsonObject(with: Data(Repository.extractor.extract(bytes, fileName: input.lastPathComponent).json()))
            XCTAssertEqual(validator.validate(fresh), [], "\(input.lastPathComponent)")
            let expectedURL = input.deletingPathExtension().appendingPathExtension("expected.json")
            if let data = FileManager.default.contents(atPath: expectedURL.path) {
                XCTAssertEqual(validator.validate(try JSONSerialization.jsonObject(with: data)), [], expectedURL.lastPathComponent)
            }
        }
    }

    /// The seeds' expected outputs agree with the hand-checked gold in ../shared, where it is present.
    func testSeedExpectationsAgreeWithGold() throws {
        let gold = Repository.shared.appendingPathComponent("corpus/seeds-gold")
        guard FileManager.default.fileExists(atPath: gold.path) else { throw XCTSkip("../shared is not beside the checkout") }
        for input in Repository.corpusCases() where input.path.contains("/seeds/") {
            let goldURL = gold.appendingPathComponent(input.deletingPathExtension().lastPathComponent + ".json")
            guard let goldObject = try JSONSerialization.jsonObject(with: Data(contentsOf: goldURL)) as? [String: Any] else { continue }
            let extraction = Repository.extractor.extract(try Array(Data(contentsOf: input)), fileName: input.lastPathComponent)
            let name = input.lastPathComponent
            XCTAssertEqual(extraction.document.localAuthority, goldObject["localAuthority"] as? String, name)
            XCTAssertEqual(extraction.document.kind.rawValue, goldObject["documentKind"] as? String, name)
            let inspection = goldObject["inspection"] as? [String: Any] ?? [:]
            if let start = inspection["start"] as? String { XCTAssertEqual(extraction.document.inspection?.start, start, name) }
            if let end = inspection["end"] as? String { XCTAssertEqual(extraction.document.inspection?.end, end, name) }
            let goldJudgements = Set((goldObject["judgements"] as? [[String: Any]] ?? []).map {
                "\($0["service"] ?? "")/\($0["area"] ?? "")=\($0["grade"] ?? "")"
            })
            let judgements = Set(extraction.judgements.map { j in
                goldJudgements.contains("unspecified/\(j.area)=\(j.grade)") ? "unspecified/\(j.area)=\(j.grade)" : "\(j.service)/\(j.area)=\(j.grade)"
            })
            XCTAssertEqual(judgements, goldJudgements, name)
            let goldAreas = goldObject["areasForImprovement"] as? [[String: Any]] ?? []
            XCTAssertEqual(extraction.areasForImprovement.count, goldAreas.count, name)
            for (area, goldArea) in zip(extraction.areasForImprovement, goldAreas) {
                if (goldArea["service"] as? String) != "unspecified" { XCTAssertEqual(area.service, goldArea["service"] as? String, name) }
                XCTAssertEqual(area.timescale, goldArea["timescale"] as? String, name)
                XCTAssertEqual(Self.fold(area.text), Self.fold(goldArea["text"] as? String ?? ""), name)
            }
        }
    }

    /// Text compared as the scorer does: quotes, dashes, spacing and a trailing full stop folded.
    static func fold(_ text: String) -> String {
        var folded = text.lowercased()
        for (from, to) in [("\u{2019}", "'"), ("\u{2018}", "'"), ("\u{201C}", "\""), ("\u{201D}", "\""), ("\u{2013}", "-"), ("\u{2014}", "-")] {
            folded = folded.replacingOccurrences(of: from, with: to)
        }
        folded = folded.split(separator: " ").joined(separator: " ")
        while let last = folded.last, ".;, ".contains(last) { folded.removeLast() }
        return folded
    }
}
