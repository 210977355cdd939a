/// Stated counts of areas for improvement, checked against what was extracted.
///
/// "There were seven Areas for Development", "Five out of the nine Safeguarding areas for
/// improvement to be completed within six months", "20 areas for improvement were identified":
/// each names a number and, perhaps, a service and a timescale. When the areas extracted for
/// that scope number otherwise, an `areas.count-mismatch` warning names both numbers.
struct CountChecker: Sendable {
    let grammar: Grammar
    let facts: Facts

    struct Statement: Equatable {
        var count: Int
        var service: String?
        var timescale: String?
        var text: String
        var line: Int
    }

    /// Whether `text` states a count of areas ("The inspection did not find any areas for
    /// priority action"): such a sentence is about the areas, not one of them.
    static func statesCount(_ text: String, grammar: Grammar) -> Bool {
        let words = Words(text)
        guard grammar.prefilters.improvementNouns.mayMatch(grammar.prefilters.masks(of: words)), grammar.mentionsImprovements(words) else { return false }
        let matcher = grammar.matcher(allServiceAliases: true)
        var memo = MatchMemo(words)
        return grammar.countPatterns.contains { !matcher.search($0.pattern, words, memo: &memo).isEmpty }
    }

    func statements(_ events: [OutlineEvent]) -> [Statement] {
        let matcher = grammar.matcher(allServiceAliases: true)
        let framework = grammar.framework(facts.framework)
        var found: [Statement] = []
        // The services named by enclosing headings: a count under "Section 2: the LSCB" is the LSCB's.
        var headingServices: [String?] = []
        // Whether each enclosing heading opens a list of areas. In an Ofsted report a count is
        // checked only there: elsewhere it is usually about an earlier inspection ("three areas
        // for development were identified" last time).
        var improvementHeadings: [Bool] = []
        func scan(_ text: String, masks: WordMasks, line: Int) {
            if facts.kind == .ofstedReport && !improvementHeadings.contains(true) { return }
            guard grammar.prefilters.improvementNouns.mayMatch(masks) else { return }
            guard text.containsASCII("area", ignoringCase: true) || text.containsASCII("action", ignoringCase: true) else { return }
            let sentences = Sentences.split(text)
            // The service the first sentence names, read when a sentence states a count.
            var firstSentenceService: String??
            func paragraphService() -> String? {
                if firstSentenceService == nil {
                    firstSentenceService = sentences.first.flatMap { grammar.singleService(in: Words(String($0)), allowed: framework?.services, allAliases: true) }
                }
                return firstSentenceService ?? nil
            }
            for sentence in sentences where grammar.prefilters.improvementNouns.mayMatch(grammar.prefilters.masks(of: sentence)) {
                let words = Words(String(sentence))
                guard grammar.mentionsImprovements(words) else { continue }
                // Every pattern's matches; one inside another's span is the same statement.
                var matches: [(Bindings, Range<Int>)] = []
                var memo = MatchMemo(words)
                for (pattern, value) in grammar.countPatterns {
                    for (bindings, range) in matcher.search(pattern, words, memo: &memo) {
                        var bound = bindings
                        if let value { bound.count = value }
                        matches.append((bound, range))
                    }
                }
                matches = matches.filter { match in
                    !matches.contains { other in other.1 != match.1 && other.1.contains(match.1.lowerBound)
                        && other.1.upperBound >= match.1.upperBound }
                }
                for (bindings, range) in matches {
                    guard let count = bindings.count else { continue }
                    let service = bindings.service?.id
                        ?? grammar.singleService(in: words, allowed: framework?.services, allAliases: true)
                        ?? paragraphService()
                        ?? headingServices.last(where: { $0 != nil }) ?? nil
                    let timescale = bindings.timescale?.id ?? bindings.noun.flatMap { grammar.nounTimescales[$0.id] }
                    let statement = Statement(count: count, service: service, timescale: timescale == "unspecified" ? nil : timescale,
                                              text: words.text(range), line: line)
                    if !found.contains(where: { $0.count == statement.count && $0.service == statement.service && $0.timescale == statement.timescale }) {
                        found.append(statement)
                    }
                }
            }
        }
        for event in events {
            switch event {
            case .paragraph(let paragraph): scan(paragraph.text, masks: paragraph.masks, line: paragraph.line)
            case .list(let list):
                // Items in document order (each before its nested items), from a stack: taking the
                // first of an array each time would make a long list quadratic.
                var items = Array(list.items.reversed())
                while let item = items.popLast() {
                    scan(item.text, masks: item.masks, line: item.line)
                    items.append(contentsOf: item.children.reversed())
                }
            case .table(let table):
                for row in table.rows { for cell in row.cells { scan(cell, masks: table.masks, line: row.line) } }
            case .enter(_, let meaning):
                let service = meaning.service.flatMap { framework?.services.contains($0) ?? true ? $0 : nil }
                headingServices.append(service)
                improvementHeadings.append(meaning.role == .improvements || meaning.timescale != nil)
            case .leave:
                headingServices.removeLast()
                improvementHeadings.removeLast()
            }
        }
        return found
    }

    func check(_ statements: [Statement], against areas: [AreaForImprovement]) -> [Diagnostic] {
        statements.compactMap { statement in
            let extracted = areas.filter { area in
                (statement.service == nil || area.service == statement.service)
                    && (statement.timescale == nil || area.timescale == statement.timescale)
            }.count
            guard extracted != statement.count else { return nil }
            var scope: [String] = []
            if let timescale = statement.timescale { scope.append(timescale) }
            if let service = statement.service { scope.append(service) }
            let scopeText = scope.isEmpty ? "" : " (\(scope.joined(separator: ", ")))"
            return Diagnostic(
                severity: .warning, code: "areas.count-mismatch",
                message: "the document states \(statement.count) areas for improvement\(scopeText) (\"\(statement.text)\") but \(extracted) \(extracted == 1 ? "is" : "are") listed",
                line: statement.line)
        }
    }
}
