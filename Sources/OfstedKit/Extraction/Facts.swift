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

    func extract(source: SourceText, tokens stream: TokenStream) -> Facts {
        var facts = Facts()
        let content = stream.tokens.indices.filter { stream.tokens[$0].isContent }
        let cover = Array(content.prefix(Self.coverLines))
        // The words of every line, in the text of all non-blank lines and the text of the
        // content lines, whose first lines are the cover's text.
        let texts = PhraseTexts(stream, coverLines: Self.coverLines, anchors: grammar.tables.phraseAnchors)
        // Boilerplate ("© Crown copyright") is furniture for the tree but a sign of the kind.

        facts.kind = kind(texts, frameworkOnCover: frameworkTitleOnCover(texts))
        facts.framework = framework(texts)
        if let definition = grammar.framework(facts.framework) {
            facts.defaultService = definition.defaultService
            if let keys = grammar.tables.frameworkKeys.first(where: { $0.id == facts.framework }) {
                let hasTitle = keys.titles.contains { texts.contains($0, in: .cover) }
                if !hasTitle, let only = keys.serviceTitles.first(where: { texts.contains($0.key, in: .cover) }) {
                    facts.defaultService = only.service
                }
            }
        }
        facts.title = title(stream, cover: cover, framework: facts.kind == .councilReport ? "unknown" : facts.framework)
        facts.authority = authority(stream, cover: cover, content: content, kind: facts.kind)

        let labelled = LabelledFacts(grammar: grammar, source: source, tokens: stream.tokens)
        if let dates = labelled.dateRange("inspection-dates") {
            facts.inspection = InspectionDates(start: dates.start, end: dates.end, text: dates.text)
        }
        facts.published = labelled.date("published")?.start
        facts.leadInspector = labelled.text("lead-inspector")
        if facts.inspection == nil || facts.published == nil && facts.kind != .ofstedReport {
            let prose = ProseFacts(grammar: grammar, stream: stream, content: content)
            if facts.inspection == nil, let dates = prose.inspectionDates() {
                facts.inspection = InspectionDates(start: dates.start, end: dates.end, text: dates.text)
            }
            if facts.published == nil, facts.kind != .ofstedReport { facts.published = prose.published() }
        }

        for index in stream.tokens.indices where stream.tokens[index].kind == .heading {
            if let key = Tokenizer(grammar: grammar).headingKey(stream.text(index)),
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
    private func kind(_ texts: PhraseTexts, frameworkOnCover: Bool) -> DocumentKind {
        var best: (DocumentKind, Int) = (.unknown, 0)
        for signals in grammar.tables.kindKeys {
            var score = frameworkOnCover ? signals.frameworkTitleWeight : 0
            for signal in signals.signals {
                if texts.contains(signal.key, in: .cover) {
                    score += signal.weight * 3
                } else if !signal.coverOnly, texts.contains(signal.key, in: .all) {
                    score += signal.weight
                }
            }
            if score > best.1 { best = (signals.kind, score) }
        }
        return best.0
    }

    /// Whether a framework's title is on the cover.
    private func frameworkTitleOnCover(_ texts: PhraseTexts) -> Bool {
        grammar.tables.frameworkKeys.contains { $0.allTitles.contains { texts.contains($0, in: .cover) } }
    }

    private func framework(_ texts: PhraseTexts) -> String {
        var best: (String, Int) = ("unknown", 0)
        for framework in grammar.tables.frameworkKeys {
            var score = 0
            for phrase in framework.allTitles {
                if texts.contains(phrase, in: .cover) { score += 10 } else if texts.contains(phrase, in: .body) { score += 3 }
            }
            for signal in framework.signals where texts.contains(signal, in: .body) { score += 2 }
            if score > best.1 { best = (framework.id, score) }
        }
        return best.0
    }

    /// The cover line that carries the framework's title, from its "Inspection of".
    private func title(_ stream: TokenStream, cover: [Int], framework: String) -> String? {
        let joined = cover.prefix(8).map(stream.text).joined(separator: " ")
        let words = Words(joined)
        if let definition = grammar.framework(framework) {
            for title in definition.titles {
                for i in 0..<words.count where words.count - i >= title.count {
                    if (0..<title.count).allSatisfy({ words[i + $0].text == title[$0] }) {
                        var start = i
                        if let inspection = (max(0, i - 8)..<i).last(where: { words[$0].id == CommonWords.inspection || words[$0].id == CommonWords.re }) {
                            start = inspection
                        }
                        return words.text(start..<(i + title.count))
                    }
                }
            }
        }
        let heading = cover.first { stream.tokens[$0].kind == .heading && (stream.tokens[$0].headingSource == .markdown || stream.tokens[$0].headingSource == .bold) }
        return (heading ?? cover.first).map(stream.text)
    }

    // MARK: Authority

    private func authority(_ stream: TokenStream, cover: [Int], content: [Int], kind: DocumentKind) -> String? {
        let vocabulary = grammar.authorities
        // Ofsted reports name the authority on the cover, first.
        let coverWords = Words(cover.prefix(12).map(stream.searchableText).joined(separator: " \n "))
        if kind == .ofstedReport {
            if let id = firstAuthority(in: coverWords) { return vocabulary.names[id] }
            if let name = patternAuthority(in: coverWords) { return name }
        }
        // Otherwise the authority the document names most, the cover and "X Council" counting more.
        var scores: [String: (score: Int, first: Int)] = [:]
        var order = 0
        for (index, token) in content.prefix(3000).enumerated() {
            // Names start with a capital word the gazetteer knows.
            guard stream.tokens[token].words.masks.has(WordClass.authorityName) else { continue }
            let words = Words(stream.searchableText(token))
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

    /// The label's value words: from after the label (and its colon) to the next label on the line.
    /// Words are compared by id: a line is cut into words with their texts only once a label is found.
    private func valueRange(_ ids: [WordID], label: [WordID], coverLine: Bool) -> Range<Int>? {
        let lastStart = coverLine ? ids.count - label.count : min(0, ids.count - label.count)
        guard lastStart >= 0 else { return nil }
        for start in 0...lastStart where Self.holds(ids, label, at: start) {
            var valueStart = start + label.count
            while valueStart < ids.count, ids[valueStart] == Words.Punctuation.colon || ids[valueStart] == Words.Punctuation.dash {
                valueStart += 1
            }
            // The value ends where the first other label starts.
            let others = grammar.tables.factLabels
            var valueEnd = valueStart
            while valueEnd < ids.count, !others.contains(where: { $0 != label && Self.holds(ids, $0, at: valueEnd) }) { valueEnd += 1 }
            return valueStart..<valueEnd
        }
        return nil
    }

    /// Whether `ids` has `label` at `start`.
    @inline(__always)
    private static func holds(_ ids: [WordID], _ label: [WordID], at start: Int) -> Bool {
        guard start + label.count <= ids.count else { return false }
        for k in label.indices where ids[start + k] != label[k] { return false }
        return true
    }

    /// For each line carrying `fact`'s label: its words, the value's range, and the next lines' words.
    private func occurrences(_ fact: String) -> [(Words, Range<Int>, [Words])] {
        guard let definition = grammar.facts[fact], let keys = grammar.tables.factKeys[fact] else { return [] }
        var found: [(Words, Range<Int>, [Words])] = []
        var contentIndex = 0
        let longest = keys.labels.reduce(0) { max($0, $1.count) }
        for index in tokens.indices.prefix(Self.searchLines * 2) where tokens[index].kind != .blank {
            contentIndex += 1
            if contentIndex > Self.searchLines { break }
            let line = source.lines[tokens[index].line - 1]
            guard mayHoldLabel(index, keys.firstWordBits) else { continue }
            let raw = source.string(line)
            guard definition.labels.contains(where: { raw.containsASCII($0.first ?? "", ignoringCase: true) }) else { continue }
            let coverLine = contentIndex <= Self.coverLines
            // Away from the cover a label counts only at a line's start: its first words decide.
            if !coverLine {
                let head = Words.ids(raw, limit: longest)
                guard keys.labels.contains(where: { Self.holds(head, $0, at: 0) }) else { continue }
            }
            let ids = Words.ids(raw)
            for (label, labelID) in zip(definition.labels, keys.labels) {
                var range = valueRange(ids, label: labelID, coverLine: coverLine)
                var lineWords: Words?
                if range == nil, coverLine {
                    let glued = label.joined(separator: " ") + ":"
                    if raw.containsASCII(glued, ignoringCase: true), let gluedRange = raw.lowercased().range(of: glued) {
                        // Cover cells run together by the conversion: "Age group:AllPublished:9 March 2012".
                        let rest = Words(String(raw[gluedRange.upperBound...]))
                        lineWords = rest
                        range = 0..<rest.count
                    }
                }
                if let range {
                    let words = lineWords ?? Words(raw)
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
    /// (`firstWordBits` nil: a label's first word has no bit, and any line may hold it.)
    private func mayHoldLabel(_ index: Int, _ firstWordBits: UInt64?) -> Bool {
        guard index < lineMayHold.count, let firstWordBits else { return true }
        return lineMayHold[index] & firstWordBits != 0
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

    init(grammar: Grammar, stream: TokenStream, content: [Int]) {
        self.grammar = grammar
        // Paragraphs: runs of text lines, a table row starting one; only those with the words a
        // fact needs are put together.
        let needed = WordClass.inspectionNear | WordClass.publicationLead
        var paragraphs: [String] = []
        var current: [Int] = []
        var masks = WordMasks()
        func close() {
            if !current.isEmpty, masks.has(needed) || grammar.prefilters.always.has(needed) {
                // Joined as written before: an empty line text still adds its space.
                var text = ""
                for index in current {
                    let line = stream.text(index)
                    text += text.isEmpty ? line : " " + line
                }
                if !text.isEmpty { paragraphs.append(text) }
            }
            current = []
            masks = WordMasks()
        }
        for index in content.prefix(1500) {
            let token = stream.tokens[index]
            if token.kind == .text || token.kind == .bullet || token.kind == .numbered {
                current.append(index)
                masks.formUnion(token.words.masks)
            } else {
                close()
                if token.kind == .tableRow {
                    current = [index]
                    masks = token.words.masks
                }
            }
        }
        close()
        sentences = paragraphs.flatMap { Sentences.split($0) }
    }

    /// The dates of the first sentence that speaks of the inspection: a range after one of the
    /// leads ("between 24 January and 4 February 2011") before any other date in it.
    ///
    /// A sentence's classes are read from its bytes and its leads found by word id; it is cut
    /// into words with their texts only when it has a lead.
    func inspectionDates() -> Dates.Found? {
        guard let keys = grammar.tables.factKeys["inspection-dates"] else { return nil }
        var fallback: Dates.Found?
        for sentence in sentences {
            guard grammar.prefilters.masks(of: sentence).has(WordClass.inspectionNear) else { continue }
            let ids = Words.ids(sentence)
            guard keys.near.contains(where: ids.contains) else { continue }
            let leads = ids.indices.filter { i in keys.leads.contains { ids[i...].starts(with: $0) } }
            guard !leads.isEmpty else { continue }
            let words = Words(String(sentence))
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
        guard let keys = grammar.tables.factKeys["published"] else { return nil }
        for sentence in sentences {
            guard grammar.prefilters.masks(of: sentence).has(WordClass.publicationLead) else { continue }
            let ids = Words.ids(sentence)
            var words: Words?
            for lead in keys.leads {
                for i in ids.indices where ids[i...].starts(with: lead) {
                    let cut = words ?? Words(String(sentence))
                    words = cut
                    if let found = Dates.firstDate(in: cut, from: i + lead.count, limit: 4) { return found.start }
                }
            }
        }
        return nil
    }
}

// MARK: Searching for phrases

/// The ids of a document's words (punctuation left out) for phrase search: of every non-blank
/// line (`all`), of the content lines (`body`), and of the first content lines (`cover`, a
/// prefix of `body`). A phrase is looked for only where its anchor — its rarest word — is.
struct PhraseTexts {
    enum Text { case all, body, cover }

    private var all: [WordID] = []
    private var body: [WordID] = []
    private var coverEnd = 0
    /// Where each anchor is in `all` and in `body`, by the anchor's index.
    private var inAll: [[Int32]]
    private var inBody: [[Int32]]

    init(_ stream: TokenStream, coverLines: Int, anchors: PhraseAnchors) {
        inAll = Array(repeating: [], count: anchors.count)
        inBody = Array(repeating: [], count: anchors.count)
        var total = 0
        for token in stream.tokens where token.kind != .blank { total += token.words.ids.count }
        all.reserveCapacity(total)
        body.reserveCapacity(total)
        var contentLines = 0
        let records = stream.ids
        records.ids.withUnsafeBufferPointer { ids in
            records.kinds.withUnsafeBufferPointer { kinds in
                for token in stream.tokens where token.kind != .blank {
                    let content = token.isContent
                    let anchored = token.words.masks.has(WordClass.phraseAnchor)
                    for k in Int(token.words.ids.lowerBound)..<Int(token.words.ids.upperBound) where kinds[k] & WordRecords.punctuation == 0 {
                        let id = ids[k]
                        if anchored {
                            let anchor = anchors.index[id]
                            if anchor >= 0 {
                                inAll[Int(anchor)].append(Int32(all.count))
                                if content { inBody[Int(anchor)].append(Int32(body.count)) }
                            }
                        }
                        all.append(id)
                        if content { body.append(id) }
                    }
                    if content {
                        contentLines += 1
                        if contentLines <= coverLines { coverEnd = body.count }
                    }
                }
            }
        }
    }

    /// Whether `phrase` is in the text.
    func contains(_ phrase: PhraseAnchors.Phrase, in text: Text) -> Bool {
        guard !phrase.ids.isEmpty else { return false }
        let ids = text == .all ? all : body
        let limit = text == .cover ? coverEnd : ids.count
        let positions = text == .all ? inAll[phrase.anchor] : inBody[phrase.anchor]
        let count = phrase.ids.count
        for position in positions {
            let start = Int(position) - phrase.anchorOffset
            guard start >= 0 else { continue }
            guard start + count <= limit else { break }
            var k = 0
            while k < count, ids[start + k] == phrase.ids[k] { k += 1 }
            if k == count { return true }
        }
        return false
    }
}

/// The phrases facts look for (kind signals, framework titles and signals), each with its
/// anchor: the longest of its words, which `PhraseTexts` indexes.
struct PhraseAnchors: Sendable {
    struct Phrase: Sendable {
        /// The ids of its words, punctuation left out.
        let ids: [WordID]
        /// Its anchor's index, and where in the phrase the anchor is.
        let anchor: Int
        let anchorOffset: Int
    }

    /// The index of each anchor word.
    private(set) var index = WordTable<Int32>(empty: -1)
    private(set) var count = 0

    /// A phrase of the grammar's normalized words.
    mutating func phrase(_ words: [String]) -> Phrase {
        let searched = words.filter { $0.unicodeScalars.first?.isWordCharacter == true }
        guard let (offset, anchor) = searched.enumerated().max(by: { $0.element.utf8.count < $1.element.utf8.count }) else {
            return Phrase(ids: [], anchor: 0, anchorOffset: 0)
        }
        let id = WordHash.id(anchor)
        var known = index[id]
        if known < 0 {
            known = Int32(count)
            index.set(id, known)
            self.words.append(id)
            count += 1
        }
        return Phrase(ids: searched.map(WordHash.id), anchor: Int(known), anchorOffset: offset)
    }

    /// The anchor words, for `WordClass.phraseAnchor`.
    private(set) var words: [WordID] = []
}
