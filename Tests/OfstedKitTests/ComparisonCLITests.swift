import Foundation
@testable import OfstedCLI
@testable import OfstedKit
import XCTest

/// `ofsted compare` and `ofsted diff` as a user runs them: inputs, exit statuses, colour, CSV safety.
final class ComparisonCLITests: XCTestCase {
    private var temporary: URL!

    override func setUpWithError() throws {
        temporary = FileManager.default.temporaryDirectory.appendingPathComponent("ofsted-compare-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: temporary, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: temporary)
    }

    private func file(_ name: String, _ bytes: [UInt8]) throws -> String {
        let url = temporary.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }

    func testCompareWithNoDocumentsComparesTheBundledSeeds() {
        let result = ComparisonFixtures.run(["compare"])
        XCTAssertEqual(result.status, 0, result.error)
        XCTAssertTrue(result.output.hasPrefix("Comparison of 5 documents"))
        for label in ["Lancashire 2012-01-23 (council paper)", "Wirral 2011-01-24", "Lancashire 2012-01-23 (Ofsted report)",
                      "Southwark 2012-05-21", "Warwickshire"] {
            XCTAssertTrue(result.output.contains(label), label)
        }
    }

    func testAFolderCountsEachDocumentOnceAndPrefersTheText() throws {
        let paths = try ComparisonInputs.expand([ComparisonFixtures.seeds.path])
        XCTAssertEqual(paths.map { URL(fileURLWithPath: $0).lastPathComponent },
                       ["000_2969fd53b7c8bbdd.txt", "001_0695a46287a11b32.txt", "002_6ba9ae1270c0c472.txt",
                        "003_86d55a5206a26a5c.txt", "004_b8d8d64fd04e079a.txt"])
    }

    func testExtractionJSONAndTextGiveTheSameGrid() throws {
        let json = ComparisonFixtures.seeds.appendingPathComponent("002_6ba9ae1270c0c472.expected.json").path
        let fromText = ComparisonFixtures.run(["compare", ComparisonFixtures.lancashireReport, ComparisonFixtures.southwarkPaper, "--format", "csv"])
        let fromJSON = ComparisonFixtures.run(["compare", json, ComparisonFixtures.southwarkPaper, "--format", "csv"])
        XCTAssertEqual(fromJSON.status, 0, fromJSON.error)
        XCTAssertEqual(fromText.output.replacingOccurrences(of: "002_6ba9ae1270c0c472.txt", with: "FILE"),
                       fromJSON.output.replacingOccurrences(of: "002_6ba9ae1270c0c472.expected.json", with: "FILE"))
    }

    func testCompareUsageErrorsExit64AndFailuresExit1() throws {
        let one = ComparisonFixtures.run(["compare", ComparisonFixtures.lancashireReport])
        XCTAssertEqual(one.status, 64)
        XCTAssertTrue(one.error.contains("compare needs two or more documents"))
        XCTAssertTrue(one.error.contains("Usage: ofsted compare"))
        XCTAssertEqual(ComparisonFixtures.run(["compare", "--format", "pdf"]).status, 64)
        XCTAssertTrue(ComparisonFixtures.run(["compare", "--format", "pdf"]).error.contains("formats are text, markdown, json, csv, html"))
        XCTAssertEqual(ComparisonFixtures.run(["compare", "--threshold", "1.5"]).status, 64)
        XCTAssertEqual(ComparisonFixtures.run(["compare", "--threshold", "half"]).status, 64)
        XCTAssertEqual(ComparisonFixtures.run(["compare", "--colour"]).status, 64)

        let missing = ComparisonFixtures.run(["compare", ComparisonFixtures.lancashireReport, "/no/such/report.txt"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.error, "ofsted: error: /no/such/report.txt: no such file or folder\n")
        let pdf = try file("report.pdf", Array("%PDF-1.4\n".utf8) + [0, 0, 0xFF, 0x00, 0x01, 0x02] + Array(repeating: 0, count: 64))
        let notText = ComparisonFixtures.run(["compare", pdf, ComparisonFixtures.lancashireReport])
        XCTAssertEqual(notText.status, 1)
        XCTAssertTrue(notText.error.contains("report.pdf: not a text document"), notText.error)
        let broken = try file("broken.json", Array("{\"schemaVersion\": \"1\", \"document\": 3}".utf8))
        let badJSON = ComparisonFixtures.run(["compare", broken, ComparisonFixtures.lancashireReport])
        XCTAssertEqual(badJSON.status, 1)
        XCTAssertTrue(badJSON.error.contains("broken.json: not extraction JSON"), badJSON.error)
        let empty = temporary.appendingPathComponent("empty").path
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
        XCTAssertTrue(ComparisonFixtures.run(["compare", empty, ComparisonFixtures.lancashireReport]).error.contains("no .txt or .json documents"))
    }

    func testDiffExitsZeroOneOrTwoLikeDiff() {
        XCTAssertEqual(ComparisonFixtures.run(["diff", ComparisonFixtures.sif2016, ComparisonFixtures.sif2016]).status, 0)
        XCTAssertEqual(ComparisonFixtures.run(["diff", ComparisonFixtures.sif2016, ComparisonFixtures.ilacs2021]).status, 1)
        let usage = ComparisonFixtures.run(["diff", ComparisonFixtures.lancashireReport])
        XCTAssertEqual(usage.status, 2)
        XCTAssertTrue(usage.error.contains("Usage: ofsted diff OLD NEW"))
        XCTAssertEqual(ComparisonFixtures.run(["diff", ComparisonFixtures.sif2016, "/no/such/file.txt"]).status, 2)
        XCTAssertEqual(ComparisonFixtures.run(["diff", "--format", "xml", "a", "b"]).status, 2)
        XCTAssertEqual(ComparisonFixtures.run(["diff", "--help"]).status, 0)
    }

    func testColourOnlyOnATerminalAndNeverWithNoColour() {
        let arguments = ["compare", ComparisonFixtures.sif2016, ComparisonFixtures.ilacs2021]
        XCTAssertTrue(ComparisonFixtures.run(arguments, terminal: true).output.contains("\u{1B}[32mGood\u{1B}[0m"))
        XCTAssertFalse(ComparisonFixtures.run(arguments, terminal: true, environment: ["NO_COLOR": "1"]).output.contains("\u{1B}["))
        XCTAssertFalse(ComparisonFixtures.run(arguments, terminal: true, environment: ["NO_COLOR": ""]).output.contains("\u{1B}["))
        XCTAssertFalse(ComparisonFixtures.run(arguments, terminal: false).output.contains("\u{1B}["))
        XCTAssertFalse(ComparisonFixtures.run(arguments + ["--format", "markdown"], terminal: true).output.contains("\u{1B}["))
    }

    func testOutputGoesToAFileButNeverOverAnInput() throws {
        let output = temporary.appendingPathComponent("page.html").path
        let written = ComparisonFixtures.run(["compare", ComparisonFixtures.sif2016, ComparisonFixtures.ilacs2021,
                                              "--format", "html", "-o", output])
        XCTAssertEqual(written.status, 0, written.error)
        XCTAssertEqual(written.output, "")
        XCTAssertTrue(try String(contentsOfFile: output, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        let copy = try file("copy.json", Array(try Data(contentsOf: URL(fileURLWithPath: ComparisonFixtures.ilacs2021))))
        let clobber = ComparisonFixtures.run(["compare", ComparisonFixtures.sif2016, copy, "-o", copy])
        XCTAssertEqual(clobber.status, 1)
        XCTAssertTrue(clobber.error.contains("would overwrite the input"))
    }
}

/// CSV cells a spreadsheet would run as formulas are made inert.
final class ComparisonCSVTests: XCTestCase {
    func testACellStartingWithAFormulaCharacterIsPrefixedWithAQuote() {
        XCTAssertEqual(CSV.field("=1+2"), "'=1+2")
        XCTAssertEqual(CSV.field("+SUM(A1:A3)"), "'+SUM(A1:A3)")
        XCTAssertEqual(CSV.field("-2+3"), "'-2+3")
        XCTAssertEqual(CSV.field("@cmd"), "'@cmd")
        XCTAssertEqual(CSV.field("\t=1"), "'\t=1")
        XCTAssertEqual(CSV.field("\r=1"), "\"'\r=1\"")
        XCTAssertEqual(CSV.field("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"")
        XCTAssertEqual(CSV.field("-2"), "-2", "a plain number is a number, not a formula")
        XCTAssertEqual(CSV.field("0.75"), "0.75")
        XCTAssertEqual(CSV.field("a, b"), "\"a, b\"")
        XCTAssertEqual(CSV.field("plain"), "plain")
    }

    /// Every field of the hostile comparison, read back as a spreadsheet reads CSV, is inert.
    func testNoFieldOfTheHostileComparisonCanBecomeAFormula() throws {
        let result = ComparisonFixtures.run(["compare", ComparisonFixtures.lancashireReport, ComparisonFixtures.hostile, "--format", "csv"])
        XCTAssertEqual(result.status, 0, result.error)
        let rows = try Self.parse(result.output)
        XCTAssertEqual(Set(rows.map(\.count)), [Comparison.csvHeader.count], "every row has every column")
        let fields = rows.flatMap { $0 }
        for field in fields where !field.isEmpty && !CSV.isNumber(field) {
            XCTAssertFalse(["=", "+", "-", "@", "\t", "\r"].contains(field.first!), "a live formula: \(field)")
        }
        XCTAssertTrue(fields.contains("'=HYPERLINK(\"http://example.invalid/\",\"click here\")"))
        XCTAssertTrue(fields.contains("'+SUM(1,2) and -2+3 and @cmd are not formulas here"))
        XCTAssertTrue(fields.contains("-2"), "the step from Good to Inadequate stays a number")
    }

    /// RFC 4180: fields separated by commas, records by CRLF, quoted fields with doubled quotes.
    static func parse(_ text: String) throws -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var quoted = false
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if quoted {
                if character == "\"" {
                    if characters.first == "\"" { field.append("\""); characters.removeFirst() } else { quoted = false }
                } else {
                    field.append(character)
                }
            } else if character == "\"" && field.isEmpty {
                quoted = true
            } else if character == "," {
                row.append(field)
                field = ""
            } else if character == "\r\n" {
                row.append(field)
                rows.append(row)
                row = []
                field = ""
            } else {
                guard character != "\"" && character != "\n" && character != "\r" else {
                    throw NSError(domain: "csv", code: 1, userInfo: [NSLocalizedDescriptionKey: "stray \(character.debugDescription) in \(field)"])
                }
                field.append(character)
            }
        }
        XCTAssertTrue(row.isEmpty && field.isEmpty, "the last record ends with CRLF")
        return rows
    }
}
