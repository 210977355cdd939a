import Foundation

/// The CLI's view of the outside world, so tests can run commands without a process.
public protocol CLIIO: AnyObject, Sendable {
    /// Standard output.
    func write(_ text: String)
    func write(bytes: [UInt8])
    /// Standard error.
    func writeError(_ text: String)
    func readStandardInput() -> [UInt8]
    /// Standard input, up to `limit` bytes (more are left unread).
    func readStandardInput(limit: Int) -> [UInt8]
    /// Whether standard error is a terminal (progress lines are drawn only there).
    var errorIsTerminal: Bool { get }
    /// Whether standard output is a terminal (colour is used only there).
    var outputIsTerminal: Bool { get }
    var environment: [String: String] { get }
}

extension CLIIO {
    public func readStandardInput(limit: Int) -> [UInt8] { Array(readStandardInput().prefix(limit)) }
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

    /// Flushes standard output unless another thread is writing it (an interrupt must not wait
    /// on a pipe nobody reads).
    func flushIfIdle() {
        guard lock.try() else { return }
        lock.unlock()
        flush()
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

    public func readStandardInput(limit: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < limit {
            guard let data = try? FileHandle.standardInput.read(upToCount: min(1 << 16, limit - bytes.count)), !data.isEmpty else { break }
            bytes.append(contentsOf: data)
        }
        return bytes
    }

    public var errorIsTerminal: Bool { isatty(STDERR_FILENO) != 0 }
    public var outputIsTerminal: Bool { isatty(STDOUT_FILENO) != 0 }
    public var environment: [String: String] { ProcessInfo.processInfo.environment }
}

/// Writing files so that a reader, or an interrupted run, sees the old file or the new one and
/// never a part of one: write a temporary file beside the target, then rename it over.
///
/// The temporary file is hidden and named `.NAME.PID.RANDOM.tmp`, so that a run killed before it
/// could clean up (SIGKILL) leaves nothing that looks like an output; `removeStale(in:)` clears
/// such leftovers of dead processes. An interrupt (SIGINT, SIGTERM) removes them at once: see
/// `TemporaryFiles`.
enum AtomicFile {
    static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var name = url.lastPathComponent
        while name.utf8.count > 200 { name.removeLast() }  // room for the suffix within NAME_MAX
        let temporary = directory + "/." + name + ".\(getpid()).\(UInt32.random(in: 0...UInt32.max)).tmp"
        let files = TemporaryFiles.shared
        let descriptor = files.create(temporary)
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
            files.discard(temporary)
            throw CLIError.failure("\(path): cannot write: \(failure)")
        }
        if files.commit(temporary, to: path) != 0 {
            let reason = String(cString: strerror(errno))
            files.discard(temporary)
            throw CLIError.failure("\(path): cannot write: \(reason)")
        }
    }

    /// Removes the temporary files of `.json` outputs in `directory` that processes no longer
    /// running left behind (killed with SIGKILL, or by a power cut); returns how many.
    @discardableResult
    static func removeStale(in directory: String) -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return 0 }
        var removed = 0
        for name in names where name.hasPrefix(".") && name.hasSuffix(".tmp") {
            let parts = name.dropLast(".tmp".count).split(separator: ".", omittingEmptySubsequences: false)
            guard parts.count >= 5, parts[parts.count - 3] == "json",
                  let pid = Int32(parts[parts.count - 2]), pid > 0, UInt32(parts[parts.count - 1]) != nil else { continue }
            if kill(pid, 0) == 0 || errno != ESRCH { continue }  // its writer may still be running
            if unlink(directory + "/" + name) == 0 { removed += 1 }
        }
        return removed
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
