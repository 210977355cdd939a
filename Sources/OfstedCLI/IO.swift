import Foundation

/// The CLI's view of the outside world, so tests can run commands without a process.
public protocol CLIIO: AnyObject, Sendable {
    /// Standard output.
    func write(_ text: String)
    func write(bytes: [UInt8])
    /// Standard error.
    func writeError(_ text: String)
    func readStandardInput() -> [UInt8]
    /// Whether standard error is a terminal (progress lines are drawn only there).
    var errorIsTerminal: Bool { get }
    /// Whether standard output is a terminal (colour is used only there).
    var outputIsTerminal: Bool { get }
    var environment: [String: String] { get }
}

/// The process's standard streams. Output is buffered and written in large pieces; writes are
/// serialised so that threads of a batch can report.
public final class StandardIO: CLIIO, @unchecked Sendable {
    private let lock = NSLock()
    private var buffer: [UInt8] = []

    public init() {}

    public func write(_ text: String) { write(bytes: Array(text.utf8)) }

    public func write(bytes: [UInt8]) {
        lock.lock()
        buffer.append(contentsOf: bytes)
        let full = buffer.count >= 1 << 16
        lock.unlock()
        if full { flush() }
    }

    public func writeError(_ text: String) {
        flush()
        lock.lock()
        defer { lock.unlock() }
        FileHandle.standardError.write(Data(text.utf8))
    }

    public func flush() {
        lock.lock()
        defer { lock.unlock() }
        guard !buffer.isEmpty else { return }
        let data = Data(buffer)
        buffer.removeAll(keepingCapacity: true)
        do {
            try FileHandle.standardOutput.write(contentsOf: data)
        } catch {
            // A closed pipe (`ofsted extract … | head`): nothing more can be said there.
        }
    }

    public func readStandardInput() -> [UInt8] {
        Array(FileHandle.standardInput.readDataToEndOfFile())
    }

    public var errorIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }
    public var outputIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }
    public var environment: [String: String] { ProcessInfo.processInfo.environment }
}

/// Writing files so that a reader, or an interrupted run, sees the old file or the new one and
/// never a part of one: write a temporary file beside the target, then rename it over.
enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let temporary = directory + "/." + url.lastPathComponent + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard descriptor >= 0 else {
            throw CLIError.failure("\(path): cannot write: \(String(cString: strerror(errno)))")
        }
        var written = 0
        let ok: Bool = bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let result = Foundation.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                written += result
            }
            return fsync(descriptor) == 0 || errno == EINVAL
        }
        let failure = ok ? nil : String(cString: strerror(errno))
        close(descriptor)
        if let failure {
            unlink(temporary)
            throw CLIError.failure("\(path): cannot write: \(failure)")
        }
        if rename(temporary, path) != 0 {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CLIError.failure("\(path): cannot write: \(reason)")
        }
    }
}

/// Reading an input file, with failures that name it.
enum InputFile {
    static func read(_ path: String, io: any CLIIO) throws -> [UInt8] {
        if path == "-" { return io.readStandardInput() }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CLIError.failure("\(path): no such file")
        }
        if isDirectory.boolValue { throw CLIError.failure("\(path): is a directory") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError.failure("\(path): cannot read (permission denied?)")
        }
        return Array(data)
    }

    /// Whether two paths name the same file (so that an output never overwrites an input).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        var statA = stat()
        var statB = stat()
        if stat(a, &statA) == 0, stat(b, &statB) == 0 {
            return statA.st_dev == statB.st_dev && statA.st_ino == statB.st_ino
        }
        return URL(fileURLWithPath: a).standardizedFileURL.path == URL(fileURLWithPath: b).standardizedFileURL.path
    }
}
