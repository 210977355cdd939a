/// A word of text as the grammar sees it: lowercased, curly quotes folded, with the range it
/// came from so that a match can be reported as written.
///
/// Punctuation that patterns use (`,` `;` `:` `(` `)` `/` `-`) is a word of its own; a hyphen
/// between letters ("well-being") separates two words; "&" is the word "and"; quotes and other
/// marks separate words and are dropped.
struct Word: Sendable, Equatable {
    let text: String
    /// Offsets in the source's unicode scalars, so that ranges survive copying the source.
    let start: Int
    let end: Int
    /// True when the word began with a capital letter in the source ("Reading", not "reading").
    let capitalized: Bool
}

/// A piece of source text cut into `Word`s.
struct Words: Sendable {
    let source: String
    let words: [Word]
    private let scalars: [Unicode.Scalar]

    init(_ source: String) {
        self.source = source
        self.scalars = Array(source.unicodeScalars)
        self.words = Words.lex(scalars)
    }

    var count: Int { words.count }
    subscript(index: Int) -> Word { words[index] }

    /// The source text of `words[range]`, as written.
    func text(_ range: Range<Int>) -> String {
        guard !range.isEmpty else { return "" }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[words[range.lowerBound].start..<words[range.upperBound - 1].end])
        return String(result)
    }

    /// The source text from `words[index]` to the end of the source.
    func text(from index: Int) -> String {
        guard index < words.count else { return "" }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[words[index].start...])
        return String(result)
    }

    /// The normalized form of a phrase: its words' texts.
    static func normalize(_ phrase: String) -> [String] { Words(phrase).words.map(\.text) }

    private static func lex(_ scalars: [Unicode.Scalar]) -> [Word] {
        var words: [Word] = []
        words.reserveCapacity(scalars.count / 5 + 1)
        var current = ""
        var start = 0
        var capitalized = false
        func flush(_ end: Int) {
            if !current.isEmpty {
                words.append(Word(text: current, start: start, end: end, capitalized: capitalized))
                current = ""
            }
        }
        func isWordScalar(_ i: Int) -> Bool {
            guard i >= 0, i < scalars.count else { return false }
            return scalars[i].isWordCharacter
        }
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            if s.isWordCharacter {
                if current.isEmpty {
                    start = i
                    capitalized = s.properties.isUppercase
                }
                if s.isASCII {
                    let v = s.value
                    current.unicodeScalars.append((v >= 65 && v <= 90) ? Unicode.Scalar(v + 32)! : s)
                } else {
                    current += s.properties.lowercaseMapping
                }
                i += 1
                continue
            }
            switch s {
            case "'", "\u{2019}", "\u{2018}", "\u{02BC}", "`":
                // An apostrophe inside a word ("children's") belongs to it; elsewhere it quotes.
                if !current.isEmpty && isWordScalar(i + 1) {
                    current.unicodeScalars.append("'")
                } else {
                    flush(i)
                }
            case ".":
                // "4.3" and "1.0" are one word; a full stop elsewhere only separates.
                if !current.isEmpty, let last = current.unicodeScalars.last, last.properties.numericType != nil,
                   i + 1 < scalars.count, scalars[i + 1].properties.numericType != nil {
                    current.unicodeScalars.append(".")
                } else {
                    flush(i)
                }
            case "-", "\u{2010}", "\u{2011}":
                flush(i)
                if !(isWordScalar(i - 1) && isWordScalar(i + 1)) {
                    words.append(Word(text: "-", start: i, end: i + 1, capitalized: false))
                }
            case "\u{2012}", "\u{2013}", "\u{2014}", "\u{2015}", "\u{2212}", "\u{2500}", "\u{2501}", "\u{FE58}", "\u{FE63}", "\u{FF0D}":
                flush(i)
                words.append(Word(text: "-", start: i, end: i + 1, capitalized: false))
            case ",", ";", ":", "(", ")", "/":
                flush(i)
                words.append(Word(text: String(s), start: i, end: i + 1, capitalized: false))
            case "[":
                flush(i)
                words.append(Word(text: "(", start: i, end: i + 1, capitalized: false))
            case "]":
                flush(i)
                words.append(Word(text: ")", start: i, end: i + 1, capitalized: false))
            case "&":
                flush(i)
                words.append(Word(text: "and", start: i, end: i + 1, capitalized: false))
            default:
                flush(i)
            }
            i += 1
        }
        flush(scalars.count)
        return words
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
        let value: Value
    }

    private var byFirst: [String: [Entry]] = [:]

    var isEmpty: Bool { byFirst.isEmpty }

    /// Adds a phrase (already normalized). Longer phrases are tried first.
    mutating func insert(_ words: [String], _ value: Value) {
        guard let first = words.first else { return }
        var entries = byFirst[first, default: []]
        let position = entries.firstIndex(where: { $0.words.count < words.count }) ?? entries.count
        entries.insert(Entry(words: words, value: value), at: position)
        byFirst[first] = entries
    }

    /// Every phrase that matches `words` at `index`, longest first, with the index after it.
    func matches(in words: Words, at index: Int) -> [(value: Value, end: Int)] {
        guard index < words.count, let entries = byFirst[words[index].text] else { return [] }
        var result: [(Value, Int)] = []
        for entry in entries where matchesEntry(entry, words, index) {
            result.append((entry.value, index + entry.words.count))
        }
        return result
    }

    /// The longest phrase that matches `words` at `index`.
    func longest(in words: Words, at index: Int) -> (value: Value, end: Int)? {
        guard index < words.count, let entries = byFirst[words[index].text] else { return nil }
        for entry in entries where matchesEntry(entry, words, index) {
            return (entry.value, index + entry.words.count)
        }
        return nil
    }

    /// True when some phrase starts with this word (a cheap pre-filter).
    func mayStart(with word: String) -> Bool { byFirst[word] != nil }

    /// Every entry, for validation.
    var entries: [Entry] { byFirst.values.flatMap { $0 } }

    private func matchesEntry(_ entry: Entry, _ words: Words, _ index: Int) -> Bool {
        guard index + entry.words.count <= words.count else { return false }
        var i = 1
        while i < entry.words.count {
            if words[index + i].text != entry.words[i] { return false }
            i += 1
        }
        return true
    }
}
