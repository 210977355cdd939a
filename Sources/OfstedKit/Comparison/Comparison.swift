/// One document of a comparison: its extraction and the label it is shown under.
public struct ComparedDocument: Sendable, Equatable {
    public var extraction: Extraction
    /// The input's file name (no folders) as the comparison shows it; nil for standard input.
    public var file: String?
    /// Authority and date ("Lancashire 2012-01-23"), unique among the documents compared.
    public var label: String

    public init(extraction: Extraction, file: String?, label: String) {
        self.extraction = extraction
        self.file = file
        self.label = label
    }

    /// Labels documents by local authority and date (the inspection's first day, else the
    /// publication date), with the file name when the authority is unknown; labels that would
    /// coincide get the kind of document, then the file name, then a number.
    ///
    ///     let documents = ComparedDocument.labelled([report, paper], files: ["002.txt", "000.txt"])
    ///     // "Lancashire 2012-01-23 (Ofsted report)", "Lancashire 2012-01-23 (council paper)"
    public static func labelled(_ extractions: [Extraction], files: [String?]) -> [ComparedDocument] {
        let names = extractions.indices.map { index in
            (index < files.count ? files[index] : nil).map { String($0.split(separator: "/").last ?? Substring($0)) }
        }
        var labels = extractions.indices.map { index -> String in
            let document = extractions[index].document
            if let authority = document.localAuthority, !authority.isEmpty {
                return [authority, document.inspection?.start ?? document.published].compactMap { $0 }.joined(separator: " ")
            }
            return names[index] ?? "document \(index + 1)"
        }
        let qualifiers: [(Int) -> String?] = [
            { index in
                switch extractions[index].document.kind {
                case .ofstedReport: return "Ofsted report"
                case .councilReport: return "council paper"
                case .unknown: return nil
                }
            },
            { index in names[index] },
            { index in "#\(index + 1)" },
        ]
        // Qualify each group of equal labels with the first qualifier that tells its members
        // apart (or at least some of them), until every label is unique.
        var added = Array(repeating: [String](), count: labels.count)
        func full(_ index: Int) -> String { added[index].isEmpty ? labels[index] : "\(labels[index]) (\(added[index].joined(separator: ", ")))" }
        for qualifier in qualifiers {
            let groups = Dictionary(grouping: labels.indices, by: full).values.filter { $0.count > 1 }
            for group in groups {
                let values = group.map(qualifier)
                guard Set(values.map { $0 ?? "" }).count > 1 else { continue }
                for (index, value) in zip(group, values) {
                    if let value { added[index].append(value) }
                }
            }
        }
        labels = labels.indices.map(full)
        return extractions.indices.map { ComparedDocument(extraction: extractions[$0], file: names[$0], label: labels[$0]) }
    }
}

/// Documents side by side: their judgement grid, areas for improvement by service and
/// timescale, themes, and the areas two documents share or no other document has.
///
///     let documents = ComparedDocument.labelled([lancashire, southwark], files: ["002.txt", "003.txt"])
///     let comparison = Comparison(documents, grammar: grammar)
///     print(comparison.render(.markdown))
public struct Comparison: Sendable {
    /// The similarity at or above which two areas for improvement count as saying nearly the same thing.
    public static let defaultThreshold = AreaMatcher.defaultThreshold

    public let documents: [ComparedDocument]
    public let threshold: Double

    let grammar: Grammar
    let grid: Grid
    let areaCounts: [AreaCount]
    let themes: [ThemeCount]
    /// For every pair of documents (i < j), their matched areas.
    let pairs: [DocumentPair]
    /// Per document, the indices of its areas that no other document shares.
    let unshared: [[Int]]

    struct AreaCount: Sendable {
        let service: String
        let timescale: String
        let counts: [Int]
    }

    struct ThemeCount: Sendable {
        let id: String
        let label: String
        let counts: [Int]
    }

    struct DocumentPair: Sendable {
        let left: Int
        let right: Int
        let matches: [AreaMatcher.Match]
    }

    public init(_ documents: [ComparedDocument], grammar: Grammar, threshold: Double = Comparison.defaultThreshold) {
        self.documents = documents
        self.threshold = threshold
        self.grammar = grammar
        let extractions = documents.map(\.extraction)
        grid = Grid(extractions, grammar: grammar)

        // Areas by service and timescale, in the grammar's order.
        let serviceOrder = grammar.services.map(\.id)
        let timescaleOrder = grammar.timescales
        var scopes: [(String, String)] = []
        for extraction in extractions {
            for area in extraction.areasForImprovement where !scopes.contains(where: { $0 == (area.service, area.timescale) }) {
                scopes.append((area.service, area.timescale))
            }
        }
        func rank(_ id: String, _ order: [String]) -> Int { order.firstIndex(of: id) ?? order.count }
        scopes.sort { a, b in
            (rank(a.0, serviceOrder), a.0, rank(a.1, timescaleOrder), a.1) < (rank(b.0, serviceOrder), b.0, rank(b.1, timescaleOrder), b.1)
        }
        areaCounts = scopes.map { scope in
            AreaCount(service: scope.0, timescale: scope.1, counts: extractions.map { extraction in
                extraction.areasForImprovement.filter { $0.service == scope.0 && $0.timescale == scope.1 }.count
            })
        }

        // Themes, in the lexicon's order; ids the lexicon does not know (JSON from another
        // grammar) after them, sorted.
        var themeIDs = grammar.themes.map(\.id)
        let extra = Set(extractions.flatMap { $0.areasForImprovement.flatMap(\.themes) }).subtracting(themeIDs).sorted()
        themeIDs += extra
        themes = themeIDs.compactMap { id in
            let counts = extractions.map { extraction in extraction.areasForImprovement.filter { $0.themes.contains(id) }.count }
            guard counts.contains(where: { $0 > 0 }) else { return nil }
            return ThemeCount(id: id, label: grammar.themes.first { $0.id == id }?.label ?? id, counts: counts)
        }

        let matcher = AreaMatcher(threshold: threshold)
        var grams = AreaMatcher.Grams()
        let prepared = extractions.map { grams.prepare($0.areasForImprovement) }
        var pairs: [DocumentPair] = []
        var shared = extractions.map { Array(repeating: false, count: $0.areasForImprovement.count) }
        for left in extractions.indices {
            for right in extractions.indices where right > left {
                let matches = matcher.match(extractions[left].areasForImprovement, prepared[left],
                                            extractions[right].areasForImprovement, prepared[right])
                for match in matches {
                    shared[left][match.left] = true
                    shared[right][match.right] = true
                }
                pairs.append(DocumentPair(left: left, right: right, matches: matches))
            }
        }
        self.pairs = pairs
        unshared = shared.map { flags in flags.indices.filter { !flags[$0] } }
    }
}

/// The output formats of `ofsted compare` and `ofsted diff`.
public enum ComparisonFormat: String, Sendable, CaseIterable {
    /// Aligned terminal tables, coloured on request.
    case text
    case markdown
    /// Documented and stable, with the extraction contract's ids.
    case json
    /// One row per document and area, safe to open in a spreadsheet.
    case csv
    /// One self-contained page: no scripts, no external assets, every text escaped.
    case html
}
