/// Compiled forms of the grammar that every document needs, worked out once when the grammar
/// loads: before, each extraction rebuilt them (search keys of every framework title and kind
/// signal, the patterns a document kind uses and their prefilter requirements, sort orders), and
/// on a short document that was most of the work.
struct GrammarTables: Sendable {
    /// A kind's signals as search keys, each phrase once (the first statement of it counts).
    struct KindKeys: Sendable {
        let kind: DocumentKind
        let frameworkTitleWeight: Int
        let signals: [(key: PhraseAnchors.Phrase, weight: Int, coverOnly: Bool)]
    }

    /// A framework's titles and signals as search keys.
    struct FrameworkKeys: Sendable {
        let id: String
        /// `titles`, then `serviceTitles`' words, as `FactExtractor` scores them.
        let allTitles: [PhraseAnchors.Phrase]
        let titles: [PhraseAnchors.Phrase]
        let serviceTitles: [(service: String, key: PhraseAnchors.Phrase)]
        let signals: [PhraseAnchors.Phrase]
    }

    /// The judgement patterns one kind of document uses, with their prefilter requirements.
    struct KindPatterns: Sendable {
        let heading: [JudgementPattern]
        let prose: [JudgementPattern]
        /// Heading patterns that name their own area (headline statements).
        let headline: [JudgementPattern]
        let headingRequirements: [[PatternPrefilter.Requirements]]
        let proseRequirements: [[PatternPrefilter.Requirements]]
        let headlineRequirements: [[PatternPrefilter.Requirements]]
        /// The words a match of a heading (or headline) pattern may end with; nil when some
        /// pattern does not say.
        let headingLast: WordChoice?
        let headlineLast: WordChoice?
    }

    var kindKeys: [KindKeys] = []
    /// The anchors of the phrases of `kindKeys` and `frameworkKeys`.
    var phraseAnchors = PhraseAnchors()
    var frameworkKeys: [FrameworkKeys] = []
    /// Every framework title and service title, as `Tokenizer.carriesTitle` looks for it (" words ").
    var titleNeedles: [String] = []
    /// The patterns of `origin: grade`, flattened: what a grade cell or grade line says.
    var gradeCells: [Pattern] = []
    /// Judgement patterns by document kind.
    var patternsByKind: [DocumentKind: KindPatterns] = [:]
    /// The first words of every fact's labels, sorted, and a byte search for them.
    var factLabelWords: [String] = []
    var factLabelNeedles = ASCIINeedles([])
    /// Every fact label as word ids, for finding where a label's value ends.
    var factLabels: [[WordID]] = []
    /// Each fact's words as the fact extractor compares them.
    var factKeys: [String: FactKeys] = [:]
    /// Positions of services and areas in the grammar, and of (service, area) in each framework's
    /// `judges:` lines: the order judgements are written in.
    var serviceOrder: [String: Int] = [:]
    var areaOrder: [String: Int] = [:]
    var judgedOrder: [String: [String: Int]] = [:]

    /// A fact's labels, leads and near words as word ids, in the grammar's order.
    struct FactKeys: Sendable {
        let labels: [[WordID]]
        let leads: [[WordID]]
        let near: [WordID]
        /// The bits of `factLabelWords` (`labelFirstWords`) the labels' first words have; nil
        /// when one of them has no bit of its own (past 64 words), so that any line may hold it.
        let firstWordBits: UInt64?

        init(_ definition: FactDefinition, labelFirstWords: [String]) {
            labels = definition.labels.map { $0.map(WordHash.id) }
            leads = definition.leads.map { $0.map(WordHash.id) }
            near = definition.near.map(WordHash.id)
            var bits: UInt64? = 0
            for label in definition.labels {
                guard let index = labelFirstWords.firstIndex(of: label.first ?? ""), index < 64 else {
                    bits = nil
                    break
                }
                bits? |= 1 << UInt64(index)
            }
            firstWordBits = bits
        }
    }

    init() {}

    init(_ grammar: Grammar, judgementPatterns prefilter: PatternPrefilter) {
        var anchors = PhraseAnchors()
        for signals in grammar.kindSignals {
            var seen: Set<[WordID]> = []
            var keys: [(key: PhraseAnchors.Phrase, weight: Int, coverOnly: Bool)] = []
            for signal in signals.signals {
                let key = anchors.phrase(signal.words)
                guard seen.insert(key.ids).inserted else { continue }
                keys.append((key, signal.weight, signal.coverOnly))
            }
            kindKeys.append(KindKeys(kind: signals.kind, frameworkTitleWeight: signals.frameworkTitleWeight, signals: keys))
        }
        for framework in grammar.frameworks {
            frameworkKeys.append(FrameworkKeys(
                id: framework.id,
                allTitles: (framework.titles + framework.serviceTitles.map(\.words)).map { anchors.phrase($0) },
                titles: framework.titles.map { anchors.phrase($0) },
                serviceTitles: framework.serviceTitles.map { ($0.service, anchors.phrase($0.words)) },
                signals: framework.signals.map { anchors.phrase($0) }))
        }
        phraseAnchors = anchors
        titleNeedles = grammar.frameworks.flatMap { framework in
            (framework.titles + framework.serviceTitles.map(\.words)).map { " " + $0.joined(separator: " ") + " " }
        }
        gradeCells = grammar.patterns(.grade).flatMap(\.patterns)
        for kind in DocumentKind.allCases {
            let heading = grammar.patterns(.heading).filter { $0.kinds?.contains(kind) ?? true }
            let prose = grammar.patterns(.prose).filter { $0.kinds?.contains(kind) ?? true }
            let headline = heading.filter { $0.area != nil }
            func requirements(_ patterns: [JudgementPattern]) -> [[PatternPrefilter.Requirements]] {
                patterns.map { $0.patterns.map(prefilter.requirements(of:)) }
            }
            func lastWords(_ patterns: [JudgementPattern]) -> WordChoice? {
                var choice = WordChoice()
                for pattern in patterns.flatMap(\.patterns) {
                    guard let last = pattern.lastWords(grammar.vocabulary) else { return nil }
                    choice = choice.union(last)
                }
                // (`LineWords.last` passes over ":", ";", "," and "-": a pattern that ends with
                // one cannot be told apart by it.)
                return choice.ids.contains(where: Tokenizer.isClosingPunctuation) ? nil : choice
            }
            patternsByKind[kind] = KindPatterns(heading: heading, prose: prose, headline: headline,
                                                headingRequirements: requirements(heading),
                                                proseRequirements: requirements(prose),
                                                headlineRequirements: requirements(headline),
                                                headingLast: lastWords(heading), headlineLast: lastWords(headline))
        }
        factLabelWords = Array(Set(grammar.facts.values.flatMap { $0.labels.map { $0.first ?? "" } })).sorted()
        factLabelNeedles = ASCIINeedles(factLabelWords)
        factLabels = grammar.facts.values.flatMap(\.labels).map { $0.map(WordHash.id) }
        let firstWords = factLabelWords
        factKeys = grammar.facts.mapValues { FactKeys($0, labelFirstWords: firstWords) }
        serviceOrder = Dictionary(grammar.services.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        areaOrder = Dictionary(grammar.areas.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        for framework in grammar.frameworks where judgedOrder[framework.id] == nil {
            var order: [String: Int] = [:]
            for (index, judged) in framework.judges.enumerated() where order[judged.service + "/" + judged.area] == nil {
                order[judged.service + "/" + judged.area] = index
            }
            judgedOrder[framework.id] = order
        }
    }
}
