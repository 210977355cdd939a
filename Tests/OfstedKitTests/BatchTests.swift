import Foundation
@testable import OfstedCLI
import OfstedKit
import XCTest

/// `ofsted extract` with several inputs: which files count, output names, order, safety of the
/// output folder, the summary and exit status.
final class BatchTests: XCTestCase {
    let scratch = ScratchFolder("batch")

    func seed(_ prefix: String) throws -> [UInt8] {
        let url = try XCTUnwrap(Repository.corpusCases().first { $0.lastPathComponent.hasPrefix(prefix) })
        return try Array(Data(contentsOf: url))
    }

    /// The single-document JSON for `path`, as `ofsted extract FILE` prints it.
    func singleJSON(_ path: String, compact: Bool = false) -> String {
        CLIRun.run(["extract", path] + (compact ? ["--compact"] : [])).outputText
    }

    // MARK: Usage

    func testBatchUsageErrorsExit64WithUsage() {
        let a = scratch.file("a.txt", "x"), b = scratch.file("b.txt", "y")
        let cases: [([String], String)] = [
            (["extract", a, b], "several inputs need --out-dir DIR (a JSON file each) or --jsonl (a line each)"),
            (["extract", "--out-dir", scratch.path + "/o", "--jsonl", a], "choose one of --out-dir and --jsonl"),
            (["extract", "-o", scratch.path + "/x.json", a, b], "-o writes one document; for several, use --out-dir DIR or --jsonl"),
            (["extract", "--jsonl", a, "-"], "standard input (-) cannot be part of a batch; extract it on its own"),
            (["extract", "--jsonl", "--jobs", "0", a], "--jobs takes a number from 1 to 256"),
            (["extract", "--jsonl"], "no input file or folder"),
            (["extract", "--jobs", "2", a], "--jobs is for batches (--out-dir or --jsonl)"),
            (["extract", "--max-size", "none", a], "--max-size takes a number of megabytes from 1 to 4096"),
        ]
        for (arguments, message) in cases {
            let run = CLIRun.run(arguments)
            XCTAssertEqual(run.status, 64, "\(arguments)")
            XCTAssertTrue(run.error.hasPrefix("Error: \(message)\nUsage: ofsted extract "), "\(arguments): \(run.error)")
            XCTAssertEqual(run.output, [])
        }
        XCTAssertEqual(scratch.names(), ["a.txt", "b.txt"], "nothing was written")
    }

    // MARK: Which files, which order

    func testFoldersGiveTheirTextAndMarkdownFilesSortedAtAnyDepth() throws {
        let seed = try seed("001_")
        for name in ["in/b.md", "in/a.txt", "in/sub/c.TXT", "in/sub/deeper/d.markdown", "in/e.text"] { scratch.file(name, seed) }
        for name in ["in/.hidden.txt", "in/.git/f.txt", "in/notes.pdf", "in/SOURCES.tsv", "in/out.json"] { scratch.file(name, seed) }
        symlink(scratch.path + "/in/a.txt", scratch.path + "/in/link-to-a.txt")        // the same file again: done once
        symlink(scratch.path + "/in/sub", scratch.path + "/in/link-to-sub")             // links to folders are not followed
        let plan = BatchPlan(inputs: [scratch.path + "/in"])
        XCTAssertEqual(plan.documents.map { String($0.path.dropFirst(scratch.path.count + 4)) },
                       ["a.txt", "b.md", "e.text", "sub/c.TXT", "sub/deeper/d.markdown"])
        XCTAssertEqual(plan.documents.map(\.outputName), ["a.json", "b.json", "e.json", "c.json", "d.json"])

        let run = CLIRun.run(["extract", "--out-dir", scratch.path + "/out", scratch.path + "/in"])
        XCTAssertEqual(run.status, 0, run.error)
        XCTAssertEqual(scratch.names(in: "out"), ["a.json", "b.json", "c.json", "d.json", "e.json"])
        XCTAssertEqual(String(decoding: try Data(contentsOf: scratch.url.appendingPathComponent("out/c.json")), as: UTF8.self),
                       singleJSON(scratch.path + "/in/sub/c.TXT"), "the same JSON as extracting the file alone")
        XCTAssertTrue(run.error.hasPrefix("ofsted: 5 documents in "), run.error)
        XCTAssertTrue(run.error.hasSuffix(" s: 5 ok, 0 with warnings, 0 failed\n"), run.error)
    }

    func testNamedFilesCountWhateverTheirNameInCommandLineOrder() throws {
        let seed = try seed("003_")
        let z = scratch.file("z.data", seed), a = scratch.file("folder/a.txt", seed), hidden = scratch.file(".hidden", seed)
        let plan = BatchPlan(inputs: [z, scratch.path + "/folder", hidden, z])
        XCTAssertEqual(plan.documents.map(\.path), [z, a, hidden])
        XCTAssertEqual(plan.documents.map(\.outputName), ["z.json", "a.json", "hidden.json"])
    }

    /// JSON lines come in input order, the same with one worker or many.
    func testJSONLinesAreInInputOrderWhateverTheNumberOfWorkers() throws {
        var names: [String] = []
        for (index, prefix) in ["000_", "001_", "002_", "003_", "004_"].enumerated() {
            let bytes = try seed(prefix)
            for copy in 0..<6 {
                let name = "docs/\(copy)\(index)-\(prefix)copy.txt"
                scratch.file(name, bytes)
                names.append(name)
            }
        }
        scratch.file("docs/broken.txt", Array("%PDF-1.4\n".utf8) + [0, 1, 2])
        names.append("docs/broken.txt")
        let one = CLIRun.run(["extract", "--jsonl", "--jobs", "1", scratch.path + "/docs"])
        let many = CLIRun.run(["extract", "--jsonl", "--jobs", "7", scratch.path + "/docs"])
        XCTAssertEqual(one.status, 1)
        XCTAssertEqual(many.status, 1)
        XCTAssertEqual(one.output, many.output, "the same bytes whatever the scheduling")
        let lines = one.outputText.split(separator: "\n")
        XCTAssertEqual(lines.count, 30, "one line per extracted document; the PDF has none")
        let files = lines.compactMap { jsonObject(Array($0.utf8)).flatMap { ($0["source"] as? [String: Any])?["file"] as? String } }
        XCTAssertEqual(files, names.filter { !$0.hasSuffix("broken.txt") }.map { String($0.dropFirst(5)) }.sorted())
        XCTAssertEqual(String(lines[0]) + "\n", singleJSON(scratch.path + "/docs/" + files[0], compact: true))
        XCTAssertTrue(one.error.contains("failed: \(scratch.path)/docs/broken.txt: not a text document: a PDF file"), one.error)
    }

    // MARK: Output names

    func testSharedNamesGetNumberedOutputsThatDoNotClash() {
        for name in ["x/report.txt", "y/Report.txt", "z/report.md", "w/report-2.txt"] { scratch.file(name, "text") }
        let plan = BatchPlan(inputs: ["x", "y", "z", "w"].map { scratch.path + "/" + $0 })
        XCTAssertEqual(plan.documents.map(\.outputName), ["report.json", "Report-3.json", "report-4.json", "report-2.json"])
        XCTAssertEqual(Set(plan.documents.map { $0.outputName.lowercased() }).count, 4, "unique even ignoring case")
    }

    func testOutputNamesCannotLeaveTheOutputFolder() {
        XCTAssertEqual(BatchPlan.safeStem(of: "../../etc/passwd"), "passwd")
        XCTAssertEqual(BatchPlan.safeStem(of: "/reports/..txt"), "document")
        XCTAssertEqual(BatchPlan.safeStem(of: "..."), "document")
        XCTAssertEqual(BatchPlan.safeStem(of: "reports/.hidden.txt"), "hidden")
        XCTAssertEqual(BatchPlan.safeStem(of: "a\nb\u{1B}[2J\\c.txt"), "a_b_[2J_c")
        XCTAssertEqual(BatchPlan.safeStem(of: "report.v2.txt"), "report.v2")
        let long = BatchPlan.safeStem(of: String(repeating: "é", count: 300) + ".txt")
        XCTAssertLessThanOrEqual(long.utf8.count, 200)
        XCTAssertEqual(long, String(repeating: "é", count: 100))

        let odd = scratch.file("in/..\n.evil.txt", "Overall effectiveness: good\n")
        let run = CLIRun.run(["extract", "--out-dir", scratch.path + "/out", odd])
        XCTAssertEqual(run.status, 0, run.error)
        XCTAssertEqual(scratch.names(in: "out"), ["_.evil.json"])
        XCTAssertEqual(scratch.names(), ["in", "out"], "nothing outside the output folder")
    }

    // MARK: Safety of data

    func testAnOutputThatIsAnInputIsRefusedBeforeAnythingIsWritten() throws {
        let input = scratch.file("work/report.json", try seed("001_"))
        let other = scratch.file("work/other.txt", try seed("002_"))
        let before = try Data(contentsOf: URL(fileURLWithPath: input))
        let run = CLIRun.run(["extract", "--out-dir", scratch.path + "/work", other, input])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.error, "ofsted: error: \(scratch.path)/work/report.json: the output would overwrite an input; choose another --out-dir\n")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: input)), before)
        XCTAssertEqual(scratch.names(in: "work"), ["other.txt", "report.json"], "nothing written")

        // Another name for the input (a hard link in the output folder) is still the input.
        scratch.folder("linked")
        XCTAssertEqual(link(input, scratch.path + "/linked/report.json"), 0)
        let hard = CLIRun.run(["extract", "--out-dir", scratch.path + "/linked", input])
        XCTAssertEqual(hard.status, 1)
        XCTAssertEqual(hard.error, "ofsted: error: \(scratch.path)/linked/report.json: the output would overwrite an input; choose another --out-dir\n")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: input)), before)
    }

    func testSymbolicLinksInTheOutputFolderAreNotFollowed() throws {
        let victim = scratch.file("victim.json", "precious\n")
        scratch.folder("out")
        XCTAssertEqual(symlink(victim, scratch.path + "/out/report.json"), 0)
        let input = scratch.file("in/report.txt", try seed("001_"))
        let run = CLIRun.run(["extract", "--out-dir", scratch.path + "/out", input])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.error.contains("failed: \(input): \(scratch.path)/out/report.json is a symbolic link; it was not replaced"), run.error)
        XCTAssertEqual(try String(contentsOfFile: victim, encoding: .utf8), "precious\n")
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: scratch.path + "/out/report.json"), victim)
    }

    func testAnExistingOutputIsReplacedOnlyByACompleteOne() throws {
        let out = scratch.folder("out")
        scratch.file("out/good.json", "old good\n")
        scratch.file("out/bad.json", "old bad\n")
        let good = scratch.file("in/good.txt", try seed("002_"))
        let bad = scratch.file("in/bad.txt", Array("%PDF-1.5\n".utf8) + [0xFF, 0])
        let run = CLIRun.run(["extract", "--out-dir", out, good, bad])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(try String(contentsOfFile: out + "/good.json", encoding: .utf8), singleJSON(good))
        XCTAssertEqual(try String(contentsOfFile: out + "/bad.json", encoding: .utf8), "old bad\n", "a failed document leaves the old output")
        XCTAssertEqual(scratch.names(in: "out"), ["bad.json", "good.json"], "no temporary file left")
    }

    func testTemporaryFilesOfDeadRunsAreRemovedAndOthersKept() throws {
        let out = scratch.folder("out")
        // A process that has ended: its PID is free.
        let ended = Process()
        ended.executableURL = URL(fileURLWithPath: "/bin/true")
        try ended.run()
        ended.waitUntilExit()
        let dead = ended.processIdentifier
        scratch.file("out/.a.json.\(dead).12345.tmp", "{\"partial\":")
        scratch.file("out/.b.json.\(getpid()).777.tmp", "a live writer's")
        scratch.file("out/.notes.tmp", "the user's")
        scratch.file("out/.c.json.abc.1.tmp", "not ours")
        let run = CLIRun.run(["extract", "--out-dir", out, scratch.file("in/a.txt", try seed("001_"))])
        XCTAssertEqual(run.status, 0, run.error)
        XCTAssertEqual(scratch.names(in: "out"), [".b.json.\(getpid()).777.tmp", ".c.json.abc.1.tmp", ".notes.tmp", "a.json"])
    }

    func testTheOutputFolderIsCreatedAndMustBeAFolder() throws {
        let input = scratch.file("a.txt", try seed("001_"))
        XCTAssertEqual(CLIRun.run(["extract", "--out-dir", scratch.path + "/new/deeper", input]).status, 0)
        XCTAssertEqual(scratch.names(in: "new/deeper"), ["a.json"])
        let file = scratch.file("plain", "x")
        let run = CLIRun.run(["extract", "--out-dir", file, input])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.error, "ofsted: error: \(file): not a folder; --out-dir needs a folder\n")
    }

    // MARK: Reporting

    func testTheSummaryCountsAndListsEachFailureInOrder() throws {
        let good = scratch.file("in/1-good.txt", try seed("002_"))
        let empty = scratch.file("in/2-empty.txt", [])
        let pdf = scratch.file("in/3-report.txt", Array("%PDF-1.4\n".utf8))
        let missing = scratch.path + "/in/4-missing.txt"
        let emptyFolder = scratch.folder("empty-folder")
        let run = CLIRun.run(["extract", "--jsonl", good, empty, missing, pdf, emptyFolder, good])
        XCTAssertEqual(run.status, 1)
        let lines = run.error.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertTrue(lines[0].hasPrefix("ofsted: 5 documents in "), run.error)
        XCTAssertTrue(lines[0].hasSuffix(" s: 1 ok, 1 with warnings, 3 failed"), run.error)
        XCTAssertEqual(Array(lines.dropFirst()), [
            "  failed: \(missing): no such file",
            "  failed: \(pdf): not a text document: a PDF file; convert it to text first (pdftotext)",
            "  failed: \(emptyFolder): no documents in this folder (*.txt, *.text, *.md, *.markdown)",
            "",
        ])
        XCTAssertEqual(run.outputText.split(separator: "\n").count, 2, "the good document (once) and the empty one")
    }

    func testAllSucceededExitsZeroAndANoteIsNotAWarning() throws {
        let text = String(decoding: try seed("002_"), as: UTF8.self)
        let clean = scratch.file("clean.txt", text)
        let cp1252 = scratch.file("cp1252.txt", Array(try XCTUnwrap(text.data(using: .windowsCP1252))))
        let run = CLIRun.run(["extract", "--jsonl", clean, cp1252])
        XCTAssertEqual(run.status, 0, run.error)
        XCTAssertTrue(run.error.hasSuffix(" s: 2 ok, 0 with warnings, 0 failed\n"), run.error)
        let lines = run.outputText.split(separator: "\n").compactMap { jsonObject(Array($0.utf8)) }
        XCTAssertEqual(lines.map(diagnosticCodes), [[], ["decode.windows-1252"]])
    }

    func testProgressIsDrawnOnlyOnATerminal() throws {
        for index in 0..<3 { scratch.file("in/\(index).txt", try seed("001_")) }
        let terminal = CLIRun.run(["extract", "--jsonl", scratch.path + "/in"], terminal: true)
        XCTAssertTrue(terminal.error.contains("\r\u{1B}[Kofsted: 3/3 documents"), terminal.error)
        XCTAssertTrue(terminal.error.contains("/s, about 0:00 left"), terminal.error)
        let plain = CLIRun.run(["extract", "--jsonl", scratch.path + "/in"])
        XCTAssertFalse(plain.error.contains("\r"), "no progress line when standard error is not a terminal")
        XCTAssertEqual(terminal.output, plain.output)
    }
}
