/// The input decoded to UTF-8 and cut into lines, each keeping its number in the input as given.
///
/// - UTF-8, with or without a byte order mark, is taken as it is.
/// - UTF-16 with a byte order mark is transcoded.
/// - Bytes that are not valid UTF-8 are read as Windows-1252 (older council papers) and
///   `encoding` says so.
/// - LF, CRLF and CR all end a line; a form feed marks a page break on the line it is on and is
///   not a line end, so line numbers match what an editor shows.
/// - Input that is not text at all (a PDF, an image, NUL bytes) is recognised, not parsed.
struct SourceText: Sendable {
    enum Encoding: String, Sendable {
        case utf8 = "utf-8"
        case utf16LE = "utf-16le"
        case utf16BE = "utf-16be"
        case windows1252 = "windows-1252"
    }

    /// A line: a byte range of `utf8`, and whether a page break (form feed) falls on it.
    struct Line: Sendable {
        let start: Int
        let end: Int
        let pageBreak: Bool
    }

    let encoding: Encoding
    let hadBOM: Bool
    /// The text as UTF-8. For UTF-8 input this is the input itself, byte order mark and all.
    let utf8: [UInt8]
    let lines: [Line]
    /// Why the input is not text, when it is not ("a PDF file", "binary data").
    let notText: String?
    /// How many bytes were not UTF-8 (and were read as Windows-1252), or could not be decoded
    /// at all (UTF-16 errors, which become U+FFFD).
    let replacements: Int

    init(bytes: [UInt8]) {
        var encoding = Encoding.utf8
        var hadBOM = false
        var text = bytes
        var contentStart = 0
        var replacements = 0
        var notText: String? = nil

        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            hadBOM = true
            contentStart = 3
        } else if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            hadBOM = true
            encoding = bytes[0] == 0xFF ? .utf16LE : .utf16BE
            (text, replacements) = SourceText.transcodeUTF16(bytes, littleEndian: encoding == .utf16LE)
        }
        if encoding == .utf8 {
            notText = SourceText.binaryKind(bytes)
            if notText == nil, !SourceText.isValidUTF8(bytes, from: contentStart) {
                encoding = .windows1252
                (text, replacements) = SourceText.transcodeWindows1252(bytes, from: contentStart)
                contentStart = 0
            }
        }
        self.encoding = encoding
        self.hadBOM = hadBOM
        self.utf8 = text
        self.notText = notText
        self.replacements = replacements
        self.lines = notText == nil ? SourceText.splitLines(text, from: encoding == .utf8 ? contentStart : 0) : []
    }

    /// The text of line `index` (0-based) as a String, form feeds removed.
    func string(_ line: Line) -> String {
        utf8.withUnsafeBufferPointer { buffer in
            let slice = UnsafeBufferPointer(rebasing: buffer[line.start..<line.end])
            if line.pageBreak { return String(decoding: slice.filter { $0 != 0x0C }, as: UTF8.self) }
            return String(decoding: slice, as: UTF8.self)
        }
    }

    // MARK: Lines

    private static func splitLines(_ bytes: [UInt8], from start: Int) -> [Line] {
        var lines: [Line] = []
        lines.reserveCapacity(bytes.count / 40 + 1)
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let raw = UnsafeRawPointer(base)
            var lineStart = start
            var pageBreak = false
            var i = start
            let count = buffer.count
            while i < count {
                // Eight bytes at a time while none of them is a line end or form feed (0x0A,
                // 0x0C, 0x0D: no byte of them is 0x0D or less).
                if i + 8 <= count, !hasByte(lessThan: 0x0E, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
                    i += 8
                    continue
                }
                let byte = buffer[i]
                if byte > 0x0D {
                    i += 1
                    continue
                }
                switch byte {
                case 0x0A:
                    lines.append(Line(start: lineStart, end: i, pageBreak: pageBreak))
                    pageBreak = false
                    lineStart = i + 1
                case 0x0D:
                    lines.append(Line(start: lineStart, end: i, pageBreak: pageBreak))
                    pageBreak = false
                    if i + 1 < count, buffer[i + 1] == 0x0A { i += 1 }
                    lineStart = i + 1
                case 0x0C:
                    pageBreak = true
                default:
                    break
                }
                i += 1
            }
            if lineStart < count || pageBreak {
                lines.append(Line(start: lineStart, end: count, pageBreak: pageBreak))
            }
        }
        return lines
    }

    /// Whether one of the eight bytes of `word` is below `limit` (at most 0x80): the borrow of
    /// subtracting `limit` from each byte shows in its top bit only where the byte was smaller.
    @inline(__always)
    static func hasByte(lessThan limit: UInt8, _ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        return (word &- ones &* UInt64(limit)) & ~word & (ones &* 0x80) != 0
    }

    /// Whether one of the eight bytes of `word` is `byte`: exactly there, `word ^ byte…byte` has
    /// a byte below 1.
    @inline(__always)
    static func hasByte(_ byte: UInt8, _ word: UInt64) -> Bool {
        hasByte(lessThan: 1, word ^ (0x0101_0101_0101_0101 &* UInt64(byte)))
    }

    // MARK: Encodings

    /// Whether `bytes` (from `start`) are well-formed UTF-8.
    static func isValidUTF8(_ bytes: [UInt8], from start: Int) -> Bool {
        let count = bytes.count
        var i = start
        while i < count {
            // Eight ASCII bytes at a time.
            if i + 8 <= count {
                let word = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: i, as: UInt64.self) }
                if word & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
            }
            if bytes[i] < 0x80 {
                i += 1
                continue
            }
            let length = validSequenceLength(bytes, at: i)
            if length == 0 { return false }
            i += length
        }
        return true
    }

    /// Windows-1252's bytes 0x80–0x9F; the rest of the code page is Latin-1. Unassigned bytes
    /// (0x81, 0x8D, 0x8F, 0x90, 0x9D) become U+FFFD.
    private static let windows1252High: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]

    /// Decodes `bytes` as UTF-8 where they are well-formed and as Windows-1252 where they are
    /// not, so that a council paper saved in 1252 — or pasted together from both — reads right.
    /// Returns the UTF-8 text and how many bytes fell back to 1252.
    private static func transcodeWindows1252(_ bytes: [UInt8], from start: Int) -> ([UInt8], Int) {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        var fellBack = 0
        var i = start
        while i < bytes.count {
            let byte = bytes[i]
            if byte < 0x80 {
                out.append(byte)
                i += 1
                continue
            }
            let length = validSequenceLength(bytes, at: i)
            if length > 0 {
                out.append(contentsOf: bytes[i..<(i + length)])
                i += length
                continue
            }
            fellBack += 1
            let value = byte < 0xA0 ? windows1252High[Int(byte - 0x80)] : UInt32(byte)
            appendUTF8(value, to: &out)
            i += 1
        }
        return (out, fellBack)
    }

    /// The length of the well-formed UTF-8 sequence at `i`, or 0.
    private static func validSequenceLength(_ bytes: [UInt8], at i: Int) -> Int {
        let lead = bytes[i]
        let length: Int
        let minimum: UInt32
        var value: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; minimum = 0x80; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; minimum = 0x800; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; minimum = 0x10000; value = UInt32(lead & 0x07)
        default: return 0
        }
        guard i + length <= bytes.count else { return 0 }
        for j in 1..<length {
            let byte = bytes[i + j]
            guard byte & 0xC0 == 0x80 else { return 0 }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        if value < minimum || value > 0x10FFFF || (0xD800...0xDFFF).contains(value) { return 0 }
        return length
    }

    private static func transcodeUTF16(_ bytes: [UInt8], littleEndian: Bool) -> ([UInt8], Int) {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count / 2)
        var i = 2
        while i + 1 < bytes.count {
            let unit = littleEndian ? UInt16(bytes[i]) | UInt16(bytes[i + 1]) << 8 : UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1])
            units.append(unit)
            i += 2
        }
        var out: [UInt8] = []
        out.reserveCapacity(units.count)
        var replaced = bytes.count % 2
        var iterator = units.makeIterator()
        var decoder = UTF16()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): appendUTF8(scalar.value, to: &out)
            case .error:
                replaced += 1
                appendUTF8(0xFFFD, to: &out)
            case .emptyInput: break loop
            }
        }
        return (out, replaced)
    }

    private static func appendUTF8(_ value: UInt32, to out: inout [UInt8]) {
        switch value {
        case 0..<0x80:
            out.append(UInt8(value))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | value >> 6))
            out.append(UInt8(0x80 | value & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | value >> 12))
            out.append(UInt8(0x80 | value >> 6 & 0x3F))
            out.append(UInt8(0x80 | value & 0x3F))
        default:
            out.append(UInt8(0xF0 | value >> 18))
            out.append(UInt8(0x80 | value >> 12 & 0x3F))
            out.append(UInt8(0x80 | value >> 6 & 0x3F))
            out.append(UInt8(0x80 | value & 0x3F))
        }
    }

    // MARK: Not text

    /// What the input is when it is not a text document, judged from its first bytes.
    static func binaryKind(_ bytes: [UInt8]) -> String? {
        let signatures: [([UInt8], String)] = [
            (Array("%PDF-".utf8), "a PDF file; convert it to text first (pdftotext)"),
            ([0x89, 0x50, 0x4E, 0x47], "a PNG image"),
            ([0xFF, 0xD8, 0xFF], "a JPEG image"),
            (Array("GIF8".utf8), "a GIF image"),
            ([0x50, 0x4B, 0x03, 0x04], "a ZIP archive (a .docx or .xlsx?); save it as text first"),
            ([0xD0, 0xCF, 0x11, 0xE0], "an old Office document; save it as text first"),
            (Array("{\\rtf".utf8), "an RTF document; save it as text first"),
        ]
        for (signature, kind) in signatures where bytes.starts(with: signature) { return kind }
        // Text has no NUL bytes and few control characters.
        let sample = bytes.prefix(65536)
        var controls = 0
        sample.withUnsafeBufferPointer { sample in
            guard let base = sample.baseAddress else { return }
            let raw = UnsafeRawPointer(base)
            var i = 0
            while i < sample.count {
                // Eight bytes at a time while none is a control character.
                if i + 8 <= sample.count, !hasByte(lessThan: 0x20, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) {
                    i += 8
                    continue
                }
                let byte = sample[i]
                if byte == 0 { controls = -1; return }
                if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D && byte != 0x0C && byte != 0x1B { controls += 1 }
                i += 1
            }
        }
        if controls < 0 { return "binary data (it contains NUL bytes)" }
        if !sample.isEmpty && controls * 20 > sample.count { return "binary data (it is mostly control characters)" }
        return nil
    }
}
