import Foundation
import XCTest

/// Killing a batch midway (SIGINT, SIGTERM, SIGKILL) leaves every output either the old file or a
/// complete new one, never a part; interrupts remove temporary files, and what SIGKILL leaves is
/// hidden and cleared by the next run. These run the built `ofsted` executable.
final class InterruptTests: XCTestCase {
    let scratch = ScratchFolder("interrupt")
    static let documents = 60

    /// A batch long enough to interrupt: copies of a seed, and an old output for each.
    func prepare() throws -> (tool: URL, input: String, output: String) {
        guard let tool = BuiltTool.url else {
            XCTFail("the ofsted executable is not beside the tests; build it (swift build) first")
            throw XCTSkip("no executable")
        }
        let seed = try Array(Data(contentsOf: XCTUnwrap(Repository.corpusCases().first { $0.lastPathComponent.hasPrefix("002_") })))
        for index in 0..<Self.documents { scratch.file(String(format: "in/doc%03d.txt", index), seed) }
        for index in 0..<Self.documents { scratch.file(String(format: "out/doc%03d.json", index), "old\n") }
        return (tool, scratch.path + "/in", scratch.path + "/out")
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
            let replaced = (0..<Self.documents).filter { index in
                (try? Data(contentsOf: URL(fileURLWithPath: output + String(format: "/doc%03d.json", index))))?.count ?? 0 > 10
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
                .replacingOccurrences(of: "\"file\": \"doc000.txt\"", with: "\"file\": \"\(name.dropLast(5)).txt\"")
            XCTAssertEqual(String(decoding: data, as: UTF8.self), wanted, "\(name) is complete", file: file, line: line)
            new += 1
        }
        return new
    }

    func expectedJSON(_ input: String) -> Data {
        Data(CLIRun.run(["extract", input + "/doc000.txt"]).output)
    }

    func testInterruptLeavesOnlyCompleteOutputsAndNoTemporaryFiles() throws {
        let (tool, input, output) = try prepare()
        let expected = expectedJSON(input)
        for signal in [SIGINT, SIGTERM] {
            for index in 0..<Self.documents { scratch.file(String(format: "out/doc%03d.json", index), "old\n") }
            let (process, errors) = try start(tool, ["extract", "--out-dir", output, "--jobs", "2", input])
            waitForProgress(output, count: 4, process: process)
            XCTAssertTrue(process.isRunning, "the batch was still running when interrupted")
            kill(process.processIdentifier, signal)
            XCTAssertTrue(waitForExit(process), "it stops when interrupted")
            XCTAssertEqual(process.terminationReason, .exit)
            XCTAssertEqual(process.terminationStatus, 128 + signal)
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            XCTAssertTrue(message.hasSuffix("ofsted: interrupted; no partial output is left\n"), message)
            XCTAssertEqual(scratch.names(in: "out").filter { $0.hasPrefix(".") }, [], "no temporary file remains")
            let new = checkOutputs(output, expected: expected)
            XCTAssertGreaterThanOrEqual(new, 4)
            XCTAssertLessThan(new, Self.documents, "interrupted before the end")
        }
    }

    func testKillLeavesOnlyCompleteOutputsAndTheNextRunClearsUp() throws {
        let (tool, input, output) = try prepare()
        let expected = expectedJSON(input)
        let (process, _) = try start(tool, ["extract", "--out-dir", output, "--jobs", "2", input])
        waitForProgress(output, count: 4, process: process)
        XCTAssertTrue(process.isRunning, "the batch was still running when killed")
        kill(process.processIdentifier, SIGKILL)
        XCTAssertTrue(waitForExit(process))
        XCTAssertEqual(process.terminationReason, .uncaughtSignal)
        let new = checkOutputs(output, expected: expected)
        XCTAssertGreaterThanOrEqual(new, 4)
        XCTAssertLessThan(new, Self.documents, "killed before the end")
        // What a kill leaves is hidden, named as a temporary file of a dead process, never an output.
        for name in scratch.names(in: "out") where name.hasPrefix(".") {
            XCTAssertTrue(name.hasSuffix(".tmp") && name.contains(".json.\(process.processIdentifier)."), name)
        }

        let (again, errors) = try start(tool, ["extract", "--out-dir", output, input])
        again.waitUntilExit()
        XCTAssertEqual(again.terminationStatus, 0, String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
        XCTAssertEqual(checkOutputs(output, expected: expected), Self.documents, "every output complete")
        XCTAssertEqual(scratch.names(in: "out").filter { $0.hasPrefix(".") }, [], "the dead run's temporary files were removed")
    }
}
