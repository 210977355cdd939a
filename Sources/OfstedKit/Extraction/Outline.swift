/// What a heading means to extraction, read through the grammar.
struct HeadingMeaning: Sendable {
    /// The heading names a service ("Services for looked after children").
    var service: String?
    /// The heading is a timescale ("Within three months:").
    var timescale: String?
    /// The heading is a known section, in the role it has for this kind of document.
    var section: SectionDefinition?
    /// The heading names a judgement area ("Overall effectiveness").
    var area: String?

    var role: SectionDefinition.Role? { section?.role }
}

/// The tree flattened into document order, with sections entered and left.
enum OutlineEvent {
    case enter(Heading, HeadingMeaning)
    case leave
    case paragraph(Paragraph)
    case list(ListBlock)
    case table(Table)
}

struct Outline: Sendable {
    let grammar: Grammar
    let kind: DocumentKind

    func meaning(of heading: Heading) -> HeadingMeaning {
        guard let key = Tokenizer(grammar: grammar).headingKey(heading.text) else { return HeadingMeaning() }
        var meaning = HeadingMeaning()
        meaning.service = grammar.serviceHeadings[key] ?? grammar.serviceHeadings["the " + key]
        meaning.timescale = grammar.timescaleHeadings[key]
        meaning.area = grammar.areaLabels[key]
        if let indices = grammar.sectionHeadings[key] ?? grammar.sectionHeadings["the " + key] {
            let matching = indices.map { grammar.sections[$0] }
            meaning.section = matching.first { $0.kinds?.contains(kind) == true } ?? matching.first { $0.kinds == nil }
        }
        return meaning
    }

    /// The tree's content in document order.
    func events(_ tree: DocumentTree) -> [OutlineEvent] {
        var events: [OutlineEvent] = []
        func visit(_ section: Section) {
            for block in section.blocks {
                switch block {
                case .section(let child):
                    if let heading = child.heading {
                        events.append(.enter(heading, meaning(of: heading)))
                        visit(child)
                        events.append(.leave)
                    } else {
                        visit(child)
                    }
                case .paragraph(let paragraph): events.append(.paragraph(paragraph))
                case .list(let list): events.append(.list(list))
                case .table(let table): events.append(.table(table))
                }
            }
        }
        visit(tree.root)
        return events
    }
}

extension Grammar {
    /// The services mentioned in `words` (trusted aliases only), in order of first mention.
    func servicesMentioned(in words: Words, allAliases: Bool = false) -> [Mention] {
        let index = allAliases ? vocabulary.allServices : vocabulary.services
        var found: [Mention] = []
        var i = 0
        while i < words.count {
            // An area alias that contains a service's words ("outcomes for looked after children")
            // is an area, not a service mention.
            if let (_, end) = vocabulary.areas.longest(in: words, at: i) {
                i = end
                continue
            }
            if let (id, end) = index.longest(in: words, at: i) {
                found.append(Mention(id: id, range: i..<end))
                i = end
            } else {
                i += 1
            }
        }
        return found
    }

    /// The one service `words` mention, if they mention exactly one (restricted to `allowed` when given).
    /// A service named only by a heading alias still counts against the one-service test:
    /// "the inspection of safeguarding and looked after children services" names both.
    func singleService(in words: Words, allowed: [String]? = nil, allAliases: Bool = false) -> String? {
        var ids = Set(servicesMentioned(in: words, allAliases: allAliases).map(\.id))
        var everyID = allAliases ? ids : Set(servicesMentioned(in: words, allAliases: true).map(\.id))
        if let allowed {
            ids = ids.intersection(allowed)
            everyID = everyID.intersection(allowed)
        }
        return ids.count == 1 && everyID.isSubset(of: ids) ? ids.first : nil
    }

    /// Whether `words` contain an improvement noun ("areas for improvement", "areas for development" …).
    func mentionsImprovements(_ words: Words) -> Bool {
        (0..<words.count).contains { vocabulary.nouns.longest(in: words, at: $0) != nil }
    }

    /// The timescales `words` mention.
    func timescalesMentioned(in words: Words) -> [String] {
        var found: [String] = []
        var i = 0
        while i < words.count {
            if let (id, end) = vocabulary.timescales.longest(in: words, at: i) {
                if !found.contains(id) { found.append(id) }
                i = end
            } else {
                i += 1
            }
        }
        return found
    }
}
