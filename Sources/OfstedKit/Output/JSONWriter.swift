/// A small JSON writer that keeps keys in the order written and writes nulls.
///
/// Foundation's `JSONEncoder` on Linux drops nil optionals and escapes "/", and its key order is
/// not a promise; the contract wants a stable order, explicit nulls and a trailing newline.
struct JSONWriter {
    private(set) var output: [UInt8] = []
    private var indent = 0
    private var needsComma: [Bool] = [false]
    let pretty: Bool

    init(pretty: Bool = true) {
        self.pretty = pretty
        output.reserveCapacity(4096)
    }

    mutating func beginObject(_ key: String? = nil) { open(key, 0x7B) }
    mutating func endObject() { close(0x7D) }
    mutating func beginArray(_ key: String? = nil) { open(key, 0x5B) }
    mutating func endArray() { close(0x5D) }

    mutating func string(_ key: String?, _ value: String?) {
        element(key)
        if let value { Self.appendString(value, to: &output) } else { output.append(contentsOf: Self.null) }
    }

    mutating func int(_ key: String?, _ value: Int?) {
        element(key)
        if let value { output.append(contentsOf: Array(String(value).utf8)) } else { output.append(contentsOf: Self.null) }
    }

    mutating func bool(_ key: String?, _ value: Bool) {
        element(key)
        output.append(contentsOf: Array((value ? "true" : "false").utf8))
    }

    mutating func double(_ key: String?, _ value: Double) {
        element(key)
        output.append(contentsOf: Array((value.isFinite ? String(format4: value) : "null").utf8))
    }

    mutating func null(_ key: String?) {
        element(key)
        output.append(contentsOf: Self.null)
    }

    /// The document with a trailing newline.
    func finished() -> [UInt8] { output + [0x0A] }

    // MARK: Internals

    private static let null: [UInt8] = Array("null".utf8)

    private mutating func open(_ key: String?, _ bracket: UInt8) {
        element(key)
        output.append(bracket)
        indent += 1
        needsComma.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        let hadElements = needsComma.removeLast()
        indent -= 1
        if pretty && hadElements { newline() }
        output.append(bracket)
    }

    private mutating func element(_ key: String?) {
        if needsComma[needsComma.count - 1] { output.append(0x2C) }
        needsComma[needsComma.count - 1] = true
        if pretty && indent > 0 { newline() }
        if let key {
            Self.appendString(key, to: &output)
            output.append(0x3A)
            if pretty { output.append(0x20) }
        }
    }

    private mutating func newline() {
        output.append(0x0A)
        for _ in 0..<(indent * 2) { output.append(0x20) }
    }

    static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(0x22)
        for byte in value.utf8 {
            switch byte {
            case 0x22: out.append(contentsOf: [0x5C, 0x22])
            case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: out.append(contentsOf: [0x5C, 0x6E])
            case 0x0D: out.append(contentsOf: [0x5C, 0x72])
            case 0x09: out.append(contentsOf: [0x5C, 0x74])
            case 0..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(0x22)
    }
}

extension String {
    /// A double with up to four decimals, without a trailing ".0000".
    init(format4 value: Double) {
        let scaled = (value * 10000).rounded() / 10000
        if scaled == scaled.rounded() && abs(scaled) < 1e15 {
            self = String(Int(scaled))
        } else {
            self = String(scaled)
        }
    }
}
