/// A word of text as the grammar sees it: lowercased, curly quotes folded, with the range it
/// came from so that a match can be reported as written.
///
/// Punctuation that patterns use (`,` `;` `:` `(` `)` `/` `-`) is a word of its own; a hyphen
/// between letters ("well-being") separates two words; "&" is the word "and"; quotes and other
/// marks separate words and are dropped.
struct Word: Sendable, Equatable {
    let text: String
    /// `WordHash.id(text)`: what matching compares.
    let id: WordID
    /// Offsets in the source's UTF-8, so that ranges survive copying the source.
    let start: Int
    let end: Int
    /// True when the word began with a capital letter in the source ("Reading", not "reading").
    let capitalized: Bool
}

/// A piece of source text cut into `Word`s.
///
/// The lexer reads the source's UTF-8 bytes: ASCII, nearly all of every report, takes a fast
/// path; any other scalar is decoded and judged by its Unicode properties.
struct Words: Sendable {
    let source: String
    let words: [Word]

    init(_ source: String) {
        self.source = source
        self.words = source.withUTF8Bytes { bytes in
            var sink = WordList(bytes: bytes)
            var lexer = WordLexer(bytes: bytes)
            lexer.run(&sink)
            return sink.words
        }
    }

    var count: Int { words.count }
    subscript(index: Int) -> Word { words[index] }

    /// The ids of the words `Words(source)` would give (the first `limit` of them), without
    /// making their texts: for deciding whether a text is worth cutting into words.
    static func ids(_ source: some StringProtocol, limit: Int = .max) -> [WordID] {
        source.utf8.withContiguousBytes { bytes in
            var sink = WordIDList(limit: limit)
            var lexer = WordLexer(bytes: bytes)
            lexer.run(&sink)
            return sink.ids
        }
    }

    /// The source text of `words[range]`, as written.
    func text(_ range: Range<Int>) -> String {
        guard !range.isEmpty else { return "" }
        return slice(words[range.lowerBound].start, words[range.upperBound - 1].end)
    }

    /// The source text from `words[index]` to the end of the source.
    func text(from index: Int) -> String {
        guard index < words.count else { return "" }
        return slice(words[index].start, source.utf8.count)
    }

    private func slice(_ start: Int, _ end: Int) -> String {
        source.withUTF8Bytes { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    /// The ids of the punctuation words, worked out once.
    static func punctuationID(_ text: String) -> WordID {
        switch text {
        case "-": return Punctuation.dash
        case ",": return Punctuation.comma
        case ";": return Punctuation.semicolon
        case ":": return Punctuation.colon
        case "(": return Punctuation.open
        case ")": return Punctuation.close
        case "/": return Punctuation.slash
        case "and": return Punctuation.and
        default: return WordHash.id(text)
        }
    }

    enum Punctuation {
        static let dash = WordHash.id("-")
        static let comma = WordHash.id(",")
        static let semicolon = WordHash.id(";")
        static let colon = WordHash.id(":")
        static let open = WordHash.id("(")
        static let close = WordHash.id(")")
        static let slash = WordHash.id("/")
        static let and = WordHash.id("and")
    }

    /// The normalized form of a phrase: its words' texts.
    static func normalize(_ phrase: String) -> [String] { Words(phrase).words.map(\.text) }

    /// The normalized words of a phrase joined with single spaces: the key of the grammar's
    /// whole-line lookups.
    static func key(_ phrase: String) -> String { Words(phrase).key }

    /// The words' texts joined with single spaces.
    var key: String { words.map(\.text).joined(separator: " ") }

    /// The scalar at byte `i` of well-formed UTF-8, and its length in bytes.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> (Unicode.Scalar, Int) {
        let lead = UInt32(bytes[i])
        if lead < 0x80 { return (Unicode.Scalar(UInt8(lead)), 1) }
        if lead < 0xE0 {
            return (Unicode.Scalar((lead & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)) ?? "\u{FFFD}", 2)
        }
        if lead < 0xF0 {
            let value = (lead & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
            return (Unicode.Scalar(value) ?? "\u{FFFD}", 3)
        }
        let value = (lead & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F)
        return (Unicode.Scalar(value) ?? "\u{FFFD}", 4)
    }

    /// Whether the scalar at byte `i` (if any) is a word character.
    @inline(__always)
    static func isWordScalar(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        guard i < bytes.count else { return false }
        let byte = bytes[i]
        if byte < 0x80 { return WordLexer.isASCIIWordByte(byte) }
        return decode(bytes, at: i).0.isWordCharacter
    }
}

/// What the lexer hands each word to: a `Words` keeps them all, the tokenizer only what the
/// passes across lines ask of a line.
protocol WordSink {
    /// A word of `bytes[start..<end]`, its normalized text the ASCII of that range lowercased
    /// (`normalized` nil) or `normalized`.
    mutating func word(_ id: WordID, start: Int, end: Int, capitalized: Bool, normalized: UnsafeBufferPointer<UInt8>?)
    /// A punctuation word (`,` `;` `:` `(` `)` `/` `-`, and "and" for "&").
    mutating func punctuation(_ id: WordID, text: StaticString, start: Int, end: Int)
    /// False once the sink has all the words it wants: the lexer stops there.
    var wantsMore: Bool { get }
}

extension WordSink {
    @inline(__always) var wantsMore: Bool { true }
}

/// Cuts UTF-8 text into words (see `Word`) for a `WordSink`.
struct WordLexer {
    let bytes: UnsafeBufferPointer<UInt8>
    /// The word being read, lowercased, as UTF-8, when it is not a plain ASCII run.
    private var current: [UInt8] = []
    private var start = 0
    private var capitalized = false
    /// Whether the last scalar of `current` is numeric (for "4.3").
    private var lastIsNumeric = false
    /// Whether the scalar before the one being read is a word character (for "well-being").
    private var previousIsWord = false

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    @inline(__always)
    static func isASCIIWordByte(_ byte: UInt8) -> Bool {
        ((byte | 0x20) &- 0x61) < 26 || (byte &- 0x30) < 10
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte }

    private mutating func flush<Sink: WordSink>(_ end: Int, _ sink: inout Sink) {
        guard !current.isEmpty else { return }
        current.withUnsafeBufferPointer { normalized in
            sink.word(WordHash.id(normalized), start: start, end: end, capitalized: capitalized, normalized: normalized)
        }
        current.removeAll(keepingCapacity: true)
    }

    mutating func run<Sink: WordSink>(_ sink: inout Sink) {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return }
        var i = 0
        while i < count, sink.wantsMore {
            let byte = bytes[i]
            // ASCII letters and digits: the common case.
            if byte < 0x80, Self.isASCIIWordByte(byte) {
                if current.isEmpty {
                    // A word starts: read its ASCII run, and when what follows cannot continue
                    // it (an apostrophe, a decimal point, a non-ASCII letter could), hand it on
                    // straight from the bytes.
                    var end = i + 1
                    while end < count, Self.isASCIIWordByte(bytes[end]) { end += 1 }
                    let lastIsDigit = bytes[end - 1] <= 0x39
                    let next = end < count ? bytes[end] : 0x20
                    let ends = next < 0x80 && next != 0x27 && next != 0x60 && (next != 0x2E || !lastIsDigit)
                    if ends {
                        let id = WordHash.id(UnsafeRawPointer(base + i), count: end - i, orMask: 0x2020_2020_2020_2020)
                        sink.word(id, start: i, end: end, capitalized: byte <= 0x5A && byte >= 0x41, normalized: nil)
                        previousIsWord = true
                        i = end
                        continue
                    }
                    start = i
                    capitalized = byte >= 0x41 && byte <= 0x5A
                    for j in i..<end { current.append(Self.lowercased(bytes[j])) }
                    lastIsNumeric = lastIsDigit
                    previousIsWord = true
                    i = end
                    continue
                }
                current.append(Self.lowercased(byte))
                lastIsNumeric = byte <= 0x39
                previousIsWord = true
                i += 1
                continue
            }
            let (scalar, length) = byte < 0x80 ? (Unicode.Scalar(byte), 1) : Words.decode(bytes, at: i)
            if byte >= 0x80, scalar.isWordCharacter {
                if current.isEmpty {
                    start = i
                    capitalized = scalar.properties.isUppercase
                }
                let lower = scalar.properties.lowercaseMapping
                current.append(contentsOf: lower.utf8)
                lastIsNumeric = lower.unicodeScalars.last?.properties.numericType != nil
                previousIsWord = true
                i += length
                continue
            }
            let next = i + length
            switch scalar {
            case "'", "\u{2019}", "\u{2018}", "\u{02BC}", "`":
                // An apostrophe inside a word ("children's") belongs to it; elsewhere it quotes.
                if !current.isEmpty && Words.isWordScalar(bytes, at: next) {
                    current.append(0x27)
                    lastIsNumeric = false
                } else {
                    flush(i, &sink)
                }
            case ".":
                // "4.3" and "1.0" are one word; a full stop elsewhere only separates.
                if !current.isEmpty, lastIsNumeric, next < count, Words.decode(bytes, at: next).0.properties.numericType != nil {
                    current.append(0x2E)
                    lastIsNumeric = false
                } else {
                    flush(i, &sink)
                }
            case "-", "\u{2010}", "\u{2011}":
                flush(i, &sink)
                if !(previousIsWord && Words.isWordScalar(bytes, at: next)) {
                    sink.punctuation(Words.Punctuation.dash, text: "-", start: i, end: next)
                }
            case "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}", "\u{2212}", "\u{2500}", "\u{2501}", "\u{FE58}", "\u{FE63}", "\u{FF0D}":
                flush(i, &sink)
                sink.punctuation(Words.Punctuation.dash, text: "-", start: i, end: next)
            case ",": flush(i, &sink); sink.punctuation(Words.Punctuation.comma, text: ",", start: i, end: next)
            case ";": flush(i, &sink); sink.punctuation(Words.Punctuation.semicolon, text: ";", start: i, end: next)
            case ":": flush(i, &sink); sink.punctuation(Words.Punctuation.colon, text: ":", start: i, end: next)
            case "(", "[": flush(i, &sink); sink.punctuation(Words.Punctuation.open, text: "(", start: i, end: next)
            case ")", "]": flush(i, &sink); sink.punctuation(Words.Punctuation.close, text: ")", start: i, end: next)
            case "/": flush(i, &sink); sink.punctuation(Words.Punctuation.slash, text: "/", start: i, end: next)
            case "&": flush(i, &sink); sink.punctuation(Words.Punctuation.and, text: "and", start: i, end: next)
            default: flush(i, &sink)
            }
            previousIsWord = false
            i = next
        }
        flush(count, &sink)
    }
}

/// The sink of `Words.ids`: every word's id.
private struct WordIDList: WordSink {
    let limit: Int
    var ids: [WordID] = []

    init(limit: Int) {
        self.limit = limit
    }

    var wantsMore: Bool { ids.count < limit }

    @inline(__always)
    mutating func word(_ id: WordID, start: Int, end: Int, capitalized: Bool, normalized: UnsafeBufferPointer<UInt8>?) {
        ids.append(id)
    }

    @inline(__always)
    mutating func punctuation(_ id: WordID, text: StaticString, start: Int, end: Int) {
        ids.append(id)
    }
}

/// The sink of `Words`: every word, with its text.
private struct WordList: WordSink {
    let bytes: UnsafeBufferPointer<UInt8>
    var words: [Word] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        words.reserveCapacity(bytes.count / 6 + 1)
    }

    mutating func word(_ id: WordID, start: Int, end: Int, capitalized: Bool, normalized: UnsafeBufferPointer<UInt8>?) {
        let text: String
        if let normalized {
            text = String(decoding: normalized, as: UTF8.self)
        } else {
            text = String(unsafeUninitializedCapacity: end - start) { buffer in
                for k in 0..<(end - start) { buffer[k] = WordLexer.lowercased(bytes[start + k]) }
                return end - start
            }
        }
        words.append(Word(text: text, id: id, start: start, end: end, capitalized: capitalized))
    }

    mutating func punctuation(_ id: WordID, text: StaticString, start: Int, end: Int) {
        words.append(Word(text: text.description, id: id, start: start, end: end, capitalized: false))
    }
}

extension String {
    /// Calls `body` with the string's UTF-8 bytes, without copying them when the string is native.
    func withUTF8Bytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        return try Array(utf8).withUnsafeBufferPointer(body)
    }
}

extension Unicode.Scalar {
    /// Letters and digits: what words are made of.
    var isWordCharacter: Bool {
        if isASCII {
            let v = value
            return (v >= 48 && v <= 57) || (v >= 65 && v <= 90) || (v >= 97 && v <= 122)
        }
        if (0xE000...0xF8FF).contains(value) { return false }  // private-use bullet glyphs
        return properties.isAlphabetic || properties.numericType != nil
    }
}

/// Phrases indexed by their first word, for longest-match lookup in a `Words`.
struct PhraseIndex<Value: Sendable>: Sendable {
    struct Entry: Sendable {
        let words: [String]
        /// The words' ids, which matching compares.
        let ids: [WordID]
        let value: Value
    }

    /// The entries of each first word, longest first: slot `byFirst[id]` of `lists`.
    private var byFirst = WordTable<Int32>(empty: -1)
    private var lists: [[Entry]] = []
    /// A first word that is the empty string ("" normalizes to no words, so no text has it).
    private var emptyFirst: [Entry] = []

    var isEmpty: Bool { lists.isEmpty && emptyFirst.isEmpty }

    /// Adds a phrase (already normalized). Longer phrases are tried first.
    mutating func insert(_ words: [String], _ value: Value) {
        guard let first = words.first else { return }
        let entry = Entry(words: words, ids: words.map(WordHash.id), value: value)
        if first.isEmpty {
            Self.insert(entry, into: &emptyFirst)
            return
        }
        var list = byFirst[entry.ids[0]]
        if list < 0 {
            list = Int32(lists.count)
            lists.append([])
            byFirst.set(entry.ids[0], list)
        }
        Self.insert(entry, into: &lists[Int(list)])
    }

    private static func insert(_ entry: Entry, into entries: inout [Entry]) {
        let position = entries.firstIndex(where: { $0.words.count < entry.words.count }) ?? entries.count
        entries.insert(entry, at: position)
    }

    /// The phrases that start with the word `id`.
    @inline(__always)
    private func entries(startingWith id: WordID) -> [Entry]? {
        let list = byFirst[id]
        return list < 0 ? nil : lists[Int(list)]
    }

    /// Every phrase that matches `words` at `index`, longest first, with the index after it.
    func matches(in words: Words, at index: Int) -> [(value: Value, end: Int)] {
        guard index < words.count, let entries = entries(startingWith: words[index].id) else { return [] }
        var result: [(Value, Int)] = []
        for entry in entries where matchesEntry(entry, words, index) {
            result.append((entry.value, index + entry.ids.count))
        }
        return result
    }

    /// The longest phrase that matches `words` at `index`.
    func longest(in words: Words, at index: Int) -> (value: Value, end: Int)? {
        guard index < words.count, let entries = entries(startingWith: words[index].id) else { return nil }
        for entry in entries where matchesEntry(entry, words, index) {
            return (entry.value, index + entry.ids.count)
        }
        return nil
    }

    /// True when some phrase starts with this word (a cheap pre-filter).
    @inline(__always)
    func mayStart(with id: WordID) -> Bool { byFirst[id] >= 0 }

    /// The words phrases start with.
    var firstWords: [String] { lists.map { $0[0].words[0] } + (emptyFirst.isEmpty ? [] : [""]) }

    /// Every entry, for validation.
    var entries: [Entry] { lists.flatMap { $0 } + emptyFirst }

    private func matchesEntry(_ entry: Entry, _ words: Words, _ index: Int) -> Bool {
        guard index + entry.ids.count <= words.count else { return false }
        var i = 1
        while i < entry.ids.count {
            if words[index + i].id != entry.ids[i] { return false }
            i += 1
        }
        return true
    }
}
