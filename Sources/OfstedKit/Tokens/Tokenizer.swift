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
        for (index, line) in source.lines.enumerated() {
            var token = classify(source.string(line), number: index + 1)
            token.pageBreak = line.pageBreak
            tokens.append(token)
        }
        markGrades(&tokens)
        markFurniture(&tokens)
        markVocabularyHeadings(&tokens)
        return tokens
    }

    // MARK: One line

    func classify(_ raw: String, number line: Int) -> Token {
        var scalars = Substring(raw)
        // Control characters other than tab read as spaces; a BOM or zero-width space as nothing.
        if raw.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0xFEFF || $0.value == 0x200B || $0.value == 0xA0 }) {
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
            var token = itemToken(rest, line: line, indent: indent)
            token.kind = .numbered
            token.number = number
            // "2.0 History of the Review": a section-numbered short line is a heading.
            if number.hasSuffix(".0"), !token.text.isEmpty, Self.looksLikeHeading(token.text) {
                token.kind = .heading
                token.headingSource = .numbered
            }
            return token
        }

        let trimmedContent = content.trimmingTrailingWhitespace()
        let bold = (trimmedContent.hasPrefix("**") && trimmedContent.hasSuffix("**") && trimmedContent.count > 4
                    && !trimmedContent.dropFirst(2).dropLast(2).contains("**"))
            || (trimmedContent.hasPrefix("__") && trimmedContent.hasSuffix("__") && trimmedContent.count > 4)
        var (text, markup) = Self.clean(content)
        if bold {
            text = Self.stripFootnote(text, markup: &markup)
            return Token(kind: .heading, line: line, text: text, indent: indent, headingSource: .bold, markup: markup)
        }
        return Token(kind: .text, line: line, text: text, indent: indent, markup: markup)
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
        if line.contains("\t") {
            return line.split(separator: "\t", omittingEmptySubsequences: false)
        }
        if let cells = htmlCells(line) { return cells.isEmpty ? nil : cells }
        let trimmed = line.drop(while: { $0 == " " }).trimmingTrailingWhitespace()
        if trimmed.hasPrefix("|"), trimmed.hasSuffix("|"), trimmed.count > 2 {
            return trimmed.dropFirst().dropLast().split(separator: "|", omittingEmptySubsequences: false)
        }
        // Layout columns: an internal run of at least three spaces.
        if trimmed.contains("   ") {
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
        let scalars = Array(text.unicodeScalars.prefix(12))
        var i = 0
        var parenthesised = false
        if i < scalars.count, scalars[i] == "(" {
            parenthesised = true
            i += 1
        }
        let digitsStart = i
        var components = 0
        var dotted = false
        var trailingPunctuation = false
        while i < scalars.count, scalars[i].properties.numericType != nil, scalars[i].isASCII {
            var length = 0
            while i < scalars.count, scalars[i].isASCII, ("0"..."9").contains(scalars[i]) {
                i += 1
                length += 1
            }
            guard length >= 1, length <= 3 else { return nil }
            components += 1
            if i < scalars.count, scalars[i] == ".", i + 1 < scalars.count, ("0"..."9").contains(scalars[i + 1]) {
                dotted = true
                i += 1
                continue
            }
            break
        }
        var number: String
        if components > 0 {
            number = String(String.UnicodeScalarView(scalars[digitsStart..<i]))
        } else {
            // (ii), ii), (a), a)
            var j = i
            while j < scalars.count, j - i < 6, ("a"..."z").contains(scalars[j]) { j += 1 }
            let letters = String(String.UnicodeScalarView(scalars[i..<j]))
            let roman = !letters.isEmpty && letters.allSatisfy { "ivxlc".contains($0) }
            guard j < scalars.count, scalars[j] == ")", letters.count == 1 || roman else { return nil }
            number = letters
            i = j
        }
        if i < scalars.count, scalars[i] == "." || scalars[i] == ")" {
            if scalars[i] == ")" { parenthesised = true }
            trailingPunctuation = true
            i += 1
        } else if parenthesised {
            return nil
        }
        let rest = Substring(text.unicodeScalars.dropFirst(i))
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        let after = rest.drop(while: { $0 == " " || $0 == "\t" })
        // A bare integer followed by words is a quantity ("20 areas ..."), not an item number.
        if components == 1 && !dotted && !trailingPunctuation && !parenthesised && !after.isEmpty { return nil }
        if number.isEmpty { return nil }
        if components > 0, number.split(separator: ".").allSatisfy({ Int($0) == 0 }) { return nil }
        return (number, after)
    }

    /// Short, starts with a capital or digit, and does not end like a sentence.
    static func looksLikeHeading(_ text: String) -> Bool {
        guard let first = text.first, first.isUppercase || first.isNumber else { return false }
        guard let last = text.last, !".,;".contains(last) else { return false }
        return text.split(separator: " ").count <= maxHeadingWords
    }

    // MARK: Cleaning

    /// Strips markdown emphasis, links, HTML tags and entities, and collapses whitespace.
    static func clean(_ text: Substring) -> (text: String, markup: [String]) {
        let needsWork = text.unicodeScalars.contains { scalar in
            scalar == "<" || scalar == "*" || scalar == "_" || scalar == "[" || scalar == "\\" || scalar == "&" || scalar == "\t"
        } || text.contains("  ")
        if !needsWork {
            return (String(text.drop(while: { $0 == " " }).trimmingTrailingWhitespace()), [])
        }
        var markup: [String] = []
        var s = String(text)
        if s.contains("<") {
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
        if s.contains("&") {
            for (entity, value) in [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&nbsp;", " "), ("&quot;", "\""), ("&#39;", "'"), ("&rsquo;", "\u{2019}")]
            where s.contains(entity) {
                s = s.replacingOccurrences(of: entity, with: value)
            }
        }
        if s.contains("](") {
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
        if s.contains("**") || s.contains("__") {
            s = s.replacingOccurrences(of: "**", with: "").replacingOccurrences(of: "__", with: "")
            markup.append("bold")
        }
        if s.contains("*") || s.contains("_") {
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
        if s.contains("\\") {
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
        let scalars = Array(text.unicodeScalars)
        var end = scalars.count
        while end > 0, ("0"..."9").contains(scalars[end - 1]) { end -= 1 }
        let digits = scalars.count - end
        guard digits >= 1, digits <= 2, end > 0 else { return text }
        let before = scalars[end - 1]
        guard before.properties.isLowercase || before == "?" || before == ":" || before == ")" else { return text }
        markup.append("footnote")
        return String(String.UnicodeScalarView(scalars[0..<end]))
    }

    // MARK: Grades

    /// Marks lines that carry only a grade: "Good", "Requires improvement" + "to be good",
    /// "Inadequate Grade 4", "Grade 2 (Good)". A bare grade must stand apart from the text
    /// before it (a blank line or page break between), as table cells laid out on their own
    /// lines do; "... are judged to be" / "good." is prose.
    private func markGrades(_ tokens: inout [Token]) {
        let matcher = grammar.matcher(allServiceAliases: true)
        let cellPatterns = grammar.patterns(.grade).flatMap(\.patterns)
        func key(_ text: String) -> String { Words.normalize(text).joined(separator: " ") }
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            guard token.kind == .text || token.kind == .heading, token.text.count <= 60, !token.text.hasSuffix(".") else {
                index += 1
                continue
            }
            let standsApart = index == 0 || tokens[index - 1].kind == .blank || tokens[index - 1].kind == .furniture || token.pageBreak
            if standsApart, index + 1 < tokens.count, tokens[index + 1].kind == .text, tokens[index + 1].text.count <= 30,
               !tokens[index + 1].text.hasSuffix("."),
               grammar.gradePhrases[key(token.text + " " + tokens[index + 1].text)] != nil {
                tokens[index].grade = .bare
                tokens[index + 1].grade = .continuation
                index += 2
                continue
            }
            let words = Words(token.text)
            if standsApart, grammar.gradePhrases[words.words.map(\.text).joined(separator: " ")] != nil {
                tokens[index].grade = .bare
            } else if words.count <= 8, words.words.contains(where: { $0.text == "grade" }),
                      cellPatterns.contains(where: { matcher.matchWhole($0, words) != nil }) {
                tokens[index].grade = words[0].text == "grade" ? .numbered : (standsApart ? .bare : nil)
            }
            index += 1
        }
    }

    // MARK: Furniture

    /// Page numbers and running headers or footers beside page breaks, and the grammar's boilerplate.
    private func markFurniture(_ tokens: inout [Token]) {
        // The lines nearest each page break: up to three content lines after it (the header
        // zone, starting with the line the break is on) and three before it (the footer zone).
        var zones: [[Int]] = []
        for (index, token) in tokens.enumerated() where token.pageBreak {
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
        var repeats: [String: Set<Int>] = [:]
        for (zoneIndex, zone) in zones.enumerated() {
            for i in zone {
                let token = tokens[i]
                if Self.isPageNumber(token) {
                    tokens[i].kind = .furniture
                    tokens[i].markup.append("page-number")
                    continue
                }
                let key = Self.furnitureKey(token)
                if key.count >= 8 { repeats[key, default: []].insert(zoneIndex) }
            }
        }
        let running = Set(repeats.filter { $0.value.count >= 2 }.keys)
        if !running.isEmpty {
            for zone in zones {
                for i in zone where tokens[i].kind != .furniture && running.contains(Self.furnitureKey(tokens[i])) {
                    tokens[i].kind = .furniture
                    tokens[i].markup.append("running-header")
                }
            }
        }
        guard !grammar.furnitureLines.isEmpty || !grammar.furniturePrefixes.isEmpty else { return }
        for index in tokens.indices where tokens[index].isContent && tokens[index].text.count < 200 {
            let words = Words.normalize(tokens[index].text)
            let whole = words.joined(separator: " ")
            if grammar.furnitureLines.contains(whole)
                || grammar.furniturePrefixes.contains(where: { words.starts(with: $0) }) {
                tokens[index].kind = .furniture
                tokens[index].markup.append("boilerplate")
            }
        }
    }

    private static func isPageNumber(_ token: Token) -> Bool {
        if token.kind == .numbered, token.text.isEmpty, let number = token.number, Int(number) != nil {
            return true
        }
        let text = token.text.lowercased()
        if token.kind == .text, let value = Int(text), value >= 0 { return true }
        if text.hasPrefix("page "), text.dropFirst(5).split(separator: " ").first.flatMap({ Int($0) }) != nil { return true }
        return false
    }

    /// A line's text with digits and spacing removed, for spotting running headers.
    private static func furnitureKey(_ token: Token) -> String {
        var key = ""
        for character in (token.kind == .tableRow ? token.cells.joined(separator: " ") : token.text).lowercased()
        where character.isLetter {
            key.append(character)
        }
        return key
    }

    // MARK: Vocabulary headings

    /// A short line that is wholly a grammar phrase is a heading, unless a bare grade follows
    /// it (then it is a table label).
    private func markVocabularyHeadings(_ tokens: inout [Token]) {
        for index in tokens.indices {
            let token = tokens[index]
            guard token.kind == .text || token.kind == .numbered || (token.kind == .heading && token.headingSource == .numbered),
                  token.grade == nil, !token.text.isEmpty, token.text.count <= 120 else { continue }
            guard let key = headingKey(token.text), isVocabularyHeading(key) else { continue }
            if let next = nextContent(tokens, after: index), tokens[next].grade == .bare { continue }
            tokens[index].kind = .heading
            tokens[index].headingSource = tokens[index].headingSource ?? .vocabulary
        }
    }

    /// The normalized words of a heading, without "Section 2:", trailing ":", "?", ":-" or a
    /// glued footnote number; nil when too long to be a heading.
    func headingKey(_ text: String) -> String? {
        var markup: [String] = []
        var words = Words.normalize(Self.stripFootnote(text, markup: &markup))
        guard !words.isEmpty, words.count <= Self.maxHeadingWords else { return nil }
        while let last = words.last, [":", "-", "/", ",", ";"].contains(last) { words.removeLast() }
        if words.first == "section", words.count > 2, Int(words[1]) != nil {
            words.removeFirst(words[2] == ":" ? 3 : 2)
        }
        if words.first == "the", words.count > 1 { words.removeFirst() }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }

    func isVocabularyHeading(_ key: String) -> Bool {
        grammar.sectionHeadings[key] != nil || grammar.serviceHeadings[key] != nil
            || grammar.timescaleHeadings[key] != nil || grammar.areaLabels[key] != nil
            || grammar.serviceHeadings["the " + key] != nil || grammar.sectionHeadings["the " + key] != nil
    }

    private func nextContent(_ tokens: [Token], after index: Int) -> Int? {
        var i = index + 1
        while i < tokens.count {
            if tokens[i].isContent { return i }
            i += 1
        }
        return nil
    }
}
