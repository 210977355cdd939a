import Foundation
@testable import OfstedCLI
@testable import OfstedKit
import XCTest

/// Every output format of `ofsted compare` and `ofsted diff`, compared with
/// `Tests/Goldens/comparison/CASE.EXT`. The documents are read as the CLI reads them, once per
/// case; `testTheCLIWritesWhatTheGoldensHold` checks that the CLI prints the same.
///
/// `RECORD=1 swift test --filter ComparisonGoldenTests` rewrites the goldens and then fails, so
/// that nothing is recorded without a look at the diff.
final class ComparisonGoldenTests: XCTestCase {
    struct Case {
        let name: String
        let arguments: [String]
        let status: Int32
    }

    static let cases = [
        Case(name: "compare-lancashire-southwark",
             arguments: ["compare", ComparisonFixtures.lancashireReport, ComparisonFixtures.southwarkPaper], status: 0),
        Case(name: "compare-hostile",
             arguments: ["compare", ComparisonFixtures.lancashireReport, ComparisonFixtures.hostile], status: 0),
        Case(name: "diff-lancashire-report-update",
             arguments: ["diff", ComparisonFixtures.lancashireReport, ComparisonFixtures.lancashireUpdate], status: 1),
        Case(name: "diff-testshire-inspections",
             arguments: ["diff", ComparisonFixtures.sif2016, ComparisonFixtures.ilacs2021], status: 1),
    ]

    static let extensions: [ComparisonFormat: String] = [.text: "txt", .markdown: "md", .json: "json", .csv: "csv", .html: "html"]

    /// The case rendered in every format, and whether it finds differences (diff) .
    static func render(_ testCase: Case) throws -> (outputs: [ComparisonFormat: String], differences: Bool) {
        let paths = Array(testCase.arguments.dropFirst())
        let documents = try ComparisonInputs.load(paths, grammar: Repository.grammar, io: ComparisonCLIIO(terminal: false, environment: [:]))
        var outputs: [ComparisonFormat: String] = [:]
        if testCase.arguments[0] == "diff" {
            let diff = DocumentDiff(old: documents[0], new: documents[1], grammar: Repository.grammar)
            for format in ComparisonFormat.allCases { outputs[format] = diff.render(format) }
            return (outputs, diff.hasDifferences)
        }
        let comparison = Comparison(documents, grammar: Repository.grammar)
        for format in ComparisonFormat.allCases { outputs[format] = comparison.render(format) }
        return (outputs, false)
    }

    func testEveryFormatMatchesItsGolden() throws {
        var recorded: [String] = []
        for testCase in Self.cases {
            let (outputs, differences) = try Self.render(testCase)
            XCTAssertEqual(differences ? 1 : 0, testCase.status, testCase.name)
            for format in ComparisonFormat.allCases {
                let output = outputs[format]!
                let name = "\(testCase.name).\(Self.extensions[format]!)"
                let url = ComparisonFixtures.goldens.appendingPathComponent(name)
                if Repository.recording {
                    try FileManager.default.createDirectory(at: ComparisonFixtures.goldens, withIntermediateDirectories: true)
                    try Data(output.utf8).write(to: url)
                    recorded.append(name)
                    continue
                }
                guard let data = FileManager.default.contents(atPath: url.path) else {
                    XCTFail("\(name): no golden; record it with RECORD=1 swift test --filter ComparisonGoldenTests")
                    continue
                }
                let expected = String(decoding: data, as: UTF8.self)
                if output != expected {
                    XCTFail("\(name) differs from its golden:\n\(CorpusGoldenTests.firstDifference(expected, output))")
                }
            }
        }
        if !recorded.isEmpty {
            XCTFail("recorded \(recorded.count) golden file(s); review the diff and run again without RECORD")
        }
    }

    /// The CLI prints exactly the golden and exits with the case's status.
    func testTheCLIWritesWhatTheGoldensHold() throws {
        for (testCase, format) in [(Self.cases[2], ComparisonFormat.text), (Self.cases[3], .csv), (Self.cases[1], .html)] {
            let result = ComparisonFixtures.run(testCase.arguments + ["--format", format.rawValue])
            let golden = ComparisonFixtures.goldens.appendingPathComponent("\(testCase.name).\(Self.extensions[format]!)")
            XCTAssertEqual(result.status, testCase.status, testCase.name)
            XCTAssertEqual(result.error, "")
            XCTAssertEqual(result.output, String(decoding: try Data(contentsOf: golden), as: UTF8.self), testCase.name)
        }
    }

    /// The JSON goldens are JSON, with the contract's ids.
    func testTheJSONIsWellFormedWithContractIDs() throws {
        for testCase in Self.cases {
            let url = ComparisonFixtures.goldens.appendingPathComponent("\(testCase.name).json")
            let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any], testCase.name)
            XCTAssertEqual(object["formatVersion"] as? String, "1")
            XCTAssertEqual(object["format"] as? String, testCase.arguments[0] == "diff" ? "ofsted-diff" : "ofsted-compare")
            let grades = Set(Repository.grammar.grades.map(\.id))
            let rows = object["grid"] as? [[String: Any]] ?? []
            XCTAssertFalse(rows.isEmpty, testCase.name)
            for row in rows {
                XCTAssertNotNil(Repository.grammar.area(row["area"] as? String ?? ""), "\(testCase.name): area id \(row["area"] ?? "nil")")
                XCTAssertNotNil(Repository.grammar.service(row["service"] as? String ?? ""))
                for cell in row["cells"] as? [[String: Any]] ?? [] {
                    if let grade = cell["grade"] as? String { XCTAssertTrue(grades.contains(grade), grade) }
                }
            }
        }
    }

    /// The HTML escapes every text: no element comes from a report.
    func testTheHTMLEscapesReportText() throws {
        let html = String(decoding: try Data(contentsOf: ComparisonFixtures.goldens.appendingPathComponent("compare-hostile.html")), as: UTF8.self)
        XCTAssertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; ensure that the views"))
        XCTAssertTrue(html.contains("&lt;img src=x onerror="))
        XCTAssertFalse(html.contains("<script"))
        XCTAssertFalse(html.contains("<img"))
        XCTAssertFalse(html.contains("src=\"http"), "no external assets")
        XCTAssertFalse(html.contains("href="), "no links out")
        XCTAssertTrue(html.contains("Content-Security-Policy"))
    }
}
