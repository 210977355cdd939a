import Foundation
import OfstedKit
import XCTest

/// A malformed, truncated or contradictory rule file is rejected at load with
/// `file:line: error: message`, and nothing of the grammar is used.
///
/// Each test copies the repository's `Grammar/` into a temporary folder, breaks one file, and
/// checks the exact error.
final class GrammarFaultTests: XCTestCase {
    let scratch = ScratchFolder("grammar")

    /// The folder's path, and the text of `file` after `edit`.
    @discardableResult
    func broken(_ file: String, _ edit: (String) -> String) throws -> String {
        let folder = scratch.path + "/Grammar"
        if !FileManager.default.fileExists(atPath: folder) {
            try FileManager.default.copyItem(atPath: Repository.grammarDirectory.path, toPath: folder)
        }
        let path = folder + "/" + file
        let text = edit(try String(contentsOfFile: path, encoding: .utf8))
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return text
    }

    /// Puts the repository's version of `file` back.
    func restore(_ file: String) throws {
        let path = scratch.path + "/Grammar/" + file
        try? FileManager.default.removeItem(atPath: path)
        try FileManager.default.copyItem(atPath: Repository.grammarDirectory.appendingPathComponent(file).path, toPath: path)
    }

    /// The 1-based number of the first line of `text` containing `needle` (the `nth` such line);
    /// a needle ending in a line break must be the whole line (after its indentation).
    func line(of needle: String, in text: String, nth: Int = 1) -> Int {
        var seen = 0
        let whole = needle.hasSuffix("\n")
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where whole ? line.drop(while: { $0 == " " }) + "\n" == needle.drop(while: { $0 == " " }) : line.contains(needle) {
            seen += 1
            if seen == nth { return index + 1 }
        }
        XCTFail("no line with \(needle)")
        return 0
    }

    /// Loads the broken grammar and checks its error is exactly `file:line: error: message`.
    func assertRejected(_ file: String, line: Int, _ message: String, _ caller: StaticString = #filePath, at callLine: UInt = #line) {
        let expected = "\(scratch.path)/Grammar/\(file):\(line): error: \(message)"
        do {
            _ = try Grammar.load(from: URL(fileURLWithPath: scratch.path + "/Grammar"))
            XCTFail("the grammar loaded; expected \(expected)", file: caller, line: callLine)
        } catch {
            XCTAssertEqual(error.description, expected, file: caller, line: callLine)
        }
    }

    func replacing(_ old: String, with new: String) -> (String) -> String {
        { text in
            XCTAssertTrue(text.contains(old), "the grammar has \(old)")
            return text.replacingOccurrences(of: old, with: new)
        }
    }

    // MARK: Malformed

    func testAFieldBeforeAnyRecord() throws {
        let text = try broken("grades.rules") { "    alias: splendid\n" + $0 }
        assertRejected("grades.rules", line: line(of: "splendid", in: text), "a field line must follow a record header `kind id`")
    }

    func testAHeaderOfThreeWords() throws {
        let text = try broken("grades.rules", replacing("grade good\n", with: "grade good one\n"))
        assertRejected("grades.rules", line: line(of: "grade good one", in: text),
                       "expected a record header `kind id` at the left margin, found `grade good one`; indent field lines")
    }

    func testAFieldWithoutAColonOrValue() throws {
        var text = try broken("grades.rules", replacing("    score: 2\n", with: "    score 2\n"))
        assertRejected("grades.rules", line: line(of: "score 2", in: text), "expected `key: value`, found `score 2`")
        text = try broken("grades.rules", replacing("    score 2\n", with: "    score:\n"))
        assertRejected("grades.rules", line: line(of: "score:", in: text, nth: 2), "the field `score` has no value")
    }

    func testAnUnknownKindOrField() throws {
        var text = try broken("services.rules", replacing("service lscb\n", with: "servise lscb\n"))
        assertRejected("services.rules", line: line(of: "servise lscb", in: text),
                       "unknown record kind `servise`; this file has service")
        try restore("services.rules")
        text = try broken("grades.rules", replacing("    score: 4\n", with: "    score: 4\n    colour: red\n"))
        assertRejected("grades.rules", line: line(of: "colour", in: text), "`colour` is not a field of grade; its fields are alias, score")
    }

    func testABadValue() throws {
        let text = try broken("grades.rules", replacing("    score: 4\n", with: "    score: 5\n"))
        assertRejected("grades.rules", line: line(of: "score: 5", in: text), "a score is 1, 2, 3 or 4")
    }

    func testNotUTF8() throws {
        let path = scratch.path + "/Grammar/themes.rules"
        try broken("themes.rules") { $0 }
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        bytes.insert(contentsOf: [0xFF, 0xFE], at: 10)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        assertRejected("themes.rules", line: 1, "the file is not valid UTF-8")
    }

    func testAMissingOrUnknownFile() throws {
        try broken("layout.rules") { $0 }
        try FileManager.default.moveItem(atPath: scratch.path + "/Grammar/layout.rules", toPath: scratch.path + "/Grammar/layouts.rules")
        assertRejected("layouts.rules", line: 0,
                       "unknown rule file; a grammar has manifest.rules, grades.rules, services.rules, areas.rules, frameworks.rules, sections.rules, timescales.rules, judgements.rules, counts.rules, facts.rules, layout.rules, authorities.rules, themes.rules, comparison.rules")
        try FileManager.default.removeItem(atPath: scratch.path + "/Grammar/layouts.rules")
        assertRejected("layout.rules", line: 0, "the grammar has no layout.rules")
    }

    func testANewerFormat() throws {
        let text = try broken("manifest.rules", replacing("    format: 1\n", with: "    format: 2\n"))
        assertRejected("manifest.rules", line: line(of: "format: 2", in: text),
                       "grammar format 2 is newer than this ofsted reads (format 1); upgrade ofsted")
    }

    // MARK: Truncated

    func testCutShortInsideARecord() throws {
        // Cut after the last record's header: it has none of its fields.
        let text = try broken("grades.rules") { String($0[..<$0.range(of: "grade inadequate")!.upperBound]) + "\n" }
        assertRejected("grades.rules", line: line(of: "grade inadequate", in: text), "grade inadequate needs `score:`")
    }

    func testCutShortInsideALine() throws {
        let text = try broken("judgements.rules") { text in
            let cut = text.range(of: "    match: ", options: .backwards)!.lowerBound
            return String(text[..<text.index(cut, offsetBy: 8)])  // "    matc"
        }
        assertRejected("judgements.rules", line: text.split(separator: "\n", omittingEmptySubsequences: false).count,
                       "expected `key: value`, found `matc`")
    }

    func testCutShortAtARecordsEnd() throws {
        let text = try broken("grades.rules") { String($0[..<$0.range(of: "grade inadequate")!.lowerBound]) }
        assertRejected("grades.rules", line: line(of: "alias: requiring improvement to be good", in: text),
                       "the contract's grade inadequate is missing; is the file cut short?")
        let areas = try broken("areas.rules") { String($0[..<$0.range(of: "area children-in-care\n")!.lowerBound]) }
        try restore("grades.rules")
        let lastField = areas.split(separator: "\n").last { $0.hasPrefix("    ") }!
        assertRejected("areas.rules", line: line(of: String(lastField), in: areas),
                       "the contract's area children-in-care is missing; is the file cut short?")
    }

    func testCutToNothing() throws {
        try broken("sections.rules") { _ in "" }
        assertRejected("sections.rules", line: 1, "the file has no records; is it cut short?")
        try broken("sections.rules") { _ in "# only a comment\n" }
        assertRejected("sections.rules", line: 1, "the file has no records; is it cut short?")
    }

    // MARK: Contradictory

    func testTheSameAliasForTwoGrades() throws {
        let text = try broken("grades.rules", replacing("    alias: adequate\n", with: "    alias: adequate\n    alias: Good\n"))
        assertRejected("grades.rules", line: line(of: "alias: Good", in: text),
                       "the alias \"Good\" is already grade good (line \(line(of: "alias: good", in: text))); an alias names one grade")
    }

    func testTheSameAliasForTwoAreas() throws {
        let areas = try String(contentsOf: Repository.grammarDirectory.appendingPathComponent("areas.rules"), encoding: .utf8)
        let first = try XCTUnwrap(areas.split(separator: "\n").first { $0.hasPrefix("    alias: ") })
        let text = try broken("areas.rules", replacing("area children-in-care\n", with: "area children-in-care\n" + first + "\n"))
        let alias = first.dropFirst("    alias: ".count)
        assertRejected("areas.rules", line: line(of: first + "\n", in: text, nth: 2), "the alias \"\(alias)\" is already area overall-effectiveness")
    }

    func testAnAliasThatIsAlsoAGradeOrAService() throws {
        var text = try broken("areas.rules", replacing("area children-in-care\n", with: "area children-in-care\n    alias: inadequate\n"))
        assertRejected("areas.rules", line: line(of: "alias: inadequate", in: text), "the alias \"inadequate\" is already grade inadequate")
        try restore("areas.rules")
        text = try broken("timescales.rules", replacing("    alias: within three months\n", with: "    alias: within three months\n    alias: good\n"))
        assertRejected("timescales.rules", line: line(of: "alias: good", in: text), "the alias \"good\" is already grade good")
    }

    func testTwoDefinitionsOfOneThing() throws {
        var text = try broken("grades.rules") { $0 + "\ngrade good\n    score: 2\n    alias: fine\n" }
        assertRejected("grades.rules", line: line(of: "grade good", in: text, nth: 2), "grade good is defined twice")
        try restore("grades.rules")
        text = try broken("facts.rules") { $0 + "\nfact published\n    label: out on\n" }
        assertRejected("facts.rules", line: line(of: "fact published", in: text, nth: 2), "fact published is defined twice")
    }

    // MARK: Unknown ids

    func testReferencesToIdsThatDoNotExist() throws {
        var text = try broken("frameworks.rules", replacing("    judges: safeguarding partnership-working\n", with: "    judges: safeguarding partnership-work\n"))
        assertRejected("frameworks.rules", line: line(of: "judges: safeguarding partnership-work\n", in: text), "unknown area partnership-work")
        try restore("frameworks.rules")
        text = try broken("frameworks.rules", replacing("    judges: safeguarding partnership-working\n", with: "    judges: safe partnership-working\n"))
        assertRejected("frameworks.rules", line: line(of: "judges: safe partnership", in: text), "unknown service safe")
        try restore("frameworks.rules")
        let sections = try broken("sections.rules") { text in
            let range = text.range(of: "    timescale: ")!
            let end = text[range.upperBound...].firstIndex(of: "\n")!
            return text.replacingCharacters(in: range.upperBound..<end, with: "next-week")
        }
        assertRejected("sections.rules", line: line(of: "timescale: next-week", in: sections), "unknown timescale next-week")
    }

    // MARK: Never half-applied

    /// The command line refuses a broken grammar before it reads or writes anything.
    func testTheCommandLineStopsBeforeWritingAnything() throws {
        let text = try broken("grades.rules", replacing("    score: 4\n", with: "    score: 9\n"))
        let input = scratch.file("report.txt", "Overall effectiveness: Good\n")
        let out = scratch.path + "/out"
        let run = CLIRun.run(["extract", "--grammar", scratch.path + "/Grammar", "--out-dir", out, input])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.error, "ofsted: error: \(scratch.path)/Grammar/grades.rules:\(line(of: "score: 9", in: text)): error: a score is 1, 2, 3 or 4\n")
        XCTAssertFalse(FileManager.default.fileExists(atPath: out), "no output folder, no output")
        let single = CLIRun.run(["extract", "--grammar", scratch.path + "/Grammar", input])
        XCTAssertEqual(single.status, 1)
        XCTAssertEqual(single.output, [])
    }

    /// The repository's grammar itself loads (the checks above are not too strict for it).
    func testTheRepositoryGrammarLoads() throws {
        XCTAssertNoThrow(try Grammar.load(from: Repository.grammarDirectory))
    }
}
