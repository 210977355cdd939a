import Foundation

/// Finds the areas for improvement a document sets out, with service, timescale, number and status.
///
/// A list is a list of areas when it is the first list in an improvement section ("Areas for
/// improvement", "What needs to improve", a timescale heading …), or when a sentence introduces
/// it ("... the following action.", "... were identified as:", "... these were to:-"). Only the
/// first list of a section counts: a list that follows it (numbered progress paragraphs, key
/// themes) is not one. A paragraph alone under a timescale heading is one area. Action-plan
/// tables give numbered areas with a status. An area quoted again under "Area for Improvement 8"
/// is the same area.
struct AreaExtractor: Sendable {
    let grammar: Grammar
    let facts: Facts

    struct Candidate {
        var service: String
        var timescale: String
        var text: String
        var number: ItemNumber?
        var status: String?
        var line: Int
        var endLine: Int
        /// A quote under "Area for Improvement N": merged into the statement with the same number.
        var isQuote: Bool
    }

    func extract(_ events: [OutlineEvent]) -> [AreaForImprovement] {
        var walker = AreaWalker(grammar: grammar, facts: facts)
        for event in events { walker.visit(event) }
        return merge(walker.candidates).map { candidate in
            AreaForImprovement(service: candidate.service, timescale: candidate.timescale, text: candidate.text,
                               number: candidate.number, status: candidate.status, themes: themes(candidate.text),
                               line: candidate.line, endLine: candidate.endLine)
        }
    }

    // MARK: Repeats

    /// Statements of the same area become one: the first full statement's text, with the
    /// number and status any of them gives, in the order of the listing statements. A quote
    /// joins the listed area with its number, or the same words.
    func merge(_ candidates: [Candidate]) -> [Candidate] {
        AreaMerger(candidates).merged()
    }

    /// Two statements of one area: the same words, one a prefix of the other, or nearly the same.
    static func sameArea(_ a: Candidate, _ b: Candidate) -> Bool {
        AreaMerger([a, b]).same(0, 1)
    }

    static func normalized(_ text: String) -> String {
        normalizedWords(text).joined(separator: " ")
    }

    /// The words of `normalized(text)`, which are its pieces between spaces.
    static func normalizedWords(_ text: String) -> [String] {
        normalizedWordList(text).map(\.text)
    }

    /// `normalizedWords(text)` as `Word`s, with their ids.
    static func normalizedWordList(_ text: String) -> [Word] {
        Words(text).words.filter { $0.text.unicodeScalars.first?.isWordCharacter == true }
    }

    // MARK: Themes

    func themes(_ text: String) -> [String] {
        let words = Words(text)
        var found = Set<Int>()
        for i in 0..<words.count {
            for (theme, _) in grammar.themeIndex.matches(in: words, at: i) { found.insert(theme) }
        }
        return found.sorted().map { grammar.themes[$0].id }
    }
}

/// Word-bigram overlap of two normalized texts (Dice's coefficient), from 0 to 1.
enum Similarity {
    static func dice(_ a: String, _ b: String) -> Double {
        Bigrams(a).dice(Bigrams(b))
    }

    /// A text's bigrams, counted, for comparing it with many others.
    struct Bigrams {
        let counts: [String: Int]
        let total: Int

        init(_ text: String) {
            let grams = Similarity.bigrams(text)
            var counts: [String: Int] = [:]
            for gram in grams { counts[gram, default: 0] += 1 }
            self.counts = counts
            total = grams.count
        }

        /// Dice's coefficient: twice the bigrams the two share (as many times as both have one)
        /// over how many both have.
        func dice(_ other: Bigrams) -> Double {
            guard total > 0 || other.total > 0 else { return 1 }
            let (small, large) = counts.count <= other.counts.count ? (counts, other.counts) : (other.counts, counts)
            var shared = 0
            for (gram, count) in small { shared += min(count, large[gram] ?? 0) }
            return Double(2 * shared) / Double(total + other.total)
        }
    }

    static func bigrams(_ text: String) -> [String] {
        let words = text.split(separator: " ")
        guard words.count > 1 else { return words.map(String.init) }
        return (0..<(words.count - 1)).map { words[$0] + " " + words[$0 + 1] }
    }
}

/// Walks the outline, tracking the improvement context, and collects candidates.
private struct AreaWalker {
    struct Frame {
        var meaning: HeadingMeaning
        /// Lists here are areas for improvement.
        var improvements: Bool
        var timescale: String?
        /// The heading is itself a timescale ("Within three months:").
        var timescaleHeading: Bool
        /// A list of areas has been taken here; later lists are not areas.
        var consumed = false
        var ignored: Bool
        /// Prose under an improvement heading: the areas, if no list of them follows
        /// ("What needs to improve?" then a paragraph saying what).
        var prose: [AreaExtractor.Candidate] = []
    }

    struct Introducer {
        var timescale: String?
        var service: String?
    }

    let grammar: Grammar
    let facts: Facts
    let framework: FrameworkDefinition?
    let matcher: PatternMatcher
    var candidates: [AreaExtractor.Candidate] = []
    var frames: [Frame] = []
    var pending: Introducer?
    /// Set when an introducer is followed by service or timescale headings: their lists are areas.
    var introducerMode = false
    /// The service the latest sentence about areas for improvement named.
    var cueService: String?
    var seenServiceHeading = false
    let laterServiceHeading: Bool
    /// "Area for Improvement 8" seen: the next quoted paragraph is that area.
    var pendingReference: Int?
    /// After a numbered list of areas: the number the next area would have, and its context.
    /// Recommendations grouped under topic labels ("Care Leavers" / 13. … / "Missing Children" /
    /// 16. …) run on across the labels while the numbering does.
    var runOn: (next: Int, timescale: String?, service: String)?
    /// An improvement section just closed with nothing taken: a topic label right after it
    /// ("Priority and immediate action" / "Care Leavers" / 13. …) opens its first group.
    var emptyImprovements: Frame?

    init(grammar: Grammar, facts: Facts) {
        self.grammar = grammar
        self.facts = facts
        framework = grammar.framework(facts.framework)
        matcher = grammar.matcher(allServiceAliases: true)
        if let framework, framework.services.count > 1 {
            laterServiceHeading = facts.servicesWithHeadings.contains { $0 != framework.services[0] && framework.services.contains($0) }
        } else {
            laterServiceHeading = false
        }
    }

    var top: Frame? { frames.last }

    mutating func visit(_ event: OutlineEvent) {
        let reference = pendingReference
        pendingReference = nil
        switch event {
        case .paragraph(let paragraph) where Self.isTopicLabel(paragraph.text): break
        case .paragraph, .list, .table: emptyImprovements = nil
        case .enter, .leave: break
        }
        switch event {
        case .enter(let heading, let meaning):
            enter(heading, meaning)
        case .leave:
            let frame = frames.removeLast()
            if frame.improvements && !frame.consumed && !frame.ignored {
                if frame.prose.isEmpty {
                    emptyImprovements = frame
                } else {
                    candidates += frame.prose
                }
            }
        case .paragraph(let paragraph):
            if top?.ignored == true { return }
            if let number = reference, let quote = Self.unquoted(paragraph.text) {
                candidates.append(candidate(quote, number: .integer(number), status: nil, line: paragraph.line,
                                            endLine: paragraph.endLine, introducer: nil, isQuote: true))
                return
            }
            self.paragraph(paragraph)
        case .list(let list):
            if top?.ignored == true { return }
            self.list(list)
        case .table(let table):
            if top?.ignored == true { return }
            self.table(table)
        }
    }

    // MARK: Context

    mutating func enter(_ heading: Heading, _ meaning: HeadingMeaning) {
        let parent = top
        var frame = Frame(meaning: meaning, improvements: false, timescale: parent?.timescale, timescaleHeading: false,
                          ignored: parent?.ignored ?? false)
        if let role = meaning.role, role == .contents || role == .legend || role == .history { frame.ignored = true }
        if let service = meaning.service, framework?.services.contains(service) ?? true {
            seenServiceHeading = true
            cueService = nil
        }
        if let timescale = meaning.timescale {
            frame.improvements = true
            frame.timescale = timescale
            frame.timescaleHeading = true
            if pending != nil { introducerMode = true }
        } else if meaning.role == .improvements {
            frame.improvements = true
            frame.timescale = meaning.section?.timescale
            introducerMode = false
        } else if meaning.service != nil {
            frame.improvements = parent?.improvements == true || pending != nil || introducerMode
            if pending != nil { introducerMode = true }
            frame.timescale = nil
        } else if meaning.section != nil || meaning.area != nil {
            // A known section of another kind, or a judgement heading, ends any list of areas.
            introducerMode = false
            frame.timescale = nil
        } else {
            // A heading the grammar does not know: a subsection of whatever it is in.
            frame.improvements = parent?.improvements == true
            if !frame.improvements { introducerMode = false }
        }
        if let number = reference(heading.text, masks: heading.masks) { pendingReference = number }
        pending = nil
        // A known section, a timescale or any longer heading ends a run of numbered areas; a
        // short topic label ("Care Leavers", "Looked After Children") does not.
        let topicLabel = meaning.section == nil && meaning.timescale == nil && !isFrameworkService(meaning.service)
            && Self.isTopicLabel(heading.text)
        if !topicLabel { runOn = nil }
        if topicLabel, !frame.improvements, let empty = emptyImprovements {
            frame.improvements = true
            frame.timescale = empty.timescale
        } else {
            emptyImprovements = nil
        }
        frames.append(frame)
    }

    /// The service of the current position: the enclosing service heading, the introducer's,
    /// the latest cue, the framework's first service before any service heading, its default.
    func service(introducer: Introducer?) -> String {
        if let service = frames.last(where: { isFrameworkService($0.meaning.service) })?.meaning.service { return service }
        if let service = introducer?.service { return service }
        if let cueService { return cueService }
        if let framework, laterServiceHeading, !seenServiceHeading, let first = framework.services.first { return first }
        return facts.defaultService ?? "unspecified"
    }

    /// A service the document's framework judges (any service when the framework is unknown).
    func isFrameworkService(_ service: String?) -> Bool {
        guard let service else { return false }
        return framework?.services.contains(service) ?? true
    }

    // MARK: Blocks

    mutating func paragraph(_ paragraph: Paragraph) {
        if let number = reference(paragraph.text, masks: paragraph.masks) {
            pendingReference = number
            return
        }
        noteCue(paragraph.text, masks: paragraph.masks)
        if let introducer = introducer(paragraph.text, masks: paragraph.masks) {
            pending = introducer
            return
        }
        // A paragraph that introduces nothing ends any introduction before it; one that is more
        // than a short topic label ends a run of numbered areas.
        pending = nil
        if !Self.isTopicLabel(paragraph.text) { runOn = nil }
        guard let frame = top, frame.improvements, !frame.consumed, !Self.isTopicLabel(paragraph.text),
              paragraph.text.hasAtMostSpaceSeparated(150),
              !CountChecker.statesCount(paragraph.text, grammar: grammar) else { return }
        let area = candidate(paragraph.text, number: nil, status: nil, line: paragraph.line, endLine: paragraph.endLine,
                             introducer: nil, isQuote: false)
        if frame.timescaleHeading {
            // An area on its own line under a timescale heading, without a bullet.
            candidates.append(area)
        } else {
            // Prose under an improvement heading counts only if no list of areas follows.
            frames[frames.count - 1].prose.append(area)
        }
    }

    mutating func list(_ list: ListBlock) {
        var take = false
        var introducer = pending
        var runOnContext: (timescale: String?, service: String)?
        if pending != nil {
            take = true
            pending = nil
        } else if let frame = top, frame.improvements, !frame.consumed {
            take = true
        } else if let runOn, let first = list.items.first, first.number.flatMap({ Int($0) }) == runOn.next,
                  grammar.readsLikeRecommendation(first.fullText) {
            take = true
            runOnContext = (runOn.timescale, runOn.service)
        }
        self.runOn = nil
        var tookAny = false
        for item in list.items {
            // In a list of areas, a recommendation with its own sub-points ("Implement the
            // following areas for improvement …:" and bullets) is one area, its points joined.
            if let itemIntroducer = self.introducer(item.text, masks: item.masks), !(take && !item.children.isEmpty) {
                noteCue(item.text, masks: item.masks)
                if !item.children.isEmpty {
                    // "7. The key areas for improvement ... were identified as:" with its areas nested under it.
                    for child in item.children where !child.fullText.isEmpty {
                        candidates.append(candidate(child.fullText, number: child.number.map(ItemNumber.init), status: nil,
                                                    line: child.line, endLine: child.lastLine, introducer: itemIntroducer, isQuote: false))
                    }
                    tookAny = true
                    take = false
                } else {
                    // The next list holds the areas ("- 4.6 ... these were to:-").
                    pending = itemIntroducer
                    introducer = nil
                    take = false
                }
                continue
            }
            guard take else {
                noteCue(item.text, masks: item.masks)
                continue
            }
            let text = item.fullText
            guard !text.isEmpty, !CountChecker.statesCount(text, grammar: grammar) else { continue }
            var area = candidate(text, number: item.number.map(ItemNumber.init), status: nil, line: item.line,
                                 endLine: item.lastLine, introducer: introducer, isQuote: false)
            if let runOnContext {
                area.timescale = runOnContext.timescale ?? "unspecified"
                area.service = runOnContext.service
            }
            candidates.append(area)
            tookAny = true
        }
        if tookAny {
            markConsumed()
            if let last = candidates.last, case .integer(let number)? = last.number {
                runOn = (number + 1, last.timescale == "unspecified" ? nil : last.timescale, last.service)
            }
        }
    }

    /// A short label over a group of recommendations ("Missing Children", "Educational
    /// outcomes for looked after children").
    static func isTopicLabel(_ text: String) -> Bool {
        guard let last = text.last, !".:;,".contains(last) else { return false }
        return text.hasAtMostSpaceSeparated(8)
    }

    /// Marks the current improvement section, and any it sits in, as having given its list.
    mutating func markConsumed() {
        for index in frames.indices where frames[index].improvements { frames[index].consumed = true }
    }

    /// A numbered action-plan table: rows of number, area, status.
    mutating func table(_ table: Table) {
        guard !table.vertical, table.rows.count >= 2 else { return }
        let header = table.rows[0].cells
        let headerColumn = header.firstIndex { grammar.mentionsImprovements(Words($0)) }
        let numbered = table.rows.filter { row in
            guard let first = row.cells.first(where: { !$0.isEmpty }), let n = Int(first), n > 0, n < 200 else { return false }
            return row.cells.contains { !$0.hasAtMostSpaceSeparated(4) }
        }
        guard numbered.count >= 2, headerColumn != nil || (top?.improvements == true && !(top?.consumed ?? true)) || pending != nil else { return }
        let introducer = pending
        pending = nil
        let statusColumn = header.firstIndex { grammar.statusColumns.contains(Words.normalize($0).joined(separator: " ")) }
        for row in numbered {
            guard let numberIndex = row.cells.firstIndex(where: { !$0.isEmpty }), let number = Int(row.cells[numberIndex]) else { continue }
            var textIndex = numberIndex + 1
            if let headerColumn, headerColumn > numberIndex, headerColumn < row.cells.count, !row.cells[headerColumn].isEmpty {
                textIndex = headerColumn
            }
            guard textIndex < row.cells.count, !row.cells[textIndex].isEmpty else { continue }
            let status: String
            if let statusColumn, statusColumn < row.cells.count {
                status = row.cells[statusColumn]
            } else {
                status = row.cells.dropFirst(textIndex + 1).filter { !$0.isEmpty }.joined(separator: " ")
            }
            candidates.append(candidate(row.cells[textIndex], number: .integer(number), status: status.isEmpty ? nil : status,
                                        line: row.line, endLine: row.endLine, introducer: introducer, isQuote: false))
        }
        markConsumed()
    }

    // MARK: Recognisers

    func candidate(_ text: String, number: ItemNumber?, status: String?, line: Int, endLine: Int,
                   introducer: Introducer?, isQuote: Bool) -> AreaExtractor.Candidate {
        let timescale = introducer?.timescale ?? top?.timescale ?? "unspecified"
        return AreaExtractor.Candidate(service: isQuote ? "unspecified" : service(introducer: introducer), timescale: timescale,
                                       text: text, number: number, status: status, line: line, endLine: endLine, isQuote: isQuote)
    }

    /// A sentence that introduces a list of areas: it ends with ":" (or ":-"), or says "the
    /// following action(s)" / "as follows", and speaks of areas for improvement or a timescale.
    func introducer(_ text: String, masks: WordMasks) -> Introducer? {
        // It ends with ":" or "-", or says "the following" or "as follows".
        guard text.utf8.last == 0x3A || text.utf8.last == 0x2D || masks.has(WordClass.following | WordClass.follows)
                || text.utf8.last.map({ $0 >= 0x80 || $0 == 0x20 || $0 == 0x09 }) == true else { return nil }
        if frames.contains(where: { $0.meaning.role == .stop }) { return nil }
        let trimmed = text.trimmingWhitespace()
        // The last sentence ends where the text does: it can only end with ":", ":-" or ": -"
        // if the text ends with ":" or "-", and it can only say "the following" if the text does.
        guard trimmed.utf8.last == 0x3A || trimmed.utf8.last == 0x2D || trimmed.containsASCII("the following", ignoringCase: true)
                || trimmed.containsASCII("as follows", ignoringCase: true) else { return nil }
        guard let last = Sentences.split(trimmed).last else { return nil }
        let sentence = String(last)
        // Lower case changes none of ":", "-" and " ", so the colon is looked for as written.
        let endsWithColon = sentence.hasSuffix(":") || sentence.hasSuffix(":-") || sentence.hasSuffix(": -")
        let followingAction = sentence.containsASCII("the following action", ignoringCase: true)
        guard endsWithColon || followingAction || sentence.containsASCII("as follows", ignoringCase: true)
                || sentence.containsASCII("the following", ignoringCase: true) else { return nil }
        let words = Words(sentence)
        let timescales = grammar.timescalesMentioned(in: words).filter { $0 != "unspecified" }
        guard followingAction || grammar.mentionsImprovements(words) || !timescales.isEmpty else { return nil }
        let service = grammar.singleService(in: words, allowed: framework?.services) ?? grammar.singleService(in: Words(trimmed), allowed: framework?.services)
        return Introducer(timescale: timescales.count == 1 ? timescales[0] : nil, service: service)
    }

    /// Notes the service a sentence about areas for improvement names ("In the Safeguarding part
    /// of the Inspection, there were three areas for development").
    mutating func noteCue(_ text: String, masks: WordMasks) {
        guard grammar.prefilters.improvementNouns.mayMatch(masks) else { return }
        for sentence in Sentences.split(text) where grammar.prefilters.improvementNouns.mayMatch(grammar.prefilters.masks(of: sentence)) {
            let words = Words(String(sentence))
            guard grammar.mentionsImprovements(words) else { continue }
            if let service = grammar.singleService(in: words, allowed: framework?.services) { cueService = service }
        }
    }

    /// "Area for Improvement 8", "HR processes (Area for Improvement 8)".
    func reference(_ text: String, masks: WordMasks) -> Int? {
        guard grammar.prefilters.references.mayMatch(masks) else { return nil }
        let words = Words(text)
        guard words.count > 0, words.count <= 14 else { return nil }
        var memo = MatchMemo(words)
        for pattern in grammar.referencePatterns {
            if let bindings = matcher.matchWhole(pattern, words, memo: &memo), let number = bindings.number { return number }
        }
        return nil
    }

    /// The text inside quotation marks that enclose the whole paragraph.
    static func unquoted(_ text: String) -> String? {
        var trimmed = Substring(text.trimmingWhitespace())
        let openers: Set<Character> = ["\u{201C}", "\"", "\u{2018}", "'"]
        let closers: Set<Character> = ["\u{201D}", "\"", "\u{2019}", "'"]
        guard let first = trimmed.first, openers.contains(first) else { return nil }
        trimmed = trimmed.dropFirst()
        if trimmed.last == "." && trimmed.dropLast().last.map(closers.contains) == true { trimmed = trimmed.dropLast() }
        guard let last = trimmed.last, closers.contains(last) else { return nil }
        // Foundation's trimming only where an end may be whitespace: it walked the whole quote.
        let inner = trimmed.dropLast().trimmingWhitespace()
        return inner.isEmpty ? nil : inner
    }
}
