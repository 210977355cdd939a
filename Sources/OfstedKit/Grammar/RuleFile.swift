/// One `.rules` file, parsed into records but not yet interpreted.
///
/// The shape is the same for every file of the grammar:
///
///     # a comment
///     kind id
///         key: value
///         key: another value
///
/// A record starts at the left margin with its kind and id; its fields are the indented
/// `key: value` lines below it, and a key may repeat. What the kinds, ids and keys mean is
/// decided by `GrammarLoader`, which reports anything it does not understand with the
/// `file:line` of the offending record or field.
struct RuleFile: Sendable {
    struct Field: Sendable {
        let key: String
        let value: String
        let line: Int
    }

    struct Record: Sendable {
        let kind: String
        let id: String
        let line: Int
        var fields: [Field]

        /// The values of every field named `key`, in file order.
        func values(_ key: String) -> [Field] { fields.filter { $0.key == key } }
    }

    let name: String
    let records: [Record]
    /// The number of the file's last line with a record or field on it.
    var lastLine: Int { records.last.map { $0.fields.last?.line ?? $0.line } ?? 1 }

    /// Parses the text of a rule file named `name` (used in error messages).
    static func parse(_ text: String, name: String) throws(GrammarError) -> RuleFile {
        var records: [Record] = []
        var lineNumber = 0
        for rawLine in lines(of: text) {
            lineNumber += 1
            let line = rawLine.trimmingTrailingWhitespace()
            let content = line.drop(while: { $0 == " " || $0 == "\t" })
            if content.isEmpty || content.first == "#" { continue }
            // U+FFFD is encoded EF BF BD: only a line with an EF byte can hold one.
            if content.containsByte(where: { $0 == 0xEF }), content.contains("\u{FFFD}") {
                throw GrammarError(file: name, line: lineNumber, message: "the file is not valid UTF-8")
            }
            let indented = content.startIndex != line.startIndex
            if !indented {
                let parts = content.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard parts.count == 2 else {
                    throw GrammarError(file: name, line: lineNumber,
                                       message: "expected a record header `kind id` at the left margin, found `\(content)`; indent field lines")
                }
                guard parts.allSatisfy(isIdentifier) else {
                    throw GrammarError(file: name, line: lineNumber,
                                       message: "a record's kind and id are made of letters, digits, '-', '_' and '.': `\(content)`")
                }
                records.append(Record(kind: String(parts[0]), id: String(parts[1]), line: lineNumber, fields: []))
                continue
            }
            guard !records.isEmpty else {
                throw GrammarError(file: name, line: lineNumber, message: "a field line must follow a record header `kind id`")
            }
            // In an ASCII line every byte is a character: the colon is found among the bytes.
            let ascii = !content.containsByte(where: { $0 >= 0x80 })
            guard let colon = ascii ? content.utf8.firstIndex(of: 0x3A) : content.firstIndex(of: ":") else {
                throw GrammarError(file: name, line: lineNumber, message: "expected `key: value`, found `\(content)`")
            }
            let key = content[..<colon].trimmingCharacters(in: " \t")
            let value = content[content.index(after: colon)...].trimmingCharacters(in: " \t")
            guard !key.isEmpty, isIdentifier(Substring(key)) else {
                throw GrammarError(file: name, line: lineNumber, message: "`\(key)` is not a field name")
            }
            guard !value.isEmpty else {
                throw GrammarError(file: name, line: lineNumber, message: "the field `\(key)` has no value")
            }
            records[records.count - 1].fields.append(Field(key: key, value: value, line: lineNumber))
        }
        return RuleFile(name: name, records: records)
    }

    /// The lines of `text`, split at LF, CRLF and CR: what splitting the characters "\n", "\r\n"
    /// and "\r" gives (a line feed or carriage return is always a character of its own), found
    /// in the bytes.
    private static func lines(of text: String) -> [Substring] {
        var lines: [Substring] = []
        let utf8 = text.utf8
        var start = utf8.startIndex
        var index = start
        while index < utf8.endIndex {
            let byte = utf8[index]
            guard byte == 0x0A || byte == 0x0D else {
                index = utf8.index(after: index)
                continue
            }
            lines.append(text[start..<index])
            index = utf8.index(after: index)
            if byte == 0x0D, index < utf8.endIndex, utf8[index] == 0x0A { index = utf8.index(after: index) }
            start = index
        }
        lines.append(text[start..<utf8.endIndex])
        return lines
    }

    private static func isIdentifier(_ text: Substring) -> Bool {
        if !text.containsByte(where: { $0 >= 0x80 }) {
            // ASCII: letters, digits, '-', '_' and '.' are those bytes.
            return !text.isEmpty && text.utf8.allSatisfy { byte in
                (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                    || byte == 0x2D || byte == 0x5F || byte == 0x2E
            }
        }
        return !text.isEmpty && text.unicodeScalars.allSatisfy { scalar in
            (scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)))
                || scalar == "-" || scalar == "_" || scalar == "."
        }
    }
}

/// A grammar that cannot be loaded: names the file and line at fault.
///
/// Printed as `file:line: error: message`, the form editors and CI logs link to.
public struct GrammarError: Error, CustomStringConvertible, Sendable, Equatable {
    public let file: String
    public let line: Int
    public let message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { "\(file):\(line): error: \(message)" }
}

extension Substring {
    func trimmingTrailingWhitespace() -> Substring {
        // A last byte other than a space or tab ends a character that is neither.
        if let last = utf8.last, last != 0x20, last != 0x09 { return self }
        var end = endIndex
        while end > startIndex {
            let before = index(before: end)
            guard self[before] == " " || self[before] == "\t" else { break }
            end = before
        }
        return self[startIndex..<end]
    }

    func trimmingCharacters(in set: String) -> String {
        // Characters of an ASCII set are single bytes: ends whose bytes are not in it stay.
        if let first = utf8.first, let last = utf8.last, set.utf8.allSatisfy({ $0 < 0x80 }),
           !set.utf8.contains(first), !set.utf8.contains(last) {
            return String(self)
        }
        var start = startIndex
        var end = endIndex
        while start < end, set.contains(self[start]) { start = index(after: start) }
        while end > start, set.contains(self[index(before: end)]) { end = index(before: end) }
        return String(self[start..<end])
    }
}
