/// Turns decoded lines into tokens.
///
/// Each line is classified on its own (blank, table row, heading, bullet, numbered item,
/// text) and its words lexed once; then passes look across lines: grade marks (a line or two
/// that carry only a grade), page furniture (page numbers and running headers beside page
/// breaks, boilerplate the grammar lists), contents pages, grades laid out in a column, and
/// vocabulary headings (a line that is wholly a section, service, timescale or area phrase,
/// unless it labels the grade below it). The passes ask of nearly every line, so what they ask
/// — first words, length, first and last characters — is read from the token, worked out when
/// it was made; only the few lines that get that far are read as strings.
struct Tokenizer: Sendable {
    let grammar: Grammar

    /// Headings are short: a longer line is prose even if it starts like a heading.
    static let maxHeadingWords = 16

    func tokenize(_ source: SourceText) -> TokenStream {
        var stream = TokenStream(store: source.utf8)
        stream.tokens.reserveCapacity(source.lines.count)
        let classifier = LineClassifier(grammar: grammar)
        let prefilters = grammar.prefilters
        prefilters.withClassLayout { keys, values, mask in
        let layout = ClassLayout(keys: keys, values: values, mask: mask, always: prefilters.always, capitalizedOnly: prefilters.capitalizedOnly,
                                     gradeStart: prefilters.judgementPatterns.gradeStart)
        for (index, line) in source.lines.enumerated() {
            let plain: LineClassifier.Plain? = line.pageBreak ? nil : source.utf8.withUnsafeBufferPointer { buffer in
                classifier.classifyPlain(UnsafeBufferPointer(rebasing: buffer[line.start..<line.end]))
            }
            var token: Token
            if let plain {
                token = Token(kind: plain.kind, line: index + 1,
                              text: plain.kind == .blank ? .empty : TextRange((line.start + plain.text.lowerBound)..<(line.start + plain.text.upperBound)),
                              indent: plain.indent)
                token.number = plain.number.map { TextRange((line.start + $0.lowerBound)..<(line.start + $0.upperBound)) }
                token.bareNumber = plain.bareNumber
                token.headingSource = plain.headingSource
            } else {
                let draft = classifier.classify(source.string(line), number: index + 1)
                token = Token(kind: draft.kind, line: index + 1, text: stream.append(draft.text), indent: draft.indent)
                token.bullet = draft.bullet
                token.number = draft.number.map { stream.append($0) }
                token.bareNumber = draft.bareNumber
                token.headingLevel = draft.headingLevel
                token.headingSource = draft.headingSource
                if !draft.cells.isEmpty { stream.setCells(draft.cells, of: &token) }
                for mark in draft.markup { if let bit = Token.Markup.names.first(where: { $0.1 == mark })?.0 { token.markup.insert(bit) } }
            }
            token.pageBreak = line.pageBreak
            if token.kind != .blank { stream.describe(&token, prefilters: prefilters, layout: layout) }
            stream.tokens.append(token)
        }
        }
        var keys = HeadingKeys(count: stream.count)
        markGrades(&stream)
        markFurniture(&stream)
        markContents(&stream, &keys)
        if pairColumnarGrades(&stream, &keys) { keys = HeadingKeys(count: stream.count) }
        markVocabularyHeadings(&stream, &keys)
        return stream
    }

    /// Each token's heading key, worked out when first asked (most lines never are).
    private struct HeadingKeys {
        private var keys: [String??]

        init(count: Int) { keys = Array(repeating: nil, count: count) }

        /// `tokenizer.headingKey(stream.text(index))` when it may be a key of the grammar's
        /// heading tables (its first word starts one), else nil: for looking up in those tables.
        mutating func vocabularyKey(_ tokenizer: Tokenizer, _ stream: TokenStream, _ index: Int) -> String? {
            if let known = keys[index] { return known }
            let key: String?
            let token = stream.tokens[index]
            if Tokenizer.mayHaveFootnote(stream, token.text) {
                // A footnote to strip: the key is not made of the line's words as they are.
                key = tokenizer.headingKey(stream.text(index))
            } else if token.words.count > Int32(Tokenizer.maxHeadingWords) || !tokenizer.mayStartKey(token.words) {
                key = nil
            } else {
                key = stream.ids.ids.withUnsafeBufferPointer { ids in
                    stream.ids.kinds.withUnsafeBufferPointer { kinds in
                        let range = Int(token.words.ids.lowerBound)..<Int(token.words.ids.upperBound)
                        return tokenizer.tableKey(UnsafeBufferPointer(rebasing: ids[range]), UnsafeBufferPointer(rebasing: kinds[range]),
                                                  maxWords: Tokenizer.maxHeadingWords) { stream.text(index) }
                    }
                }
            }
            keys[index] = key
            return key
        }

        /// The token's text changed.
        mutating func forget(_ index: Int) { keys[index] = nil }
    }

    /// False when the heading key of a line's words (or of them and the next line's) certainly
    /// does not start a key of the grammar's heading tables: it starts with the line's first
    /// word (only "Section 2:" and "the" are dropped from the front), and no heading starts
    /// with that.
    func mayStartKey(_ words: LineWords) -> Bool {
        let prefilters = grammar.prefilters
        let first = words.first
        guard first != WordHash.none, first != CommonWords.section else { return true }
        if first == CommonWords.the {
            // "The local authority …": a key drops "the" when a word follows it; when the line
            // goes on with a plain ASCII word, that word starts the key.
            guard words.plainStart else { return true }
            return prefilters.mayStartHeading(id: words.second)
        }
        guard prefilters.mayStartHeading(id: first) else { return false }
        // A plain ASCII word after the first is the key's second word: nothing between them
        // is dropped from a key.
        guard words.plainStart else { return true }
        return prefilters.mayStartHeading(id: first, then: words.second)
    }

    /// `headingKey(stream.text(first) + " " + stream.text(second), maxWords:)` as
    /// `vocabularyKey` gives it: from the words of the two lines one after the other, since a
    /// space separates words whichever side of it.
    private func pairKey(_ stream: TokenStream, _ first: Int, _ second: Int, maxWords: Int = Tokenizer.maxHeadingWords) -> String? {
        let a = stream.tokens[first], b = stream.tokens[second]
        guard !a.text.isEmpty, !b.text.isEmpty, !Self.mayEndWithDigit(stream, b.text) else {
            return headingKey(stream.text(first) + " " + stream.text(second), maxWords: maxWords)
        }
        guard mayStartKey(a.words), Int(a.words.count + b.words.count) <= maxWords else { return nil }
        let x = Int(a.words.ids.lowerBound)..<Int(a.words.ids.upperBound), y = Int(b.words.ids.lowerBound)..<Int(b.words.ids.upperBound)
        let ids = Array(stream.ids.ids[x]) + Array(stream.ids.ids[y])
        let kinds = Array(stream.ids.kinds[x]) + Array(stream.ids.kinds[y])
        return ids.withUnsafeBufferPointer { ids in
            kinds.withUnsafeBufferPointer { kinds in
                tableKey(ids, kinds, maxWords: maxWords) { stream.text(first) + " " + stream.text(second) }
            }
        }
    }

    /// The heading key of a line's words (`ids`, `kinds`) when it is a key of the grammar's
    /// heading tables (`isVocabularyHeading`) or a graded heading (`isGradedHeading`), else nil;
    /// `text` gives the line's text for a graded heading's key.
    func tableKey(_ ids: UnsafeBufferPointer<WordID>, _ kinds: UnsafeBufferPointer<UInt8>, maxWords: Int, text: () -> String) -> String? {
        guard let key = Self.headingKeyRange(ids, kinds, maxWords: maxWords) else { return nil }
        let prefilters = grammar.prefilters
        guard prefilters.mayStartHeading(id: ids[key.lowerBound]) else { return nil }
        if key.count >= 2 { guard prefilters.mayStartHeading(id: ids[key.lowerBound], then: ids[key.lowerBound + 1]) else { return nil } }
        let found = prefilters.headingKeys[Prefilters.sequenceID(ids[key])]
        if found >= 0 { return prefilters.headingKeyStrings[Int(found)] }
        guard isGradedHeading(UnsafeBufferPointer(rebasing: ids[key])) else { return nil }
        let words = Words(text()).words.map(\.text)
        return Self.joinedKey(words[key])
    }

    /// `headingKeyWords` of word ids: the range of the key's words.
    static func headingKeyRange(_ ids: UnsafeBufferPointer<WordID>, _ kinds: UnsafeBufferPointer<UInt8>, maxWords: Int) -> Range<Int>? {
        guard !ids.isEmpty, ids.count <= maxWords else { return nil }
        var upper = ids.count
        while upper > 0, isClosingPunctuation(ids[upper - 1]) { upper -= 1 }
        // A closing abbreviation in brackets is not part of the name: "… Children Board (LSCB)".
        if upper > 3, ids[upper - 1] == Words.Punctuation.close, ids[upper - 3] == Words.Punctuation.open { upper -= 3 }
        var lower = 0
        if upper - lower > 2, ids[lower] == CommonWords.section, kinds[lower + 1] & WordRecords.digits != 0 {
            lower += ids[lower + 2] == Words.Punctuation.colon ? 3 : 2
        }
        if upper - lower > 1, ids[lower] == CommonWords.the { lower += 1 }
        return lower < upper ? lower..<upper : nil
    }

    @inline(__always)
    static func isClosingPunctuation(_ id: WordID) -> Bool {
        id == Words.Punctuation.colon || id == Words.Punctuation.dash || id == Words.Punctuation.slash
            || id == Words.Punctuation.comma || id == Words.Punctuation.semicolon
    }

    /// `isGradedHeading` of a key's word ids.
    func isGradedHeading(_ key: UnsafeBufferPointer<WordID>) -> Bool {
        let prefilters = grammar.prefilters
        guard key.count >= 2, prefilters.gradePhraseLastIDs.contains(key[key.count - 1]) else { return false }
        for length in 1...min(6, key.count - 1) {
            guard prefilters.gradePhraseSequences.contains(Prefilters.sequenceID(key[(key.count - length)...])) else { continue }
            var end = key.count - length
            while end > 0, key[end - 1] == Words.Punctuation.colon || key[end - 1] == Words.Punctuation.dash
                    || key[end - 1] == CommonWords.is || key[end - 1] == CommonWords.are {
                end -= 1
            }
            if prefilters.areaLabelSequences.contains(Prefilters.sequenceID(key[..<end])) { return true }
        }
        return false
    }

    /// Whether the text ends with a digit, as a footnote number does.
    private static func mayEndWithDigit(_ stream: TokenStream, _ text: TextRange) -> Bool {
        guard text.count > 0 else { return false }
        let last = stream.store[text.end - 1]
        return last >= 0x30 && last <= 0x39
    }

    /// Whether `stripFootnote` may change the text: it ends with one or two digits after a
    /// lower-case letter, "?", ":", ")" or a full stop after a lower-case letter (told from the
    /// bytes when those are ASCII).
    static func mayHaveFootnote(_ stream: TokenStream, _ text: TextRange) -> Bool {
        guard mayEndWithDigit(stream, text) else { return false }
        return stream.withBytes(text) { LineClassifier.footnoteFromBytes($0) ?? true }
    }

    // MARK: Grades

    /// Marks lines that carry only a grade: "Good", "Requires improvement" + "to be good",
    /// "Inadequate Grade 4", "Grade 2 (Good)". A bare grade must stand apart from the text
    /// before it (a blank line or page break between), as table cells laid out on their own
    /// lines do; "... are judged to be" / "good." is prose.
    private func markGrades(_ stream: inout TokenStream) {
        let matcher = grammar.matcher(allServiceAliases: true)
        let cellPatterns = grammar.tables.gradeCells
        let gradeKeyFirst = grammar.prefilters.gradeKeyFirst
        var index = 0
        while index < stream.count {
            let token = stream.tokens[index]
            guard token.kind == .text || token.kind == .heading, token.shape.hasAtMostCharacters(60), !token.shape.endsWithFullStop else {
                index += 1
                continue
            }
            // A grade phrase starts with the line's first word (when it has one); a grade cell
            // has the word "grade": a line with neither is no grade line.
            let first = token.words.first
            if first != WordHash.none, !gradeKeyFirst.contains(first), !token.words.masks.has(WordClass.grade) {
                index += 1
                continue
            }
            let standsApart = index == 0 || stream.tokens[index - 1].kind == .blank || stream.tokens[index - 1].kind == .furniture
                || token.pageBreak || stream.tokens[index - 1].grade != nil
            if standsApart, index + 1 < stream.count, stream.tokens[index + 1].kind == .text,
               stream.tokens[index + 1].shape.hasAtMostCharacters(30), !stream.tokens[index + 1].shape.endsWithFullStop,
               isGradePhrase(pairNormalized(stream, index, index + 1)) {
                stream.tokens[index].grade = .bare
                stream.tokens[index + 1].grade = .continuation
                index += 2
                continue
            }
            let words = stream.words(index)
            if standsApart, isGradePhrase(words.key) {
                stream.tokens[index].grade = .bare
            } else if words.count <= 8, token.words.masks.has(WordClass.grade),
                      matcher.matchesWhole(anyOf: cellPatterns, words) {
                stream.tokens[index].grade = words[0].id == CommonWords.grade ? .numbered : (standsApart ? .bare : nil)
            }
            index += 1
        }
    }

    /// `Words.key(stream.text(first) + " " + stream.text(second))`.
    private func pairNormalized(_ stream: TokenStream, _ first: Int, _ second: Int) -> String {
        let x = stream.words(first).key, y = stream.words(second).key
        return x.isEmpty ? y : y.isEmpty ? x : x + " " + y
    }

    /// A grade, or words that say an area was not graded ("Not judged").
    func isGradePhrase(_ key: String) -> Bool {
        grammar.gradePhrases[key] != nil || grammar.notGradedPhrases.contains(key)
    }

    // MARK: Furniture

    /// Page numbers and running headers or footers beside page breaks, and the grammar's boilerplate.
    private func markFurniture(_ stream: inout TokenStream) {
        // The lines nearest each page break: up to three content lines after it (the header
        // zone, starting with the line the break is on) and three before it (the footer zone).
        var zones: [[Int]] = []
        for index in stream.tokens.indices where stream.tokens[index].pageBreak {
            var zone: [Int] = []
            var i = index
            while i < stream.count, zone.count < 3 {
                if stream.tokens[i].kind != .blank { zone.append(i) }
                i += 1
            }
            i = index - 1
            var before = 0
            while i >= 0, before < 3 {
                if stream.tokens[i].kind != .blank {
                    zone.append(i)
                    before += 1
                }
                i -= 1
            }
            zones.append(zone)
        }
        if !zones.isEmpty {
            // A key repeats when it is on two or more lines near two or more breaks: a line on a
            // short page sits near two breaks but is not a repeat of itself. Zones come in order,
            // so a key's zones are counted as they change; two lines are all that is asked.
            struct Repeats {
                var zones = 0
                var lastZone = -1
                var firstLine = -1
                var twoLines = false
            }
            var repeats: [FurnitureKey: Repeats] = [:]
            // Each zone line's keys, made once: a line near two breaks is in two zones.
            var lineKeys: [Int: [FurnitureKey]] = [:]
            for (zoneIndex, zone) in zones.enumerated() {
                for i in zone {
                    if Self.isPageNumber(stream, i) {
                        stream.tokens[i].kind = .furniture
                        stream.tokens[i].markup.insert(.pageNumber)
                        continue
                    }
                    let keys = lineKeys[i] ?? Self.furnitureKeys(stream, i)
                    lineKeys[i] = keys
                    for key in keys where key.isLong {
                        var entry = repeats[key] ?? Repeats()
                        if entry.lastZone != zoneIndex {
                            entry.zones += 1
                            entry.lastZone = zoneIndex
                        }
                        if entry.firstLine < 0 { entry.firstLine = i } else if entry.firstLine != i { entry.twoLines = true }
                        repeats[key] = entry
                    }
                }
            }
            markStrayPageNumbers(&stream)
            // A running header or footer repeats on several lines across a good share of pages; a
            // heading that happens to start two pages ("Executive summary") does not, nor does the
            // one line of a short page that falls in two zones.
            let minimumRepeats = max(2, Int((Double(zones.count) * 0.3).rounded(.up)))
            let running = Set(repeats.filter { $0.value.zones >= minimumRepeats && $0.value.twoLines }.keys)
            if !running.isEmpty {
                for zone in zones {
                    for i in zone where stream.tokens[i].kind != .furniture
                        && (lineKeys[i] ?? Self.furnitureKeys(stream, i)).contains(where: running.contains) {
                        stream.tokens[i].kind = .furniture
                        stream.tokens[i].markup.insert(.runningHeader)
                    }
                }
            }
        }
        guard !grammar.furnitureLines.isEmpty || !grammar.furniturePrefixes.isEmpty else { return }
        let emptyPrefix = grammar.prefilters.emptyFurniturePrefix
        let furnitureFirst = grammar.prefilters.furnitureFirst
        for index in stream.tokens.indices {
            let token = stream.tokens[index]
            guard token.isContent, token.shape.hasAtMostCharacters(199) else { continue }
            // Boilerplate starts with the first word of a furniture line or prefix.
            if !emptyPrefix, token.words.first != WordHash.none, !furnitureFirst.contains(token.words.first) { continue }
            let words = stream.words(index).words.map(\.text)
            let whole = words.joined(separator: " ")
            if grammar.furnitureLines.contains(whole)
                || grammar.furniturePrefixes.contains(where: { words.starts(with: $0) }) {
                stream.tokens[index].kind = .furniture
                stream.tokens[index].markup.insert(.boilerplate)
            }
        }
    }

    /// Page numbers that pdftotext printed away from the page's edge ("9." / "4" / the rest of
    /// item 9): once the numbers found beside page breaks show how pages are numbered, a lone
    /// number anywhere on a page that equals that page's expected number is furniture too.
    private func markStrayPageNumbers(_ stream: inout TokenStream) {
        // Pages: token ranges between page breaks; each token's page is counted on the way.
        var breaks = 0
        for index in stream.tokens.indices where stream.tokens[index].pageBreak && index > 0 { breaks += 1 }
        guard breaks >= 2 else { return }
        // The offset between a page's number and its position, from the numbers already found.
        var offsets: [Int: Int] = [:]
        var page = 0
        for index in stream.tokens.indices {
            if index > 0, stream.tokens[index].pageBreak { page += 1 }
            guard stream.tokens[index].markup.contains(.pageNumber), let value = Self.pageNumberValue(stream, index) else { continue }
            // A footer number belongs to the page before the break that follows it.
            offsets[value - page, default: 0] += 1
        }
        // Ties go to the smaller offset, so that the answer never depends on the dictionary's order.
        guard let (offset, votes) = offsets.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }), votes >= 2 else { return }
        page = 0
        for index in stream.tokens.indices {
            if index > 0, stream.tokens[index].pageBreak { page += 1 }
            let token = stream.tokens[index]
            guard token.kind != .furniture else { continue }
            let first = token.text.isEmpty ? nil : stream.store[Int(token.text.start)]
            let mayBe = (token.kind == .numbered && token.bareNumber) || first == 0x50 || first == 0x70
                || (token.kind == .text && first.map { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2B || $0 == 0x2D } == true)
            guard mayBe, Self.isPageNumber(stream, index), let value = Self.pageNumberValue(stream, index) else { continue }
            if value == page + offset || value == page + offset + 1 {
                stream.tokens[index].kind = .furniture
                stream.tokens[index].markup.insert(.pageNumber)
            }
        }
    }

    private static func pageNumberValue(_ stream: TokenStream, _ index: Int) -> Int? {
        let token = stream.tokens[index]
        if let number = token.number, token.text.isEmpty { return stream.withBytes(number, parseInt) }
        return stream.withBytes(token.text, parseInt)
    }

    private static func isPageNumber(_ stream: TokenStream, _ index: Int) -> Bool {
        let token = stream.tokens[index]
        if token.kind == .numbered, token.bareNumber, let number = token.number, stream.withBytes(number, parseInt) != nil {
            return true
        }
        guard !token.text.isEmpty else { return false }
        return stream.withBytes(token.text) { bytes in
            // (Lower case changes no digit or sign, and only "P" or "p" lowercases to "p".)
            if token.kind == .text, let value = parseInt(bytes), value >= 0 { return true }
            // "Page 3": "page", a space, and a number up to the next space.
            guard bytes.count > 5, bytes[0] | 0x20 == 0x70, bytes[1] | 0x20 == 0x61, bytes[2] | 0x20 == 0x67,
                  bytes[3] | 0x20 == 0x65, bytes[4] == 0x20 else { return false }
            var start = 5
            while start < bytes.count, bytes[start] == 0x20 { start += 1 }
            var end = start
            while end < bytes.count, bytes[end] != 0x20 { end += 1 }
            return parseInt(UnsafeBufferPointer(rebasing: bytes[start..<end])) != nil
        }
    }

    /// `Int(text)` of a text's bytes: an optional sign and ASCII digits, nil on overflow.
    static func parseInt(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        var negative = false
        if i < bytes.count, bytes[i] == 0x2B || bytes[i] == 0x2D {
            negative = bytes[i] == 0x2D
            i += 1
        }
        guard i < bytes.count else { return nil }
        var value = 0
        while i < bytes.count {
            let digit = Int(bytes[i]) - 0x30
            guard digit >= 0, digit <= 9 else { return nil }
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            guard !overflow, !overflow2 else { return nil }
            value = sum
            i += 1
        }
        return value
    }

    /// A line's key for spotting running headers: a hash of its letters lowercased, or of its
    /// letters and digits, and whether that text is longer than seven characters.
    struct FurnitureKey: Hashable {
        let hash: WordID
        let isLong: Bool
    }

    /// A line's keys: its letters (so "Page 3" and "Page 4" are alike), and its letters and
    /// digits (so a footer such as "13 to 24 May 2024" counts).
    private static func furnitureKeys(_ stream: TokenStream, _ index: Int) -> [FurnitureKey] {
        let token = stream.tokens[index]
        // Read by scalar when each is a character of its own (ASCII from its byte), else by
        // character.
        let byScalar: [FurnitureKey]? = token.kind == .tableRow ? nil : stream.withBytes(token.text) { bytes in
            guard !bytes.contains(0x0D) else { return nil }
            if bytes.allSatisfy({ $0 < 0x80 }) { return asciiKeys(bytes) }
            guard StandaloneScalars.count(bytes, upTo: Int.max) != nil else { return nil }
            var letters: [UInt8] = []
            var both: [UInt8] = []
            letters.reserveCapacity(bytes.count)
            both.reserveCapacity(bytes.count)
            var letterCount = 0, bothCount = 0
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                if byte < 0x80 {
                    if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) {
                        letters.append(byte | 0x20)
                        both.append(byte | 0x20)
                        letterCount += 1
                        bothCount += 1
                    } else if byte >= 0x30 && byte <= 0x39 {
                        both.append(byte)
                        bothCount += 1
                    }
                    i += 1
                    continue
                }
                let (scalar, length) = Words.decode(bytes, at: i)
                i += length
                for character in String(scalar.properties.lowercaseMapping) {
                    Self.addKeyCharacter(character, &letters, &both, &letterCount, &bothCount)
                }
            }
            return keys(letters, both, letterCount: letterCount, bothCount: bothCount)
        }
        if let byScalar { return byScalar }
        var letters: [UInt8] = []
        var both: [UInt8] = []
        var letterCount = 0, bothCount = 0
        let lowered = Self.lowercased(stream.searchableText(index))
        for character in lowered { Self.addKeyCharacter(character, &letters, &both, &letterCount, &bothCount) }
        return keys(letters, both, letterCount: letterCount, bothCount: bothCount)
    }

    /// Adds a letter to both keys, a digit to the key of letters and digits, nothing else.
    private static func addKeyCharacter(_ character: Character, _ letters: inout [UInt8], _ both: inout [UInt8],
                                        _ letterCount: inout Int, _ bothCount: inout Int) {
        if character.isLetter {
            letters.append(contentsOf: character.utf8)
            both.append(contentsOf: character.utf8)
            letterCount += 1
            bothCount += 1
        } else if character.isNumber {
            both.append(contentsOf: character.utf8)
            bothCount += 1
        }
    }

    /// `furnitureKeys` of an ASCII text: its letters and digits written into memory held for
    /// the text, not appended to arrays byte by byte.
    private static func asciiKeys(_ bytes: UnsafeBufferPointer<UInt8>) -> [FurnitureKey] {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: max(bytes.count, 1) * 2) { buffer in
            let letters = buffer.baseAddress.unsafelyUnwrapped, both = letters + max(bytes.count, 1)
            var letterCount = 0, bothCount = 0
            for byte in bytes {
                if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) {
                    letters[letterCount] = byte | 0x20
                    both[bothCount] = byte | 0x20
                    letterCount += 1
                    bothCount += 1
                } else if byte >= 0x30 && byte <= 0x39 {
                    both[bothCount] = byte
                    bothCount += 1
                }
            }
            return keys(UnsafeBufferPointer(start: letters, count: letterCount), UnsafeBufferPointer(start: both, count: bothCount),
                        letterCount: letterCount, bothCount: bothCount)
        }
    }

    private static func keys(_ letters: [UInt8], _ both: [UInt8], letterCount: Int, bothCount: Int) -> [FurnitureKey] {
        letters.withUnsafeBufferPointer { letters in
            both.withUnsafeBufferPointer { both in keys(letters, both, letterCount: letterCount, bothCount: bothCount) }
        }
    }

    /// The keys of a line's letters and of its letters and digits; `letterCount` and `bothCount`
    /// count their characters. `both` is `letters` with the digits among them, so the two are the
    /// same text, and one key, exactly when the counts agree.
    private static func keys(_ letters: UnsafeBufferPointer<UInt8>, _ both: UnsafeBufferPointer<UInt8>,
                             letterCount: Int, bothCount: Int) -> [FurnitureKey] {
        let lettersKey = FurnitureKey(hash: WordHash.id(letters), isLong: letterCount > 7)
        guard bothCount != letterCount else { return [lettersKey] }
        return [lettersKey, FurnitureKey(hash: WordHash.id(both), isLong: bothCount > 7)]
    }

    /// `text.lowercased()`, each scalar's lowercase mapping in turn, with an ASCII scalar
    /// mapped from its byte.
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
    private func markContents(_ stream: inout TokenStream, _ keys: inout HeadingKeys) {
        var index = 0
        while index < stream.count {
            defer { index += 1 }
            guard stream.tokens[index].isContent, let key = keys.vocabularyKey(self, stream, index),
                  let sections = grammar.sectionHeadings[key], sections.contains(where: { grammar.sections[$0].role == .contents }) else { continue }
            var i = index + 1
            var titles: [Int] = []
            var consumed: [Int] = []
            var sawNumber = false
            while i < stream.count {
                let token = stream.tokens[i]
                // An entry's page number may already be furniture, found beside a page break.
                if token.markup.contains(.pageNumber) {
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
                if Self.isPageNumberLine(stream, i) {
                    consumed += titles + [i]
                    titles = []
                    sawNumber = true
                } else if token.kind == .tableRow {
                    // "Overall effectiveness\t5": a title and its page in one row.
                    consumed += titles + [i]
                    titles = []
                } else if (token.kind == .text || token.kind == .numbered || token.kind == .heading), token.grade == nil,
                          !token.text.isEmpty, Int(token.shape.pieces) <= Self.maxHeadingWords,
                          !token.shape.endsWithFullStop, titles.count < 4 {
                    titles.append(i)
                } else {
                    break
                }
                i += 1
            }
            guard sawNumber || !consumed.isEmpty else { continue }
            for entry in consumed {
                stream.tokens[entry].kind = .furniture
                stream.tokens[entry].markup.insert(.contents)
            }
        }
    }

    private static func isPageNumberLine(_ stream: TokenStream, _ index: Int) -> Bool {
        let token = stream.tokens[index]
        if token.kind == .numbered, token.bareNumber, let number = token.number, Int(stream.string(number)) != nil { return true }
        return token.kind == .text && token.text.count <= 12 && token.shape.hasAtMostCharacters(3) && Int(stream.text(index)) != nil
    }

    // MARK: Columnar grades

    /// Puts grades laid out in a column back beside their labels. pdftotext sometimes prints a
    /// cover's judgement table column by column: "2.1 Adoption performance", "2.2 Experiences and
    /// progress of care leavers", "3. Leadership, management and governance", then three grades.
    /// A run of k labels that name judgement areas, followed by exactly k grades, is reordered
    /// label, grade, label, grade (each keeping its line number).
    /// Returns whether it moved any token.
    private func pairColumnarGrades(_ stream: inout TokenStream, _ keys: inout HeadingKeys) -> Bool {
        let content = stream.tokens.indices.filter { stream.tokens[$0].isContent }
        var rewrites: [(range: ClosedRange<Int>, order: [Int])] = []
        var c = 0
        while c < content.count {
            var labels: [[Int]] = []
            var j = c
            while j < content.count, let label = areaLabel(stream, content, j, &keys) {
                labels.append(label)
                j += label.count
                // A footnote marker or page number alone between the labels and the grades.
                while j < content.count, Self.isPageNumberLine(stream, content[j]) { j += 1 }
            }
            guard labels.count >= 2 else {
                c = max(j, c + 1)
                continue
            }
            var grades: [[Int]] = []
            var k = j
            while k < content.count, stream.tokens[content[k]].grade == .bare, grades.count < labels.count {
                var group = [content[k]]
                if k + 1 < content.count, stream.tokens[content[k + 1]].grade == .continuation { group.append(content[k + 1]) }
                grades.append(group)
                k += group.count
            }
            let runEnds = k == content.count || stream.tokens[content[k]].grade != .bare
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
        let tokens = stream.tokens
        var rebuilt: [Token] = []
        rebuilt.reserveCapacity(tokens.count + rewrites.count * 8)
        var next = 0
        for (range, order) in rewrites {
            rebuilt += tokens[next..<range.lowerBound]
            var lastLine = tokens[range.lowerBound].line
            for index in order {
                if index < 0 {
                    rebuilt.append(Token(kind: .blank, line: lastLine))
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
        stream.tokens = rebuilt
        return true
    }

    /// The content tokens (one line, or two when the label wraps) at `content[j]` that name a
    /// judgement area, or nil.
    private func areaLabel(_ stream: TokenStream, _ content: [Int], _ j: Int, _ keys: inout HeadingKeys) -> [Int]? {
        let token = stream.tokens[content[j]]
        guard token.kind == .text || token.kind == .numbered || token.kind == .heading, token.grade == nil,
              !token.text.isEmpty, token.shape.hasAtMostCharacters(100) else { return nil }
        if let key = keys.vocabularyKey(self, stream, content[j]), grammar.areaLabels[key] != nil { return [content[j]] }
        if j + 1 < content.count, content[j + 1] == content[j] + 1 {
            let next = stream.tokens[content[j + 1]]
            if next.kind == .text, next.grade == nil, let key = pairKey(stream, content[j], content[j + 1]),
               grammar.areaLabels[key] != nil {
                return [content[j], content[j + 1]]
            }
        }
        return nil
    }

    // MARK: Vocabulary headings

    /// A short line that is wholly a grammar phrase is a heading, unless a bare grade follows
    /// it (then it is a table label).
    private func markVocabularyHeadings(_ stream: inout TokenStream, _ keys: inout HeadingKeys) {
        let titles = grammar.tables.titleNeedles
        for index in stream.tokens.indices {
            let token = stream.tokens[index]
            let kind = token.kind
            guard kind == .text || kind == .numbered || (kind == .heading && token.headingSource == .numbered) else { continue }
            guard token.grade == nil, !token.text.isEmpty, token.shape.hasAtMostCharacters(120) else { continue }
            // A heading starts with a capital (or a number) and does not end with a full stop:
            // "recommendations." is the last word of a wrapped sentence.
            guard token.shape.first.isUppercase || token.shape.first.isNumber || kind == .numbered,
                  !token.shape.endsWithFullStop || kind == .heading else { continue }
            // A line that carries on the sentence above it is not a heading ("… children looked
            // after and care leavers" / "and" / "Review of the effectiveness of the LSCB"), nor
            // is the text of a bullet or number printed alone above it.
            if index > 0, continuesSentence(stream.tokens[index - 1]) { continue }
            if let previous = previousContent(stream, before: index),
               stream.tokens[previous].kind == .bullet || stream.tokens[previous].kind == .numbered && !stream.tokens[previous].bareNumber,
               stream.tokens[previous].text.isEmpty { continue }
            let next = index + 1 < stream.count ? stream.tokens[index + 1] : nil
            // A label wrapped over two lines ("Outcomes for looked after children" / "and young
            // people") with a bare grade below it is a table label, whatever its first line says.
            if let next, next.kind == .text, next.grade == nil, next.shape.first.isLowercase,
               let after = nextContent(stream, after: index + 1), stream.tokens[after].grade == .bare { continue }
            // A heading wrapped over two lines ("Section 2: The effectiveness of the Local
            // Safeguarding" / "Children Board").
            if let next, next.kind == .text, next.grade == nil, next.shape.hasAtMostCharacters(40), !next.pageBreak,
               let key = pairKey(stream, index, index + 1, maxWords: Self.maxHeadingWords + 8),
               isVocabularyHeading(key) || (kind == .text && isGradedHeading(key)),
               !carriesTitle(key, among: titles) {
                let joined = stream.append(Array((stream.text(index) + " " + stream.text(index + 1)).utf8))
                stream.setText(index, joined, prefilters: grammar.prefilters)
                stream.tokens[index].kind = .heading
                stream.tokens[index].headingSource = stream.tokens[index].headingSource ?? .vocabulary
                keys.forget(index)
                stream.tokens[index].extraLines = 1
                stream.tokens[index + 1].kind = .furniture
                stream.tokens[index + 1].markup.insert(.headingContinuation)
                continue
            }
            // A line that the next line carries on in lower case is the start of a sentence
            // ("The effectiveness of the Local Safeguarding Children Board (LSCB)" / "requires
            // improvement."), not a heading.
            if let next, next.kind == .text, !next.pageBreak, next.shape.first.isLowercase { continue }
            if let key = keys.vocabularyKey(self, stream, index), isVocabularyHeading(key) || (kind == .text && isGradedHeading(key)),
               !carriesTitle(key, among: titles) {
                if let after = nextContent(stream, after: index), stream.tokens[after].grade == .bare { continue }
                stream.tokens[index].kind = .heading
                stream.tokens[index].headingSource = stream.tokens[index].headingSource ?? .vocabulary
                continue
            }
            if kind == .text, isLayoutHeading(stream, index) || token.shape.isCapitals {
                stream.tokens[index].kind = .heading
                stream.tokens[index].headingSource = .layout
            }
        }
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
    private func isLayoutHeading(_ stream: TokenStream, _ index: Int) -> Bool {
        let shape = stream.tokens[index].shape
        guard shape.first.isUppercase, !shape.endsWith(anyOf: ".,;:"),
              shape.hasAtMostCharacters(70), shape.pieces <= 10, index > 0, index + 1 < stream.count else {
            return false
        }
        // After a finished sentence, directly or across a blank line.
        var before = index - 1
        if stream.tokens[before].kind == .blank, before > 0 { before -= 1 }
        let previous = stream.tokens[before]
        guard previous.kind == .text || previous.kind == .numbered || previous.kind == .bullet,
              previous.shape.endsWith(anyOf: ".?!") else { return false }
        let next = stream.tokens[index + 1]
        return next.kind == .numbered || next.kind == .bullet
    }

    /// The normalized words of a heading, without "Section 2:", trailing ":", "?", ":-" or a
    /// glued footnote number; nil when too long to be a heading.
    func headingKey(_ text: String, maxWords: Int = Tokenizer.maxHeadingWords) -> String? {
        var markup: [String] = []
        let words = Words(LineClassifier.stripFootnote(text, markup: &markup))
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
            let first = WordHash.id(words[words.startIndex])
            let second = WordHash.id(words[words.startIndex + 1])
            guard grammar.prefilters.mayStartHeading(id: first, then: second) else { return nil }
        }
        return Self.joinedKey(words)
    }

    /// `words.joined(separator: " ")`, made in one allocation.
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
        carriesTitle(key, among: grammar.tables.titleNeedles)
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
              previous.grade == nil, !previous.text.isEmpty else { return false }
        if previous.shape.endsWith(anyOf: ".?!:;)\"") || previous.shape.endsWithClosingQuote { return false }
        return previous.shape.endsWithJoiningWord
    }

    private func previousContent(_ stream: TokenStream, before index: Int) -> Int? {
        var i = index - 1
        while i >= 0 {
            if stream.tokens[i].isContent { return i }
            i -= 1
        }
        return nil
    }

    private func nextContent(_ stream: TokenStream, after index: Int) -> Int? {
        var i = index + 1
        while i < stream.count {
            if stream.tokens[i].isContent { return i }
            i += 1
        }
        return nil
    }
}
