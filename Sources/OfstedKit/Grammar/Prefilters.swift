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
    /// The rarest word of each improvement noun ("improvement" of "areas for improvement" …):
    /// a text that mentions one has one.
    var improvementNouns = WordPrefilter(words: [])
    /// What the heading and prose judgement patterns need, to rule text out before lexing it.
    var judgementPatterns = PatternPrefilter(patterns: [], vocabulary: Vocabulary())
    /// The rarest word each reference pattern ("Area for Improvement 8") needs: "improvement"
    /// rules out far more text than "area".
    var references = WordPrefilter(words: [])
    /// The first words of the authorities' names, written with a capital.
    var authorityNames = WordPrefilter(words: [])
    /// The words near which a sentence gives the inspection dates, and the first words of the
    /// leads before a publication date (council papers' prose facts).
    var inspectionNearWords = WordPrefilter.anyText
    var publicationLeads = WordPrefilter.anyText

    /// The words of the sets below, numbered, so that a line's word is looked up by its bytes.
    var lexicon = Lexicon()
    /// `headingFirstWords` and `furnitureFirstWords` by id.
    var headingFirstIDs = WordIDSet()
    var furnitureFirstIDs = WordIDSet()
    /// The first words of the grade phrases and of the phrases that say an area was not graded.
    var gradeKeyFirstIDs = WordIDSet()
    /// The ids of "section" and "the", which a heading key drops from its front.
    var sectionID = Lexicon.unknown
    var theID = Lexicon.unknown
    /// The first two words of every key in `vocabularyHeadings` of two words or more, by id
    /// (`first << 32 | second`), and the words that are a whole key of one: a heading key
    /// that starts with two words starts one of those keys (or, after a one-word area label,
    /// a graded heading) only if its first word is among the second or its first two among the
    /// first.
    private var headingStartPairs: Set<UInt64> = []
    private var wholeHeadingIDs = WordIDSet()
    /// Some key starts with an empty word: any pair may start a heading.
    private var anyHeadingPair = false
    /// The ASCII bullet glyphs, bit `b` for byte `b` (a set lookup for every line was a
    /// tenth of classifying a plain one).
    private var asciiBullets: (low: UInt64, high: UInt64) = (0, 0)

    init() {}

    /// Whether a heading key whose first two words are `first` and `second` (by id) may be
    /// one of the grammar's headings or labels, or a graded heading.
    func mayStartHeading(id first: Int32, then second: Int32) -> Bool {
        anyHeadingPair || wholeHeadingIDs.contains(first) || headingStartPairs.contains(UInt64(UInt32(bitPattern: first)) << 32 | UInt64(UInt32(bitPattern: second)))
    }

    /// Whether the ASCII `byte` is one of the grammar's bullet glyphs.
    func isASCIIBullet(_ byte: UInt8) -> Bool {
        byte < 0x40 ? asciiBullets.low >> byte & 1 == 1 : byte < 0x80 && asciiBullets.high >> (byte - 0x40) & 1 == 1
    }

    /// `mayStartHeading` for a word by its id.
    func mayStartHeading(id: Int32) -> Bool {
        headingFirstIDs.contains(id) || headingFirstWords.contains("")
    }

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
        // Every use goes on to look for a whole noun, so its rarest word will do.
        improvementNouns = WordPrefilter(words: grammar.vocabulary.nouns.entries.map { PatternPrefilter.rarestWord($0.words) ?? "" })
        judgementPatterns = PatternPrefilter(patterns: grammar.patterns(.heading).flatMap(\.patterns)
                                                 + grammar.patterns(.prose).flatMap(\.patterns),
                                             vocabulary: grammar.vocabulary)
        let required = grammar.referencePatterns.map { PatternPrefilter.rarestWord($0.requiredWords) }
        references = required.contains(nil) ? .anyText : WordPrefilter(words: required.compactMap { $0 })
        authorityNames = WordPrefilter(words: grammar.authorities.index.firstWords, capitalized: true)
        if let inspection = grammar.facts["inspection-dates"] { inspectionNearWords = WordPrefilter(words: inspection.near) }
        if let published = grammar.facts["published"] { publicationLeads = WordPrefilter(words: published.leads.map { $0.first ?? "" }) }
        var wholeWords: [String] = []
        for key in vocabularyHeadings {
            let words = key.split(separator: " ").map(String.init)
            if words.count >= 2 {
                let first = lexicon.insert(words[0]), second = lexicon.insert(words[1])
                headingStartPairs.insert(UInt64(UInt32(bitPattern: first)) << 32 | UInt64(UInt32(bitPattern: second)))
            } else if let word = words.first {
                wholeWords.append(word)
            } else {
                anyHeadingPair = true
            }
            if words.first?.isEmpty != false { anyHeadingPair = true }
        }
        wholeHeadingIDs = WordIDSet(wholeWords, lexicon: &lexicon)
        for bullet in grammar.bullets where bullet.isASCII {
            let byte = UInt8(bullet.value)
            if byte < 0x40 { asciiBullets.low |= 1 << byte } else { asciiBullets.high |= 1 << (byte - 0x40) }
        }
        sectionID = lexicon.insert("section")
        theID = lexicon.insert("the")
        headingFirstIDs = WordIDSet(headingFirstWords, lexicon: &lexicon)
        furnitureFirstIDs = WordIDSet(furnitureFirstWords, lexicon: &lexicon)
        gradeKeyFirstIDs = WordIDSet((Array(grammar.gradePhrases.keys) + Array(grammar.notGradedPhrases))
            .compactMap { $0.split(separator: " ").first.map(String.init) }, lexicon: &lexicon)
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
    private var heads = WordHeads()
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
        for word in words where !heads.insert(word, mask: 1) { anyText = true }
        heads.seal()
    }

    func mayContain<S: StringProtocol>(_ text: S) -> Bool {
        if anyText { return true }
        return text.utf8.withContiguousBytes { heads.scan($0, capitalized: capitalized, stopOnAny: true) } != 0
    }
}

/// Whether a text may match a set of patterns, decided on its bytes before it is lexed.
///
/// A pattern matches only if every word outside its `[ ]` is among the text's words, and every
/// vocabulary slot outside them (`{grade}`, `{area}` …) matches one of its aliases, all of whose
/// words are then there too. Each such requirement is a bit: a literal word's bit is set by
/// that word, a slot's by the rarest word of any of its aliases. One pass over a text's bytes
/// (`WordPrefilter`'s test) says which bits may be set, and a pattern whose bits are not all
/// set cannot match: most prose is ruled out for every pattern before it is cut into words.
struct PatternPrefilter: Sendable {
    /// A set of requirements, one bit each.
    typealias Requirements = UInt64

    private var heads = WordHeads()
    /// The bit of each literal word and of each slot that has one.
    private var literalBits: [String: Requirements] = [:]
    private var slotBits: [Pattern.Slot: Requirements] = [:]
    /// Bits every text sets (a word no byte test can see).
    private var always: Requirements = 0
    /// Set when the text may hold a word a grade starts with (`Prefilters.gradeStarts`), and
    /// that or "grade" (`Prefilters.gradeWords`): the same tests, in the same pass.
    private(set) var gradeStart: Requirements = 0
    private(set) var gradeWord: Requirements = 0

    /// Indexes the requirements of `patterns`, with the aliases of their slots from `vocabulary`.
    init(patterns: [Pattern], vocabulary: Vocabulary) {
        var next = 0
        func newBit() -> Requirements? {
            guard next < Requirements.bitWidth else { return nil }  // beyond 64 requirements, none is checked
            defer { next += 1 }
            return 1 << Requirements(next)
        }
        gradeStart = newBit()!
        gradeWord = newBit()!
        for word in vocabulary.grades.firstWords + ["grade"] {
            let bit = word == "grade" ? gradeWord : gradeStart | gradeWord
            if !heads.insert(word, mask: bit) { always |= bit }
        }
        // Slots first: each stands for many patterns, so it keeps a bit when there are too many words.
        for case .slot(let slot) in patterns.flatMap(\.elements) {
            guard slotBits[slot] == nil, let aliases = Self.aliases(of: slot, vocabulary),
                  aliases.allSatisfy({ Self.rarestWord($0) != nil }), let bit = newBit() else { continue }
            slotBits[slot] = bit
            for alias in aliases { heads.insert(Self.rarestWord(alias)!, mask: bit) }
        }
        // Words of one to three letters ("the", "is", "as") are in nearly every sentence: not
        // worth a bit, nor the time to look for them.
        for case .word(let literal) in patterns.flatMap(\.elements) {
            let word = literal.text
            guard literalBits[word] == nil, let head = WordHeads.head(of: word), head.count >= 4, let bit = newBit() else { continue }
            literalBits[word] = bit
            heads.insert(word, mask: bit)
        }
        heads.seal()
    }

    /// The aliases one of which `slot` needs, or nil when it needs none of a known set.
    private static func aliases(of slot: Pattern.Slot, _ vocabulary: Vocabulary) -> [[String]]? {
        switch slot {
        case .area, .areas: return vocabulary.areas.entries.map(\.words)
        case .grade: return vocabulary.grades.entries.map(\.words)
        // Every service alias: the prose matcher's trusted ones are among them.
        case .service: return vocabulary.allServices.entries.map(\.words)
        case .timescale: return vocabulary.timescales.entries.map(\.words)
        case .improvements: return vocabulary.nouns.entries.map(\.words)
        // Digits or number words, and any words at all.
        case .number, .count, .text: return nil
        }
    }

    /// The word of a phrase least likely to be in a text: the longest (by its leading ASCII
    /// letters and digits, which is what the byte test sees); nil if no word has any.
    static func rarestWord(_ words: [String]) -> String? {
        words.filter { WordHeads.head(of: $0) != nil }.max { WordHeads.head(of: $0)!.count < WordHeads.head(of: $1)!.count }
    }

    /// The requirements of `pattern` (those it shares with the patterns the filter was built
    /// from; any other pattern's are unknown, and none is required).
    func requirements(of pattern: Pattern) -> Requirements {
        var required: Requirements = 0
        for element in pattern.elements {
            switch element {
            case .word(let literal): required |= literalBits[literal.text] ?? 0
            case .slot(let slot): required |= slotBits[slot] ?? 0
            case .optional: continue
            }
        }
        return required
    }

    /// The requirements `text` may meet.
    func found<S: StringProtocol>(in text: S) -> Requirements {
        always | text.utf8.withContiguousBytes { heads.scan($0, capitalized: false, stopOnAny: false) }
    }
}

/// Words' leading ASCII letters and digits, each with a mask, looked for at the starts of the
/// runs of ASCII letters and digits of a text (the test `WordPrefilter` describes).
struct WordHeads: Sendable {
    private struct Entry: Sendable {
        var head: [UInt8]
        var mask: UInt64
        /// Whether the word is "and", which "&" is too.
        var isAnd: Bool
    }

    private var entries: [Entry] = []
    /// The heads laid out for the scan: their bytes end to end, and for each lowercase first
    /// byte the range of `offsets` (into `bytes`) and `masks` of the heads starting with it.
    private var bytes: [UInt8] = []
    private var offsets: [Int] = [0]
    private var masks: [UInt64] = []
    private var buckets = [Int](repeating: 0, count: 257)
    /// The masks set by a Kelvin sign (heads with a "k") and by "&".
    private var kelvinMask: UInt64 = 0
    private var andMask: UInt64 = 0

    /// A word's leading ASCII letters and digits, if it has any.
    static func head(of word: String) -> [UInt8]? {
        let head = Array(word.utf8.prefix { isAlphanumeric($0) })
        return head.isEmpty ? nil : head
    }

    /// Adds `word` with `mask`; false when it has no head, which no byte test can see.
    @discardableResult
    mutating func insert(_ word: String, mask: UInt64) -> Bool {
        guard let head = Self.head(of: word) else { return false }
        if let index = entries.firstIndex(where: { $0.head == head && $0.isAnd == (word == "and") }) {
            entries[index].mask |= mask
        } else {
            entries.append(Entry(head: head, mask: mask, isAnd: word == "and"))
        }
        return true
    }

    /// Lays out the heads for `scan`; call once after the last `insert`.
    mutating func seal() {
        let sorted = entries.sorted { $0.head[0] < $1.head[0] }
        bytes = []
        offsets = [0]
        masks = []
        buckets = [Int](repeating: 0, count: 257)
        kelvinMask = 0
        andMask = 0
        for entry in sorted {
            bytes += entry.head
            offsets.append(bytes.count)
            masks.append(entry.mask)
            buckets[Int(entry.head[0]) + 1] += 1
            if entry.head.contains(0x6B) { kelvinMask |= entry.mask }
            if entry.isAnd { andMask |= entry.mask }
        }
        for byte in 0..<256 { buckets[byte + 1] += buckets[byte] }
    }

    /// The masks of the heads that start a run of `text`, OR-ed; with `capitalized`, only runs
    /// that start with A-Z count (and "&" does not). With `stopOnAny`, any nonzero answer may
    /// stop the scan early.
    func scan(_ text: UnsafeBufferPointer<UInt8>, capitalized: Bool, stopOnAny: Bool) -> UInt64 {
        var found: UInt64 = 0
        if kelvinMask != 0 && Self.hasKelvinSign(text) { found |= kelvinMask }
        if andMask != 0 && !capitalized && text.contains(0x26) { found |= andMask }
        if stopOnAny && found != 0 { return found }
        let count = text.count
        var i = 0
        while i < count {
            let byte = text[i]
            guard Self.isAlphanumericInAnyCase(byte) else {
                i += 1
                continue
            }
            let isUpper = byte >= 0x41 && byte <= 0x5A
            let lower = isUpper ? byte | 0x20 : byte
            // A run starts at i: compare the heads with its first byte, then skip it.
            var end = i + 1
            while end < count, Self.isAlphanumericInAnyCase(text[end]) { end += 1 }
            if !capitalized || isUpper {
                for entry in buckets[Int(lower)]..<buckets[Int(lower) + 1] {
                    let start = offsets[entry], length = offsets[entry + 1] - start
                    guard length <= end - i else { continue }
                    var j = 1
                    while j < length, Self.lowercased(text[i + j]) == bytes[start + j] { j += 1 }
                    if j == length { found |= masks[entry] }
                }
                if stopOnAny && found != 0 { return found }
            }
            i = end
        }
        return found
    }

    @inline(__always)
    private static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }

    /// ASCII letters and digits, tested without branches: setting bit 5 maps A-Z onto a-z and
    /// no other byte onto them.
    @inline(__always)
    private static func isAlphanumericInAnyCase(_ byte: UInt8) -> Bool {
        ((byte | 0x20) &- 0x61) < 26 || (byte &- 0x30) < 10
    }

    /// Lower-case ASCII letters and digits (what a normalized word's ASCII is made of).
    @inline(__always)
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
            if case .word(let literal) = element { return literal.text }
            return nil
        }
    }
}
