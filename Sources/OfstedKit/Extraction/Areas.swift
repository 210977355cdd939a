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

    static func normalized(_ text: String) -> String {
        Words.normalize(text).filter { $0.unicodeScalars.first?.isWordCharacter == true }.joined(separator: " ")
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
        let x = bigrams(a), y = bigrams(b)
        guard !x.isEmpty || !y.isEmpty else { return 1 }
        var counts: [String: Int] = [:]
        for gram in x { counts[gram, default: 0] += 1 }
        var shared = 0
        for gram in y where counts[gram, default: 0] > 0 {
            counts[gram]! -= 1
            shared += 1
        }
        return Double(2 * shared) / Double(x.count + y.count)
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
        case .enter(let heading, let meaning):
            enter(heading, meaning)
        case .leave:
            frames.removeLast()
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
        if let role = meaning.role, role == .contents || role == .legend { frame.ignored = true }
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
        if let number = reference(heading.text) { pendingReference = number }
        pending = nil
        frames.append(frame)
    }

    /// The service of the current position: the enclosing service heading, the introducer's,
    /// the latest cue, the framework's first service before any service heading, its default.
    func service(introducer: Introducer?) -> String {
        if let service = frames.last(where: { $0.meaning.service != nil })?.meaning.service { return service }
        if let service = introducer?.service { return service }
        if let cueService { return cueService }
        if let framework, laterServiceHeading, !seenServiceHeading, let first = framework.services.first { return first }
        return framework?.defaultService ?? "unspecified"
    }

    // MARK: Blocks

    mutating func paragraph(_ paragraph: Paragraph) {
        if let number = reference(paragraph.text) {
            pendingReference = number
            return
        }
        noteCue(paragraph.text)
        if let introducer = introducer(paragraph.text) {
            pending = introducer
            return
        }
        // A paragraph that introduces nothing ends any introduction before it.
        pending = nil
        guard let frame = top, frame.improvements, frame.timescaleHeading, !frame.consumed,
              paragraph.text.split(separator: " ").count <= 150 else { return }
        // An area on its own line under a timescale heading, without a bullet.
        candidates.append(candidate(paragraph.text, number: nil, status: nil, line: paragraph.line, endLine: paragraph.endLine,
                                    introducer: nil, isQuote: false))
    }

    mutating func list(_ list: ListBlock) {
        var take = false
        var introducer = pending
        if pending != nil {
            take = true
            pending = nil
        } else if let frame = top, frame.improvements, !frame.consumed {
            take = true
        }
        var tookAny = false
        for item in list.items {
            if let itemIntroducer = self.introducer(item.text) {
                noteCue(item.text)
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
                noteCue(item.text)
                continue
            }
            let text = item.fullText
            guard !text.isEmpty else { continue }
            candidates.append(candidate(text, number: item.number.map(ItemNumber.init), status: nil, line: item.line,
                                        endLine: item.lastLine, introducer: introducer, isQuote: false))
            tookAny = true
        }
        if tookAny { markConsumed() }
    }

    mutating func markConsumed() {
        guard !frames.isEmpty else { return }
        if frames[frames.count - 1].improvements { frames[frames.count - 1].consumed = true }
    }

    /// A numbered action-plan table: rows of number, area, status.
    mutating func table(_ table: Table) {
        guard !table.vertical, table.rows.count >= 2 else { return }
        let header = table.rows[0].cells
        let headerColumn = header.firstIndex { grammar.mentionsImprovements(Words($0)) }
        let numbered = table.rows.filter { row in
            guard let first = row.cells.first(where: { !$0.isEmpty }), let n = Int(first), n > 0, n < 200 else { return false }
            return row.cells.contains { $0.split(separator: " ").count >= 5 }
        }
        guard numbered.count >= 2, headerColumn != nil || (top?.improvements == true && !(top?.consumed ?? true)) || pending != nil else { return }
        let introducer = pending
        pending = nil
        for row in numbered {
            guard let numberIndex = row.cells.firstIndex(where: { !$0.isEmpty }), let number = Int(row.cells[numberIndex]) else { continue }
            var textIndex = numberIndex + 1
            if let headerColumn, headerColumn > numberIndex, headerColumn < row.cells.count, !row.cells[headerColumn].isEmpty {
                textIndex = headerColumn
            }
            guard textIndex < row.cells.count, !row.cells[textIndex].isEmpty else { continue }
            let status = row.cells.dropFirst(textIndex + 1).filter { !$0.isEmpty }.joined(separator: " ")
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
    func introducer(_ text: String) -> Introducer? {
        if frames.contains(where: { $0.meaning.role == .stop }) { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let last = Sentences.split(trimmed).last else { return nil }
        let sentence = String(last)
        let lowered = sentence.lowercased()
        let endsWithColon = lowered.hasSuffix(":") || lowered.hasSuffix(":-") || lowered.hasSuffix(": -")
        let followingAction = lowered.contains("the following action")
        guard endsWithColon || followingAction || lowered.contains("as follows") || lowered.contains("the following") else { return nil }
        let words = Words(sentence)
        let timescales = grammar.timescalesMentioned(in: words).filter { $0 != "unspecified" }
        guard followingAction || grammar.mentionsImprovements(words) || !timescales.isEmpty else { return nil }
        let service = grammar.singleService(in: words, allowed: framework?.services) ?? grammar.singleService(in: Words(trimmed), allowed: framework?.services)
        return Introducer(timescale: timescales.count == 1 ? timescales[0] : nil, service: service)
    }

    /// Notes the service a sentence about areas for improvement names ("In the Safeguarding part
    /// of the Inspection, there were three areas for development").
    mutating func noteCue(_ text: String) {
        for sentence in Sentences.split(text) {
            let words = Words(String(sentence))
            guard grammar.mentionsImprovements(words) else { continue }
            if let service = grammar.singleService(in: words, allowed: framework?.services) { cueService = service }
        }
    }

    /// "Area for Improvement 8", "HR processes (Area for Improvement 8)".
    func reference(_ text: String) -> Int? {
        let words = Words(text)
        guard words.count > 0, words.count <= 14 else { return nil }
        for pattern in grammar.referencePatterns {
            if let bindings = matcher.matchWhole(pattern, words), let number = bindings.number { return number }
        }
        return nil
    }

    /// The text inside quotation marks that enclose the whole paragraph.
    static func unquoted(_ text: String) -> String? {
        var trimmed = Substring(text.trimmingCharacters(in: .whitespaces))
        let openers: Set<Character> = ["\u{201C}", "\"", "\u{2018}", "'"]
        let closers: Set<Character> = ["\u{201D}", "\"", "\u{2019}", "'"]
        guard let first = trimmed.first, openers.contains(first) else { return nil }
        trimmed = trimmed.dropFirst()
        if trimmed.last == "." && trimmed.dropLast().last.map(closers.contains) == true { trimmed = trimmed.dropLast() }
        guard let last = trimmed.last, closers.contains(last) else { return nil }
        let inner = trimmed.dropLast().trimmingCharacters(in: .whitespaces)
        return inner.isEmpty ? nil : inner
    }
}
