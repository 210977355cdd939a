import Foundation
import OfstedCLI
import XCTest

/// Standard streams in memory, so that tests run CLI commands without a process.
final class BatchTestIO: CLIIO, @unchecked Sendable {
    private let lock = NSLock()
    private var out: [UInt8] = []
    private var err = ""
    let input: [UInt8]
    let errorIsTerminal: Bool
    let outputIsTerminal = false
    let environment: [String: String] = [:]

    init(input: [UInt8] = [], errorIsTerminal: Bool = false) {
        self.input = input
        self.errorIsTerminal = errorIsTerminal
    }

    func write(_ text: String) { write(bytes: Array(text.utf8)) }

    func write(bytes: [UInt8]) {
        lock.lock()
        out += bytes
        lock.unlock()
    }

    func writeError(_ text: String) {
        lock.lock()
        err += text
        lock.unlock()
    }

    func readStandardInput() -> [UInt8] { input }

    var output: [UInt8] { lock.lock(); defer { lock.unlock() }; return out }
    var outputText: String { String(decoding: output, as: UTF8.self) }
    var errorText: String { lock.lock(); defer { lock.unlock() }; return err }
}

/// What one in-process run of the CLI gave.
struct CLIRun {
    let status: Int32
    let output: [UInt8]
    let error: String

    var outputText: String { String(decoding: output, as: UTF8.self) }

    /// Runs `ofsted ARGUMENTS` in this process.
    static func run(_ arguments: [String], input: [UInt8] = [], terminal: Bool = false) -> CLIRun {
        let io = BatchTestIO(input: input, errorIsTerminal: terminal)
        let status = CLI.run(arguments, io: io)
        return CLIRun(status: status, output: io.output, error: io.errorText)
    }
}

/// A folder in the system's temporary directory, removed with its contents when released.
final class ScratchFolder: @unchecked Sendable {
    let url: URL
    var path: String { url.path }

    init(_ label: String = "ofsted") {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(getpid())-\(UUID().uuidString.prefix(8))")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        // Leave it readable and writable again (a test may have made parts of it unreadable).
        if let enumerator = FileManager.default.enumerator(atPath: url.path) {
            for case let name as String in enumerator { chmod(url.appendingPathComponent(name).path, 0o755) }
        }
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `bytes` to `name` inside the folder (creating folders on the way); its path.
    @discardableResult
    func file(_ name: String, _ bytes: [UInt8]) -> String {
        let target = url.appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: target.path, contents: Data(bytes))
        return target.path
    }

    @discardableResult
    func file(_ name: String, _ text: String) -> String { file(name, Array(text.utf8)) }

    @discardableResult
    func folder(_ name: String) -> String {
        let target = url.appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        return target.path
    }

    /// The names in `folder` (relative to this one), sorted, hidden ones included.
    func names(in folder: String = "") -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.appendingPathComponent(folder).path)) ?? []).sorted()
    }
}

/// The built `ofsted` executable, beside the test bundle in the build products folder.
enum BuiltTool {
    static var url: URL? {
        var candidates: [URL] = []
        if let first = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: first).deletingLastPathComponent().appendingPathComponent("ofsted"))
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("ofsted"))
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("ofsted"))
        candidates.append(Repository.root.appendingPathComponent(".build/debug/ofsted"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}

/// Runs `body` on another thread; fails the test, and returns nil, if it has not finished after
/// `seconds`. A hang detector with a generous bound, not a speed test.
func withWatchdog<T>(seconds: Double, _ label: String, file: StaticString = #filePath, line: UInt = #line,
                     _ body: @escaping @Sendable () -> T) -> T? {
    let box = WatchdogBox<T>()
    let done = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
        box.value = body()
        done.signal()
    }
    guard done.wait(timeout: .now() + seconds) == .success else {
        XCTFail("\(label) did not finish within \(Int(seconds)) s", file: file, line: line)
        return nil
    }
    return box.value
}

final class WatchdogBox<T>: @unchecked Sendable {
    var value: T?
}

/// The JSON object in `bytes`, or nil.
func jsonObject(_ bytes: [UInt8]) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
}

/// The diagnostic codes of an extraction's JSON.
func diagnosticCodes(_ object: [String: Any]) -> [String] {
    (object["diagnostics"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
}
