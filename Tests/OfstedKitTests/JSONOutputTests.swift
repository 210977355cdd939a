import Foundation
@testable import OfstedKit
import XCTest

/// Extraction → contract JSON: the writer's escaping, key order, nulls, trailing newline, and
/// reading the JSON back with `Extraction(json:)`.
final class JSONOutputTests: XCTestCase {
    /// An extraction with every kind of value: nulls, an integer and a text item number, non-ASCII text.
    private let sample = Extraction(
        parser: ParserInfo(name: "ofsted", version: "0.1.0", grammar: "2026.11.1+abcdef012345"),
        source: SourceInfo(file: nil, bytes: 1234, sha256: String(repeating: "a", count: 64), encoding: "windows-1252", bom: false),
        document: DocumentInfo(kind: .councilReport, framework: "slac", title: "Update on the \"SLAC\" inspection",
                               localAuthority: "Kingston upon Hull", inspection: InspectionDates(start: nil, end: nil, text: "November 2011"),
                               published: nil, leadInspector: nil),
        judgements: [Judgement(service: "looked-after-children", area: "economic-well-being", grade: "adequate", score: 3,
                               label: "Economic well-being", gradeText: "adequate", origin: "prose", line: 46)],
        areasForImprovement: [
            AreaForImprovement(service: "unspecified", timescale: "unspecified", text: "Improve HR files – see “Area 8”\\appendix",
                               number: .integer(8), status: "WCC – actions complete", themes: ["case-recording", "workforce-capacity"],
                               line: 575, endLine: 576),
            AreaForImprovement(service: "safeguarding", timescale: "within-6-months", text: "a/b\ttab\nnewline",
                               number: .text("4.3"), status: nil, themes: [], line: 10, endLine: 10),
        ],
        diagnostics: [Diagnostic(severity: .warning, code: "areas.count-mismatch", message: "states 9 but 4 are listed", line: 16),
                      Diagnostic(severity: .note, code: "decode.windows-1252", message: "1 byte", line: nil)])

    /// The bytes as UTF-8 text.
    private func string(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    // MARK: Writer

    func testStringEscaping() {
        var out: [UInt8] = []
        JSONWriter.appendString("quote \" backslash \\ slash / newline \n return \r tab \t bell \u{07} pound £ dash –", to: &out)
        XCTAssertEqual(string(out), #""quote \" backslash \\ slash / newline \n return \r tab \t bell \u0007 pound £ dash –""#)
    }

    func testEveryControlCharacterIsEscapedAndTheResultParses() throws {
        let text = String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar($0)! }))
        var out: [UInt8] = []
        JSONWriter.appendString(text, to: &out)
        XCTAssertFalse(out.dropFirst().dropLast().contains { $0 < 0x20 }, "no raw control byte inside the string")
        let parsed = try JSONSerialization.jsonObject(with: Data("[".utf8 + out + "]".utf8)) as? [String]
        XCTAssertEqual(parsed, [text])
    }

    func testWriterNestsAndWritesNulls() {
        var writer = JSONWriter(pretty: false)
        writer.beginObject()
        writer.string("a", nil)
        writer.int("b", nil)
        writer.beginArray("c")
        writer.int(nil, 1)
        writer.bool(nil, true)
        writer.null(nil)
        writer.endArray()
        writer.beginObject("d")
        writer.endObject()
        writer.double("e", 0.12345)
        writer.double("f", 2)
        writer.endObject()
        XCTAssertEqual(string(writer.finished()), #"{"a":null,"b":null,"c":[1,true,null],"d":{},"e":0.1235,"f":2}"# + "\n")
    }

    // MARK: Contract JSON

    func testKeysAreInTheContractsOrder() {
        let json = string(sample.json())
        let keys = ["\"schemaVersion\"", "\"parser\"", "\"name\"", "\"version\"", "\"grammar\"", "\"source\"", "\"file\"", "\"bytes\"",
                    "\"sha256\"", "\"encoding\"", "\"bom\"", "\"document\"", "\"kind\"", "\"framework\"", "\"title\"",
                    "\"localAuthority\"", "\"inspection\"", "\"start\"", "\"end\"", "\"text\"", "\"published\"", "\"leadInspector\"",
                    "\"judgements\"", "\"service\"", "\"area\"", "\"grade\"", "\"score\"", "\"label\"", "\"gradeText\"", "\"origin\"",
                    "\"line\"", "\"areasForImprovement\"", "\"timescale\"", "\"number\"", "\"status\"", "\"themes\"", "\"endLine\"",
                    "\"diagnostics\"", "\"severity\"", "\"code\"", "\"message\""]
        var position = json.startIndex
        for key in keys {
            guard let found = json.range(of: key, range: position..<json.endIndex) else {
                XCTFail("\(key) is missing or out of order")
                return
            }
            position = found.upperBound
        }
    }

    func testNullsAreWrittenNotOmitted() {
        let json = string(sample.json(pretty: false))
        for key in ["file", "start", "end", "published", "leadInspector", "status"] {
            XCTAssertTrue(json.contains("\"\(key)\":null"), "\(key) is written as null")
        }
        XCTAssertTrue(json.contains(#""number":8"#))
        XCTAssertTrue(json.contains(#""number":"4.3""#))
        XCTAssertTrue(json.contains(#""line":null"#), "a diagnostic without a line")
        var empty = sample
        empty.document.inspection = nil
        empty.judgements = []
        XCTAssertTrue(string(empty.json(pretty: false)).contains(#""inspection":null"#))
        XCTAssertTrue(string(empty.json(pretty: false)).contains(#""judgements":[]"#))
    }

    func testPrettyAndCompactBothEndWithOneNewline() {
        let pretty = string(sample.json())
        let compact = string(sample.json(pretty: false))
        XCTAssertTrue(pretty.hasSuffix("}\n") && !pretty.hasSuffix("\n\n"))
        XCTAssertTrue(compact.hasSuffix("}\n"))
        XCTAssertEqual(compact.filter { $0 == "\n" }.count, 1, "compact JSON is one line")
        XCTAssertTrue(pretty.hasPrefix("{\n  \"schemaVersion\": \"1\",\n  \"parser\": {\n    \"name\": \"ofsted\","))
    }

    func testSlashesAndNonASCIIAreWrittenAsThemselves() {
        let json = string(sample.json(pretty: false))
        XCTAssertTrue(json.contains(#"a/b\ttab\nnewline"#))
        XCTAssertTrue(json.contains("“Area 8”\\\\appendix"))
        XCTAssertTrue(json.contains("WCC – actions complete"))
    }

    func testOutputIsValidJSONThatFollowsTheSchema() throws {
        let object = try JSONSerialization.jsonObject(with: Data(sample.json()))
        XCTAssertEqual(try SchemaValidator(schemaAt: Repository.schema).validate(object), [])
    }

    func testAFreshExtractionFollowsTheSchema() throws {
        let extraction = Repository.extract("Within three months:\n- improve the plans\n\nOverall effectiveness\tGood\n", fileName: nil)
        let object = try JSONSerialization.jsonObject(with: Data(extraction.json()))
        XCTAssertEqual(try SchemaValidator(schemaAt: Repository.schema).validate(object), [])
    }

    // MARK: Reading back

    func testRoundTrip() throws {
        XCTAssertEqual(try Extraction(json: sample.json()), sample)
        XCTAssertEqual(try Extraction(json: sample.json(pretty: false)), sample)
        let extracted = Repository.extract("## Safeguarding\n### Immediately:\n- act now\n", fileName: "paper.txt")
        XCTAssertEqual(try Extraction(json: extracted.json()), extracted)
    }

    func testReadingRejectsWhatIsNotTheContract() {
        let cases: [(String, String)] = [
            ("not json", "not JSON"),
            ("[1, 2]", "not a JSON object"),
            (#"{"parser": {}}"#, "no schemaVersion"),
            (#"{"schemaVersion": "2"}"#, "schemaVersion 2"),
            (#"{"schemaVersion": "1", "parser": {}, "source": {}, "document": {"kind": "memo"}}"#, "document.kind memo"),
            (#"{"schemaVersion": "1", "parser": {}, "source": {}, "document": {"kind": "unknown"}, "judgements": [{"area": "x"}]}"#,
             "judgement.service"),
        ]
        for (json, message) in cases {
            XCTAssertThrowsError(try Extraction(json: Array(json.utf8)), json) { error in
                XCTAssertTrue("\(error)".contains(message), "\(json): \(error)")
            }
        }
    }

    func testReadingFillsWhatIsAbsent() throws {
        let minimal = #"{"schemaVersion": "1", "parser": {}, "source": {}, "document": {"kind": "ofsted-report"}}"#
        let extraction = try Extraction(json: Array(minimal.utf8))
        XCTAssertEqual(extraction.document.kind, .ofstedReport)
        XCTAssertEqual(extraction.document.framework, "unknown")
        XCTAssertNil(extraction.document.inspection)
        XCTAssertEqual(extraction.judgements, [])
        XCTAssertEqual(extraction.source.encoding, "utf-8")
    }

    // MARK: SHA-256

    func testSHA256KnownAnswers() {
        XCTAssertEqual(SHA256.hex([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let long = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        XCTAssertEqual(SHA256.hex(long), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(Repository.extract("abc", fileName: nil).source.sha256, SHA256.hex(Array("abc".utf8)))
    }
}
