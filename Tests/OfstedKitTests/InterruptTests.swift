import Foundation
import XCTest

/// Killing a batch midway (SIGINT, SIGTERM, SIGKILL) leaves every output either the old file or a
/// complete new one, never a part; interrupts remove temporary files, and what SIGKILL leaves is
/// hidden and cleared by the next run. These run the built `ofsted` executable.
final class InterruptTests: XCTestCase {
    let scratch = ScratchFolder("interrupt")
    var documents = 60

    /// A batch long enough to interrupt: copies of a seed, and an old output for each.
    func prepare() throws -> (tool: URL, input: String, output: String) {
        guard let tool = BuiltTool.url else {
            XCTFail("the ofsted executable is not beside the tests; build it (swift build) first")
            throw XCTSkip("no executable")
        }
        try? FileManager.default.removeItem(atPath: scratch.path + "/in")
        let seed = try Array(Data(contentsOf: XCTUnwrap(Repository.corpusCases().first { $0.lastPathComponent.hasPrefix("002_") })))
        for index in 0..<documents { scratch.file(String(format: "in/doc%04d.txt", index), seed) }
        resetOutputs()
        return (tool, scratch.path + "/in", scratch.path + "/out")
    }

    func resetOutputs() {
        try? FileManager.default.removeItem(atPath: scratch.path + "/out")
        for index in 0..<documents { scratch.file(String(format: "out/doc%04d.json", index), "old\n") }
    }

    /// Starts the batch and waits until a few outputs are written; when the batch was too quick to
    /// be caught running, starts again with four times the documents.
    func startAndWait(_ arguments: (String, String) -> [String]) throws -> (tool: URL, output: String, process: Process, errors: Pipe) {
        while true {
            let (tool, input, output) = try prepare()
            let (process, errors) = try start(tool, arguments(input, output))
            waitForProgress(output, count: 4, process: process)
            if process.isRunning { return (tool, output, process, errors) }
            process.waitUntilExit()
            guard documents < 4000 else {
                XCTFail("the batch ends before it can be interrupted")
                throw XCTSkip("too quick")
            }
            documents *= 4
        }
    }

    func start(_ tool: URL, _ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = tool
        process.arguments = arguments
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, errors)
    }

    /// Waits until `count` outputs have been replaced (or the process ended).
    func waitForProgress(_ output: String, count: Int, process: Process) {
        let deadline = Date().addingTimeInterval(300)
        while Date() < deadline && process.isRunning {
            let replaced = (0..<documents).filter { index in
                (try? Data(contentsOf: URL(fileURLWithPath: output + String(format: "/doc%04d.json", index))))?.count ?? 0 > 10
            }.count
            if replaced >= count { return }
            usleep(20_000)
        }
    }

    func waitForExit(_ process: Process) -> Bool {
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        return !process.isRunning
    }

    /// Every visible file is `old` or the complete JSON for its document; returns how many are new.
    func checkOutputs(_ output: String, expected: Data, file: StaticString = #filePath, line: UInt = #line) -> Int {
        var new = 0
        for name in scratch.names(in: "out") where !name.hasPrefix(".") {
            let data = (try? Data(contentsOf: URL(fileURLWithPath: output + "/" + name))) ?? Data()
            if data == Data("old\n".utf8) { continue }
            let wanted = String(decoding: expected, as: UTF8.self)
                .replacingOccurrences(of: "\"file\": \"doc0000.txt\"", with: "\"file\": \"\(name.dropLast(5)).txt\"")
            XCTAssertEqual(String(decoding: data, as: UTF8.self), wanted, "\(name) is complete", file: file, line: line)
            new += 1
        }
        return new
    }

    func expectedJSON(_ input: String) -> Data {
        Data(CLIRun.run(["extract", input + "/doc0000.txt"]).output)
    }

    func testInterruptLeavesOnlyCompleteOutputsAndNoTemporaryFiles() throws {
        for signal in [SIGINT, SIGTERM] {
            let (_, output, process, errors) = try startAndWait { ["extract", "--out-dir", $1, "--jobs", "2", $0] }
            let expected = expectedJSON(scratch.path + "/in")
            kill(process.processIdentifier, signal)
            XCTAssertTrue(waitForExit(process), "it stops when interrupted")
            XCTAssertEqual(process.terminationReason, .exit)
            XCTAssertEqual(process.terminationStatus, 128 + signal)
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            XCTAssertTrue(message.hasSuffix("ofsted: interrupted; no partial output is left\n"), message)
            XCTAssertEqual(scratch.names(in: "out").filter { $0.hasPrefix(".") }, [], "no temporary file remains")
            let new = checkOutputs(output, expected: expected)
            XCTAssertGreaterThanOrEqual(new, 4)
            XCTAssertLessThan(new, documents, "interrupted before the end")
        }
    }

    func testKillLeavesOnlyCompleteOutputsAndTheNextRunClearsUp() throws {
        let (tool, output, process, _) = try startAndWait { ["extract", "--out-dir", $1, "--jobs", "2", $0] }
        let input = scratch.path + "/in"
        let expected = expectedJSON(input)
        kill(process.processIdentifier, SIGKILL)
        XCTAssertTrue(waitForExit(process))
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        let new = checkOutputs(output, expected: expected)
        XCTAssertGreaterThanOrEqual(new, 4)
        XCTAssertLessThan(new, documents, "killed before the end")
        // What a kill leaves is hidden, named as a temporary file of a dead process, never an output.
        for name in scratch.names(in: "out") where name.hasPrefix(".") {
            XCTAssertTrue(name.hasSuffix(".tmp") && name.contains(".json.\(process.processIdentifier)."), name)
        }

        let (again, errors) = try start(tool, ["extract", "--out-dir", output, input])
        again.waitUntilExit()
        XCTAssertEqual(again.terminationStatus, 0, String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        XCTAssertEqual(checkOutputs(output, expected: expected), documents, "every output complete")
        XCTAssertEqual(scratch.names(in: "out").filter { $0.hasPrefix(".") }, [], "the dead run's temporary files were removed")
    }
}
