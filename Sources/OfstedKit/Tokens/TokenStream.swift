/// A document's tokens and the bytes their texts are ranges of.
///
/// The store starts as the decoded input, so that the text of a plain line is the line's own
/// bytes; the texts cleaning makes (markup removed, whitespace collapsed) and the passes join
/// (a heading wrapped over two lines) are appended after it. Each token's words are lexed once,
/// when it is made: the ids of those that are not punctuation go into `ids`, for phrase search.
struct TokenStream: Sendable {
    private(set) var store: [UInt8]
    var tokens: [Token] = []
    /// The cells of the table rows, as texts of the store.
    private(set) var cells: [TextRange] = []
    /// The ids of the tokens' words (`LineWords.ids` of each token), and what kind of word each is.
    private(set) var ids = WordRecords()

    init(store: [UInt8]) {
        self.store = store
    }

    var count: Int { tokens.count }

    // MARK: Texts

    /// The text of `range` as a string.
    func string(_ range: TextRange) -> String {
        guard range.count > 0 else { return "" }
        return store.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range.range]), as: UTF8.self) }
    }

    /// The text of token `index`.
    func text(_ index: Int) -> String { string(tokens[index].text) }

    /// The item number of token `index`, as written.
    func number(_ index: Int) -> String? { tokens[index].number.map(string) }

    /// The cells of token `index`.
    func cellTexts(_ index: Int) -> [String] { tokens[index].cells.map { string(cells[Int($0)]) } }

    /// The token's words for searching: a table row's cells joined.
    func searchableText(_ index: Int) -> String {
        tokens[index].kind == .tableRow ? cellTexts(index).joined(separator: " ") : text(index)
    }

    /// The words of token `index`'s text, lexed again (for the passes that read them in full).
    func words(_ index: Int) -> Words { Words(text(index)) }

    /// Calls `body` with the bytes of `range`.
    @inline(__always)
    func withBytes<R>(_ range: TextRange, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try store.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range.range])) }
    }

    /// Whether the text of `range` is `literal`, ignoring ASCII case.
    func text(_ range: TextRange, equalsIgnoringCase literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        return withBytes(range) { bytes in
            literal.withUTF8Buffer { needle in
                for i in 0..<needle.count where WordLexer.lowercased(bytes[i]) != needle[i] { return false }
                return true
            }
        }
    }

    // MARK: Building

    /// Adds `bytes` to the store.
    mutating func append(_ bytes: some Collection<UInt8>) -> TextRange {
        let start = store.count
        store.append(contentsOf: bytes)
        return TextRange(start..<store.count)
    }

    /// Adds `text` to the store.
    mutating func append(_ text: String) -> TextRange {
        var text = text
        return text.withUTF8 { append($0) }
    }

    /// Adds `cells` as the token's cells.
    mutating func setCells(_ texts: [String], of token: inout Token) {
        let first = Int32(cells.count)
        for text in texts { cells.append(append(text)) }
        token.cells = first..<Int32(cells.count)
    }

    /// Works out the shape and words of `token`'s text, which is final.
    mutating func describe(_ token: inout Token, prefilters: Prefilters) {
        prefilters.withClassLayout { keys, values, mask in
            let layout = ClassLayout(keys: keys, values: values, mask: mask, always: prefilters.always,
                                     capitalizedOnly: prefilters.capitalizedOnly,
                                     gradeStart: prefilters.judgementPatterns.gradeStart)
            describe(&token, prefilters: prefilters, layout: layout)
        }
    }

    /// `describe` with the class table already laid out.
    @inline(__always)
    mutating func describe(_ token: inout Token, prefilters: Prefilters, layout: ClassLayout) {
        let range = token.text
        let start = Int32(ids.count)
        // The fast pass writes the ids into memory held here, at most one a byte, and they are
        // added in one go when it succeeds (an append a word cost more than reading the word).
        let capacity = max(Int(range.count), 1)
        let fast: (TextShape, LineWords)? = withUnsafeTemporaryAllocation(of: WordID.self, capacity: capacity) { stagedIDs in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { stagedKinds in
                var staged = StagedWordRecords(ids: stagedIDs, kinds: stagedKinds)
                let fast = store.withUnsafeBufferPointer { all in
                    Self.describeASCII(UnsafeBufferPointer(rebasing: all[range.range]), readable: all.count - range.range.lowerBound,
                                       classes: layout, ids: &staged)
                }
                if fast != nil { ids.append(staged) }
                return fast
            }
        }
        if let (shape, words) = fast {
            token.shape = shape
            token.words = words
            token.words.ids = start..<Int32(ids.count)
            return
        }
        let (shape, words) = store.withUnsafeBufferPointer { all in
            Self.describeGeneric(UnsafeBufferPointer(rebasing: all[range.range]), prefilters: prefilters, ids: &ids)
        }
        token.shape = shape
        token.words = words
        token.words.ids = start..<Int32(ids.count)
    }

    /// The shape and words of any text, character by character where it must be (what
    /// `describeASCII` gives for the texts it reads).
    static func describeGeneric<Recorder: WordRecorder>(_ bytes: UnsafeBufferPointer<UInt8>, prefilters: Prefilters,
                                                        ids: inout Recorder) -> (TextShape, LineWords) {
        var sink = LineWordsSink(prefilters: prefilters, bytes: bytes, ids: Recorder())
        // The ids grow in the sink, moved there and back so that they are never copied.
        swap(&sink.ids, &ids)
        let shape = TextShape(bytes)
        if !bytes.isEmpty {
            var lexer = WordLexer(bytes: bytes)
            lexer.run(&sink)
        }
        swap(&sink.ids, &ids)
        return (shape, sink.words)
    }

    /// Changes token `index`'s text to `text` and works out its shape and words again.
    mutating func setText(_ index: Int, _ text: TextRange, prefilters: Prefilters) {
        var token = tokens[index]
        token.text = text
        describe(&token, prefilters: prefilters)
        tokens[index] = token
    }
}

/// Where the lexing of a line puts each word's id: `WordRecords`, or nowhere when only the
/// line's masks are wanted.
protocol WordRecorder {
    init()
    mutating func append(_ id: WordID, _ kind: UInt8)
}

/// A recorder that keeps nothing.
struct NoWordRecords: WordRecorder {
    init() {}
    @inline(__always) mutating func append(_ id: WordID, _ kind: UInt8) {}
}

/// A recorder that writes one text's words into memory its caller holds, room for one a byte
/// (a word, or a punctuation word, takes at least a byte).
struct StagedWordRecords: WordRecorder {
    private let ids: UnsafeMutableBufferPointer<WordID>
    private let kinds: UnsafeMutableBufferPointer<UInt8>
    private(set) var count = 0

    init() {
        ids = UnsafeMutableBufferPointer(start: nil, count: 0)
        kinds = UnsafeMutableBufferPointer(start: nil, count: 0)
    }

    init(ids: UnsafeMutableBufferPointer<WordID>, kinds: UnsafeMutableBufferPointer<UInt8>) {
        precondition(kinds.count >= ids.count)
        self.ids = ids
        self.kinds = kinds
    }

    @inline(__always)
    mutating func append(_ id: WordID, _ kind: UInt8) {
        precondition(count < ids.count, "more words than bytes")
        ids.baseAddress.unsafelyUnwrapped[count] = id
        kinds.baseAddress.unsafelyUnwrapped[count] = kind
        count += 1
    }

    /// The words written.
    var written: (ids: UnsafeBufferPointer<WordID>, kinds: UnsafeBufferPointer<UInt8>) {
        (UnsafeBufferPointer(rebasing: ids[..<count]), UnsafeBufferPointer(rebasing: kinds[..<count]))
    }
}

/// The words of lines, end to end: each word's id, and what kind of word it is.
struct WordRecords: WordRecorder, Sendable {
    /// A punctuation word (`,` `;` `:` `(` `)` `/` `-`), which phrase search passes over.
    static let punctuation: UInt8 = 1
    /// A word of ASCII digits that makes an `Int` ("2", not "4.3").
    static let digits: UInt8 = 2

    private(set) var ids: [WordID] = []
    private(set) var kinds: [UInt8] = []

    init() {}

    var count: Int { ids.count }

    @inline(__always)
    mutating func append(_ id: WordID, _ kind: UInt8) {
        ids.append(id)
        kinds.append(kind)
    }

    /// Adds the words `staged` holds.
    mutating func append(_ staged: StagedWordRecords) {
        let (stagedIDs, stagedKinds) = staged.written
        ids.append(contentsOf: stagedIDs)
        kinds.append(contentsOf: stagedKinds)
    }

    mutating func reserveCapacity(_ count: Int) {
        ids.reserveCapacity(count)
        kinds.reserveCapacity(count)
    }

    /// Whether the bytes are a word of digits that makes an `Int`.
    @inline(__always)
    static func isDigits(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty, bytes.count <= 18 else { return false }
        for byte in bytes where byte < 0x30 || byte > 0x39 { return false }
        return true
    }
}

/// The sink that lexes a token's text for `LineWords`.
private struct LineWordsSink<Recorder: WordRecorder>: WordSink {
    let prefilters: Prefilters
    let bytes: UnsafeBufferPointer<UInt8>
    var words = LineWords()
    var ids: Recorder
    /// Where the first word ended, when it was a plain ASCII run handed on from the bytes.
    private var firstPlainEnd = -1

    init(prefilters: Prefilters, bytes: UnsafeBufferPointer<UInt8>, ids: Recorder) {
        self.prefilters = prefilters
        self.bytes = bytes
        self.ids = ids
        words.masks = prefilters.always
    }

    @inline(__always)
    mutating func word(_ id: WordID, start: Int, end: Int, capitalized: Bool, normalized: UnsafeBufferPointer<UInt8>?) {
        note(id, start: start, plain: normalized == nil, end: end)
        let digits = WordRecords.isDigits(normalized ?? UnsafeBufferPointer(rebasing: bytes[start..<end]))
        ids.append(id, digits ? WordRecords.digits : 0)
        add(prefilters.masks(of: id, capitalized: capitalized))
        words.last = id
        words.lastIsDigits = digits
    }

    @inline(__always)
    mutating func punctuation(_ id: WordID, text: StaticString, start: Int, end: Int) {
        note(id, start: start, plain: false, end: end)
        add(prefilters.masks(of: id, capitalized: false))
        if !Tokenizer.isClosingPunctuation(id) {
            words.last = id
            words.lastIsDigits = false
        }
        // "&" is the word "and", which phrase search counts as a word.
        ids.append(id, id == Words.Punctuation.and ? 0 : WordRecords.punctuation)
    }

    /// The classes of the word before, for `WordClass.gradeAfterItsWord`.
    private var previousClasses: UInt64 = 0

    @inline(__always)
    private mutating func add(_ masks: WordMasks) {
        if masks.judgement & prefilters.judgementPatterns.gradeStart != 0, previousClasses & WordClass.beforeGrade != 0 {
            words.masks.classes |= WordClass.gradeAfterItsWord
        }
        words.masks.formUnion(masks)
        previousClasses = masks.classes
    }

    @inline(__always)
    private mutating func note(_ id: WordID, start: Int, plain: Bool, end: Int) {
        words.note(id, start: start, plain: plain, end: end, firstPlainEnd: &firstPlainEnd)
    }
}

extension TextShape {
    /// The shape of a token's text.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.init()
        let count = bytes.count
        guard count > 0 else { return }
        lastByte = bytes[count - 1]
        endsWithClosingQuote = count >= 3 && bytes[count - 3] == 0xE2 && bytes[count - 2] == 0x80 && bytes[count - 1] == 0x9D
        // One pass: ASCII decides most; a text with other scalars goes to the character-level
        // answers where they could differ.
        var ascii = true
        var spaceNearScalar = false
        var pieces = 0
        var inPiece = false
        var letters = 0
        var lowercaseLetter = false
        for i in 0..<count {
            let byte = bytes[i]
            if byte >= 0x80 {
                ascii = false
                if i > 0, bytes[i - 1] == 0x20 { spaceNearScalar = true }
                if i + 1 < count, bytes[i + 1] == 0x20 { spaceNearScalar = true }
            }
            if byte == 0x20 {
                inPiece = false
            } else {
                if !inPiece { pieces += 1 }
                inPiece = true
            }
            if byte >= 0x61 && byte <= 0x7A {
                letters += 1
                lowercaseLetter = true
            } else if byte >= 0x41 && byte <= 0x5A {
                letters += 1
            }
        }
        var string: String?
        func text() -> String {
            if let string { return string }
            let made = String(decoding: bytes, as: UTF8.self)
            string = made
            return made
        }
        // Characters: when every scalar is one of its own (no combining mark, no CR LF), as
        // many as scalars, and every space byte a space character.
        var standalone = true
        if ascii, !bytes.contains(0x0D) {
            characters = UInt16(min(count, Self.maxCount))
        } else if let scalars = StandaloneScalars.count(bytes, upTo: Int.max) {
            characters = UInt16(min(scalars, Self.maxCount))
        } else {
            standalone = false
            characters = UInt16(min(text().count, Self.maxCount))
        }
        spaceNearScalar = spaceNearScalar && !standalone
        // Pieces between spaces.
        self.pieces = UInt16(min(spaceNearScalar ? text().spaceSeparatedCount() : pieces, Self.maxCount))
        // The first character.
        let lead = bytes[0]
        if lead < 0x80, count == 1 || bytes[1] < 0x80, lead != 0x0D {
            switch lead {
            case 0x41...0x5A: first = .uppercase
            case 0x61...0x7A: first = .lowercase
            case 0x30...0x39: first = .digit
            default: first = .other
            }
        } else if let character = text().first {
            first = character.isUppercase ? .uppercase : character.isLowercase ? .lowercase
                : character.isNumber ? .digit : character.isLetter ? .otherLetter : .other
        }
        // The last piece, for a joining word (at most five letters: "which").
        if spaceNearScalar {
            endsWithJoiningWord = text().lastSpaceSeparatedPiece().map { Self.joiningWords.contains($0.lowercased()) } ?? false
        } else {
            var end = count
            while end > 0, bytes[end - 1] == 0x20 { end -= 1 }
            var begin = end
            while begin > 0, bytes[begin - 1] != 0x20 { begin -= 1 }
            if end > begin, end - begin <= 5 {
                var word: [UInt8] = []
                for k in begin..<end { word.append(WordLexer.lowercased(bytes[k])) }
                endsWithJoiningWord = Self.joiningWords.contains(String(decoding: word, as: UTF8.self))
            }
        }
        // Capitals.
        if lastByte != 0x2E, characters <= 80, self.pieces >= 2, self.pieces <= 10 {
            isCapitals = ascii ? (!lowercaseLetter && letters >= 6) : Tokenizer.isCapitalsHeading(text())
        }
    }

    /// Words after which a line cannot end a sentence: the next line carries it on.
    static let joiningWords: Set<String> = [
        "and", "or", "of", "the", "a", "an", "to", "for", "in", "with", "on", "by", "from", "that", "which", "who",
        "their", "its", "is", "are", "as", "at", "into", "than", "this", "these", "be", "been", "has", "have",
    ]
}

/// A token with its texts as strings: what `ofsted tokens` prints and tests read.
struct TokenView: Sendable {
    let kind: Token.Kind
    let line: Int
    let text: String
    let indent: Int
    /// The bullet glyph as written; "" when a leading space is all that is left of a lost glyph.
    let bullet: String?
    let number: String?
    let bareNumber: Bool
    let headingLevel: Int
    let headingSource: Token.HeadingSource?
    let cells: [String]
    let markup: [String]
    let pageBreak: Bool
    let grade: Token.GradeMark?
    let extraLines: Int

    var isContent: Bool { Token.isContent(kind) }
}

extension TokenStream {
    /// Token `index` with its texts as strings.
    func view(_ index: Int) -> TokenView {
        let token = tokens[index]
        return TokenView(kind: token.kind, line: token.line, text: text(index), indent: token.indent, bullet: token.bullet?.text,
                         number: number(index), bareNumber: token.bareNumber, headingLevel: token.headingLevel,
                         headingSource: token.headingSource, cells: cellTexts(index), markup: token.markup.list,
                         pageBreak: token.pageBreak, grade: token.grade, extraLines: token.extraLines)
    }

    /// Every token with its texts as strings.
    var views: [TokenView] { tokens.indices.map(view) }
}

/// The word-class table laid out for the lexing loop: a lookup is a probe of two arrays.
struct ClassLayout {
    let keys: UnsafeBufferPointer<WordID>
    let values: UnsafeBufferPointer<WordMasks>
    let mask: Int
    let always: WordMasks
    let capitalizedOnly: UInt64
    /// `PatternPrefilter.gradeStart`.
    let gradeStart: UInt64

    @inline(__always)
    func masks(of id: WordID, capitalized: Bool) -> WordMasks {
        var slot = Int(truncatingIfNeeded: id) & mask
        while true {
            let key = keys[slot]
            if key == id {
                var found = values[slot]
                if !capitalized { found.classes &= ~capitalizedOnly }
                return found
            }
            if key == WordHash.none { return WordMasks() }
            slot = (slot + 1) & mask
        }
    }
}

extension TokenStream {
    /// Each byte's kind for the one-pass reading: 1 a letter or digit (ASCII), and 2 upper case,
    /// 4 lower case, 8 a digit (a static string, so that reading it is a load from constant data).
    static let byteKinds: StaticString = """
        \u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\
        \u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{9}\u{9}\u{9}\u{9}\u{9}\u{9}\u{9}\u{9}\u{9}\u{9}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\
        \u{0}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{0}\u{0}\u{0}\u{0}\u{0}\
        \u{0}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{5}\u{0}\u{0}\u{0}\u{0}\u{0}\
        \u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\
        \u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\
        \u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\
        \u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}
        """

    /// The ids of the words after which a sentence goes on (`TextShape.joiningWords`).
    static let joiningIDs = WordTable<Bool>(words: TextShape.joiningWords)

    /// The shape and words of a text in one pass over its bytes, as `TextShape(_:)` and the
    /// `WordLexer` give them, for a text of ASCII and the punctuation of report text (curly
    /// quotes and apostrophes, dashes, bullets and other signs that are characters of their
    /// own); nil for any other text (a letter or digit outside ASCII, a control character, a
    /// backtick), which they then read.
    ///
    /// `readable` is how many bytes from the text's start may be read (for 8-byte loads).
    @inline(__always)
    static func describeASCII<Recorder: WordRecorder>(_ bytes: UnsafeBufferPointer<UInt8>, readable: Int, classes: ClassLayout,
                                                      ids: inout Recorder) -> (TextShape, LineWords)? {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        var shape = TextShape()
        var words = LineWords()
        words.masks = classes.always
        var pieces = 0
        var firstPlainEnd = -1
        var scalars = 0
        var i = 0
        let kinds = byteKinds.utf8Start
        @inline(__always) func isWordByte(_ byte: UInt8) -> Bool { kinds[Int(byte)] & 1 != 0 }
        @inline(__always) func isDigit(_ byte: UInt8) -> Bool { kinds[Int(byte)] & 8 != 0 }
        /// The punctuation a non-ASCII scalar at `index` is: 1 an apostrophe, 2 a hyphen, 3 a
        /// dash, 4 another mark that separates words; 0 when this pass cannot read it.
        @inline(__always) func kind(at index: Int) -> (kind: Int, length: Int) {
            guard let length = StandaloneScalars.length(bytes, at: index, end: count) else { return (0, 1) }
            let (scalar, _) = Words.decode(bytes, at: index)
            switch scalar.value {
            case 0x2019, 0x2018, 0x02BC: return (1, length)
            case 0x2010, 0x2011: return (2, length)
            case 0x2012...0x2015, 0x2212, 0x2500, 0x2501: return (3, length)
            default: return scalar.isWordCharacter ? (0, length) : (4, length)
            }
        }
        // The normalized text of a word with a curly apostrophe.
        var normalized: [UInt8] = []
        var previousClasses: UInt64 = 0
        @inline(__always) func add(_ masks: WordMasks) {
            if masks.judgement & classes.gradeStart != 0, previousClasses & WordClass.beforeGrade != 0 {
                words.masks.classes |= WordClass.gradeAfterItsWord
            }
            words.masks.formUnion(masks)
            previousClasses = masks.classes
        }
        var previousIsWord = false
        var previousIsSpace = true
        while i < count {
            let byte = bytes[i]
            scalars += 1
            if byte == 0x20 {
                previousIsSpace = true
                previousIsWord = false
                i += 1
                continue
            }
            if previousIsSpace { pieces += 1 }
            previousIsSpace = false
            if isWordByte(byte) {
                // A word: runs of letters and digits, joined by an apostrophe before a letter
                // or digit, or by a point between digits ("children's", "4.3").
                let start = i
                var plain = true
                var curly = false
                var end = i
                while true {
                    while end < count, isWordByte(bytes[end]) { end += 1 }
                    guard end < count else { break }
                    let next = bytes[end]
                    if next == 0x27 {
                        plain = false
                        if end + 1 < count, isWordByte(bytes[end + 1]) {
                            end += 1
                            continue
                        }
                        if end + 1 < count, bytes[end + 1] >= 0x80, kind(at: end + 1).kind == 0 { return nil }
                    } else if next == 0x2E, isDigit(bytes[end - 1]) {
                        plain = false
                        if end + 1 < count, isDigit(bytes[end + 1]) {
                            end += 1
                            continue
                        }
                        if end + 1 < count, bytes[end + 1] >= 0x80, kind(at: end + 1).kind == 0 { return nil }
                    } else if next == 0x60 {
                        return nil
                    } else if next >= 0x80 {
                        plain = false
                        let (scalarKind, length) = kind(at: end)
                        if scalarKind == 0 { return nil }  // a letter that continues the word
                        if scalarKind == 1 {
                            plain = false
                            if end + length < count, isWordByte(bytes[end + length]) {
                                curly = true
                                end += length
                                continue
                            }
                            if end + length < count, bytes[end + length] >= 0x80, kind(at: end + length).kind == 0 { return nil }
                        }
                    }
                    break
                }
                let id: WordID
                if curly {
                    // The apostrophes' bytes become "'".
                    normalized.removeAll(keepingCapacity: true)
                    var k = start
                    while k < end {
                        let b = bytes[k]
                        if b >= 0x80 {
                            normalized.append(0x27)
                            k += StandaloneScalars.length(bytes, at: k, end: count) ?? 1
                        } else {
                            normalized.append(b == 0x27 || b == 0x2E ? b : b | 0x20)
                            k += 1
                        }
                    }
                    id = normalized.withUnsafeBufferPointer { WordHash.id($0) }
                } else {
                    id = WordHash.id(raw + start, count: end - start, orMask: 0x2020_2020_2020_2020, readable: readable - start)
                }
                // (Each byte of the word counted a scalar but its first: the apostrophes' others
                // are taken off below.)
                scalars += end - start - 1
                if curly {
                    var k = start
                    while k < end {
                        if bytes[k] >= 0xC0 { scalars -= (bytes[k] < 0xE0 ? 1 : bytes[k] < 0xF0 ? 2 : 3) }
                        k += 1
                    }
                }
                words.note(id, start: start, plain: plain, end: end, firstPlainEnd: &firstPlainEnd)
                let digits = !curly && WordRecords.isDigits(UnsafeBufferPointer(rebasing: bytes[start..<end]))
                ids.append(id, digits ? WordRecords.digits : 0)
                add(classes.masks(of: id, capitalized: byte >= 0x41 && byte <= 0x5A))
                words.last = id
                words.lastIsDigits = digits
                previousIsWord = true
                i = end
                continue
            }
            var punctuation = WordHash.none
            var length = 1
            if byte >= 0x80 {
                let (scalarKind, scalarLength) = kind(at: i)
                length = scalarLength
                switch scalarKind {
                case 0: return nil
                case 2:  // a hyphen: as "-"
                    if previousIsWord, i + length < count, isWordByte(bytes[i + length]) {
                        previousIsWord = false
                        i += length
                        continue
                    }
                    if i + length < count, bytes[i + length] >= 0x80, kind(at: i + length).kind == 0 { return nil }
                    punctuation = Words.Punctuation.dash
                case 3: punctuation = Words.Punctuation.dash
                default: break
                }
            } else {
                if byte < 0x20 || byte == 0x60 { return nil }
                switch byte {
                case 0x2D:  // "-": a word of its own unless it joins two words
                    if previousIsWord, i + 1 < count, isWordByte(bytes[i + 1]) {
                        previousIsWord = false
                        i += 1
                        continue
                    }
                    if i + 1 < count, bytes[i + 1] >= 0x80, kind(at: i + 1).kind == 0 { return nil }
                    punctuation = Words.Punctuation.dash
                case 0x2C: punctuation = Words.Punctuation.comma
                case 0x3B: punctuation = Words.Punctuation.semicolon
                case 0x3A: punctuation = Words.Punctuation.colon
                case 0x28, 0x5B: punctuation = Words.Punctuation.open
                case 0x29, 0x5D: punctuation = Words.Punctuation.close
                case 0x2F: punctuation = Words.Punctuation.slash
                case 0x26: punctuation = Words.Punctuation.and
                default: break
                }
            }
            if punctuation != WordHash.none {
                words.note(punctuation, start: i, plain: false, end: i + length, firstPlainEnd: &firstPlainEnd)
                add(classes.masks(of: punctuation, capitalized: false))
                if !Tokenizer.isClosingPunctuation(punctuation) {
                    words.last = punctuation
                    words.lastIsDigits = false
                }
                ids.append(punctuation, punctuation == Words.Punctuation.and ? 0 : WordRecords.punctuation)
            }
            previousIsWord = false
            i += length
        }
        shape.characters = UInt16(min(scalars, TextShape.maxCount))
        shape.pieces = UInt16(min(pieces, TextShape.maxCount))
        shape.lastByte = bytes[count - 1]
        shape.endsWithClosingQuote = count >= 3 && bytes[count - 3] == 0xE2 && bytes[count - 2] == 0x80 && bytes[count - 1] == 0x9D
        // (A text that starts with a letter or digit outside ASCII was left to the other pass.)
        let lead = bytes[0]
        shape.first = (lead &- 0x41) < 26 ? .uppercase : (lead &- 0x61) < 26 ? .lowercase : isDigit(lead) ? .digit : .other
        // The last piece, for a joining word (at most five letters: "which").
        var end = count
        while end > 0, bytes[end - 1] == 0x20 { end -= 1 }
        var begin = end
        while begin > 0, begin > end - 6, bytes[begin - 1] != 0x20 { begin -= 1 }
        if end > begin, end - begin <= 5, begin == 0 || bytes[begin - 1] == 0x20 {
            let id = WordHash.id(raw + begin, count: end - begin, orMask: 0x2020_2020_2020_2020, readable: readable - begin)
            shape.endsWithJoiningWord = joiningIDs.contains(id)
        }
        if shape.lastByte != 0x2E, scalars <= 80, pieces >= 2, pieces <= 10 {
            // (Every letter here is ASCII: a text with another was left to the other pass.)
            var letters = 0
            var lowercase = false
            for byte in bytes {
                let kind = kinds[Int(byte)]
                if kind & 6 != 0 { letters += 1 }
                if kind & 4 != 0 { lowercase = true }
            }
            shape.isCapitals = !lowercase && letters >= 6
        }
        return (shape, words)
    }
}
