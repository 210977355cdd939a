import Foundation
@testable import OfstedKit
import XCTest

/// Rule files → `Grammar`: the record format, every check of the loader with its `file:line`,
/// and the pattern language the rules are written in.
final class GrammarLoaderTests: XCTestCase {
    /// The repository's rule files, keyed by file name.
    private static let realFiles: [String: String] = {
        var files: [String: String] = [:]
        let names = (try? FileManager.default.contentsOfDirectory(atPath: Repository.grammarDirectory.path)) ?? []
        for name in names where name.hasSuffix(".rules") {
            files[name] = try? String(contentsOf: Repository.grammarDirectory.appendingPathComponent(name), encoding: .utf8)
        }
        return files
    }()

    /// The real files with `line` inserted into `file` after the first line equal to `anchor`
    /// (or at the end); returns the files and the inserted line's 1-based number.
    private func files(inserting line: String, into file: String, after anchor: String? = nil) -> ([String: String], Int) {
        var files = Self.realFiles
        var lines = files[file]!.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        let index = anchor.flatMap { anchor in lines.firstIndex(of: anchor).map { $0 + 1 } } ?? lines.count
        precondition(anchor == nil || lines.contains(anchor!), "no line \(anchor!) in \(file)")
        lines.insert(line, at: index)
        files[file] = lines.joined(separator: "\n") + "\n"
        return (files, index + 1)
    }

    /// The error loading `files` throws, or a failure when it loads.
    private func loadError(_ files: [String: String], file: StaticString = #filePath, line: UInt = #line) -> GrammarError? {
        do {
            _ = try Grammar.load(files: files, directory: "G")
            XCTFail("the grammar loaded", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    /// Asserts that inserting `text` into `name` fails at the inserted line with a message containing `message`.
    private func assertInsertionFails(_ text: String, into name: String, after anchor: String? = nil, message: String,
                                      file: StaticString = #filePath, line: UInt = #line) {
        let (files, inserted) = files(inserting: text, into: name, after: anchor)
        guard let error = loadError(files, file: file, line: line) else { return }
        XCTAssertEqual(error.file, "G/\(name)", file: file, line: line)
        XCTAssertEqual(error.line, inserted, file: file, line: line)
        XCTAssertTrue(error.message.contains(message), "message: \(error.message)", file: file, line: line)
        XCTAssertEqual(error.description, "G/\(name):\(inserted): error: \(error.message)", file: file, line: line)
    }

    // MARK: The bundled grammar

    func testTheRepositoryGrammarLoads() throws {
        let grammar = try Grammar.load(from: Repository.grammarDirectory)
        XCTAssertEqual(grammar.version, "2026.11.1")
        XCTAssertEqual(grammar.digest.count, 64)
        XCTAssertEqual(Set(grammar.grades.map(\.id)), ["outstanding", "good", "adequate", "requires-improvement", "inadequate"])
        XCTAssertEqual(grammar.frameworks.map(\.id), ["slac", "lac", "sif", "ilacs"])
        XCTAssertEqual(Set(grammar.timescales), ["immediately", "within-3-months", "within-6-months", "unspecified"])
        XCTAssertTrue(grammar.summary.hasPrefix("grammar 2026.11.1 ("))
    }

    func testLoadingFromFilesMatchesLoadingTheFolder() throws {
        let fromFiles = try Grammar.load(files: Self.realFiles)
        XCTAssertEqual(fromFiles.digest, Repository.grammar.digest)
    }

    func testDigestChangesWithAnyEdit() throws {
        let (edited, _) = files(inserting: "# a comment", into: "themes.rules")
        XCTAssertNotEqual(try Grammar.load(files: edited).digest, Repository.grammar.digest)
    }

    func testBundledGrammarIsFound() throws {
        XCTAssertNotNil(Grammar.bundledDirectory())
        XCTAssertEqual(try Grammar.bundled().version, Repository.grammar.version)
    }

    // MARK: Record format

    func testMalformedHeaderLine() {
        assertInsertionFails("grade very good", into: "grades.rules", message: "expected a record header `kind id`")
    }

    func testFieldLineOutsideARecord() {
        var files = Self.realFiles
        files["timescales.rules"] = "# timescales\n    alias: soon\n" + files["timescales.rules"]!
        let error = loadError(files)
        XCTAssertEqual(error?.file, "G/timescales.rules")
        XCTAssertEqual(error?.line, 2)
        XCTAssertTrue(error?.message.contains("must follow a record header") == true)
    }

    func testFieldWithoutColonOrValue() {
        assertInsertionFails("    alias outstanding", into: "grades.rules", after: "grade outstanding", message: "expected `key: value`")
        assertInsertionFails("    alias:", into: "grades.rules", after: "grade outstanding", message: "has no value")
    }

    func testUnknownField() {
        assertInsertionFails("    colour: gold", into: "grades.rules", after: "grade outstanding", message: "`colour` is not a field of grade")
    }

    func testUnknownRecordKind() {
        assertInsertionFails("flavour vanilla", into: "grades.rules", message: "unknown record kind `flavour`")
    }

    func testRecordDefinedTwice() {
        assertInsertionFails("grade good", into: "grades.rules", message: "grade good is defined twice")
    }

    func testCommentsAndBlankLinesAreIgnoredAndCRLFIsRead() throws {
        var files = Self.realFiles
        files["grades.rules"] = files["grades.rules"]!.replacingOccurrences(of: "\n", with: "\r\n") + "\r\n   # indented comment\r\n\r\n"
        XCTAssertNoThrow(try Grammar.load(files: files))
    }

    // MARK: Checks

    func testGradeAliasClaimedByTwoGrades() {
        assertInsertionFails("    alias: Good", into: "grades.rules", after: "grade adequate", message: "already grade good")
    }

    func testGradeScoreOutOfRange() {
        var files = Self.realFiles
        files["grades.rules"] = files["grades.rules"]!.replacingOccurrences(of: "grade good\n    score: 2", with: "grade good\n    score: 5")
        let error = loadError(files)
        XCTAssertEqual(error?.file, "G/grades.rules")
        XCTAssertTrue(error?.message.contains("a score is 1, 2, 3 or 4") == true)
    }

    func testUnknownAreaInFrameworkJudges() {
        assertInsertionFails("    judges: safeguarding being-wealthy", into: "frameworks.rules", after: "framework slac",
                             message: "unknown area being-wealthy")
    }

    func testUnknownServiceInFrameworkJudges() {
        assertInsertionFails("    judges: fostering overall-effectiveness", into: "frameworks.rules", after: "framework slac",
                             message: "unknown service fostering")
    }

    func testBadPatternSlot() {
        assertInsertionFails("    match: {areaz} was rated {grade}", into: "judgements.rules", after: "pattern rated-as",
                             message: "unknown slot {areaz}")
    }

    func testOpenBracketWithoutClose() {
        assertInsertionFails("    match: {areas} [was rated {grade}", into: "judgements.rules", after: "pattern rated-as",
                             message: "`[` without `]`")
    }

    func testProsePatternWithoutAGrade() {
        assertInsertionFails("    match: {areas} was rated", into: "judgements.rules", after: "pattern rated-as",
                             message: "a judgement pattern has {grade}")
    }

    func testCountPatternNeedsCountAndImprovements() {
        assertInsertionFails("    match: there were {count} things", into: "counts.rules", after: "count stated",
                             message: "a count pattern has {improvements} and {count}")
    }

    func testBulletMustBeOneCharacter() {
        assertInsertionFails("    bullet: ->", into: "layout.rules", after: "bullets glyphs", message: "a bullet is one character or U+XXXX")
    }

    func testNewerFormatIsRejected() {
        var files = Self.realFiles
        let manifest = files["manifest.rules"]!
        files["manifest.rules"] = manifest.replacingOccurrences(of: "    format: 1", with: "    format: 2")
        let formatLine = manifest.components(separatedBy: "\n").firstIndex(of: "    format: 1")! + 1
        let error = loadError(files)
        XCTAssertEqual(error?.file, "G/manifest.rules")
        XCTAssertEqual(error?.line, formatLine)
        XCTAssertTrue(error?.message.contains("newer than this ofsted reads") == true, error?.message ?? "")
    }

    func testMissingAndUnknownFiles() {
        var missing = Self.realFiles
        missing["themes.rules"] = nil
        XCTAssertEqual(loadError(missing)?.file, "G/themes.rules")
        XCTAssertTrue(loadError(missing)?.message.contains("no themes.rules") == true)
        var extra = Self.realFiles
        extra["colours.rules"] = "colour red\n"
        XCTAssertEqual(loadError(extra)?.file, "G/colours.rules")
        XCTAssertTrue(loadError(extra)?.message.contains("unknown rule file") == true)
    }

    func testUnreadableFolderIsAGrammarError() {
        XCTAssertThrowsError(try Grammar.load(from: URL(fileURLWithPath: "/nonexistent/grammar"))) { error in
            XCTAssertTrue((error as? GrammarError)?.message.contains("cannot read the grammar folder") == true)
        }
    }

    // MARK: Patterns

    /// Compiles `source` as a pattern (failing the test when it does not compile).
    private func pattern(_ source: String) throws -> Pattern { try Pattern(source, file: "test.rules", line: 1) }

    /// A matcher over the repository grammar's vocabulary, trusting only prose service aliases.
    private var matcher: PatternMatcher { Repository.grammar.matcher(allServiceAliases: false) }

    func testPatternSyntaxErrors() {
        let cases = ["{area": "`{` without `}`", "area}": "`}` without `{`", "a ] b": "`]` without `[`", "a [] b": "an empty `[ ]`",
                     "": "the pattern is empty", "{colour} is {grade}": "unknown slot {colour}"]
        for (source, message) in cases {
            XCTAssertThrowsError(try pattern(source), source) { error in
                let error = error as? GrammarError
                XCTAssertEqual(error?.file, "test.rules")
                XCTAssertEqual(error?.line, 1)
                XCTAssertTrue(error?.message.contains(message) == true, "\(source): \(error?.message ?? "")")
            }
        }
    }

    func testSlotsAreCollectedFromOptionalParts() throws {
        XCTAssertEqual(try pattern("{number} out of [the] {count} [{service}] {improvements}").slots,
                       [.number, .count, .service, .improvements])
    }

    func testAreasListWithCommasAndAnd() throws {
        let words = Words("Being healthy, staying safe, enjoying and achieving and making a positive contribution were rated good")
        let bindings = try XCTUnwrap(matcher.search(pattern("{areas} were rated {grade}"), words).first?.0)
        XCTAssertEqual(bindings.areas.map(\.id), ["being-healthy", "staying-safe", "enjoying-and-achieving", "making-a-positive-contribution"])
        XCTAssertEqual(bindings.grade?.id, "good")
        XCTAssertTrue(bindings.areas.allSatisfy { $0.service == nil })
    }

    func testServiceQualifierAfterTheLastAreaQualifiesTheList() throws {
        let words = Words("graded the ambition and prioritisation and leadership and management for looked after children as outstanding")
        let bindings = try XCTUnwrap(matcher.search(pattern("graded {areas} as {grade}"), words).first?.0)
        XCTAssertEqual(bindings.areas.map(\.id), ["ambition-and-prioritisation", "leadership-and-management"])
        XCTAssertEqual(bindings.areas.map { $0.service?.id }, ["looked-after-children", "looked-after-children"])
        XCTAssertEqual(bindings.grade?.id, "outstanding")
    }

    func testOptionalWords() throws {
        let p = try pattern("{number} out of [the] {count} {improvements}")
        let withThe = matcher.search(p, Words("Five out of the nine areas for improvement"))
        let without = matcher.search(p, Words("Five out of nine areas for improvement"))
        XCTAssertEqual(withThe.first?.0.count, 9)
        XCTAssertEqual(withThe.first?.0.number, 5)
        XCTAssertEqual(without.first?.0.count, 9)
        XCTAssertTrue(matcher.search(p, Words("Five out of these nine areas for improvement")).isEmpty)
    }

    func testTextSlotTakesAFewWords() throws {
        let p = try pattern("children's services in {text} are {grade}")
        let words = Words("Children’s services in Kingston upon Hull are inadequate")
        let bindings = try XCTUnwrap(matcher.matchWhole(p, words))
        XCTAssertEqual(bindings.text.map { words.text($0) }, "Kingston upon Hull")
        XCTAssertEqual(bindings.grade?.id, "inadequate")
        let tooLong = Words("Children's services in one two three four five six seven eight nine are good")
        XCTAssertNil(matcher.matchWhole(p, tooLong), "{text} is one to eight words")
    }

    func testLongestGradeAliasWins() throws {
        let words = Words("Requires improvement to be good")
        let bindings = try XCTUnwrap(matcher.matchWhole(pattern("{grade}"), words))
        XCTAssertEqual(bindings.grade?.id, "requires-improvement")
        XCTAssertEqual(bindings.grade?.range, 0..<5)
    }

    func testNumbersInDigitsAndWords() throws {
        let p = try pattern("there were {count} {improvements}")
        XCTAssertEqual(matcher.search(p, Words("There were seven Areas for Development")).first?.0.count, 7)
        XCTAssertEqual(matcher.search(p, Words("there were 12 areas for improvement")).first?.0.count, 12)
        XCTAssertEqual(matcher.search(p, Words("there were no areas for improvement")).first?.0.count, 0)
    }

    // MARK: Words

    func testWordsNormalization() {
        XCTAssertEqual(Words.normalize("Economic Well-being"), ["economic", "well", "being"])
        XCTAssertEqual(Words.normalize("Children’s services"), ["children's", "services"])
        XCTAssertEqual(Words.normalize("Overview & Scrutiny"), ["overview", "and", "scrutiny"])
        XCTAssertEqual(Words.normalize("4.3 The end."), ["4.3", "the", "end"])
        XCTAssertEqual(Words.normalize("Grade 2 (Good)"), ["grade", "2", "(", "good", ")"])
        XCTAssertEqual(Words.normalize("8 – 12 July"), ["8", "-", "12", "july"])
        XCTAssertEqual(Words.normalize("“good”"), ["good"])
    }

    func testWordsKeepTheTextAsWritten() {
        let words = Words("Services for Looked After Children’s care")
        XCTAssertEqual(words.text(2..<5), "Looked After Children’s")
        XCTAssertTrue(words[2].capitalized)
        XCTAssertEqual(words.text(from: 4), "Children’s care")
    }
}
