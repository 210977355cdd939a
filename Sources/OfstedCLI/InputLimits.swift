import Foundation

/// How large one input document may be, so that the memory a batch uses stays bounded.
///
/// Extraction holds a document's bytes, its decoded text, a token per line and the tree, about
/// 30 bytes per input byte plus 150 per line at worst (measured on a 10 MB single line and a
/// million blank lines). A document above either limit is refused with a message that names it,
/// before it is extracted: the default limits keep one document under about 800 MB in the worst
/// case, where reports are 20–150 KB and take 20–40 MB.
struct InputLimits: Sendable, Equatable {
    /// The default for `--max-size`, in MiB.
    static let defaultMegabytes = 16
    /// Lines a document may have: far more than any report (a few thousand), and a million blank lines pass.
    static let defaultMaxLines = 2_000_000

    var maxBytes: Int = defaultMegabytes << 20
    var maxLines: Int = defaultMaxLines

    /// Why `bytes` are over a limit, or nil.
    func problem(with bytes: [UInt8]) -> String? {
        if bytes.count > maxBytes { return tooLarge(bytes.count) }
        // Every line takes at least a byte: a document no longer than the limit is within it,
        // without a pass over its bytes.
        if bytes.count <= maxLines { return nil }
        let lines = Self.lineCount(bytes)
        if lines > maxLines {
            return "too many lines (\(lines); the limit is \(maxLines))"
        }
        return nil
    }

    func tooLarge(_ size: Int, atLeast: Bool = false) -> String {
        "too large (\(atLeast ? "over " : "")\(Self.megabytes(size)); the limit is \(Self.megabytes(maxBytes)), see --max-size)"
    }

    static func megabytes(_ bytes: Int) -> String {
        let value = Double(bytes) / 1_048_576
        return value >= 10 || value == value.rounded() ? "\(Int(value.rounded())) MB" : String(format: "%.1f MB", value)
    }

    /// Lines as `SourceText` counts them: each ends with LF, CRLF or CR, or at the end of the
    /// input (UTF-16's LF and CR bytes count too, which only overestimates).
    static func lineCount(_ bytes: [UInt8]) -> Int {
        bytes.withUnsafeBufferPointer { buffer in
            var count = 0
            var index = 0
            let end = buffer.count
            while index < end {
                let byte = buffer[index]
                if byte == 0x0A || (byte == 0x0D && (index + 1 == end || buffer[index + 1] != 0x0A)) { count += 1 }
                index += 1
            }
            if let last = buffer.last, last != 0x0A && last != 0x0D { count += 1 }
            return count
        }
    }
}

/// Reading one input document with failures that name it and never read more than the limit.
enum DocumentReader {
    /// The bytes of `path` (`-` is standard input), or why they cannot be had.
    ///
    /// A directory, a missing or unreadable file, and a file above `limits.maxBytes` are refused;
    /// a file larger than the limit is refused from its size without being read, and a stream (a
    /// pipe, a device) is read only up to the limit.
    static func read(_ path: String, limits: InputLimits, io: any CLIIO) -> Result<[UInt8], Failure> {
        if path == "-" {
            let bytes = io.readStandardInput(limit: limits.maxBytes + 1)
            if bytes.count > limits.maxBytes { return .failure(Failure(limits.tooLarge(limits.maxBytes, atLeast: true))) }
            return .success(bytes)
        }
        // Non-blocking, so that a named pipe nobody writes to reads as empty instead of waiting
        // forever; blocking again for the reads.
        let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { return .failure(Failure(errno: errno)) }
        defer { close(descriptor) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) & ~O_NONBLOCK)
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failure(Failure(errno: errno)) }
        let type = info.st_mode & S_IFMT
        if type == S_IFDIR { return .failure(Failure("is a directory")) }
        if type == S_IFREG && Int(info.st_size) > limits.maxBytes { return .failure(Failure(limits.tooLarge(Int(info.st_size)))) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(type == S_IFREG ? Int(info.st_size) : 1 << 16)
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { Foundation.read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(Failure(errno: errno))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > limits.maxBytes { return .failure(Failure(limits.tooLarge(limits.maxBytes, atLeast: true))) }
        }
        return .success(bytes)
    }

    /// Why a document could not be read: a short reason, shown after its path.
    struct Failure: Error, Equatable {
        let reason: String

        init(_ reason: String) { self.reason = reason }

        init(errno code: Int32) {
            switch code {
            case ENOENT: reason = "no such file"
            case EACCES, EPERM: reason = "cannot read: permission denied"
            case EISDIR: reason = "is a directory"
            case ENOTDIR: reason = "no such file (a folder on its path is a file)"
            default: reason = "cannot read: \(String(cString: strerror(code)))"
            }
        }
    }
}
