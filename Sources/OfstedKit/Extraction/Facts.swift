import Foundation

/// The facts of a document: its kind, framework, authority, dates and lead inspector.
///
/// Read from content only, never from the file name: the cover (the first lines) weighs most,
/// running headers (page furniture) do not count, and a labelled value ("Inspection dates: …")
/// beats one read from a sentence.
struct Facts: Sendable {
    var kind: DocumentKind = .unknown
    var framework: String = "unknown"
    var title: String?
    var authority: String?
    var inspection: InspectionDates?
    var published: String?
    var leadInspector: String?
    /// Services that have a part of their own in the document (a heading names them).
    var servicesWithHeadings: Set<String> = []
    /// The service of judgements and areas when nothing else says which: the framework's
    /// default, or the one service a report on that service alone is about.
    var defaultService: String?
    var diagnostics: [Diagnostic] = []
}

struct FactExtractor: Sendable {
    let grammar: Grammar
    /// Content lines counted as the cover.
    static let coverLines = 25

    func extract(source: SourceText, tokens: [Token]) -> Facts {
        var facts = Facts()
        // Content tokens by index: copying them would retain every token's strings.
        let contentIndices = tokens.indices.filter { tokens[$0].isContent }
        let content = TokenList(tokens: tokens, picked: contentIndices)
        let cover = Array(content.prefix(Self.coverLines))
        // The search forms of every line written once, into the text of all non-blank lines and
        // the text of the content lines, whose first lines are the cover's text.
        let (allText, bodyText, coverEnd) = SearchText.documentTexts(tokens, coverLines: Self.coverLines)
        let coverText = bodyText.prefix(coverEnd)
        // Boilerplate ("© Crown copyright") is furniture for the tree but a sign of the kind.

        facts.kind = kind(cover: coverText, body: allText, frameworkOnCover: frameworkTitleOnCover(coverText))
        facts.framework = framework(cover: coverText, body: bodyText)
        if let definition = grammar.framework(facts.framework) {
            facts.defaultService = definition.defaultService
            if let keys = grammar.tables.frameworkKeys.first(where: { $0.id == facts.framework }) {
                let hasTitle = keys.titles.contains { coverText.contains($0) }
                if !hasTitle, let only = keys.serviceTitles.first(where: { coverText.contains($0.key) }) {
                    facts.defaultService = only.service
                }
            }
        }
        facts.title = title(cover: cover, framework: facts.kind == .councilReport ? "unknown" : facts.framework)
        facts.authority = authority(cover: cover, content: content, kind: facts.kind)

        let labelled = LabelledFacts(grammar: grammar, source: source, tokens: tokens)
        if let dates = labelled.dateRange("inspection-dates") {
            facts.inspection = InspectionDates(start: dates.start, end: dates.end, text: dates.text)
        }
        facts.published = labelled.date("published")?.start
        facts.leadInspector = labelled.text("lead-inspector")
        if facts.inspection == nil || facts.published == nil && facts.kind != .ofstedReport {
            let prose = ProseFacts(grammar: grammar, tokens: content)
            if facts.inspection == nil, let dates = prose.inspectionDates() {
                facts.inspection = InspectionDates(start: dates.start, end: dates.end, text: dates.text)
            }
            if facts.published == nil, facts.kind != .ofstedReport { facts.published = prose.published() }
        }

        for token in tokens where token.kind == .heading {
            if let key = Tokenizer(grammar: grammar).headingKey(token.text),
               let service = grammar.serviceHeadings[key] ?? grammar.serviceHeadings["the " + key] {
                facts.servicesWithHeadings.insert(service)
            }
        }
        if facts.kind == .unknown {
            facts.diagnostics.append(Diagnostic(severity: .note, code: "document.kind-unknown",
                                                message: "nothing marks this as an Ofsted report or a council paper", line: nil))
        }
        if facts.kind == .ofstedReport {
            if facts.framework == "unknown" {
                facts.diagnostics.append(Diagnostic(severity: .warning, code: "document.framework-unknown",
                                                    message: "no title or judgement vocabulary identifies the inspection framework", line: nil))
            }
            if facts.authority == nil {
                facts.diagnostics.append(Diagnostic(severity: .warning, code: "document.authority-missing",
                                                    message: "the cover names no local authority the grammar knows", line: nil))
            }
            if facts.inspection?.start == nil {
                facts.diagnostics.append(Diagnostic(severity: .warning, code: "document.dates-missing",
                                                    message: "no inspection dates were found", line: nil))
            }
        }
        return facts
    }

    // MARK: Kind and framework

    /// The kind whose signals weigh most; a signal on the cover counts three times, a
    /// cover-only signal counts only there, and an inspection framework's title on the cover
    /// counts for the kind that carries `framework-title:`.
    private func kind(cover: SearchText, body: SearchText, frameworkOnCover: Bool) -> DocumentKind {
        var best: (DocumentKind, Int) = (.unknown, 0)
        for signals in grammar.tables.kindKeys {
            var score = frameworkOnCover ? signals.frameworkTitleWeight : 0
            for signal in signals.signals {
                if cover.contains(signal.key) {
                    score += signal.weight * 3
                } else if !signal.coverOnly, body.contains(signal.key) {
                    score += signal.weight
                }
            }
            if score > best.1 { best = (signals.kind, score) }
        }
        return best.0
    }

    /// Whether a framework's title is on the cover.
    private func frameworkTitleOnCover(_ cover: SearchText) -> Bool {
        grammar.tables.frameworkKeys.contains { $0.allTitles.contains { cover.contains($0) } }
    }

    private func framework(cover: SearchText, body: SearchText) -> String {
        var best: (String, Int) = ("unknown", 0)
        for framework in grammar.tables.frameworkKeys {
            var score = 0
            for phrase in framework.allTitles {
                if cover.contains(phrase) { score += 10 } else if body.contains(phrase) { score += 3 }
            }
            for signal in framework.signals where body.contains(signal) { score += 2 }
            if score > best.1 { best = (framework.id, score) }
        }
        return best.0
    }

    /// The cover line that carries the framework's title, from its "Inspection of".
    private func title(cover: [Token], framework: String) -> String? {
        let joined = cover.prefix(8).map(\.text).joined(separator: " ")
        let words = Words(joined)
        if let definition = grammar.framework(framework) {
            for title in definition.titles {
                for i in 0..<words.count where words.count - i >= title.count {
                    if (0..<title.count).allSatisfy({ words[i + $0].text == title[$0] }) {
                        var start = i
                        if let inspection = (max(0, i - 8)..<i).last(where: { words[$0].text == "inspection" || words[$0].text == "re" }) {
                            start = inspection
                        }
                        return words.text(start..<(i + title.count))
                    }
                }
            }
        }
        return (cover.first { $0.kind == .heading && ($0.headingSource == .markdown || $0.headingSource == .bold) } ?? cover.first)?.text
    }

    // MARK: Authority

    private func authority(cover: [Token], content: TokenList, kind: DocumentKind) -> String? {
        let vocabulary = grammar.authorities
        // Ofsted reports name the authority on the cover, first.
        let coverWords = Words(cover.prefix(12).map(\.searchableText).joined(separator: " \n "))
        if kind == .ofstedReport {
            if let id = firstAuthority(in: coverWords) { return vocabulary.names[id] }
            if let name = patternAuthority(in: coverWords) { return name }
        }
        // Otherwise the authority the document names most, the cover and "X Council" counting more.
        var scores: [String: (score: Int, first: Int)] = [:]
        var order = 0
        for (index, token) in content.prefix(3000).enumerated() {
            let text = token.searchableText
            guard grammar.prefilters.authorityNames.mayContain(text) else { continue }
            let words = Words(text)
            var i = 0
            while i < words.count {
                if words[i].capitalized, let (id, end) = vocabulary.index.longest(in: words, at: i) {
                    var score = index < 12 ? 3 : 1
                    if vocabulary.suffixes.contains(where: { suffix in
                        end + suffix.count <= words.count && (0..<suffix.count).allSatisfy { words[end + $0].text == suffix[$0] }
                    }) { score += 2 }
                    let entry = scores[id] ?? (0, order)
                    scores[id] = (entry.score + score, entry.first)
                    order += 1
                    i = end
                } else {
                    i += 1
                }
            }
        }
        if let best = scores.max(by: { $0.value.score < $1.value.score || ($0.value.score == $1.value.score && $0.value.first > $1.value.first) }) {
            return vocabulary.names[best.key]
        }
        return patternAuthority(in: coverWords)
    }

    private func firstAuthority(in words: Words) -> String? {
        var i = 0
        while i < words.count {
            if words[i].capitalized, let (id, _) = grammar.authorities.index.longest(in: words, at: i) { return id }
            i += 1
        }
        return nil
    }

    /// A name the gazetteer lacks, from the words around it: "Inspection of X local authority
    /// children's services", "X County Council", "London Borough of X".
    private func patternAuthority(in words: Words) -> String? {
        let vocabulary = grammar.authorities
        let matcher = grammar.matcher(allServiceAliases: true)
        var memo = MatchMemo(words)
        for pattern in vocabulary.patterns {
            for (bindings, _) in matcher.search(pattern, words, memo: &memo) {
                if let range = bindings.text, let name = canonicalName(words, range) { return name }
            }
        }
        for i in 0..<words.count {
            for suffix in vocabulary.suffixes where i + suffix.count <= words.count
                && (0..<suffix.count).allSatisfy({ words[i + $0].text == suffix[$0] }) && i > 0 {
                var start = i
                while start > 0, words[start - 1].capitalized, words[start - 1].text != "\n", i - start < 4 { start -= 1 }
                if start < i, let name = canonicalName(words, start..<i) { return name }
            }
        }
        return nil
    }

    /// A name as written, without council prefixes and suffixes, in the gazetteer's spelling when it has one.
    private func canonicalName(_ words: Words, _ range: Range<Int>) -> String? {
        var lower = range.lowerBound
        var upper = range.upperBound
        let vocabulary = grammar.authorities
        for prefix in vocabulary.prefixes where upper - lower > prefix.count
            && (0..<prefix.count).allSatisfy({ words[lower + $0].text == prefix[$0] }) {
            lower += prefix.count
            break
        }
        for suffix in vocabulary.suffixes where upper - lower > suffix.count
            && (0..<suffix.count).allSatisfy({ words[upper - suffix.count + $0].text == suffix[$0] }) {
            upper -= suffix.count
            break
        }
        guard lower < upper, words[lower].capitalized else { return nil }
        if let (id, end) = vocabulary.index.longest(in: words, at: lower), end == upper { return vocabulary.names[id] }
        return words.text(lower..<upper)
    }
}

// MARK: Labelled facts

/// Facts introduced by a label: "Inspection dates: 8 – 12 July 2013", "Published:" … "16 August 2013".
private struct LabelledFacts {
    let grammar: Grammar
    let source: SourceText
    let tokens: [Token]
    /// Labels are trusted anywhere on a line within the cover, and at a line's start elsewhere.
    static let coverLines = 40
    static let searchLines = 400
    /// For each line searched (by token index), which of the first words of the facts' labels
    /// (`GrammarTables.factLabelWords`, a bit each) its bytes may hold: worked out once for the
    /// three facts looked for. Lines not searched have every bit.
    private let lineMayHold: [UInt64]

    init(grammar: Grammar, source: SourceText, tokens: [Token]) {
        self.grammar = grammar
        self.source = source
        self.tokens = tokens
        let needles = grammar.tables.factLabelNeedles
        var lineMayHold = [UInt64](repeating: ~0, count: min(tokens.count, Self.searchLines * 2))
        var contentIndex = 0
        source.utf8.withUnsafeBufferPointer { buffer in
            for index in tokens.indices.prefix(Self.searchLines * 2) where tokens[index].kind != .blank {
                contentIndex += 1
                if contentIndex > Self.searchLines { break }
                let line = source.lines[tokens[index].line - 1]
                // A form feed, which `SourceText.string` drops, leaves it to the line's text.
                if !line.pageBreak {
                    lineMayHold[index] = needles.mayContainMask(in: UnsafeBufferPointer(rebasing: buffer[line.start..<line.end]))
                }
            }
        }
        self.lineMayHold = lineMayHold
    }

    private var allLabels: [[String]] { grammar.tables.factLabels }

    /// The label's value words: from after the label (and its colon) to the next label on the line.
    private func valueRange(_ words: Words, label: [String], coverLine: Bool) -> Range<Int>? {
        let starts = coverLine ? Array(0..<words.count) : [0]
        for start in starts where start + label.count <= words.count {
            guard (0..<label.count).allSatisfy({ words[start + $0].text == label[$0] }) else { continue }
            var valueStart = start + label.count
            while valueStart < words.count, [":", "-"].contains(words[valueStart].text) { valueStart += 1 }
            var valueEnd = words.count
            for other in allLabels where other != label {
                for i in valueStart..<words.count where i + other.count <= words.count
                    && (0..<other.count).allSatisfy({ words[i + $0].text == other[$0] }) {
                    valueEnd = min(valueEnd, i)
                }
            }
            return valueStart..<valueEnd
        }
        return nil
    }

    /// For each line carrying `fact`'s label: its words, the value's range, and the next lines' words.
    private func occurrences(_ fact: String) -> [(Words, Range<Int>, [Words])] {
        guard let definition = grammar.facts[fact] else { return [] }
        var found: [(Words, Range<Int>, [Words])] = []
        var contentIndex = 0
        for index in tokens.indices.prefix(Self.searchLines * 2) where tokens[index].kind != .blank {
            contentIndex += 1
            if contentIndex > Self.searchLines { break }
            let line = source.lines[tokens[index].line - 1]
            guard mayHoldLabel(index, definition) else { continue }
            let raw = source.string(line)
            guard definition.labels.contains(where: { raw.containsASCII($0.first ?? "", ignoringCase: true) }) else { continue }
            let lowered = raw.lowercased()
            let words = Words(raw)
            for label in definition.labels {
                var range = valueRange(words, label: label, coverLine: contentIndex <= Self.coverLines)
                var lineWords = words
                if range == nil, contentIndex <= Self.coverLines, lowered.containsASCII(label.joined(separator: " ") + ":"),
                   let glued = lowered.range(of: label.joined(separator: " ") + ":") {
                    // Cover cells run together by the conversion: "Age group:AllPublished:9 March 2012".
                    lineWords = Words(String(raw[glued.upperBound...]))
                    range = 0..<lineWords.count
                }
                if let range {
                    let words = lineWords
                    var following: [Words] = []
                    var next = index + 1
                    while next < tokens.count, following.count < 4 {
                        if tokens[next].isContent { following.append(Words(source.string(source.lines[tokens[next].line - 1]))) }
                        next += 1
                    }
                    found.append((words, range, following))
                    break
                }
            }
        }
        return found
    }

    /// Whether the line of token `index` may hold the first word of one of `definition`'s labels.
    private func mayHoldLabel(_ index: Int, _ definition: FactDefinition) -> Bool {
        guard index < lineMayHold.count else { return true }
        let mayHold = lineMayHold[index]
        let words = grammar.tables.factLabelWords
        return definition.labels.contains { label in
            words.firstIndex(of: label.first ?? "").map { $0 >= 64 || mayHold & (1 << UInt64($0)) != 0 } ?? true
        }
    }

    func dateRange(_ fact: String) -> Dates.Found? {
        for (words, range, following) in occurrences(fact) {
            if let found = Dates.firstRange(in: words, from: range.lowerBound, limit: range.count), found.range.upperBound <= range.upperBound {
                return found
            }
            if range.count == 0 || words.text(range).trimmingCharacters(in: .whitespaces).isEmpty {
                for next in following {
                    if let found = Dates.firstRange(in: next, from: 0, limit: 3) { return found }
                }
            }
        }
        return nil
    }

    func date(_ fact: String) -> Dates.Found? {
        for (words, range, following) in occurrences(fact) {
            if let found = Dates.firstDate(in: words, from: range.lowerBound, limit: max(range.count, 1)) { return found }
            if range.isEmpty {
                for next in following {
                    if let found = Dates.firstDate(in: next, from: 0, limit: 4) { return found }
                }
            }
        }
        return nil
    }

    func text(_ fact: String) -> String? {
        for (words, range, following) in occurrences(fact) {
            var value = range.isEmpty ? "" : words.text(range)
            if value.isEmpty, let next = following.first, next.count > 0 { value = next.text(0..<next.count) }
            value = value.trimmingCharacters(in: CharacterSet(charactersIn: " \t:,.;"))
            if !value.isEmpty { return value }
        }
        return nil
    }
}

// MARK: Facts in prose

/// Facts stated in sentences of council papers: "An inspection was carried out ... between
/// 21 May and 1 June 2012", "The Ofsted report was published on 9 March 2012".
private struct ProseFacts {
    let grammar: Grammar
    /// Sentences of the first paragraphs, wrapped lines joined; each is lexed only when its bytes
    /// show it may hold the words a fact needs.
    private let sentences: [Substring]

    init(grammar: Grammar, tokens: TokenList) {
        self.grammar = grammar
        var paragraphs: [String] = []
        var current = ""
        for token in tokens.prefix(1500) {
            if token.kind == .text || token.kind == .bullet || token.kind == .numbered {
                current += current.isEmpty ? token.text : " " + token.text
            } else {
                if !current.isEmpty { paragraphs.append(current) }
                current = token.kind == .tableRow ? token.text : ""
            }
        }
        if !current.isEmpty { paragraphs.append(current) }
        sentences = paragraphs.flatMap { Sentences.split($0) }
    }

    /// The dates of the first sentence that speaks of the inspection: a range after one of the
    /// leads ("between 24 January and 4 February 2011") before any other date in it.
    func inspectionDates() -> Dates.Found? {
        guard let definition = grammar.facts["inspection-dates"] else { return nil }
        var fallback: Dates.Found?
        for sentence in sentences where grammar.prefilters.inspectionNearWords.mayContain(sentence) {
            let words = Words(String(sentence))
            let texts = words.words.map(\.text)
            guard definition.near.contains(where: texts.contains) else { continue }
            let leads = texts.indices.filter { i in definition.leads.contains { texts[i...].starts(with: $0) } }
            guard !leads.isEmpty else { continue }
            for lead in leads {
                if let found = Dates.firstRange(in: words, from: lead, limit: 12), found.start != nil { return found }
            }
            var i = 0
            while i < words.count, fallback == nil {
                if let found = Dates.range(in: words, at: i) {
                    fallback = found
                    i = found.range.upperBound
                } else {
                    i += 1
                }
            }
        }
        return fallback
    }

    func published() -> String? {
        guard let definition = grammar.facts["published"] else { return nil }
        for sentence in sentences where grammar.prefilters.publicationLeads.mayContain(sentence) {
            let words = Words(String(sentence))
            let texts = words.words.map(\.text)
            for lead in definition.leads {
                for i in texts.indices where texts[i...].starts(with: lead) {
                    if let found = Dates.firstDate(in: words, from: i + lead.count, limit: 4) { return found.start }
                }
            }
        }
        return nil
    }
}

// MARK: Searching normalized text

/// Text lowercased to letters, digits and apostrophes with single spaces, for phrase search.
struct SearchText {
    private let bytes: [UInt8]
    /// The offset of the space before each word, grouped by the word's first byte (the group
    /// of byte `b` is `wordStarts[groups[b]..<groups[b + 1]]`, in text order): a phrase is
    /// looked for only where a word starts with its first letter.
    private let wordStarts: [Int32]
    private let groups: [Int]
    /// How many of `bytes` are the text (a prefix of a longer text shares its storage).
    private let count: Int

    init(_ lines: [String]) {
        self.init(forms: lines.map(SearchText.form(of:)))
    }

    /// The text of lines whose search forms are `forms` (each line's form does not depend on
    /// the lines before it: a space separates them).
    init<Forms: Collection>(forms: Forms) where Forms.Element == [UInt8] {
        var out: [UInt8] = [0x20]
        out.reserveCapacity(forms.reduce(1) { $0 + $1.count + 1 })
        for form in forms {
            out += form
            out.append(0x20)
        }
        self.init(text: out)
    }

    /// A text already in search form: a space, then each line's form followed by a space.
    private init(text out: [UInt8]) {
        bytes = out
        count = out.count
        // A counting sort into one array: count each group, then place the offsets.
        var groups = [Int](repeating: 0, count: 257)
        out.withUnsafeBufferPointer { out in
            for i in 0..<max(0, out.count - 1) where out[i] == 0x20 { groups[Int(out[i + 1]) + 1] += 1 }
        }
        for byte in 0..<256 { groups[byte + 1] += groups[byte] }
        var next = groups
        wordStarts = [Int32](unsafeUninitializedCapacity: groups[256]) { starts, written in
            out.withUnsafeBufferPointer { out in
                for i in 0..<max(0, out.count - 1) where out[i] == 0x20 {
                    let group = Int(out[i + 1])
                    starts[next[group]] = Int32(i)
                    next[group] += 1
                }
            }
            written = groups[256]
        }
        self.groups = groups
    }

    private init(prefixOf text: SearchText, count: Int) {
        bytes = text.bytes
        wordStarts = text.wordStarts
        groups = text.groups
        self.count = min(count, text.count)
    }

    /// The text of the first `count` bytes (which end with a line's closing space).
    func prefix(_ count: Int) -> SearchText { SearchText(prefixOf: self, count: count) }

    /// The texts `FactExtractor` searches: of every non-blank token, of the content tokens, and
    /// how many bytes of the second are the first `coverLines` content tokens. Each token's
    /// form is worked out once, in a buffer reused for every line.
    static func documentTexts(_ tokens: [Token], coverLines: Int) -> (all: SearchText, body: SearchText, coverEnd: Int) {
        var all: [UInt8] = [0x20]
        var body: [UInt8] = [0x20]
        var total = 1
        for index in tokens.indices where tokens[index].kind != .blank { total += tokens[index].text.utf8.count + 1 }
        all.reserveCapacity(total + total / 8)
        body.reserveCapacity(total + total / 8)
        var coverEnd = 1
        var contentLines = 0
        var scratch: [UInt8] = []
        scratch.reserveCapacity(256)
        for index in tokens.indices where tokens[index].kind != .blank {
            scratch.removeAll(keepingCapacity: true)
            if tokens[index].kind == .tableRow {
                append(tokens[index].cells.joined(separator: " "), to: &scratch, afterSpace: true)
            } else {
                appendForm(of: tokens[index].text, to: &scratch)
            }
            all += scratch
            all.append(0x20)
            if tokens[index].isContent {
                body += scratch
                body.append(0x20)
                contentLines += 1
                if contentLines <= coverLines { coverEnd = body.count }
            }
        }
        return (SearchText(text: all), SearchText(text: body), coverEnd)
    }

    /// Appends the search form of one line to `out`, as `form(of:)` makes it.
    private static func appendForm(of line: String, to out: inout [UInt8]) {
        let ascii: Bool? = line.utf8.withContiguousStorageIfAvailable { bytes in
            for byte in bytes where byte >= 0x80 { return false }
            var lastWasSpace = true
            for byte in bytes {
                if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
                    out.append(byte)
                    lastWasSpace = false
                } else if byte >= 0x41 && byte <= 0x5A {
                    out.append(byte + 32)
                    lastWasSpace = false
                } else if byte == 0x27 {
                    if !lastWasSpace { out.append(0x27) }
                } else if byte == 0x26 {
                    if !lastWasSpace { out.append(0x20) }
                    out.append(contentsOf: [0x61, 0x6E, 0x64, 0x20])
                    lastWasSpace = true
                } else if !lastWasSpace {
                    out.append(0x20)
                    lastWasSpace = true
                }
            }
            return true
        }
        if ascii != true { append(line, to: &out, afterSpace: true) }
    }

    /// The search form of one line, as it is appended after a space.
    static func form(of line: String) -> [UInt8] {
        if let form = line.withUTF8Bytes(asciiForm) { return form }
        var out: [UInt8] = []
        out.reserveCapacity(line.utf8.count + 8)
        append(line, to: &out, afterSpace: true)
        return out
    }

    /// The form of an ASCII line (nearly every line), written straight into its array: what
    /// `append` does with ASCII, without growing the array a byte at a time. Nil for any
    /// other line.
    private static func asciiForm(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        var ampersands = 0
        for byte in bytes {
            if byte >= 0x80 { return nil }
            if byte == 0x26 { ampersands += 1 }
        }
        // Only "&" grows: to " and " at most.
        return [UInt8](unsafeUninitializedCapacity: bytes.count + 4 * ampersands) { out, written in
            var n = 0
            var lastWasSpace = true
            func put(_ byte: UInt8) {
                out[n] = byte
                n += 1
            }
            for byte in bytes {
                if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
                    put(byte)
                    lastWasSpace = false
                } else if byte >= 0x41 && byte <= 0x5A {
                    put(byte + 32)
                    lastWasSpace = false
                } else if byte == 0x27 {
                    if !lastWasSpace { put(0x27) }
                } else if byte == 0x26 {
                    if !lastWasSpace { put(0x20) }
                    put(0x61); put(0x6E); put(0x64); put(0x20)
                    lastWasSpace = true
                } else if !lastWasSpace {
                    put(0x20)
                    lastWasSpace = true
                }
            }
            written = n
        }
    }

    /// The search form of a phrase's words (punctuation words dropped).
    static func key(_ words: [String]) -> [UInt8] {
        var out: [UInt8] = [0x20]
        SearchText.append(words.filter { $0.unicodeScalars.first?.isWordCharacter == true }.joined(separator: " "), to: &out)
        out.append(0x20)
        return out
    }

    private static func append(_ text: String, to out: inout [UInt8], afterSpace: Bool? = nil) {
        var lastWasSpace = afterSpace ?? (out.last == 0x20)
        text.withUTF8Bytes { bytes in
            var i = 0
            while i < bytes.count {
                let byte = bytes[i]
                if byte < 0x80 {
                    // ASCII, the common case, without decoding.
                    if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
                        out.append(byte)
                        lastWasSpace = false
                    } else if byte >= 0x41 && byte <= 0x5A {
                        out.append(byte + 32)
                        lastWasSpace = false
                    } else {
                        append(Unicode.Scalar(byte), to: &out, lastWasSpace: &lastWasSpace)
                    }
                    i += 1
                    continue
                }
                let (scalar, length) = Words.decode(bytes, at: i)
                i += length
                append(scalar, to: &out, lastWasSpace: &lastWasSpace)
            }
        }
    }

    private static func append(_ scalar: Unicode.Scalar, to out: inout [UInt8], lastWasSpace: inout Bool) {
        if scalar.isWordCharacter {
            if scalar.isASCII {
                let v = UInt8(scalar.value)
                out.append(v >= 65 && v <= 90 ? v + 32 : v)
            } else {
                out.append(contentsOf: Array(String(scalar).lowercased().utf8))
            }
            lastWasSpace = false
        } else if scalar == "'" || scalar == "\u{2019}" || scalar == "\u{2018}" {
            if !lastWasSpace { out.append(0x27) }
        } else if scalar == "&" {
            if !lastWasSpace { out.append(0x20) }
            out.append(contentsOf: [0x61, 0x6E, 0x64, 0x20])
            lastWasSpace = true
        } else if !lastWasSpace {
            out.append(0x20)
            lastWasSpace = true
        }
    }

    func contains(_ phrase: [UInt8]) -> Bool {
        guard phrase.count > 2, phrase.count <= count else { return false }
        return bytes.withUnsafeBufferPointer { haystack in
            phrase.withUnsafeBufferPointer { needle in
                let last = count - needle.count
                let group = Int(needle[1])
                for start in wordStarts[groups[group]..<groups[group + 1]] {
                    let i = Int(start)
                    guard i <= last else { break }
                    var j = 2
                    while j < needle.count && haystack[i + j] == needle[j] { j += 1 }
                    if j == needle.count { return true }
                }
                return false
            }
        }
    }
}

/// Tokens picked out of a token array by index, without copying the array's other tokens.
struct TokenList: RandomAccessCollection {
    let tokens: [Token]
    /// The tokens' positions in `tokens`.
    let picked: [Int]

    var startIndex: Int { 0 }
    var endIndex: Int { picked.count }
    subscript(position: Int) -> Token { tokens[picked[position]] }
}

extension Token {
    /// The token's words for searching: a table row's cells joined.
    var searchableText: String { kind == .tableRow ? cells.joined(separator: " ") : text }
}
