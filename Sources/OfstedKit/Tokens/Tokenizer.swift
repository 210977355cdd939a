/// Turns decoded lines into tokens.
///
/// Each line is classified on its own (blank, table row, heading, bullet, numbered item,
/// text); then three passes look across lines: grade marks (a line or two that carry only a
/// grade), page furniture (page numbers and running headers beside page breaks, boilerplate the
/// grammar lists), and vocabulary headings (a line that is wholly a section, service,
/// timescale or area phrase, unless it labels the grade below it).
struct Tokenizer: Sendable {
    let grammar: Grammar

    /// Headings are short: a longer line is prose even if it starts like a heading.
    static let maxHeadingWords = 16

    func tokenize(_ source: SourceText) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(source.lines.count)
        source.utf8.withUnsafeBufferPointer { buffer in
            for (index, line) in source.lines.enumerated() {
                let bytes = UnsafeBufferPointer(rebasing: buffer[line.start..<line.end])
                var token = classifyPlain(bytes, number: index + 1) ?? classify(source.string(line), number: index + 1)
                token.pageBreak = line.pageBreak
                tokens.append(token)
            }
        }
        var lexed = LineWords(count: tokens.count, prefilters: grammar.prefilters)
        markGrades(&tokens, &lexed)
        markFurniture(&tokens, &lexed)
        markContents(&tokens, &lexed)
        if pairColumnarGrades(&tokens, &lexed) { lexed = LineWords(count: tokens.count, prefilters: grammar.prefilters) }
        markVocabularyHeadings(&tokens, &lexed)
        return tokens
    }

    /// Each token's words and heading key, worked out once and shared by the passes across
    /// lines (most of them ask of nearly every line).
    private struct LineWords {
        private var words: [Words?]
        private var keys: [String??]
        /// Each line's first word by its lexicon id (`Lexicon.unknown` for a word the grammar
        /// lacks), `noWords` for a line without words, `notLooked` until asked.
        private var firstIDs: [Int32]
        /// The grammar's prefilters, held here so that asking of them copies nothing.
        let prefilters: Prefilters
        var lexicon: Lexicon { prefilters.lexicon }
        static let noWords: Int32 = -1
        static let notLooked: Int32 = -2

        init(count: Int, prefilters: Prefilters) {
            words = Array(repeating: nil, count: count)
            keys = Array(repeating: nil, count: count)
            firstIDs = Array(repeating: Self.notLooked, count: count)
            self.prefilters = prefilters
        }

        /// `Words(tokens[index].text)`.
        mutating func words(_ tokens: [Token], _ index: Int) -> Words {
            if let known = words[index] { return known }
            let lexed = Words(tokens[index].text)
            words[index] = lexed
            return lexed
        }

        /// The lexicon id of `words(tokens, index).words.first?.text` (`noWords` when it has
        /// none), without lexing the line when it starts with a plain ASCII word, as most lines
        /// do: the passes that only ask whether a line can start a heading or boilerplate rule
        /// most lines out by their first word.
        mutating func firstWordID(_ tokens: [Token], _ index: Int) -> Int32 {
            let known = firstIDs[index]
            if known != Self.notLooked { return known }
            var id: Int32?
            if words[index] == nil {
                id = tokens[index].text.utf8.withContiguousStorageIfAvailable { bytes in
                    Self.asciiWord(bytes, at: 0).map { lexicon.id(lowercasingASCII: bytes, $0) }
                } ?? nil
            }
            if id == nil {
                id = words(tokens, index).words.first.map { lexicon.id($0.text) } ?? Self.noWords
            }
            firstIDs[index] = id!
            return id!
        }

        /// The lexicon id of the second word `Words(text)` gives when the text starts with two
        /// words that `asciiWord` reads, one space between them; else nil.
        func secondASCIIWordID(_ text: String) -> Int32? {
            let id: Int32?? = text.utf8.withContiguousStorageIfAvailable { bytes in
                guard let first = Self.asciiWord(bytes, at: 0), first.upperBound < bytes.count, bytes[first.upperBound] == 0x20,
                      let second = Self.asciiWord(bytes, at: first.upperBound + 1) else { return nil }
                return lexicon.id(lowercasingASCII: bytes, second)
            }
            return id ?? nil
        }

        /// The run of ASCII letters and digits at `start`, when the lexer makes a word of it
        /// alone: what follows is an ASCII byte that cannot carry it on (not an apostrophe, nor a
        /// point after a digit).
        static func asciiWord(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Range<Int>? {
            func isWordByte(_ byte: UInt8) -> Bool {
                (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
            }
            guard start < bytes.count, isWordByte(bytes[start]) else { return nil }
            var end = start + 1
            while end < bytes.count, isWordByte(bytes[end]) { end += 1 }
            let next = end < bytes.count ? bytes[end] : 0x20
            let lastIsDigit = bytes[end - 1] <= 0x39
            guard next < 0x80, next != 0x27, next != 0x60, next != 0x2E || !lastIsDigit else { return nil }
            return start..<end
        }

        /// `tokenizer.headingKey(tokens[index].text)` when it may be a key of the grammar's
        /// heading tables (its first word starts one), else nil: for looking up in those tables.
        mutating func vocabularyKey(_ tokenizer: Tokenizer, _ tokens: [Token], _ index: Int) -> String? {
            if let known = keys[index] { return known }
            let text = tokens[index].text
            let key: String?
            var markup: [String] = []
            if Tokenizer.mayEndWithFootnote(text), Tokenizer.stripFootnote(text, markup: &markup).utf8.count != text.utf8.count {
                // A footnote to strip: the key is not made of the words already lexed.
                key = tokenizer.headingKey(text)
            } else if !mayStartKey(tokenizer, tokens, index) || Self.hasMoreWords(text, than: Tokenizer.maxHeadingWords) {
                key = nil
            } else {
                let lexed = words(tokens, index)
                key = lexed.count > Tokenizer.maxHeadingWords ? nil : tokenizer.vocabularyKey(lexed.words.map(\.text))
            }
            keys[index] = key
            return key
        }

        /// False when the heading key of the token's words (or of them and the next line's)
        /// certainly does not start a key of the grammar's heading tables: it starts with the
        /// line's first word (only "Section 2:" and "the" are dropped from the front), and no
        /// heading starts with that.
        private mutating func mayStartKey(_ tokenizer: Tokenizer, _ tokens: [Token], _ index: Int) -> Bool {
            var first = firstWordID(tokens, index)
            guard first != Self.noWords, first != prefilters.sectionID else { return true }
            if first == prefilters.theID {
                // "The local authority …": a key drops "the" when a word follows it; when the
                // line goes on with a plain ASCII word, that word starts the key.
                guard words[index] == nil, let second = secondASCIIWordID(tokens[index].text) else { return true }
                first = second
                return prefilters.mayStartHeading(id: first)
            }
            guard prefilters.mayStartHeading(id: first) else { return false }
            // A plain ASCII word after the first is the key's second word: nothing between
            // them is dropped from a key.
            guard words[index] == nil, let second = secondASCIIWordID(tokens[index].text) else { return true }
            return prefilters.mayStartHeading(id: first, then: second)
        }

        /// Whether `Words(text)` certainly has more than `limit` words, told from the bytes:
        /// words never run across a space, so each space-separated piece with an ASCII letter or
        /// digit holds at least one. Most prose lines are too long to be a heading by this count.
        static func hasMoreWords(_ text: String, than limit: Int) -> Bool {
            minimumWordCount(text, upTo: limit + 1) > limit
        }

        /// How many words `Words(text)` has at least, counted as `hasMoreWords` does and no
        /// further than `cap`.
        static func minimumWordCount(_ text: String, upTo cap: Int) -> Int {
            let count: Int? = text.utf8.withContiguousStorageIfAvailable { bytes in
                var pieces = 0
                var counted = false
                for byte in bytes {
                    if byte == 0x20 {
                        counted = false
                    } else if !counted, (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) {
                        counted = true
                        pieces += 1
                        if pieces >= cap { break }
                    }
                }
                return pieces
            }
            return count ?? 0
        }

        /// `tokenizer.headingKey(tokens[first].text + " " + tokens[second].text, maxWords:)` as
        /// `vocabularyKey` gives it: from the words of the two lines one after the other, since
        /// a space separates words whichever side of it.
        mutating func pairKey(_ tokenizer: Tokenizer, _ tokens: [Token], _ first: Int, _ second: Int,
                              maxWords: Int = Tokenizer.maxHeadingWords) -> String? {
            let a = tokens[first].text, b = tokens[second].text
            guard !a.isEmpty, !b.isEmpty, !Tokenizer.mayEndWithFootnote(b) else { return tokenizer.headingKey(a + " " + b, maxWords: maxWords) }
            guard mayStartKey(tokenizer, tokens, first),
                  Self.minimumWordCount(a, upTo: maxWords + 1) + Self.minimumWordCount(b, upTo: maxWords + 1) <= maxWords else { return nil }
            let x = words(tokens, first), y = words(tokens, second)
            guard x.count + y.count <= maxWords else { return nil }
            return tokenizer.vocabularyKey(x.words.map(\.text) + y.words.map(\.text), maxWords: maxWords)
        }

        /// `Words.normalize(tokens[first].text + " " + tokens[second].text).joined(separator: " ")`.
        mutating func pairNormalized(_ tokens: [Token], _ first: Int, _ second: Int) -> String {
            let x = words(tokens, first).key, y = words(tokens, second).key
            return x.isEmpty ? y : y.isEmpty ? x : x + " " + y
        }

        /// The token's text changed.
        mutating func forget(_ index: Int) {
            words[index] = nil
            keys[index] = nil
            firstIDs[index] = Self.notLooked
        }
    }

    // MARK: One line

    /// `classify` for a plain line, read from its bytes, or nil when the line is not plain.
    ///
    /// Most lines of a report are plain: printable ASCII, and scalars that stand alone (see
    /// `StandaloneScalars`) after the first, without the marks that cleaning removes
    /// (`< * _ [ \ &`), table separators (`|`, a tab, a run of spaces within the text), or a
    /// `#` or a bullet glyph in front; such a line is an item (when it starts with an item
    /// number) or text (or blank) whatever else it says. Classifying it from the bytes saves
    /// making a string of the raw line and walking it character by character.
    func classifyPlain(_ bytes: UnsafeBufferPointer<UInt8>, number line: Int) -> Token? {
        var start = 0
        while start < bytes.count, bytes[start] == 0x20 { start += 1 }
        if start == bytes.count { return Token(kind: .blank, line: line, text: "") }
        // Trailing spaces are trimmed (a run of them is trimmed by cleaning too).
        var end = bytes.count
        while bytes[end - 1] == 0x20 { end -= 1 }
        var previous: UInt8 = 0
        var i = start
        while i < end {
            let byte = bytes[i]
            switch byte {
            case 0x3C, 0x2A, 0x5F, 0x5B, 0x5C, 0x26, 0x7C:  // < * _ [ \ & |
                return nil
            case 0x20 where previous == 0x20:
                // Two spaces within the text: table columns, or whitespace for cleaning to collapse.
                return nil
            case 0x20...0x7E:
                previous = byte
                i += 1
            case 0xC2...0xF4 where i > start:
                // A curly quote or dash: one character of its own, as an ASCII byte is.
                guard let length = StandaloneScalars.length(bytes, at: i, end: end) else { return nil }
                previous = 0x80
                i += length
            default:  // tab, other controls, form feed, a scalar that may join its neighbours
                return nil
            }
        }
        // "#" headings, bullets (and a lost glyph: one space before a letter).
        let first = bytes[start]
        let lowercase = first >= 0x61 && first <= 0x7A
        let letter = lowercase || (first >= 0x41 && first <= 0x5A)
        if first == 0x23 || grammar.prefilters.isASCIIBullet(first) || (start == 1 && letter) {
            return nil
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
        // Item numbers: "(ii)", "4.3", "a)" (a letter starts one only with ")" in the first
        // eight bytes).
        if first == 0x28 || (first >= 0x30 && first <= 0x39)
            || (lowercase && bytes[start..<min(start + 8, end)].contains(0x29)),
           let (number, rest) = Self.numberPrefix(Substring(text)) {
            return numberedToken(number, rest, content: Substring(text), line: line, indent: start)
        }
        return Token(kind: .text, line: line, text: text, indent: start)
    }

    func classify(_ raw: String, number line: Int) -> Token {
        var scalars = Substring(raw)
        // Control characters other than tab read as spaces; a BOM or zero-width space as nothing.
        // (Only a line with a control byte, or the lead byte of U+00A0, U+200B or U+FEFF, can.)
        if raw.containsByte(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0xC2 || $0 == 0xE2 || $0 == 0xEF }), raw.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0xFEFF || $0.value == 0x200B || $0.value == 0xA0 }) {
            var cleaned = String.UnicodeScalarView()
            for scalar in raw.unicodeScalars {
                if scalar.value == 0xFEFF || scalar.value == 0x200B { continue }
                cleaned.append((scalar.value < 0x20 && scalar != "\t") || scalar.value == 0xA0 ? " " : scalar)
            }
            scalars = Substring(String(cleaned))
        }
        let content = scalars.drop(while: { $0 == " " || $0 == "\t" })
        if content.allSatisfy({ $0 == " " || $0 == "\t" }) {
            return Token(kind: .blank, line: line, text: "")
        }
        var indent = 0
        for character in scalars.prefix(while: { $0 == " " || $0 == "\t" }) { indent += character == "\t" ? 4 : 1 }

        if let cells = Self.tableCells(scalars) {
            let cleaned = cells.map { Self.clean($0).text }
            if cleaned.allSatisfy({ $0.isEmpty || $0.allSatisfy({ "-:|".contains($0) }) }) {
                return Token(kind: .furniture, line: line, text: "", indent: indent, markup: ["table-rule"])
            }
            var trimmed = cleaned
            while let last = trimmed.last, last.isEmpty { trimmed.removeLast() }
            return Token(kind: .tableRow, line: line, text: trimmed.filter { !$0.isEmpty }.joined(separator: " "),
                         indent: indent, cells: trimmed)
        }

        // Markdown heading.
        if content.first == "#" {
            let hashes = content.prefix(while: { $0 == "#" })
            let rest = content.dropFirst(hashes.count)
            if hashes.count <= 6, rest.first == " " || rest.isEmpty {
                var (text, markup) = Self.clean(rest)
                text = Self.stripFootnote(text, markup: &markup)
                return Token(kind: .heading, line: line, text: text, indent: indent, headingLevel: hashes.count,
                             headingSource: .markdown, markup: markup)
            }
        }

        // Bullet: a glyph followed by a space or the end of the line.
        if let glyph = content.unicodeScalars.first, grammar.bullets.contains(glyph) {
            let afterGlyph = content.unicodeScalars.dropFirst()
            let next = afterGlyph.first
            let spaced = next == nil || next == " " || next == "\t"
            let emphasis = glyph == "*" && next == "*"
            if spaced && !emphasis {
                let rest = Substring(afterGlyph).drop(while: { $0 == " " || $0 == "\t" })
                var token = itemToken(rest, line: line, indent: indent)
                token.kind = .bullet
                token.bullet = String(glyph)
                return token
            }
        }

        // A line indented by exactly one space: what is left of a bullet whose glyph was lost.
        if indent == 1, scalars.first == " ", let first = content.first, first.isLetter {
            var token = itemToken(content, line: line, indent: indent)
            token.kind = .bullet
            token.bullet = ""
            return token
        }

        if let (number, rest) = Self.numberPrefix(content) {
            return numberedToken(number, rest, content: content, line: line, indent: indent)
        }

        let trimmedContent = content.trimmingTrailingWhitespace()
        // (A line is bold only when it starts with "*" or "_": most lines are ruled out by a byte.)
        let lead = trimmedContent.utf8.first
        let bold = (lead == 0x2A || lead == 0x5F)
            && ((trimmedContent.hasPrefix("**") && trimmedContent.hasSuffix("**") && trimmedContent.count > 4
                 && !trimmedContent.dropFirst(2).dropLast(2).contains("**"))
                || (trimmedContent.hasPrefix("__") && trimmedContent.hasSuffix("__") && trimmedContent.count > 4))
        var (text, markup) = Self.clean(content)
        if bold {
            text = Self.stripFootnote(text, markup: &markup)
            return Token(kind: .heading, line: line, text: text, indent: indent, headingSource: .bold, markup: markup)
        }
        return Token(kind: .text, line: line, text: text, indent: indent, markup: markup)
    }

    /// A line that starts with an item number, `rest` what follows it.
    private func numberedToken(_ number: String, _ rest: Substring, content: Substring, line: Int, indent: Int) -> Token {
        var token = itemToken(rest, line: line, indent: indent)
        token.kind = .numbered
        token.number = number
        token.bareNumber = rest.isEmpty && content.trimmingTrailingWhitespace().allSatisfy(\.isNumber)
        // "2.0 History of the Review": a section-numbered short line is a heading.
        if number.hasSuffix(".0"), !token.text.isEmpty, Self.looksLikeHeading(token.text) {
            token.kind = .heading
            token.headingSource = .numbered
        }
        return token
    }

    /// A bullet or numbered line's content, with a number after a bullet ("- 4.3 The first ...").
    private func itemToken(_ rest: Substring, line: Int, indent: Int) -> Token {
        var content = rest
        var number: String? = nil
        if let (n, after) = Self.numberPrefix(rest) {
            number = n
            content = after
        }
        let (text, markup) = Self.clean(content)
        return Token(kind: .text, line: line, text: text, indent: indent, number: number, markup: markup)
    }

    /// The cells of a line with HTML `<td` (any case), or nil when it has none: a cell runs from
    /// the `>` that closes its `<td` to the next `</td` — or, when there is none, the next `<td`,
    /// or the line's end. Found in one pass over the bytes: searching the rest of the line again
    /// for each cell was quadratic on a long line.
    static func htmlCells(_ line: Substring) -> [Substring]? {
        let utf8 = line.utf8
        let ranges = utf8.withContiguousStorageIfAvailable(htmlCellRanges) ?? Array(utf8).withUnsafeBufferPointer(htmlCellRanges)
        guard let ranges else { return nil }
        func position(_ offset: Int) -> Substring.Index { utf8.index(utf8.startIndex, offsetBy: offset) }
        return ranges.map { line[position($0.lowerBound)..<position($0.upperBound)] }
    }

    /// `htmlCells` as byte ranges.
    private static func htmlCellRanges(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>]? {
        let count = bytes.count
        func lower(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
        var opens: [Int] = []
        var closes: [Int] = []
        for index in 0..<count where bytes[index] == 0x3C {  // <
            if index + 3 <= count, lower(bytes[index + 1]) == 0x74, lower(bytes[index + 2]) == 0x64 { opens.append(index) }
            if index + 4 <= count, bytes[index + 1] == 0x2F, lower(bytes[index + 2]) == 0x74, lower(bytes[index + 3]) == 0x64 {
                closes.append(index)
            }
        }
        guard !opens.isEmpty else { return nil }
        var cells: [Range<Int>] = []
        var rest = opens[0]
        var open = 0
        var close = 0
        while true {
            while open < opens.count && opens[open] < rest { open += 1 }
            guard open < opens.count else { break }
            var bracket = opens[open] + 3
            while bracket < count && bytes[bracket] != 0x3E { bracket += 1 }  // >
            guard bracket < count else { break }
            let after = bracket + 1
            while close < closes.count && closes[close] < after { close += 1 }
            var end = count
            if close < closes.count {
                end = closes[close]
            } else {
                var next = open
                while next < opens.count && opens[next] < after { next += 1 }
                if next < opens.count { end = opens[next] }
            }
            cells.append(after..<end)
            rest = end
        }
        return cells
    }

    /// Cells when the line is a table row: tab-separated, HTML `<td>`, markdown `| a | b |`, or
    /// columns laid out with runs of three or more spaces.
    static func tableCells(_ line: Substring) -> [Substring]? {
        // One pass over the bytes says which kinds of row the line may be; most lines are none.
        let (tab, angle, bar, spaceRun) = line.utf8.withContiguousBytes { bytes in
            var tab = false, angle = false, bar = false, spaceRun = false
            var spaces = 0
            for byte in bytes {
                if byte == 0x20 {
                    spaces += 1
                    if spaces >= 3 { spaceRun = true }
                    continue
                }
                spaces = 0
                if byte == 0x09 { tab = true } else if byte == 0x3C { angle = true } else if byte == 0x7C { bar = true }
            }
            return (tab, angle, bar, spaceRun)
        }
        if tab {  // a tab is always a character of its own
            return line.split(separator: "\t", omittingEmptySubsequences: false)
        }
        if angle, let cells = htmlCells(line) { return cells.isEmpty ? nil : cells }
        guard bar || spaceRun else { return nil }
        let trimmed = line.drop(while: { $0 == " " }).trimmingTrailingWhitespace()
        if bar, trimmed.hasPrefix("|"), trimmed.hasSuffix("|"), trimmed.count > 2 {
            return trimmed.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false)
        }
        // Layout columns: an internal run of at least three spaces.
        if spaceRun, trimmed.containsASCII("   ") {
            var cells: [Substring] = []
            var start = trimmed.startIndex
            var index = trimmed.startIndex
            while index < trimmed.endIndex {
                if trimmed[index] == " " {
                    var runEnd = index
                    while runEnd < trimmed.endIndex, trimmed[runEnd] == " " { runEnd = trimmed.index(after: runEnd) }
                    if trimmed.distance(from: index, to: runEnd) >= 3 {
                        cells.append(trimmed[start..<index])
                        start = runEnd
                    }
                    index = runEnd
                } else {
                    index = trimmed.index(after: index)
                }
            }
            cells.append(trimmed[start...])
            return cells.count >= 2 ? cells : nil
        }
        return nil
    }

    /// "24." → 24; "4.3" → 4.3; "(ii)" → ii; "1.0" → 1.0; a bare integer only when alone on the line.
    static func numberPrefix(_ text: Substring) -> (String, Substring)? {
        // The number is read from the bytes: everything it is made of is ASCII, one byte a
        // scalar, and reading stops at the first other scalar, so the first twelve bytes stand
        // for the first twelve scalars (without an array of scalars for every line).
        let parsed: (number: String, length: Int, bareInteger: Bool)? = text.utf8.withContiguousBytes { all in
            func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
            func isLetter(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
            // An item number starts with "(", a digit or a lower-case letter; letters ("ii)", "(a)")
            // are closed by ")" within the first eight bytes.
            guard let first = all.first, first == 0x28 || isDigit(first) || isLetter(first) else { return nil }
            let letterFirst = first >= 0x61 || (first == 0x28 && all.count > 1 && isLetter(all[1]))
            if letterFirst, !all.prefix(8).contains(0x29) { return nil }
            let scalars = UnsafeBufferPointer(rebasing: all.prefix(12))
            var i = 0
            var parenthesised = false
            if i < scalars.count, scalars[i] == 0x28 {  // (
                parenthesised = true
                i += 1
            }
            let digitsStart = i
            var components = 0
            var dotted = false
            var trailingPunctuation = false
            while i < scalars.count, isDigit(scalars[i]) {
                var length = 0
                while i < scalars.count, isDigit(scalars[i]) {
                    i += 1
                    length += 1
                }
                guard length >= 1, length <= 3 else { return nil }
                components += 1
                if i < scalars.count, scalars[i] == 0x2E, i + 1 < scalars.count, isDigit(scalars[i + 1]) {  // .
                    dotted = true
                    i += 1
                    continue
                }
                break
            }
            var number: String
            if components > 0 {
                number = String(decoding: UnsafeBufferPointer(rebasing: scalars[digitsStart..<i]), as: UTF8.self)
            } else {
                // (ii), ii), (a), a)
                var j = i
                while j < scalars.count, j - i < 6, isLetter(scalars[j]) { j += 1 }
                let letters = UnsafeBufferPointer(rebasing: scalars[i..<j])
                // i, v, x, l, c
                let roman = !letters.isEmpty && letters.allSatisfy { [0x69, 0x76, 0x78, 0x6C, 0x63].contains($0) }
                guard j < scalars.count, scalars[j] == 0x29, letters.count == 1 || roman else { return nil }
                number = String(decoding: letters, as: UTF8.self)
                i = j
            }
            if i < scalars.count, scalars[i] == 0x2E || scalars[i] == 0x29 {  // . )
                if scalars[i] == 0x29 { parenthesised = true }
                trailingPunctuation = true
                i += 1
            } else if parenthesised {
                return nil
            }
            if number.isEmpty { return nil }
            // "0", "0.0": not an item number.
            if components > 0, !number.utf8.contains(where: { $0 >= 0x31 && $0 <= 0x39 }) { return nil }
            return (number, i, components == 1 && !dotted && !trailingPunctuation && !parenthesised)
        }
        guard let parsed else { return nil }
        let rest = Substring(text.unicodeScalars[text.utf8.index(text.startIndex, offsetBy: parsed.length)...])
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        let after = rest.drop(while: { $0 == " " || $0 == "\t" })
        // A bare integer followed by words is a quantity ("20 areas ..."), not an item number.
        if parsed.bareInteger && !after.isEmpty { return nil }
        return (parsed.number, after)
    }

    /// Short, starts with a capital or digit, and does not end like a sentence.
    static func looksLikeHeading(_ text: String) -> Bool {
        guard let first = text.first, first.isUppercase || first.isNumber else { return false }
        guard let last = text.last, !".,;".contains(last) else { return false }
        return text.spaceSeparatedCount() <= maxHeadingWords
    }

    // MARK: Cleaning

    /// Strips markdown emphasis, links, HTML tags and entities, and collapses whitespace.
    static func clean(_ text: Substring) -> (text: String, markup: [String]) {
        // (ASCII scalars are single bytes in UTF-8, and no other scalar has those bytes.)
        let (marks, doubleSpace) = text.utf8.withContiguousBytes { bytes in
            var marks = false, doubleSpace = false
            var previous: UInt8 = 0
            for byte in bytes {
                if byte == 0x3C || byte == 0x2A || byte == 0x5F || byte == 0x5B || byte == 0x5C || byte == 0x26 || byte == 0x09 {
                    marks = true
                    break
                }
                if byte == 0x20 && previous == 0x20 { doubleSpace = true }
                previous = byte
            }
            return (marks, doubleSpace)
        }
        // (Two space bytes are two space characters unless a combining mark follows: ask then.)
        let needsWork = marks || (doubleSpace && text.containsASCII("  "))
        if !needsWork {
            return (String(text.drop(while: { $0 == " " }).trimmingTrailingWhitespace()), [])
        }
        var markup: [String] = []
        var s = String(text)
        if s.containsASCII("<") {
            var out = ""
            var index = s.startIndex
            var removed = false
            while index < s.endIndex {
                if s[index] == "<", let close = s[index...].firstIndex(of: ">"), s.distance(from: index, to: close) < 300 {
                    let inside = s[s.index(after: index)..<close]
                    if let first = inside.first, first.isLetter || first == "/" || first == "!", !inside.contains("<") {
                        out.append(" ")
                        removed = true
                        index = s.index(after: close)
                        continue
                    }
                }
                out.append(s[index])
                index = s.index(after: index)
            }
            if removed {
                markup.append("html")
                s = out
            }
        }
        if s.containsASCII("&") {
            for (entity, value) in [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&nbsp;", " "), ("&quot;", "\""), ("&#39;", "'"), ("&rsquo;", "\u{2019}")]
            where s.containsASCII(entity) {
                s = s.replacingOccurrences(of: entity, with: value)
            }
        }
        if s.containsASCII("](") {
            // [text](url) → text
            var out = ""
            var index = s.startIndex
            while index < s.endIndex {
                if s[index] == "[", let closeBracket = s[index...].firstIndex(of: "]"),
                   s.index(after: closeBracket) < s.endIndex, s[s.index(after: closeBracket)] == "(",
                   let closeParen = s[closeBracket...].firstIndex(of: ")") {
                    out += s[s.index(after: index)..<closeBracket]
                    index = s.index(after: closeParen)
                    markup.append("link")
                    continue
                }
                out.append(s[index])
                index = s.index(after: index)
            }
            s = out
        }
        if s.containsASCII("**") || s.containsASCII("__") {
            s = s.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "__", with: "")
            markup.append("bold")
        }
        if s.containsASCII("*") || s.containsASCII("_") {
            // A single * or _ that opens or closes a word is emphasis.
            let characters = Array(s)
            var out = ""
            var italic = false
            for (i, character) in characters.enumerated() {
                if character == "*" || character == "_" {
                    let before = i > 0 ? characters[i - 1] : " "
                    let after = i + 1 < characters.count ? characters[i + 1] : " "
                    if before.isWhitespace != after.isWhitespace || (before.isPunctuation && !after.isWhitespace) {
                        italic = true
                        continue
                    }
                }
                out.append(character)
            }
            if italic {
                markup.append("italic")
                s = out
            }
        }
        if s.containsASCII("\\") {
            var out = ""
            var escaped = false
            for character in s {
                if character == "\\" && !escaped {
                    escaped = true
                    continue
                }
                escaped = false
                out.append(character)
            }
            s = out
        }
        // Collapse whitespace.
        var collapsed = ""
        collapsed.reserveCapacity(s.utf8.count)
        var pendingSpace = false
        for character in s {
            if character == " " || character == "\t" {
                pendingSpace = !collapsed.isEmpty
                continue
            }
            if pendingSpace {
                collapsed.append(" ")
                pendingSpace = false
            }
            collapsed.append(character)
        }
        return (collapsed, markup)
    }

    /// A footnote number glued to a heading ("board1", "improve?1") is removed.
    static func stripFootnote(_ text: String, markup: inout [String]) -> String {
        guard mayEndWithFootnote(text) else { return text }
        // Decided on the bytes when what is asked of is ASCII (the digits always are): most
        // lines that end with a digit end with a number, not a footnote.
        let decided: Bool? = text.utf8.withContiguousStorageIfAvailable { bytes in
            var end = bytes.count
            while end > 0, bytes[end - 1] >= 0x30, bytes[end - 1] <= 0x39 { end -= 1 }
            let digits = bytes.count - end
            if digits < 1 || digits > 2 || end == 0 { return false }
            func lower(_ byte: UInt8) -> Bool { byte >= 0x61 && byte <= 0x7A }
            let before = bytes[end - 1]
            guard before < 0x80 else { return nil }
            guard lower(before) || before == 0x3F || before == 0x3A || before == 0x29 || before == 0x2E else { return false }
            if before == 0x2E, end >= 2 {
                guard bytes[end - 2] < 0x80 else { return nil }
                if !lower(bytes[end - 2]) { return false }
            }
            return nil
        } ?? nil
        if decided == false { return text }
        let scalars = Array(text.unicodeScalars)
        var end = scalars.count
        while end > 0, ("0"..."9").contains(scalars[end - 1]) { end -= 1 }
        let digits = scalars.count - end
        guard digits >= 1, digits <= 2, end > 0 else { return text }
        let before = scalars[end - 1]
        guard before.properties.isLowercase || before == "?" || before == ":" || before == ")" || before == "." else { return text }
        // "… are inadequate.2" but not "2.2" or "paragraph 12."
        if before == ".", end >= 2, !scalars[end - 2].properties.isLowercase { return text }
        markup.append("footnote")
        return String(String.UnicodeScalarView(scalars[0..<end]))
    }

    /// Whether `text` ends with a digit, as a footnote number does.
    static func mayEndWithFootnote(_ text: String) -> Bool {
        guard let last = text.utf8.last else { return false }
        return last >= 0x30 && last <= 0x39
    }

    // MARK: Grades

    /// Marks lines that carry only a grade: "Good", "Requires improvement" + "to be good",
    /// "Inadequate Grade 4", "Grade 2 (Good)". A bare grade must stand apart from the text
    /// before it (a blank line or page break between), as table cells laid out on their own
    /// lines do; "... are judged to be" / "good." is prose.
    private func markGrades(_ tokens: inout [Token], _ lexed: inout LineWords) {
        let matcher = grammar.matcher(allServiceAliases: true)
        let cellPatterns = grammar.tables.gradeCells
        var index = 0
        while index < tokens.count {
            // (Fields read in place: a copy of the token would retain its strings.)
            let kind = tokens[index].kind
            guard kind == .text || kind == .heading, tokens[index].text.hasAtMostCharacters(60), !Self.endsWithFullStop(tokens[index].text) else {
                index += 1
                continue
            }
            // A grade phrase starts with the line's first word (when it has one); a grade cell
            // has the word "grade": a line with neither is no grade line, without lexing it.
            let first = lexed.firstWordID(tokens, index)
            if first != LineWords.noWords, !grammar.prefilters.gradeKeyFirstIDs.contains(first),
               !tokens[index].text.containsASCII("grade", ignoringCase: true) {
                index += 1
                continue
            }
            let standsApart = index == 0 || tokens[index - 1].kind == .blank || tokens[index - 1].kind == .furniture
                || tokens[index].pageBreak || tokens[index - 1].grade != nil
            if standsApart, index + 1 < tokens.count, tokens[index + 1].kind == .text, tokens[index + 1].text.hasAtMostCharacters(30),
               !Self.endsWithFullStop(tokens[index + 1].text),
               isGradePhrase(lexed.pairNormalized(tokens, index, index + 1)) {
                tokens[index].grade = .bare
                tokens[index + 1].grade = .continuation
                index += 2
                continue
            }
            let words = lexed.words(tokens, index)
            if standsApart, isGradePhrase(words.key) {
                tokens[index].grade = .bare
            } else if words.count <= 8, words.words.contains(where: { $0.text == "grade" }),
                      matcher.matchesWhole(anyOf: cellPatterns, words) {
                tokens[index].grade = words[0].text == "grade" ? .numbered : (standsApart ? .bare : nil)
            }
            index += 1
        }
    }

    /// `text.hasSuffix(".")`, asked only of a text whose last byte is a full stop.
    static func endsWithFullStop(_ text: String) -> Bool {
        text.utf8.last == 0x2E && text.hasSuffix(".")
    }

    /// A grade, or words that say an area was not graded ("Not judged").
    func isGradePhrase(_ key: String) -> Bool {
        grammar.gradePhrases[key] != nil || grammar.notGradedPhrases.contains(key)
    }

    // MARK: Furniture

    /// Page numbers and running headers or footers beside page breaks, and the grammar's boilerplate.
    private func markFurniture(_ tokens: inout [Token], _ lexed: inout LineWords) {
        // The lines nearest each page break: up to three content lines after it (the header
        // zone, starting with the line the break is on) and three before it (the footer zone).
        var zones: [[Int]] = []
        for index in tokens.indices where tokens[index].pageBreak {
            var zone: [Int] = []
            var i = index
            while i < tokens.count, zone.count < 3 {
                if tokens[i].kind != .blank { zone.append(i) }
                i += 1
            }
            i = index - 1
            var before = 0
            while i >= 0, before < 3 {
                if tokens[i].kind != .blank {
                    zone.append(i)
                    before += 1
                }
                i -= 1
            }
            zones.append(zone)
        }
        // A key repeats when it is on two or more lines near two or more breaks: a line on a
        // short page sits near two breaks but is not a repeat of itself.
        var repeats: [String: (zones: Set<Int>, lines: Set<Int>)] = [:]
        // Each zone line's keys, made once: a line near two breaks is in two zones, and the
        // lines are asked again below.
        var lineKeys: [Int: [String]] = [:]
        for (zoneIndex, zone) in zones.enumerated() {
            for i in zone {
                if Self.isPageNumber(tokens[i]) {
                    tokens[i].kind = .furniture
                    tokens[i].markup.append("page-number")
                    continue
                }
                let keys = lineKeys[i] ?? Self.furnitureKeys(tokens[i])
                lineKeys[i] = keys
                for key in keys where !key.hasAtMostCharacters(7) {
                    repeats[key, default: ([], [])].zones.insert(zoneIndex)
                    repeats[key, default: ([], [])].lines.insert(i)
                }
            }
        }
        markStrayPageNumbers(&tokens)
        // A running header or footer repeats on several lines across a good share of pages; a
        // heading that happens to start two pages ("Executive summary") does not, nor does the
        // one line of a short page that falls in two zones.
        let minimumRepeats = max(2, Int((Double(zones.count) * 0.3).rounded(.up)))
        let running = Set(repeats.filter { $0.value.zones.count >= minimumRepeats && $0.value.lines.count >= 2 }.keys)
        if !running.isEmpty {
            for zone in zones {
                for i in zone where tokens[i].kind != .furniture && !running.isDisjoint(with: lineKeys[i] ?? Self.furnitureKeys(tokens[i])) {
                    tokens[i].kind = .furniture
                    tokens[i].markup.append("running-header")
                }
            }
        }
        guard !grammar.furnitureLines.isEmpty || !grammar.furniturePrefixes.isEmpty else { return }
        for index in tokens.indices where Token.isContent(tokens[index].kind) && tokens[index].text.hasAtMostCharacters(199) {
            // Boilerplate starts with the first word of a furniture line or prefix.
            if !grammar.prefilters.emptyFurniturePrefix {
                let first = lexed.firstWordID(tokens, index)
                if first != LineWords.noWords, !grammar.prefilters.furnitureFirstIDs.contains(first) { continue }
            }
            let lineWords = lexed.words(tokens, index)
            let words = lineWords.words.map(\.text)
            let whole = words.joined(separator: " ")
            if grammar.furnitureLines.contains(whole)
                || grammar.furniturePrefixes.contains(where: { words.starts(with: $0) }) {
                tokens[index].kind = .furniture
                tokens[index].markup.append("boilerplate")
            }
        }
    }

    /// Page numbers that pdftotext printed away from the page's edge ("9." / "4" / the rest of
    /// item 9): once the numbers found beside page breaks show how pages are numbered, a lone
    /// number anywhere on a page that equals that page's expected number is furniture too.
    private func markStrayPageNumbers(_ tokens: inout [Token]) {
        // Pages: token ranges between page breaks.
        var starts = [0]
        for index in tokens.indices where tokens[index].pageBreak && index > 0 { starts.append(index) }
        guard starts.count >= 3 else { return }
        func page(of index: Int) -> Int {
            var low = 0, high = starts.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if starts[middle] <= index { low = middle } else { high = middle - 1 }
            }
            return low
        }
        // The offset between a page's number and its position, from the numbers already found.
        var offsets: [Int: Int] = [:]
        for index in tokens.indices where tokens[index].markup.contains("page-number") {
            guard let value = Self.pageNumberValue(tokens[index]) else { continue }
            // A footer number belongs to the page before the break that follows it.
            let pageIndex = page(of: index)
            offsets[value - pageIndex, default: 0] += 1
        }
        guard let (offset, votes) = offsets.max(by: { $0.value < $1.value }), votes >= 2 else { return }
        for index in tokens.indices where tokens[index].kind != .furniture {
            // Ruled out by kind and first byte before the token is copied for isPageNumber.
            let kind = tokens[index].kind, first = tokens[index].text.utf8.first
            let mayBe = (kind == .numbered && tokens[index].bareNumber) || first == 0x50 || first == 0x70
                || (kind == .text && first.map { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D } == true)
            guard mayBe, Self.isPageNumber(tokens[index]), let value = Self.pageNumberValue(tokens[index]) else { continue }
            let pageIndex = page(of: index)
            if value == pageIndex + offset || value == pageIndex + offset + 1 {
                tokens[index].kind = .furniture
                tokens[index].markup.append("page-number")
            }
        }
    }

    private static func pageNumberValue(_ token: Token) -> Int? {
        if let number = token.number, token.text.isEmpty { return Int(number) }
        return Int(token.text)
    }

    private static func isPageNumber(_ token: Token) -> Bool {
        if token.kind == .numbered, token.bareNumber, let number = token.number, Int(number) != nil {
            return true
        }
        // (Lower case changes no digit or sign, and only "P" or "p" lowercases to "p".)
        if token.kind == .text, let value = Int(token.text), value >= 0 { return true }
        guard let first = token.text.utf8.first, first == 0x50 || first == 0x70 else { return false }
        let text = token.text.lowercased()
        if text.hasPrefix("page "), text.dropFirst(5).split(separator: " ").first.flatMap({ Int($0) }) != nil { return true }
        return false
    }

    /// A line's keys for spotting running headers: its letters (so "Page 3" and "Page 4" are
    /// alike), and its letters and digits (so a footer such as "13 to 24 May 2024" counts).
    private static func furnitureKeys(_ token: Token) -> [String] {
        let text = token.kind == .tableRow ? token.cells.joined(separator: " ") : token.text
        let ascii: [String]?? = text.utf8.withContiguousStorageIfAvailable { bytes in
            guard !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            // ASCII: letters are A-Z and a-z (lowercased), numbers the digits. The keys are
            // written straight into their strings, without intermediate arrays.
            func key(digits: Bool) -> String {
                String(unsafeUninitializedCapacity: bytes.count) { buffer in
                    var n = 0
                    for byte in bytes {
                        if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) {
                            buffer[n] = byte | 0x20
                            n += 1
                        } else if digits && byte >= 0x30 && byte <= 0x39 {
                            buffer[n] = byte
                            n += 1
                        }
                    }
                    return n
                }
            }
            let lettersKey = key(digits: false)
            return bytes.contains(where: { $0 >= 0x30 && $0 <= 0x39 }) ? [lettersKey, key(digits: true)] : [lettersKey]
        }
        if let ascii = ascii ?? nil { return ascii }
        // The keys are gathered as bytes and made strings once: appending to a string a
        // character at a time cost more than the rest of the work.
        var letters: [UInt8] = []
        var both: [UInt8] = []
        letters.reserveCapacity(text.utf8.count)
        both.reserveCapacity(text.utf8.count)
        let lowered = Self.lowercased(text)
        let utf8 = lowered.utf8
        var index = lowered.startIndex
        while index < lowered.endIndex {
            // `index` is always where a character starts. An ASCII byte followed by another (or
            // by nothing) is a character of its own, judged from the byte: most of the text is
            // ASCII between its curly quotes and dashes. Anything else goes character by character.
            let byte = utf8[index]
            let after = utf8.index(after: index)
            if byte < 0x80, after == utf8.endIndex || utf8[after] < 0x80 {
                if byte >= 0x61 && byte <= 0x7A {  // lowercased: no A-Z is left
                    letters.append(byte)
                    both.append(byte)
                } else if byte >= 0x30 && byte <= 0x39 {
                    both.append(byte)
                }
                index = after
                continue
            }
            let character = lowered[index]
            if character.isLetter {
                letters.append(contentsOf: character.utf8)
                both.append(contentsOf: character.utf8)
            } else if character.isNumber {
                both.append(contentsOf: character.utf8)
            }
            index = lowered.index(after: index)
        }
        let lettersKey = String(decoding: letters, as: UTF8.self)
        return letters == both ? [lettersKey] : [lettersKey, String(decoding: both, as: UTF8.self)]
    }

    /// `text.lowercased()`, each scalar's lowercase mapping in turn, with an ASCII scalar
    /// mapped from its byte: the library asks every scalar's properties once a line has one
    /// that is not ASCII, which made a running header with a dash cost as much as a page.
    static func lowercased(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                bytes.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
            } else {
                bytes.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: Contents pages

    /// The entries of a contents page ("Recommendations" … "7", or "Overall effectiveness\t5")
    /// are furniture: they name sections, they are not sections.
    private func markContents(_ tokens: inout [Token], _ lexed: inout LineWords) {
        var index = 0
        while index < tokens.count {
            defer { index += 1 }
            guard Token.isContent(tokens[index].kind), let key = lexed.vocabularyKey(self, tokens, index),
                  let sections = grammar.sectionHeadings[key], sections.contains(where: { grammar.sections[$0].role == .contents }) else { continue }
            var i = index + 1
            var titles: [Int] = []
            var consumed: [Int] = []
            var sawNumber = false
            while i < tokens.count {
                let token = tokens[i]
                // An entry's page number may already be furniture, found beside a page break.
                if token.markup.contains("page-number") {
                    consumed += titles
                    titles = []
                    sawNumber = true
                    i += 1
                    continue
                }
                if !token.isContent {
                    i += 1
                    continue
                }
                if Self.isPageNumberLine(token) {
                    consumed += titles + [i]
                    titles = []
                    sawNumber = true
                } else if token.kind == .tableRow {
                    // "Overall effectiveness\t5": a title and its page in one row.
                    consumed += titles + [i]
                    titles = []
                } else if (token.kind == .text || token.kind == .numbered || token.kind == .heading), token.grade == nil,
                          !token.text.isEmpty, token.text.spaceSeparatedCount() <= Self.maxHeadingWords,
                          !token.text.hasSuffix("."), titles.count < 4 {
                    titles.append(i)
                } else {
                    break
                }
                i += 1
            }
            guard sawNumber || !consumed.isEmpty else { continue }
            for entry in consumed {
                tokens[entry].kind = .furniture
                tokens[entry].markup.append("contents")
            }
        }
    }

    private static func isPageNumberLine(_ token: Token) -> Bool {
        if token.kind == .numbered, token.bareNumber, let number = token.number, Int(number) != nil { return true }
        return token.kind == .text && Int(token.text) != nil && token.text.hasAtMostCharacters(3)
    }

    // MARK: Columnar grades

    /// Puts grades laid out in a column back beside their labels. pdftotext sometimes prints a
    /// cover's judgement table column by column: "2.1 Adoption performance", "2.2 Experiences and
    /// progress of care leavers", "3. Leadership, management and governance", then three grades.
    /// A run of k labels that name judgement areas, followed by exactly k grades, is reordered
    /// label, grade, label, grade (each keeping its line number).
    /// Returns whether it moved any token.
    private func pairColumnarGrades(_ tokens: inout [Token], _ lexed: inout LineWords) -> Bool {
        let content = tokens.indices.filter { Token.isContent(tokens[$0].kind) }
        var rewrites: [(range: ClosedRange<Int>, order: [Int])] = []
        var c = 0
        while c < content.count {
            var labels: [[Int]] = []
            var j = c
            while j < content.count, let label = areaLabel(tokens, content, j, &lexed) {
                labels.append(label)
                j += label.count
                // A footnote marker or page number alone between the labels and the grades.
                while j < content.count, Self.isPageNumberLine(tokens[content[j]]) { j += 1 }
            }
            guard labels.count >= 2 else {
                c = max(j, c + 1)
                continue
            }
            var grades: [[Int]] = []
            var k = j
            while k < content.count, tokens[content[k]].grade == .bare, grades.count < labels.count {
                var group = [content[k]]
                if k + 1 < content.count, tokens[content[k + 1]].grade == .continuation { group.append(content[k + 1]) }
                grades.append(group)
                k += group.count
            }
            let runEnds = k == content.count || tokens[content[k]].grade != .bare
            if grades.count == labels.count, runEnds {
                var order: [Int] = []
                for (label, grade) in zip(labels, grades) { order += label + [-1] + grade + [-1] }
                rewrites.append((content[c]...content[k - 1], order))
                c = k
            } else {
                c = j
            }
        }
        guard !rewrites.isEmpty else { return false }
        var rebuilt: [Token] = []
        rebuilt.reserveCapacity(tokens.count + rewrites.count * 8)
        var next = 0
        for (range, order) in rewrites {
            rebuilt += tokens[next..<range.lowerBound]
            var lastLine = tokens[range.lowerBound].line
            for index in order {
                if index < 0 {
                    rebuilt.append(Token(kind: .blank, line: lastLine, text: ""))
                } else {
                    rebuilt.append(tokens[index])
                    lastLine = tokens[index].line
                }
            }
            let used = Set(order)
            // Whatever else the range held (blank lines, page furniture) follows.
            for index in range where !used.contains(index) && !tokens[index].isContent { rebuilt.append(tokens[index]) }
            next = range.upperBound + 1
        }
        rebuilt += tokens[next...]
        tokens = rebuilt
        return true
    }

    /// The content tokens (one line, or two when the label wraps) at `content[j]` that name a
    /// judgement area, or nil.
    private func areaLabel(_ tokens: [Token], _ content: [Int], _ j: Int, _ lexed: inout LineWords) -> [Int]? {
        // (Fields read in place: this asks of every content line, and a copy retains its strings.)
        let kind = tokens[content[j]].kind
        guard kind == .text || kind == .numbered || kind == .heading, tokens[content[j]].grade == nil,
              !tokens[content[j]].text.isEmpty, tokens[content[j]].text.hasAtMostCharacters(100) else { return nil }
        if let key = lexed.vocabularyKey(self, tokens, content[j]), grammar.areaLabels[key] != nil { return [content[j]] }
        if j + 1 < content.count, content[j + 1] == content[j] + 1 {
            if tokens[content[j + 1]].kind == .text, tokens[content[j + 1]].grade == nil, let key = lexed.pairKey(self, tokens, content[j], content[j + 1]),
               grammar.areaLabels[key] != nil {
                return [content[j], content[j + 1]]
            }
        }
        return nil
    }

    // MARK: Vocabulary headings

    /// A short line that is wholly a grammar phrase is a heading, unless a bare grade follows
    /// it (then it is a table label).
    private func markVocabularyHeadings(_ tokens: inout [Token], _ lexed: inout LineWords) {
        let titles = titleNeedles()
        for index in tokens.indices {
            // (The kind is asked before the token is copied: most lines are ruled out by it or
            // by their first byte.)
            let kind = tokens[index].kind
            guard kind == .text || kind == .numbered || (kind == .heading && tokens[index].headingSource == .numbered) else { continue }
            if kind != .numbered, let byte = Self.leadingASCII(tokens[index].text),
               !((byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)) { continue }
            let token = tokens[index]
            guard token.grade == nil, !token.text.isEmpty, token.text.hasAtMostCharacters(120) else { continue }
            // A heading starts with a capital (or a number) and does not end with a full stop:
            // "recommendations." is the last word of a wrapped sentence.
            guard let first = token.text.first, first.isUppercase || first.isNumber || token.kind == .numbered,
                  !token.text.hasSuffix(".") || token.kind == .heading else { continue }
            // A line that carries on the sentence above it is not a heading ("… children looked
            // after and care leavers" / "and" / "Review of the effectiveness of the LSCB"), nor
            // is the text of a bullet or number printed alone above it.
            if index > 0, continuesSentence(tokens[index - 1]) { continue }
            if let previous = previousContent(tokens, before: index),
               tokens[previous].kind == .bullet || tokens[previous].kind == .numbered && !tokens[previous].bareNumber,
               tokens[previous].text.isEmpty { continue }
            // A label wrapped over two lines ("Outcomes for looked after children" / "and young
            // people") with a bare grade below it is a table label, whatever its first line says.
            if index + 1 < tokens.count, tokens[index + 1].kind == .text, tokens[index + 1].grade == nil,
               tokens[index + 1].text.first?.isLowercase == true,
               let next = nextContent(tokens, after: index + 1), tokens[next].grade == .bare { continue }
            // A heading wrapped over two lines ("Section 2: The effectiveness of the Local
            // Safeguarding" / "Children Board").
            if index + 1 < tokens.count, tokens[index + 1].kind == .text, tokens[index + 1].grade == nil,
               tokens[index + 1].text.hasAtMostCharacters(40), !tokens[index + 1].pageBreak,
               let key = lexed.pairKey(self, tokens, index, index + 1, maxWords: Self.maxHeadingWords + 8),
               isVocabularyHeading(key) || (token.kind == .text && isGradedHeading(key)),
               !carriesTitle(key, among: titles) {
                tokens[index].kind = .heading
                tokens[index].headingSource = tokens[index].headingSource ?? .vocabulary
                tokens[index].text += " " + tokens[index + 1].text
                lexed.forget(index)
                tokens[index].extraLines = 1
                tokens[index + 1].kind = .furniture
                tokens[index + 1].markup.append("heading-continuation")
                continue
            }
            // A line that the next line carries on in lower case is the start of a sentence
            // ("The effectiveness of the Local Safeguarding Children Board (LSCB)" / "requires
            // improvement."), not a heading.
            if index + 1 < tokens.count, tokens[index + 1].kind == .text, !tokens[index + 1].pageBreak,
               tokens[index + 1].text.first?.isLowercase == true { continue }
            if let key = lexed.vocabularyKey(self, tokens, index), isVocabularyHeading(key) || (token.kind == .text && isGradedHeading(key)),
               !carriesTitle(key, among: titles) {
                if let next = nextContent(tokens, after: index), tokens[next].grade == .bare { continue }
                tokens[index].kind = .heading
                tokens[index].headingSource = tokens[index].headingSource ?? .vocabulary
                continue
            }
            if token.kind == .text, isLayoutHeading(tokens, index) || Self.isCapitalsHeading(token.text) {
                tokens[index].kind = .heading
                tokens[index].headingSource = .layout
            }
        }
    }

    /// The first byte of `text` when it is the whole first character: an ASCII byte other than
    /// CR followed by another ASCII byte (or nothing). An ASCII letter or digit is then a
    /// character that is upper case or a number exactly when it looks it.
    static func leadingASCII(_ text: String) -> UInt8? {
        var bytes = text.utf8.makeIterator()
        guard let first = bytes.next(), first < 0x80, first != 0x0D else { return nil }
        if let second = bytes.next(), second >= 0x80 { return nil }
        return first
    }

    /// A short line in capitals, as council papers set their headings ("KEY ISSUES FOR
    /// CONSIDERATION"): two to ten words, letters all upper case, no closing full stop.
    static func isCapitalsHeading(_ text: String) -> Bool {
        guard text.last != ".", text.hasAtMostCharacters(80) else { return false }
        let words = text.spaceSeparatedCount()
        guard words >= 2, words <= 10 else { return false }
        var letters = 0
        for character in text where character.isLetter {
            guard character.isUppercase else { return false }
            letters += 1
        }
        return letters >= 6
    }

    /// A short capitalised line with no closing punctuation, after a finished sentence and
    /// before a numbered or bulleted item: pdftotext's rendering of a heading.
    private func isLayoutHeading(_ tokens: [Token], _ index: Int) -> Bool {
        let token = tokens[index]
        guard let first = token.text.first, first.isUppercase, let last = token.text.last, !".,;:".contains(last),
              token.text.hasAtMostCharacters(70), token.text.spaceSeparatedCount() <= 10, index > 0, index + 1 < tokens.count else {
            return false
        }
        // After a finished sentence, directly or across a blank line.
        var before = index - 1
        if tokens[before].kind == .blank, before > 0 { before -= 1 }
        let previous = tokens[before]
        guard previous.kind == .text || previous.kind == .numbered || previous.kind == .bullet,
              let end = previous.text.last, ".?!".contains(end) else { return false }
        let next = tokens[index + 1]
        return next.kind == .numbered || next.kind == .bullet
    }

    /// The normalized words of a heading, without "Section 2:", trailing ":", "?", ":-" or a
    /// glued footnote number; nil when too long to be a heading.
    func headingKey(_ text: String, maxWords: Int = Tokenizer.maxHeadingWords) -> String? {
        var markup: [String] = []
        let words = Words(Self.stripFootnote(text, markup: &markup))
        guard words.count <= maxWords else { return nil }
        return Self.headingKeyWords(words.words.map(\.text), maxWords: maxWords).map(Self.joinedKey)
    }

    /// The heading key of normalized words when its first words may start a key of the
    /// grammar's heading tables (sections, services, timescales, area labels) or a graded
    /// heading, else nil.
    func vocabularyKey(_ normalized: [String], maxWords: Int = Tokenizer.maxHeadingWords) -> String? {
        guard let words = Self.headingKeyWords(normalized, maxWords: maxWords),
              grammar.prefilters.mayStartHeading(words[words.startIndex]) else { return nil }
        if words.count >= 2 {
            let first = grammar.prefilters.lexicon.id(words[words.startIndex])
            let second = grammar.prefilters.lexicon.id(words[words.startIndex + 1])
            guard grammar.prefilters.mayStartHeading(id: first, then: second) else { return nil }
        }
        return Self.joinedKey(words)
    }

    /// `words.joined(separator: " ")`, made in one allocation (the generic `joined` was a
    /// tenth of the cost of the heading keys worked out for every line).
    static func joinedKey(_ words: ArraySlice<String>) -> String {
        var key = ""
        key.reserveCapacity(words.reduce(words.count) { $0 + $1.utf8.count })
        for index in words.indices {
            if index != words.startIndex { key += " " }
            key += words[index]
        }
        return key
    }

    /// The words of the heading key among normalized words.
    static func headingKeyWords(_ words: [String], maxWords: Int = Tokenizer.maxHeadingWords) -> ArraySlice<String>? {
        guard !words.isEmpty, words.count <= maxWords else { return nil }
        var upper = words.count
        while upper > 0, Self.isClosingPunctuation(words[upper - 1]) { upper -= 1 }
        // A closing abbreviation in brackets is not part of the name: "… Children Board (LSCB)".
        if upper > 3, words[upper - 1] == ")", words[upper - 3] == "(" { upper -= 3 }
        var lower = 0
        if upper - lower > 2, words[lower] == "section", Int(words[lower + 1]) != nil {
            lower += words[lower + 2] == ":" ? 3 : 2
        }
        if upper - lower > 1, words[lower] == "the" { lower += 1 }
        return lower < upper ? words[lower..<upper] : nil
    }

    /// ":", "-", "/", "," or ";": punctuation that a heading key does not end with.
    private static func isClosingPunctuation(_ word: String) -> Bool {
        switch word {
        case ":", "-", "/", ",", ";": return true
        default: return false
        }
    }

    /// Whether a heading key is an area with its grade: "the experiences and progress of
    /// children who need help and protection : outstanding", "… care leavers requires
    /// improvement to be good", "… are inadequate".
    func isGradedHeading(_ key: String) -> Bool {
        // Most keys do not end with a grade's last word: ask that of the last word alone first.
        guard grammar.prefilters.gradePhraseLastWords.contains(String(key.lastSpaceSeparatedPiece() ?? "")) else { return false }
        let words = key.split(separator: " ")
        guard words.count >= 2, let last = words.last, grammar.prefilters.gradePhraseLastWords.contains(String(last)) else { return false }
        for length in 1...min(6, words.count - 1) {
            guard grammar.gradePhrases[words.suffix(length).joined(separator: " ")] != nil else { continue }
            var prefix = words.dropLast(length)
            while let last = prefix.last, [":", "-", "is", "are"].contains(last) { prefix = prefix.dropLast() }
            if grammar.areaLabels[prefix.joined(separator: " ")] != nil { return true }
        }
        return false
    }

    /// Whether a heading key is, or contains, an inspection framework's title: the document's
    /// title ("Review of the effectiveness of the local safeguarding children board" on a SIF
    /// cover), not a section.
    func carriesTitle(_ key: String) -> Bool {
        carriesTitle(key, among: titleNeedles())
    }

    /// Every framework title and service title, as `carriesTitle` looks for it (" words ").
    private func titleNeedles() -> [String] {
        grammar.tables.titleNeedles
    }

    /// `carriesTitle` with the needles made once for all the lines of a document.
    private func carriesTitle(_ key: String, among needles: [String]) -> Bool {
        let padded = " " + key + " "
        return needles.contains { padded.containsASCII($0) }
    }

    /// Whether a heading key is a section, service, timescale or area phrase (a section or
    /// service with or without "the").
    func isVocabularyHeading(_ key: String) -> Bool {
        grammar.prefilters.vocabularyHeadings.contains(key)
    }

    /// Whether the line directly above leaves a sentence unfinished, so the next line continues
    /// it: it has no closing punctuation and ends with a joining word ("and", "of"). (A long line
    /// without a full stop is not enough: "The inspection did not find any areas for priority
    /// action" stands above the heading "Areas for improvement".)
    private func continuesSentence(_ previous: Token) -> Bool {
        guard previous.kind == .text || previous.kind == .bullet || previous.kind == .numbered,
              previous.grade == nil, let last = previous.text.last else { return false }
        if ".?!:;)".contains(last) || last == "\u{201D}" || last == "\"" { return false }
        let lastWord = previous.text.lastSpaceSeparatedPiece().map { $0.lowercased() } ?? ""
        return TreeBuilder.joiningWords.contains(lastWord)
    }

    private func previousContent(_ tokens: [Token], before index: Int) -> Int? {
        var i = index - 1
        while i >= 0 {
            if Token.isContent(tokens[i].kind) { return i }
            i -= 1
        }
        return nil
    }

    private func nextContent(_ tokens: [Token], after index: Int) -> Int? {
        var i = index + 1
        while i < tokens.count {
            if Token.isContent(tokens[i].kind) { return i }
            i += 1
        }
        return nil
    }
}
