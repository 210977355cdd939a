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

    func statements(_ events: [OutlineEvent]) -> [Statement] {
        let matcher = grammar.matcher(allServiceAliases: true)
        let framework = grammar.framework(facts.framework)
        var found: [Statement] = []
        func scan(_ text: String, line: Int) {
            let lowered = text.lowercased()
            guard lowered.contains("area") || lowered.contains("action") else { return }
            let sentences = Sentences.split(text)
            let paragraphService = sentences.first.flatMap { grammar.singleService(in: Words(String($0)), allowed: framework?.services, allAliases: true) }
            for sentence in sentences {
                let words = Words(String(sentence))
                guard grammar.mentionsImprovements(words) else { continue }
                // Every pattern's matches; one inside another's span is the same statement.
                var matches: [(Bindings, Range<Int>)] = []
                for pattern in grammar.countPatterns { matches += matcher.search(pattern, words) }
                matches = matches.filter { match in
                    !matches.contains { other in other.1 != match.1 && other.1.contains(match.1.lowerBound)
                        && other.1.upperBound >= match.1.upperBound }
                }
                for (bindings, range) in matches {
                    guard let count = bindings.count else { continue }
                    let service = bindings.service?.id
                        ?? grammar.singleService(in: words, allowed: framework?.services, allAliases: true)
                        ?? paragraphService
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
            case .paragraph(let paragraph): scan(paragraph.text, line: paragraph.line)
            case .list(let list):
                // Items in document order (each before its nested items), from a stack: taking the
                // first of an array each time would make a long list quadratic.
                var items = Array(list.items.reversed())
                while let item = items.popLast() {
                    scan(item.text, line: item.line)
                    items.append(contentsOf: item.children.reversed())
                }
            case .table(let table):
                for row in table.rows { for cell in row.cells { scan(cell, line: row.line) } }
            case .enter, .leave:
                break
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
