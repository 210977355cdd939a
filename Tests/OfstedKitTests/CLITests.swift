import Foundation
import OfstedCLI
import OfstedKit
import XCTest

/// Collects what a command writes, and serves standard input, for in-process CLI runs.
final class TestIO: CLIIO, @unchecked Sendable {
    var output: [UInt8] = []
    var errorText = ""
    var input: [UInt8]

    init(input: [UInt8] = []) { self.input = input }

    var outputText: String { String(decoding: output, as: UTF8.self) }

    func write(_ text: String) { output += Array(text.utf8) }
    func write(bytes: [UInt8]) { output += bytes }
    func writeError(_ text: String) { errorText += text }
    func readStandardInput() -> [UInt8] { input }
    var errorIsTerminal: Bool { false }
    var outputIsTerminal: Bool { false }
    var environment: [String: String] { [:] }
}

/// The `ofsted` command line, run in-process through `CLI.run` with a `TestIO`.
final class CLITests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ofsted-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Runs `arguments` and returns the exit status and the streams.
    private func run(_ arguments: [String], input: [UInt8] = []) -> (status: Int32, io: TestIO) {
        let io = TestIO(input: input)
        return (CLI.run(arguments, io: io), io)
    }

    /// Writes `text` to a file in the test's directory and returns its path.
    private func file(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// A six-line council paper with one area for improvement.
    private let paper = "Overview and Scrutiny Committee\n\nAreas for improvement\n\nWithin three months:\n- improve the timeliness of health assessments\n"

    // MARK: Help and version

    func testHelpGoesToStandardOutput() {
        for flag in ["--help", "-h", "help"] {
            let (status, io) = run([flag])
            XCTAssertEqual(status, 0, flag)
            XCTAssertTrue(io.outputText.contains("Usage: ofsted <command> [options]"), flag)
            for command in ["extract", "tokens", "tree", "grammar"] {
                XCTAssertTrue(io.outputText.contains("  \(command) "), "\(flag) lists \(command)")
            }
            XCTAssertEqual(io.errorText, "", flag)
        }
    }

    func testEveryCommandHasHelp() {
        for command in ["extract", "tokens", "tree", "grammar"] {
            let (status, io) = run([command, "--help"])
            XCTAssertEqual(status, 0, command)
            XCTAssertTrue(io.outputText.hasPrefix("Usage: ofsted \(command)"), io.outputText)
            XCTAssertEqual(io.errorText, "")
        }
        XCTAssertTrue(run(["extract", "-h"]).io.outputText.contains("-o, --output FILE"))
    }

    func testVersion() {
        let (status, io) = run(["--version"])
        XCTAssertEqual(status, 0)
        XCTAssertEqual(io.outputText, "ofsted \(Extractor.parserVersion)\n")
    }

    // MARK: Usage errors

    /// Asserts a usage error: exit 64, nothing on stdout, `Error:` with `message`, `Usage:` and a hint on stderr.
    private func assertUsageError(_ arguments: [String], message: String, hint: String = "ofsted --help",
                                  file: StaticString = #filePath, line: UInt = #line) {
        let (status, io) = run(arguments)
        XCTAssertEqual(status, 64, file: file, line: line)
        XCTAssertEqual(io.output, [], file: file, line: line)
        XCTAssertTrue(io.errorText.hasPrefix("Error: "), io.errorText, file: file, line: line)
        XCTAssertTrue(io.errorText.contains(message), io.errorText, file: file, line: line)
        XCTAssertTrue(io.errorText.contains("\nUsage: ofsted"), io.errorText, file: file, line: line)
        XCTAssertTrue(io.errorText.contains("See '\(hint)'."), io.errorText, file: file, line: line)
    }

    func testNoCommand() {
        assertUsageError([], message: "no command given")
    }

    func testUnknownCommand() {
        assertUsageError(["frobnicate", "x.txt"], message: "unknown command 'frobnicate'")
    }

    func testUnknownOption() throws {
        let input = try file("paper.txt", paper)
        assertUsageError(["extract", input, "--pretty"], message: "unknown option '--pretty'", hint: "ofsted extract --help")
        let (_, io) = run(["extract", input, "--pretty"])
        XCTAssertTrue(io.errorText.contains("Usage: ofsted extract FILE|- [-o FILE]"), io.errorText)
        assertUsageError(["tokens", input, "-x"], message: "unknown option '-x'", hint: "ofsted tokens --help")
    }

    func testMissingArgumentsAndValues() throws {
        assertUsageError(["extract"], message: "no input file", hint: "ofsted extract --help")
        assertUsageError(["extract", "a.txt", "b.txt"], message: "several inputs need --out-dir DIR (a JSON file each) or --jsonl (a line each)", hint: "ofsted extract --help")
        assertUsageError(["extract", try file("paper.txt", paper), "-o"], message: "-o needs a value", hint: "ofsted extract --help")
        assertUsageError(["tree"], message: "tree takes one input file", hint: "ofsted tree --help")
        assertUsageError(["grammar"], message: "expected 'check [DIR]'", hint: "ofsted grammar --help")
        assertUsageError(["grammar", "lint"], message: "expected 'check [DIR]'", hint: "ofsted grammar --help")
    }

    // MARK: Failures

    func testMissingFileNamesTheFile() {
        let path = directory.appendingPathComponent("no-such-report.txt").path
        let (status, io) = run(["extract", path])
        XCTAssertEqual(status, 1)
        XCTAssertEqual(io.output, [])
        XCTAssertEqual(io.errorText, "ofsted: error: \(path): no such file\n")
    }

    func testDirectoryIsNotAnInput() {
        let (status, io) = run(["tokens", directory.path])
        XCTAssertEqual(status, 1)
        XCTAssertTrue(io.errorText.contains("\(directory.path): is a directory"), io.errorText)
    }

    func testNonTextInputFailsNamingTheFile() throws {
        let pdf = try file("report.pdf", "%PDF-1.4\nbinary")
        let (status, io) = run(["extract", pdf])
        XCTAssertEqual(status, 1)
        XCTAssertEqual(io.output, [])
        XCTAssertTrue(io.errorText.hasPrefix("ofsted: error: \(pdf): not a text document: a PDF file"), io.errorText)
        let (stdinStatus, stdinIO) = run(["extract", "-"], input: Array("%PDF-1.4".utf8))
        XCTAssertEqual(stdinStatus, 1)
        XCTAssertTrue(stdinIO.errorText.contains("standard input: not a text document"), stdinIO.errorText)
    }

    // MARK: extract

    func testExtractPrintsContractJSON() throws {
        let input = try file("paper.txt", paper)
        let (status, io) = run(["extract", input])
        XCTAssertEqual(status, 0)
        XCTAssertEqual(io.errorText, "")
        let extraction = try Extraction(json: io.output)
        XCTAssertEqual(extraction.source.file, "paper.txt")
        XCTAssertEqual(extraction.areasForImprovement.map(\.text), ["improve the timeliness of health assessments"])
        XCTAssertEqual(io.output, Repository.extractor.extract(Array(paper.utf8), fileName: input).json(), "the same JSON as the library")
    }

    func testExtractCompact() throws {
        let (status, io) = run(["extract", try file("paper.txt", paper), "--compact"])
        XCTAssertEqual(status, 0)
        XCTAssertEqual(io.outputText.filter { $0 == "\n" }.count, 1)
        XCTAssertTrue(io.outputText.hasPrefix(#"{"schemaVersion":"1","#))
    }

    func testExtractFromStandardInput() throws {
        let (status, io) = run(["extract", "-"], input: Array(paper.utf8))
        XCTAssertEqual(status, 0)
        let extraction = try Extraction(json: io.output)
        XCTAssertNil(extraction.source.file)
        XCTAssertEqual(extraction.areasForImprovement.count, 1)
    }

    func testOutputFileIsWrittenAndNothingIsPrinted() throws {
        let input = try file("paper.txt", paper)
        let output = directory.appendingPathComponent("paper.json").path
        for flag in ["-o", "--output"] {
            let (status, io) = run(["extract", input, flag, output])
            XCTAssertEqual(status, 0, flag)
            XCTAssertEqual(io.output, [], flag)
            XCTAssertEqual(io.errorText, "", flag)
            let written = try XCTUnwrap(FileManager.default.contents(atPath: output))
            XCTAssertEqual(Array(written), Repository.extractor.extract(Array(paper.utf8), fileName: input).json())
        }
        let (status, _) = run(["extract", input, "--output=\(output)", "--compact"])
        XCTAssertEqual(status, 0)
        XCTAssertEqual(String(decoding: try XCTUnwrap(FileManager.default.contents(atPath: output)), as: UTF8.self).filter { $0 == "\n" }.count, 1,
                       "an existing output is replaced")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
        XCTAssertEqual(leftovers, [], "no temporary file is left behind")
    }

    func testOutputMayNotBeTheInput() throws {
        let input = try file("paper.txt", paper)
        let sameFileOtherSpelling = directory.appendingPathComponent("sub/../paper.txt").path
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("sub"), withIntermediateDirectories: true)
        for output in [input, sameFileOtherSpelling] {
            let (status, io) = run(["extract", input, "-o", output])
            XCTAssertEqual(status, 1, output)
            XCTAssertTrue(io.errorText.contains("the output would overwrite the input"), io.errorText)
            XCTAssertTrue(io.errorText.contains(output), "the message names the file")
            XCTAssertEqual(String(decoding: try XCTUnwrap(FileManager.default.contents(atPath: input)), as: UTF8.self), paper,
                           "the input is untouched")
        }
    }

    func testUnwritableOutputFails() throws {
        let output = directory.appendingPathComponent("no-such-folder/out.json").path
        let (status, io) = run(["extract", try file("paper.txt", paper), "-o", output])
        XCTAssertEqual(status, 1)
        XCTAssertTrue(io.errorText.hasPrefix("ofsted: error: \(output): cannot write"), io.errorText)
    }

    // MARK: tokens and tree

    func testTokensPrintsLineNumbers() throws {
        let (status, io) = run(["tokens", try file("paper.txt", paper)])
        XCTAssertEqual(status, 0)
        let lines = io.outputText.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines[0], "1\ttext\tOverview and Scrutiny Committee")
        XCTAssertEqual(lines[1], "2\tblank")
        XCTAssertEqual(lines[2], "3\theading (vocabulary)\tAreas for improvement")
        XCTAssertEqual(lines[5], "6\tbullet bullet=-\timprove the timeliness of health assessments")
        XCTAssertEqual(lines.count, 7, "one line per input line and a final newline")
    }

    func testTokensShowsMarksAndCells() throws {
        let text = "Overall effectiveness\tGood\n\nBeing healthy\n\nGood\n\u{0C}12\n"
        let (_, io) = run(["tokens", "-"], input: Array(text.utf8))
        XCTAssertTrue(io.outputText.contains("1\ttable-row\t[Overall effectiveness] [Good]\n"), io.outputText)
        XCTAssertTrue(io.outputText.contains("5\ttext grade=bare\tGood\n"), io.outputText)
        XCTAssertTrue(io.outputText.contains("6\tfurniture [page] number=12 markup=page-number\n"), io.outputText)
    }

    func testTreePrintsLineRanges() throws {
        let (status, io) = run(["tree", try file("paper.txt", paper)])
        XCTAssertEqual(status, 0)
        XCTAssertEqual(io.outputText, """
            document
              @1 paragraph "Overview and Scrutiny Committee"
              @3 section[2] "Areas for improvement" (vocabulary)
                @5 section[3] "Within three months:" (vocabulary)
                  list (1 items)
                    @6 item - "improve the timeliness of health assessments"

            """)
    }

    // MARK: grammar check

    func testGrammarCheckOnTheBundledGrammar() {
        let (status, io) = run(["grammar", "check"])
        XCTAssertEqual(status, 0)
        XCTAssertTrue(io.outputText.hasPrefix("ok: grammar \(Repository.grammar.version) ("), io.outputText)
        XCTAssertTrue(io.outputText.contains("5 grades"), io.outputText)
    }

    /// A copy of the repository grammar in the test's directory, with `edit` applied to `name`.
    private func grammarCopy(editing name: String, _ edit: (String) -> String) throws -> String {
        let copy = directory.appendingPathComponent("Grammar")
        try FileManager.default.copyItem(at: Repository.grammarDirectory, to: copy)
        let url = copy.appendingPathComponent(name)
        try Data(edit(try String(contentsOf: url, encoding: .utf8)).utf8).write(to: url)
        return copy.path
    }

    func testGrammarCheckReportsFileAndLine() throws {
        let grammar = try grammarCopy(editing: "grades.rules") { $0 + "    colour: gold\n" }
        let lineCount = try String(contentsOfFile: grammar + "/grades.rules", encoding: .utf8).filter { $0 == "\n" }.count
        let (status, io) = run(["grammar", "check", grammar])
        XCTAssertEqual(status, 1)
        XCTAssertEqual(io.output, [])
        XCTAssertTrue(io.errorText.hasPrefix("ofsted: error: \(grammar)/grades.rules:\(lineCount): error: `colour` is not a field of "),
                      io.errorText)
    }

    func testGrammarCheckOfAGoodCopy() throws {
        let grammar = try grammarCopy(editing: "themes.rules") { $0 }
        let (status, io) = run(["grammar", "check", grammar])
        XCTAssertEqual(status, 0)
        XCTAssertTrue(io.outputText.hasPrefix("ok: "))
    }

    func testExtractWithAnotherGrammar() throws {
        let grammar = try grammarCopy(editing: "timescales.rules") { $0.replacingOccurrences(of: "    alias: within three months\n", with: "    alias: within three months\n    alias: by the spring\n") }
        let input = try file("paper.txt", "Overview and Scrutiny Committee\n\nBy the spring:\n- improve the timeliness of health assessments\n")
        let (status, io) = run(["extract", input, "--grammar", grammar])
        XCTAssertEqual(status, 0, io.errorText)
        XCTAssertEqual(try Extraction(json: io.output).areasForImprovement.map(\.timescale), ["within-3-months"])
        let (bundledStatus, bundledIO) = run(["extract", input])
        XCTAssertEqual(bundledStatus, 0)
        XCTAssertEqual(try Extraction(json: bundledIO.output).areasForImprovement, [], "the bundled grammar does not know the phrase")
    }

    func testExtractWithABrokenGrammarFails() throws {
        let grammar = try grammarCopy(editing: "manifest.rules") { $0.replacingOccurrences(of: "format: 1", with: "format: 9") }
        let (status, io) = run(["extract", try file("paper.txt", paper), "--grammar", grammar])
        XCTAssertEqual(status, 1)
        XCTAssertEqual(io.output, [])
        XCTAssertTrue(io.errorText.contains("\(grammar)/manifest.rules:"), io.errorText)
        XCTAssertTrue(io.errorText.contains("newer than this ofsted reads"), io.errorText)
    }
}
