import Foundation

/// The vocabulary the parser works with, loaded from the rule files of a `Grammar/` folder.
///
/// The library never reads files behind your back: load a grammar once and pass it to every
/// `Extractor`. A grammar that fails to load throws a `GrammarError` naming `file:line`, and
/// nothing of it is used.
///
///     let grammar = try Grammar.load(from: URL(fileURLWithPath: "Grammar"))
///     let extraction = Extractor(grammar: grammar).extract(bytes, fileName: "report.txt")
public struct Grammar: Sendable {
    /// The version line of `manifest.rules`.
    public let version: String
    /// A digest of every rule file's name and content: two grammars with the same digest parse alike.
    public let digest: String

    let grades: [GradeDefinition]
    let services: [ServiceDefinition]
    let areas: [AreaDefinition]
    let frameworks: [FrameworkDefinition]
    let sections: [SectionDefinition]
    let timescales: [String]
    let judgementPatterns: [JudgementPattern]
    /// Count statements; `value` is the count of patterns that state it in their own words.
    let countPatterns: [(pattern: Pattern, value: Int?)]
    let nounTimescales: [String: String]
    let facts: [String: FactDefinition]
    let kindSignals: [KindSignals]
    let bullets: Set<Unicode.Scalar>
    let furnitureLines: Set<String>
    let furniturePrefixes: [[String]]
    let authorities: AuthorityVocabulary
    let themes: [ThemeDefinition]
    let referencePatterns: [Pattern]

    let vocabulary: Vocabulary
    /// Whole-line lookups, keyed by normalized words joined with spaces.
    let sectionHeadings: [String: [Int]]
    let serviceHeadings: [String: String]
    let timescaleHeadings: [String: String]
    let areaLabels: [String: String]
    let gradePhrases: [String: String]
    /// Phrases that say an area was not graded ("Not judged").
    let notGradedPhrases: Set<String>
    /// Header cells that name an action plan's status column.
    let statusColumns: Set<String>
    /// Words a recommendation starts with, and phrases that name who should act.
    let recommendationVerbs: Set<String>
    let recommendationModals: [[String]]
    let themeIndex: PhraseIndex<Int>
    /// How the comparison grid lines judgements up across frameworks (`comparison.rules`).
    var comparison = ComparisonRules()
    /// Lookups derived from the vocabulary above when the grammar loads.
    var prefilters = Prefilters()
    /// Compiled forms every document needs, worked out when the grammar loads.
    var tables = GrammarTables()

    /// Loads the rule files in `directory`.
    public static func load(from directory: URL) throws(GrammarError) -> Grammar {
        var files: [String: String] = [:]
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw GrammarError(file: directory.path, line: 0, message: "cannot read the grammar folder: \(error.localizedDescription)")
        }
        for name in names where name.hasSuffix(".rules") {
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw GrammarError(file: url.path, line: 0, message: "cannot read the file")
            }
            guard let text = String(data: data, encoding: .utf8) else {
                throw GrammarError(file: url.path, line: 1, message: "the file is not valid UTF-8")
            }
            files[name] = text
        }
        return try load(files: files, directory: directory.path)
    }

    /// Loads a grammar from rule-file texts keyed by file name (`"grades.rules"` …); `directory`
    /// prefixes file names in error messages.
    public static func load(files: [String: String], directory: String = "Grammar") throws(GrammarError) -> Grammar {
        var grammar = try GrammarLoader(files: files, directory: directory).load()
        grammar.comparison = try ComparisonRules.load(files: files, directory: directory, grammar: grammar)
        let judgementPatterns = PatternPrefilter(patterns: grammar.patterns(.heading).flatMap(\.patterns)
                                                     + grammar.patterns(.prose).flatMap(\.patterns),
                                                 vocabulary: grammar.vocabulary)
        grammar.tables = GrammarTables(grammar, judgementPatterns: judgementPatterns)
        grammar.prefilters = Prefilters(grammar, judgementPatterns: judgementPatterns, anchors: grammar.tables.phraseAnchors.words)
        return grammar
    }

    /// The grammar bundled with the package: the resource copy next to the executable when there
    /// is one, else the `Grammar/` folder of the source checkout this library was built from.
    public static func bundled() throws(GrammarError) -> Grammar {
        guard let directory = bundledDirectory() else {
            throw GrammarError(file: "Grammar", line: 0, message: "cannot find the bundled grammar; pass --grammar DIR")
        }
        return try load(from: directory)
    }

    /// Where the bundled grammar is, if anywhere.
    public static func bundledDirectory() -> URL? {
        let fileManager = FileManager.default
        var candidates: [URL] = []
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        for bundleName in ["ofsted_OfstedKit.resources", "ofsted_OfstedKit.bundle/Contents/Resources", "ofsted_OfstedKit.bundle"] {
            candidates.append(executable.deletingLastPathComponent().appendingPathComponent(bundleName).appendingPathComponent("Grammar"))
        }
        // The checkout this file was compiled from: Sources/OfstedKit/API/Grammar.swift → ../../../Grammar
        let source = URL(fileURLWithPath: #filePath)
        candidates.append(source.deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Grammar"))
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: candidate.appendingPathComponent("manifest.rules").path, isDirectory: &isDirectory) {
                return candidate
            }
        }
        return nil
    }

    /// A one-line summary for `grammar check`.
    public var summary: String {
        let aliasCount = vocabulary.areas.entries.count
        return "grammar \(version) (\(digest.prefix(12))): \(grades.count) grades, \(services.count) services, "
            + "\(areas.count) areas with \(aliasCount) aliases, \(frameworks.count) frameworks, "
            + "\(sections.count) section kinds, \(judgementPatterns.reduce(0) { $0 + $1.patterns.count }) judgement patterns, "
            + "\(authorities.names.count) authorities, \(themes.count) themes"
    }

    // MARK: Lookups

    func grade(_ id: String) -> GradeDefinition? { grades.first { $0.id == id } }
    func area(_ id: String) -> AreaDefinition? { areas.first { $0.id == id } }
    func service(_ id: String) -> ServiceDefinition? { services.first { $0.id == id } }
    func framework(_ id: String) -> FrameworkDefinition? { frameworks.first { $0.id == id } }

    /// The first grade with `score` (for "Grade 3" without a word).
    func grade(score: Int) -> GradeDefinition? { grades.first { $0.score == score } }

    func matcher(allServiceAliases: Bool) -> PatternMatcher {
        PatternMatcher(vocabulary: vocabulary, allServiceAliases: allServiceAliases)
    }

    /// Whether `text` reads like a recommendation: it starts with an instruction ("Ensure …")
    /// or says who should act within its first words ("The LSCB should …").
    func readsLikeRecommendation(_ text: String) -> Bool {
        let words = Words(String(text.prefix(120))).words.map(\.text)
        guard let first = words.first else { return false }
        if recommendationVerbs.contains(first) { return true }
        let opening = Array(words.prefix(12))
        return recommendationModals.contains { modal in
            opening.indices.contains { opening[$0...].starts(with: modal) }
        }
    }

    func patterns(_ origin: JudgementPattern.Origin) -> [JudgementPattern] {
        judgementPatterns.filter { $0.origin == origin }
    }
}

struct GradeDefinition: Sendable {
    let id: String
    let score: Int
    let aliases: [String]
}

struct ServiceDefinition: Sendable {
    let id: String
    let label: String
}

struct AreaDefinition: Sendable {
    let id: String
    let label: String
}

struct FrameworkDefinition: Sendable {
    struct Judged: Sendable {
        let service: String
        let area: String
        let from: String?
        let until: String?
        let ifServicePresent: Bool

        func applies(on start: String?) -> Bool {
            guard let start else { return true }
            if let from, start < from { return false }
            if let until, start > until { return false }
            return true
        }
    }

    struct Split: Sendable {
        let whole: String
        let parts: [String]
    }

    let id: String
    let name: String
    let titles: [[String]]
    /// Titles of a report on one service alone: (service, phrase).
    let serviceTitles: [(service: String, words: [String])]
    let signals: [[String]]
    let services: [String]
    let defaultService: String?
    let judges: [Judged]
    let splits: [Split]

    /// The areas this framework judges for `service`, any date.
    func judges(service: String, area: String) -> Bool {
        judges.contains { $0.service == service && $0.area == area }
    }

    func judgesArea(_ area: String) -> Bool { judges.contains { $0.area == area } }

    /// The services that judge `area` in this framework.
    func services(judging area: String) -> [String] {
        var result: [String] = []
        for judged in judges where judged.area == area && !result.contains(judged.service) {
            result.append(judged.service)
        }
        return result
    }
}

struct SectionDefinition: Sendable {
    enum Role: String, Sendable, CaseIterable {
        case improvements, stop, judgements, legend, contents, history, other
    }

    let id: String
    let role: Role
    let timescale: String?
    let kinds: Set<DocumentKind>?
    let level: Int
}

struct JudgementPattern: Sendable {
    enum Origin: String, Sendable, CaseIterable {
        case label, grade, heading, prose
    }

    let id: String
    let origin: Origin
    let area: String?
    let service: String?
    let kinds: Set<DocumentKind>?
    let patterns: [Pattern]
}

/// What marks a document as one kind: weighted phrases, some counted only on the cover.
struct KindSignals: Sendable {
    struct Signal: Sendable {
        let weight: Int
        let words: [String]
        let coverOnly: Bool
    }

    let kind: DocumentKind
    let signals: [Signal]
    /// Weight of an inspection framework's title on the cover.
    let frameworkTitleWeight: Int
}

struct FactDefinition: Sendable {
    let labels: [[String]]
    let leads: [[String]]
    let near: [String]
}

struct AuthorityVocabulary: Sendable {
    /// Canonical names, by id.
    var names: [String: String] = [:]
    /// Every name form (canonical and aliases), normalized, → id.
    var index = PhraseIndex<String>()
    var suffixes: [[String]] = []
    var prefixes: [[String]] = []
    var patterns: [Pattern] = []
}

struct ThemeDefinition: Sendable {
    let id: String
    let label: String
}
