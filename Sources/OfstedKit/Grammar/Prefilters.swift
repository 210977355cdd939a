/// Lookups derived from a grammar's vocabulary once, when it loads, so that the passes over
/// every line of a document can rule most lines out with a set lookup or a byte scan instead of
/// building keys and lexing words.
struct Prefilters: Sendable {
    /// The keys of `sectionHeadings`, `serviceHeadings`, `timescaleHeadings` and `areaLabels`, and
    /// the section and service keys that start with "the" without it: `isVocabularyHeading`.
    var vocabularyHeadings: Set<String> = []
    /// The first word of every key in `vocabularyHeadings`: the first word of a section,
    /// service, timescale or area heading, and of a graded heading (an area label and grade).
    var headingFirstWords: Set<String> = []
    /// The last word of every grade phrase: a graded heading ends with one.
    var gradePhraseLastWords: Set<String> = []
    /// The first word of every furniture line and prefix: boilerplate starts with one.
    var furnitureFirstWords: Set<String> = []
    /// A furniture prefix with no words, which every line starts with.
    var emptyFurniturePrefix = false
    /// The words a grade phrase starts with: a sentence that grades something has one.
    var gradeStarts = WordPrefilter(words: [])
    /// The same and "grade" ("Grade 3"): a statement with a grade has one.
    var gradeWords = WordPrefilter(words: [])
    /// The words an improvement noun starts with ("areas for improvement" …).
    var improvementNouns = WordPrefilter(words: [])
    /// A word every reference pattern ("Area for Improvement 8") needs.
    var references = WordPrefilter(words: [])
    /// The first words of the authorities' names, written with a capital.
    var authorityNames = WordPrefilter(words: [])
    /// The words near which a sentence gives the inspection dates, and the first words of the
    /// leads before a publication date (council papers' prose facts).
    var inspectionNearWords = WordPrefilter.anyText
    var publicationLeads = WordPrefilter.anyText

    init() {}

    /// Whether a heading key starting with `word` may be one of the grammar's headings or labels.
    func mayStartHeading(_ word: String) -> Bool {
        headingFirstWords.contains(word) || headingFirstWords.contains("")
    }

    init(_ grammar: Grammar) {
        for key in grammar.sectionHeadings.keys { vocabularyHeadings.insert(key) }
        for key in grammar.serviceHeadings.keys { vocabularyHeadings.insert(key) }
        for key in grammar.timescaleHeadings.keys { vocabularyHeadings.insert(key) }
        for key in grammar.areaLabels.keys { vocabularyHeadings.insert(key) }
        for key in Array(grammar.sectionHeadings.keys) + Array(grammar.serviceHeadings.keys) where key.hasPrefix("the ") {
            vocabularyHeadings.insert(String(key.dropFirst(4)))
        }
        for key in vocabularyHeadings { headingFirstWords.insert(key.split(separator: " ").first.map(String.init) ?? "") }
        for phrase in grammar.gradePhrases.keys {
            if let last = phrase.split(separator: " ").last { gradePhraseLastWords.insert(String(last)) }
        }
        for line in grammar.furnitureLines {
            furnitureFirstWords.insert(line.split(separator: " ").first.map(String.init) ?? "")
        }
        for prefix in grammar.furniturePrefixes { furnitureFirstWords.insert(prefix.first ?? "") }
        emptyFurniturePrefix = grammar.furniturePrefixes.contains { $0.isEmpty }
        gradeStarts = WordPrefilter(words: grammar.vocabulary.grades.firstWords)
        gradeWords = WordPrefilter(words: grammar.vocabulary.grades.firstWords + ["grade"])
        improvementNouns = WordPrefilter(words: grammar.vocabulary.nouns.firstWords)
        let required = grammar.referencePatterns.map(\.requiredWords)
        references = required.contains(where: \.isEmpty) ? .anyText : WordPrefilter(words: required.map { $0[0] })
        authorityNames = WordPrefilter(words: grammar.authorities.index.firstWords, capitalized: true)
        if let inspection = grammar.facts["inspection-dates"] { inspectionNearWords = WordPrefilter(words: inspection.near) }
        if let published = grammar.facts["published"] { publicationLeads = WordPrefilter(words: published.leads.map { $0.first ?? "" }) }
    }
}

/// Whether a text may contain one of a set of normalized words (as `Words` lexes them), decided
/// on its bytes: such a word starts a run of ASCII letters and digits, and the run begins with
/// the word's leading ASCII letters and digits, in any case. `false` means none of the words is
/// there; `true` means lex the text and look.
///
/// (Two words come from other bytes: the Kelvin sign, the one non-ASCII scalar that lowercases
/// to an ASCII letter, may be the "k" of any word, and "&" is the word "and", never capitalized.)
struct WordPrefilter: Sendable {
    /// The words' leading ASCII letters and digits, lowercased, by their first byte.
    private var heads: [[[UInt8]]] = Array(repeating: [], count: 128)
    private var withK = false
    private var withAnd = false
    /// A word with no leading ASCII letter or digit: any text may hold it.
    private var anyText = false
    /// Only words written with a capital count (the run starts with A-Z).
    private var capitalized = false

    /// A filter that lets every text through.
    static var anyText: WordPrefilter {
        var filter = WordPrefilter(words: [])
        filter.anyText = true
        return filter
    }

    init(words: [String], capitalized: Bool = false) {
        self.capitalized = capitalized
        for word in words {
            let head = Array(word.utf8.prefix { Self.isAlphanumeric($0) })
            guard let first = head.first else {
                anyText = true
                continue
            }
            if !heads[Int(first)].contains(head) { heads[Int(first)].append(head) }
            if head.contains(0x6B) { withK = true }
            if word == "and" { withAnd = true }
        }
    }

    func mayContain<S: StringProtocol>(_ text: S) -> Bool {
        if anyText { return true }
        return text.utf8.withContiguousBytes { bytes in
            if withK && Self.hasKelvinSign(bytes) { return true }
            if withAnd && !capitalized && bytes.contains(0x26) { return true }
            let count = bytes.count
            var previousIsAlphanumeric = false
            for i in 0..<count {
                let byte = bytes[i]
                let alphanumeric = Self.isAlphanumeric(byte | (byte >= 0x41 && byte <= 0x5A ? 0x20 : 0))
                defer { previousIsAlphanumeric = alphanumeric }
                guard alphanumeric, !previousIsAlphanumeric, !capitalized || (byte >= 0x41 && byte <= 0x5A) else { continue }
                let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
                for head in heads[Int(lower)] where i + head.count <= count {
                    var j = 1
                    while j < head.count {
                        var other = bytes[i + j]
                        if other >= 0x41 && other <= 0x5A { other |= 0x20 }
                        if other != head[j] { break }
                        j += 1
                    }
                    if j == head.count { return true }
                }
            }
            return false
        }
    }

    /// Lower-case ASCII letters and digits (what a normalized word's ASCII is made of).
    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
    }

    /// U+212A KELVIN SIGN, E2 84 AA in UTF-8.
    private static func hasKelvinSign(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i + 2 < bytes.count {
            if bytes[i] == 0xE2, bytes[i + 1] == 0x84, bytes[i + 2] == 0xAA { return true }
            i += 1
        }
        return false
    }
}

extension Pattern {
    /// The words every match needs: the literal words outside `[ ]`.
    var requiredWords: [String] {
        elements.compactMap { element in
            if case .word(let word) = element { return word }
            return nil
        }
    }
}
