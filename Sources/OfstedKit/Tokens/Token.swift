/// One line of the document, classified.
///
/// Tokens are per line so that every piece of evidence keeps its line number; the tree joins
/// wrapped lines. A token holds no strings: its text is a byte range of its `TokenStream`'s
/// store — the line's content with markers (bullet glyph, item number, `#`), markdown emphasis
/// and HTML tags removed and whitespace runs collapsed — and `markup` says what was removed.
/// What the passes over every line ask of a text (its first and last characters, how long it
/// is, its first words and the vocabulary it holds) is worked out once, when the token is made.
struct Token: Sendable {
    enum Kind: String, Sendable {
        case blank, text, heading, bullet, numbered
        case tableRow = "table-row"
        case furniture
    }

    /// Why a line is a heading.
    enum HeadingSource: String, Sendable {
        /// `#`, `##` … markdown.
        case markdown
        /// The whole line is `**bold**`.
        case bold
        /// The whole line is a phrase of the grammar (a section, service, timescale or area).
        case vocabulary
        /// A short section-numbered line such as "2.0 History of the Review".
        case numbered
        /// A short line set between the end of a sentence and a new item, as pdftotext prints
        /// an unnumbered heading ("… partner agencies." / "Key strengths and weaknesses" / "132. …").
        case layout
    }

    /// A line (or two) that carries only a grade.
    enum GradeMark: String, Sendable {
        /// "Good", "Requires improvement to be good": a table cell laid out on its own line.
        case bare
        /// "Grade 2 (Good)", "Grade 4": the grade of the heading above it.
        case numbered
        /// The second line of a grade wrapped over two lines ("Requires improvement" / "to be good").
        case continuation
    }

    /// The bullet a line starts with.
    enum Bullet: Hashable, Sendable {
        /// The glyph as written.
        case glyph(Unicode.Scalar)
        /// A leading space is all that is left of a lost glyph.
        case lost

        /// The glyph as text; "" for a lost one.
        var text: String {
            switch self {
            case .glyph(let scalar): return String(scalar)
            case .lost: return ""
            }
        }
    }

    /// What cleaning and the passes across lines removed or decided, in the order they are named.
    struct Markup: OptionSet, Sendable {
        let rawValue: UInt16
        static let html = Markup(rawValue: 1 << 0)
        static let link = Markup(rawValue: 1 << 1)
        static let bold = Markup(rawValue: 1 << 2)
        static let italic = Markup(rawValue: 1 << 3)
        static let footnote = Markup(rawValue: 1 << 4)
        static let tableRule = Markup(rawValue: 1 << 5)
        static let pageNumber = Markup(rawValue: 1 << 6)
        static let runningHeader = Markup(rawValue: 1 << 7)
        static let boilerplate = Markup(rawValue: 1 << 8)
        static let contents = Markup(rawValue: 1 << 9)
        static let headingContinuation = Markup(rawValue: 1 << 10)

        static let names: [(Markup, String)] = [
            (.html, "html"), (.link, "link"), (.bold, "bold"), (.italic, "italic"), (.footnote, "footnote"),
            (.tableRule, "table-rule"), (.pageNumber, "page-number"), (.runningHeader, "running-header"),
            (.boilerplate, "boilerplate"), (.contents, "contents"), (.headingContinuation, "heading-continuation"),
        ]

        /// The names of the marks, in the order above.
        var list: [String] { Self.names.compactMap { contains($0.0) ? $0.1 : nil } }
    }

    var kind: Kind
    /// 1-based line number in the input as given.
    let line: Int
    var text: TextRange
    /// Leading spaces before the content (a tab counts 4).
    var indent: Int = 0
    var bullet: Bullet? = nil
    /// The item number as written ("4.3", "24", "ii"), without its punctuation.
    var number: TextRange? = nil
    /// The line is a number and nothing else, without a point or bracket ("4", not "4." or
    /// "(4)"): a page number or footnote marker more often than an item.
    var bareNumber: Bool = false
    /// Markdown heading level; 0 for headings found otherwise.
    var headingLevel: Int = 0
    var headingSource: HeadingSource? = nil
    /// Cells of a table row (positions in the stream's `cells`), leading empty cells kept,
    /// trailing ones dropped.
    var cells: Range<Int32> = 0..<0
    var markup: Markup = []
    /// A page break (form feed) falls on this line.
    var pageBreak: Bool = false
    /// Set when the line carries only a grade.
    var grade: GradeMark? = nil
    /// For a heading wrapped over several lines: how many lines after this one it took (they
    /// are marked as furniture with markup "heading-continuation").
    var extraLines: Int = 0
    /// What the passes ask of the text, worked out from its bytes.
    var shape = TextShape()
    /// The text's words, lexed once.
    var words = LineWords()

    init(kind: Kind, line: Int, text: TextRange = .empty, indent: Int = 0) {
        self.kind = kind
        self.line = line
        self.text = text
        self.indent = indent
    }

    var isContent: Bool { Self.isContent(kind) }

    /// `isContent` of a token of this kind, for asking of a token in place in an array.
    @inline(__always)
    static func isContent(_ kind: Kind) -> Bool { kind != .blank && kind != .furniture }
}

/// A byte range of a `TokenStream`'s store.
struct TextRange: Equatable, Sendable {
    var start: Int32
    var count: Int32

    static let empty = TextRange(start: 0, count: 0)

    var isEmpty: Bool { count == 0 }
    var end: Int { Int(start) + Int(count) }
    var range: Range<Int> { Int(start)..<end }

    init(start: Int32, count: Int32) {
        self.start = start
        self.count = count
    }

    init(_ range: Range<Int>) {
        start = Int32(truncatingIfNeeded: range.lowerBound)
        count = Int32(truncatingIfNeeded: range.count)
    }
}

/// What the passes over every line ask of a token's text, worked out from its bytes once.
struct TextShape: Sendable {
    /// The kind of the text's first character.
    enum First: UInt8, Sendable {
        case none, uppercase, lowercase, digit, otherLetter, other

        var isUppercase: Bool { self == .uppercase }
        var isLowercase: Bool { self == .lowercase }
        var isNumber: Bool { self == .digit }
        var isLetter: Bool { self == .uppercase || self == .lowercase || self == .otherLetter }
    }

    /// The first character; `none` for an empty text.
    var first: First = .none
    /// The last byte (0 for an empty text): a last ASCII character is its last byte.
    var lastByte: UInt8 = 0
    /// The last character is a closing curly quote (U+201D).
    var endsWithClosingQuote = false
    /// The number of characters, no more than `TextShape.maxCount`.
    var characters: UInt16 = 0
    /// The number of pieces `split(separator: " ")` gives, no more than `maxCount`.
    var pieces: UInt16 = 0
    /// The last of those pieces, lowercased, is a word after which a sentence goes on ("and", "of").
    var endsWithJoiningWord = false
    /// The text is set as a council paper's heading in capitals (`Tokenizer.isCapitalsHeading`).
    var isCapitals = false

    static let maxCount = 4095

    /// Whether the text has at most `limit` characters (`limit` below `maxCount`).
    @inline(__always)
    func hasAtMostCharacters(_ limit: Int) -> Bool { Int(characters) <= limit }

    /// `text.hasSuffix(".")`.
    var endsWithFullStop: Bool { lastByte == 0x2E }

    /// The last character is one of the ASCII characters `set` holds.
    @inline(__always)
    func endsWith(anyOf set: StaticString) -> Bool {
        guard lastByte != 0, lastByte < 0x80 else { return false }
        return set.withUTF8Buffer { $0.contains(lastByte) }
    }
}

/// A line's words as the passes across lines ask of them: the first two, how many, and the
/// vocabulary classes they hold (`WordMasks`); their ids are the stream's `ids[range]`.
struct LineWords: Sendable {
    /// The ids of the first and second words (punctuation included), `WordHash.none` when absent.
    var first: WordID = WordHash.none
    var second: WordID = WordHash.none
    /// How many words, punctuation included.
    var count: Int32 = 0
    /// The last word that is not ":", ";", "," or "-" (what trimming a heading's end leaves
    /// last), and whether it is a word of digits.
    var last: WordID = WordHash.none
    var lastIsDigits = false
    /// The first word is an ASCII run of letters and digits directly followed by one space and
    /// a second such word: the first two words of a heading key are then the line's first two.
    var plainStart = false
    var masks = WordMasks()
    /// The positions of the line's words in the stream's `ids`.
    var ids: Range<Int32> = 0..<0

    /// Counts a word of the line (`bytes[start..<end]`, `plain` when an ASCII run of letters and
    /// digits taken as it is), keeping the first two; `firstPlainEnd` is where the first ended
    /// when it was plain and started the line (-1 before, or otherwise).
    @inline(__always)
    mutating func note(_ id: WordID, start: Int, plain: Bool, end: Int, firstPlainEnd: inout Int) {
        switch count {
        case 0:
            first = id
            if plain, start == 0 { firstPlainEnd = end }
        case 1:
            second = id
            plainStart = plain && firstPlainEnd >= 0 && start == firstPlainEnd + 1
        default:
            break
        }
        count += 1
    }
}
