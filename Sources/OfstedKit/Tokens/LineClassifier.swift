/// Classifies one line: blank, table row, heading, bullet, numbered item or text, with its
/// content cleaned of markup.
///
/// Most lines are plain (see `classifyPlain`) and are read from their bytes, their text a range
/// of the line; the rest go through `classify`, which reads characters and makes the cleaned
/// text as a string.
struct LineClassifier: Sendable {
    let grammar: Grammar

    /// A line classified by `classify`, its texts as strings (the tokenizer stores them).
    struct LineDraft {
        var kind: Token.Kind
        let line: Int
        var text: String
        var indent: Int = 0
        var bullet: Token.Bullet? = nil
        var number: String? = nil
        var bareNumber = false
        var headingLevel = 0
        var headingSource: Token.HeadingSource? = nil
        var cells: [String] = []
        var markup: [String] = []
    }

    /// A plain line's classification: its kind and where its texts are in the line.
    struct Plain {
        var kind: Token.Kind
        var text: Range<Int>
        var indent: Int
        var number: Range<Int>? = nil
        var bareNumber = false
        var headingSource: Token.HeadingSource? = nil
    }

    /// `classify` for a plain line, read from its bytes, or nil when the line is not plain.
    ///
    /// Most lines of a report are plain: printable ASCII, and scalars that stand alone (see
    /// `StandaloneScalars`) after the first, without the marks that cleaning removes
    /// (`< * _ [ \ &`), table separators (`|`, a tab, a run of spaces within the text), or a
    /// `#` or a bullet glyph in front; such a line is an item (when it starts with an item
    /// number) or text (or blank) whatever else it says, and its text is a range of its bytes.
    func classifyPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Plain? {
        var start = 0
        while start < bytes.count, bytes[start] == 0x20 { start += 1 }
        if start == bytes.count { return Plain(kind: .blank, text: 0..<0, indent: 0) }
        // Trailing spaces are trimmed (a run of them is trimmed by cleaning too).
        var end = bytes.count
        while bytes[end - 1] == 0x20 { end -= 1 }
        var previousIsSpace = false
        var i = start
        let plainClass = Self.plainClass.utf8Start
        while i < end {
            let byte = bytes[i]
            switch plainClass[Int(byte)] {
            case 0:
                previousIsSpace = false
                i += 1
            case 1:
                // Two spaces within the text: table columns, or whitespace for cleaning to collapse.
                if previousIsSpace { return nil }
                previousIsSpace = true
                i += 1
            case 3 where i > start:
                // A curly quote or dash: one character of its own, as an ASCII byte is.
                guard let length = StandaloneScalars.length(bytes, at: i, end: end) else { return nil }
                previousIsSpace = false
                i += length
            default:  // the marks cleaning removes, tab, other controls, form feed, other scalars
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
        // Item numbers: "(ii)", "4.3", "a)" (a letter starts one only with ")" in the first
        // eight bytes).
        let content = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if first == 0x28 || (first >= 0x30 && first <= 0x39)
            || (lowercase && bytes[start..<min(start + 8, end)].contains(0x29)),
           let (number, rest) = Self.numberPrefix(bytes: content) {
            // A number after the number ("12. 4.3 …") is dropped, as an item's own number is.
            var text = rest
            if rest < content.count, let (_, after) = Self.numberPrefix(bytes: UnsafeBufferPointer(rebasing: content[rest...])) {
                text = rest + after
            }
            var plain = Plain(kind: .numbered, text: (start + text)..<end, indent: start,
                              number: (start + number.lowerBound)..<(start + number.upperBound))
            plain.bareNumber = rest == content.count && content.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
            // "2.0 History of the Review": a section-numbered short line is a heading.
            if number.count >= 2, content[number.upperBound - 2] == 0x2E, content[number.upperBound - 1] == 0x30,
               text < content.count, Self.looksLikeHeading(UnsafeBufferPointer(rebasing: content[text...])) {
                plain.kind = .heading
                plain.headingSource = .numbered
            }
            return plain
        }
        return Plain(kind: .text, text: start..<end, indent: start)
    }

    /// What each byte is to `classifyPlain`: 0 printable ASCII, 1 a space, 2 a byte that makes a
    /// line not plain (the marks cleaning removes `< * _ [ \\ &`, `|`, tab and the other controls,
    /// DEL, a byte that cannot start a scalar), 3 the lead byte of a scalar of two to four bytes.
    /// (A static string, so that reading it is a load from the binary's constant data.)
    static let plainClass: StaticString = """
        \u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\
        \u{1}\u{0}\u{0}\u{0}\u{0}\u{0}\u{2}\u{0}\u{0}\u{0}\u{2}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{2}\u{0}\u{0}\u{0}\
        \u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{2}\u{2}\u{0}\u{0}\u{2}\
        \u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{2}\u{0}\u{0}\u{2}\
        \u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\
        \u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\
        \u{2}\u{2}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\
        \u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{3}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}\u{2}
        """

    /// `looksLikeHeading` of a plain text's bytes.
    static func looksLikeHeading(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let shape = TextShape(bytes)
        guard shape.first.isUppercase || shape.first.isNumber else { return false }
        guard !shape.endsWith(anyOf: ".,;") else { return false }
        return Int(shape.pieces) <= Tokenizer.maxHeadingWords
    }

    func classify(_ raw: String, number line: Int) -> LineDraft {
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
            return LineDraft(kind: .blank, line: line, text: "")
        }
        var indent = 0
        for character in scalars.prefix(while: { $0 == " " || $0 == "\t" }) { indent += character == "\t" ? 4 : 1 }

        if let cells = Self.tableCells(scalars) {
            let cleaned = cells.map { Self.clean($0).text }
            if cleaned.allSatisfy({ $0.isEmpty || $0.allSatisfy({ "-:|".contains($0) }) }) {
                return LineDraft(kind: .furniture, line: line, text: "", indent: indent, markup: ["table-rule"])
            }
            var trimmed = cleaned
            while let last = trimmed.last, last.isEmpty { trimmed.removeLast() }
            return LineDraft(kind: .tableRow, line: line, text: trimmed.filter { !$0.isEmpty }.joined(separator: " "),
                         indent: indent, cells: trimmed)
        }

        // Markdown heading.
        if content.first == "#" {
            let hashes = content.prefix(while: { $0 == "#" })
            let rest = content.dropFirst(hashes.count)
            if hashes.count <= 6, rest.first == " " || rest.isEmpty {
                var (text, markup) = Self.clean(rest)
                text = Self.stripFootnote(text, markup: &markup)
                return LineDraft(kind: .heading, line: line, text: text, indent: indent, headingLevel: hashes.count,
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
                token.bullet = .glyph(glyph)
                return token
            }
        }

        // A line indented by exactly one space: what is left of a bullet whose glyph was lost.
        if indent == 1, scalars.first == " ", let first = content.first, first.isLetter {
            var token = itemToken(content, line: line, indent: indent)
            token.kind = .bullet
            token.bullet = .lost
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
            return LineDraft(kind: .heading, line: line, text: text, indent: indent, headingSource: .bold, markup: markup)
        }
        return LineDraft(kind: .text, line: line, text: text, indent: indent, markup: markup)
    }

    /// A line that starts with an item number, `rest` what follows it.
    func numberedToken(_ number: String, _ rest: Substring, content: Substring, line: Int, indent: Int) -> LineDraft {
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
    func itemToken(_ rest: Substring, line: Int, indent: Int) -> LineDraft {
        var content = rest
        var number: String? = nil
        if let (n, after) = Self.numberPrefix(rest) {
            number = n
            content = after
        }
        let (text, markup) = Self.clean(content)
        return LineDraft(kind: .text, line: line, text: text, indent: indent, number: number, markup: markup)
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
            return line.splitAtTabs()
        }
        if angle, let cells = htmlCells(line) { return cells.isEmpty ? nil : cells }
        guard bar || spaceRun else { return nil }
        let trimmed = line.drop(while: { $0 == " " }).trimmingTrailingWhitespace()
        if bar, trimmed.hasPrefix("|"), trimmed.hasSuffix("|"), trimmed.count > 2 {
            return trimmed.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false)
        }
        // Layout columns: an internal run of at least three spaces.
        if spaceRun, trimmed.containsASCII("   ") {
            let cells = trimmed.splitAtSpaceRuns(of: 3)
            return cells.count >= 2 ? cells : nil
        }
        return nil
    }

    /// An item number at the start of `all`: the number's bytes, how many bytes it takes with
    /// its brackets and point, and whether it is a bare integer ("4", not "4." or "(4)").
    ///
    /// The number is read from the bytes: everything it is made of is ASCII, one byte a scalar,
    /// and reading stops at the first other scalar, so the first twelve bytes stand for the
    /// first twelve scalars.
    static func parseNumber(_ all: UnsafeBufferPointer<UInt8>) -> (number: Range<Int>, length: Int, bareInteger: Bool)? {
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
        var number: Range<Int>
        if components > 0 {
            number = digitsStart..<i
        } else {
            // (ii), ii), (a), a)
            var j = i
            while j < scalars.count, j - i < 6, isLetter(scalars[j]) { j += 1 }
            let letters = UnsafeBufferPointer(rebasing: scalars[i..<j])
            // i, v, x, l, c
            let roman = !letters.isEmpty && letters.allSatisfy { [0x69, 0x76, 0x78, 0x6C, 0x63].contains($0) }
            guard j < scalars.count, scalars[j] == 0x29, letters.count == 1 || roman else { return nil }
            number = i..<j
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
        if components > 0, !all[number].contains(where: { $0 >= 0x31 && $0 <= 0x39 }) { return nil }
        return (number, i, components == 1 && !dotted && !trailingPunctuation && !parenthesised)
        }

    /// "24." → 24; "4.3" → 4.3; "(ii)" → ii; "1.0" → 1.0; a bare integer only when alone on the line.
    static func numberPrefix(_ text: Substring) -> (String, Substring)? {
        let parsed: (number: String, length: Int, bareInteger: Bool)? = text.utf8.withContiguousBytes { all in
            parseNumber(all).map { (String(decoding: UnsafeBufferPointer(rebasing: all[$0.number]), as: UTF8.self), $0.length, $0.bareInteger) }
        }
        guard let parsed else { return nil }
        let rest = Substring(text.unicodeScalars[text.utf8.index(text.startIndex, offsetBy: parsed.length)...])
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        let after = rest.drop(while: { $0 == " " || $0 == "\t" })
        // A bare integer followed by words is a quantity ("20 areas ..."), not an item number.
        if parsed.bareInteger && !after.isEmpty { return nil }
        return (parsed.number, after)
    }

    /// `numberPrefix` of a plain line's bytes (in which no space joins a mark): the number's
    /// bytes and where what follows it starts.
    static func numberPrefix(bytes: UnsafeBufferPointer<UInt8>) -> (number: Range<Int>, rest: Int)? {
        guard let parsed = parseNumber(bytes) else { return nil }
        var rest = parsed.length
        guard rest == bytes.count || bytes[rest] == 0x20 || bytes[rest] == 0x09 else { return nil }
        while rest < bytes.count, bytes[rest] == 0x20 || bytes[rest] == 0x09 { rest += 1 }
        if parsed.bareInteger && rest < bytes.count { return nil }
        return (parsed.number, rest)
    }

    /// Short, starts with a capital or digit, and does not end like a sentence.
    static func looksLikeHeading(_ text: String) -> Bool {
        guard let first = text.first, first.isUppercase || first.isNumber else { return false }
        guard let last = text.last, !".,;".contains(last) else { return false }
        return text.spaceSeparatedCount() <= Tokenizer.maxHeadingWords
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
        return (s.collapsingSpaceRuns(), markup)
    }

    /// A footnote number glued to a heading ("board1", "improve?1") is removed.
    static func stripFootnote(_ text: String, markup: inout [String]) -> String {
        guard mayEndWithFootnote(text) else { return text }
        // Decided on the bytes when what is asked of is ASCII (the digits always are): most
        // lines that end with a digit end with a number, not a footnote.
        let decided: Bool? = text.utf8.withContiguousStorageIfAvailable(Self.footnoteFromBytes) ?? nil
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

    /// Whether the bytes end with a footnote number as `stripFootnote` takes one: false when they
    /// certainly do not, true when they certainly do, nil when a scalar outside ASCII where it
    /// matters leaves it to the characters.
    static func footnoteFromBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
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
            return lower(bytes[end - 2])
        }
        return true
    }

    /// Whether `text` ends with a digit, as a footnote number does.
    static func mayEndWithFootnote(_ text: String) -> Bool {
        guard let last = text.utf8.last else { return false }
        return last >= 0x30 && last <= 0x39
    }

}
