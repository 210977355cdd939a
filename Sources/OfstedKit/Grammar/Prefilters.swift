/// Lookups derived from a grammar's vocabulary once, when it loads, so that the passes over
/// every line of a document can rule most lines out by the ids of their words — worked out once
/// per line when it is lexed — instead of building keys and matching patterns.
///
/// A class, so that asking of it never copies its tables: it is filled in while its grammar
/// loads (`init(_:)`, then `markAnchors`) and only read after, from any thread.
final class Prefilters: @unchecked Sendable {
    /// The keys of `sectionHeadings`, `serviceHeadings`, `timescaleHeadings` and `areaLabels`, and
    /// the section and service keys that start with "the" without it: `isVocabularyHeading`.
    var vocabularyHeadings: Set<String> = []
    /// The last word of every grade phrase: a graded heading ends with one.
    var gradePhraseLastWords: Set<String> = []
    var gradePhraseLastIDs = WordTable<Bool>(empty: false)
    /// A furniture prefix with no words, which every line starts with.
    var emptyFurniturePrefix = false
    /// What the heading and prose judgement patterns need (see `PatternPrefilter`).
    var judgementPatterns = PatternPrefilter()
    /// Each word's vocabulary classes: its judgement requirements and `WordClass` bits.
    private var classes = WordTable<WordMasks>(empty: WordMasks())
    /// What every text has (a class no word can show, such as a reference pattern with no words).
    var always = WordMasks()
    /// The `WordClass` bits a word sets only when it is written with a capital.
    var capitalizedOnly: UInt64 = 0
    /// What a mention of an improvement noun ("areas for improvement") needs, and a reference
    /// to an area ("Area for Improvement 8").
    var improvementNouns = TermFilter()
    var references = TermFilter()

    /// The first word of every key in `vocabularyHeadings`: the first word of a section,
    /// service, timescale or area heading, and of a graded heading (an area label and grade).
    private var headingFirst = WordTable<Bool>(empty: false)
    /// Some key starts with no word, so any word may start one.
    private var anyHeadingFirst = false
    /// The first word of every furniture line and prefix: boilerplate starts with one.
    var furnitureFirst = WordTable<Bool>(empty: false)
    /// The first words of the grade phrases and of the phrases that say an area was not graded.
    var gradeKeyFirst = WordTable<Bool>(empty: false)
    /// The first two words of every key in `vocabularyHeadings` of two words or more
    /// (`pairID(first, second)`), and the words that are a whole key of one: a heading key that
    /// starts with two words starts one of those keys (or, after a one-word area label, a graded
    /// heading) only if its first word is among the second or its first two among the first.
    private var headingStartPairs = WordTable<Bool>(empty: false)
    private var wholeHeading = WordTable<Bool>(empty: false)
    /// Some key starts with an empty word: any pair may start a heading.
    private var anyHeadingPair = false
    /// The ASCII bullet glyphs, bit `b` for byte `b`.
    private var asciiBullets: (low: UInt64, high: UInt64) = (0, 0)

    init() {}

    /// The classes of the word `id`.
    @inline(__always)
    func masks(of id: WordID) -> WordMasks { classes[id] }

    /// The classes `words` hold, with what every text has.
    func masks(of words: Words) -> WordMasks {
        var found = always
        for word in words.words { found.formUnion(masks(of: word.id, capitalized: word.capitalized)) }
        return found
    }

    /// The classes `text` holds, read from its bytes as a token's are (no `Words` made).
    func masks(of text: some StringProtocol) -> WordMasks {
        var ids: [WordID] = []
        return text.utf8.withContiguousBytes { bytes in
            withClassLayout { keys, values, mask in
                let layout = ClassLayout(keys: keys, values: values, mask: mask, always: always, capitalizedOnly: capitalizedOnly)
                if let (_, words) = TokenStream.describeASCII(bytes, readable: bytes.count, classes: layout, ids: &ids) { return words.masks }
                ids.removeAll()
                return TokenStream.describeGeneric(bytes, prefilters: self, ids: &ids).1.masks
            }
        }
    }

    /// The classes of one occurrence of the word `id`.
    @inline(__always)
    func masks(of id: WordID, capitalized: Bool) -> WordMasks {
        var found = classes[id]
        if !capitalized { found.classes &= ~capitalizedOnly }
        return found
    }

    /// Calls `body` with the class table laid out for a hot loop (see `WordTable.withLayout`).
    func withClassLayout<R>(_ body: (UnsafeBufferPointer<WordID>, UnsafeBufferPointer<WordMasks>, Int) throws -> R) rethrows -> R {
        try classes.withLayout(body)
    }

    /// The id of a pair of words, for `headingStartPairs`.
    @inline(__always)
    static func pairID(_ first: WordID, _ second: WordID) -> WordID {
        var h = (first ^ (second &* WordHash.multiplier &+ 0x632B_E59B_D9B4_E019))
        h ^= h >> 31
        h = h &* 0x94D0_49BB_1331_11EB
        h ^= h >> 29
        return h == WordHash.none ? 1 : h
    }

    /// Whether a heading key whose first two words are `first` and `second` may be one of the
    /// grammar's headings or labels, or a graded heading.
    @inline(__always)
    func mayStartHeading(id first: WordID, then second: WordID) -> Bool {
        anyHeadingPair || wholeHeading.contains(first) || headingStartPairs.contains(Self.pairID(first, second))
    }

    /// Whether a heading key starting with the word `id` may be one of the grammar's headings or labels.
    @inline(__always)
    func mayStartHeading(id: WordID) -> Bool { anyHeadingFirst || headingFirst.contains(id) }

    /// Whether a heading key starting with `word` may be one of the grammar's headings or labels.
    func mayStartHeading(_ word: String) -> Bool { anyHeadingFirst || (!word.isEmpty && headingFirst.contains(WordHash.id(word))) }

    /// Whether the ASCII `byte` is one of the grammar's bullet glyphs.
    @inline(__always)
    func isASCIIBullet(_ byte: UInt8) -> Bool {
        byte < 0x40 ? asciiBullets.low >> byte & 1 == 1 : byte < 0x80 && asciiBullets.high >> (byte - 0x40) & 1 == 1
    }

    init(_ grammar: Grammar) {
        for key in grammar.sectionHeadings.keys { vocabularyHeadings.insert(key) }
        for key in grammar.serviceHeadings.keys { vocabularyHeadings.insert(key) }
        for key in grammar.timescaleHeadings.keys { vocabularyHeadings.insert(key) }
        for key in grammar.areaLabels.keys { vocabularyHeadings.insert(key) }
        for key in Array(grammar.sectionHeadings.keys) + Array(grammar.serviceHeadings.keys) where key.hasPrefix("the ") {
            vocabularyHeadings.insert(String(key.dropFirst(4)))
        }
        for key in vocabularyHeadings {
            let words = key.split(separator: " ").map(String.init)
            if let first = words.first, !first.isEmpty {
                headingFirst.set(WordHash.id(first), true)
            } else {
                anyHeadingFirst = true
                anyHeadingPair = true
            }
            if words.count >= 2 {
                headingStartPairs.set(Self.pairID(WordHash.id(words[0]), WordHash.id(words[1])), true)
            } else if let word = words.first {
                wholeHeading.set(WordHash.id(word), true)
            }
        }
        for phrase in grammar.gradePhrases.keys {
            if let last = phrase.split(separator: " ").last {
                gradePhraseLastWords.insert(String(last))
                gradePhraseLastIDs.set(WordHash.id(String(last)), true)
            }
        }
        for line in grammar.furnitureLines {
            if let first = line.split(separator: " ").first { furnitureFirst.set(WordHash.id(String(first)), true) }
        }
        for prefix in grammar.furniturePrefixes { if let first = prefix.first, !first.isEmpty { furnitureFirst.set(WordHash.id(first), true) } }
        emptyFurniturePrefix = grammar.furniturePrefixes.contains { $0.isEmpty }
        for phrase in Array(grammar.gradePhrases.keys) + Array(grammar.notGradedPhrases) {
            if let first = phrase.split(separator: " ").first { gradeKeyFirst.set(WordHash.id(String(first)), true) }
        }
        for bullet in grammar.bullets where bullet.isASCII {
            let byte = UInt8(bullet.value)
            if byte < 0x40 { asciiBullets.low |= 1 << byte } else { asciiBullets.high |= 1 << (byte - 0x40) }
        }

        judgementPatterns = PatternPrefilter(patterns: grammar.patterns(.heading).flatMap(\.patterns)
                                                 + grammar.patterns(.prose).flatMap(\.patterns),
                                             vocabulary: grammar.vocabulary)
        for (id, bits) in judgementPatterns.wordBits { classes.update(id) { $0.judgement |= bits } }
        always.judgement = judgementPatterns.always

        func mark(_ words: [String?], _ bit: UInt64) {
            // A class some member of which has no word to show is in every text.
            if words.contains(where: { $0 == nil || $0!.isEmpty }) { always.classes |= bit }
            for word in words.compactMap({ $0 }) where !word.isEmpty { classes.update(WordHash.id(word)) { $0.classes |= bit } }
        }
        // Every use of these goes on to look for a whole noun, pattern or name, so one word of each will do.
        var termBits = TermFilter.Bits()
        improvementNouns = TermFilter(grammar.vocabulary.nouns.entries.map(\.words), bits: &termBits)
        references = TermFilter(grammar.referencePatterns.map(\.requiredWords), bits: &termBits)
        for (word, bit) in termBits.bits { classes.update(WordHash.id(word)) { $0.terms |= bit } }
        mark(grammar.authorities.index.firstWords, WordClass.authorityName)
        capitalizedOnly = WordClass.authorityName
        if let inspection = grammar.facts["inspection-dates"] { mark(inspection.near, WordClass.inspectionNear) } else { always.classes |= WordClass.inspectionNear }
        if let published = grammar.facts["published"] {
            mark(published.leads.map { $0.first }, WordClass.publicationLead)
        } else {
            always.classes |= WordClass.publicationLead
        }
        mark(["grade"], WordClass.grade)
        mark(["following"], WordClass.following)
        mark(["follows"], WordClass.follows)
    }

    /// Marks the anchors of the facts' phrases (`GrammarTables.phraseAnchors`), while the
    /// grammar loads.
    func markAnchors(_ anchors: [WordID]) {
        for id in anchors { classes.update(id) { $0.classes |= WordClass.phraseAnchor } }
    }
}

/// A word's (or a text's) vocabulary classes: the judgement patterns' requirements it meets
/// (`PatternPrefilter`), `WordClass` bits, and the words of `TermFilter`s it has.
struct WordMasks: Equatable, Sendable {
    var judgement: UInt64 = 0
    var classes: UInt64 = 0
    var terms: UInt64 = 0

    @inline(__always)
    mutating func formUnion(_ other: WordMasks) {
        judgement |= other.judgement
        classes |= other.classes
        terms |= other.terms
    }

    @inline(__always)
    func union(_ other: WordMasks) -> WordMasks {
        WordMasks(judgement: judgement | other.judgement, classes: classes | other.classes, terms: terms | other.terms)
    }

    /// Whether one of the `WordClass` bits `bits` is set.
    @inline(__always)
    func has(_ bits: UInt64) -> Bool { classes & bits != 0 }
}

/// Phrases of which a text may hold one only if it has all their words (of four letters or
/// more, each a bit of `WordMasks.terms`): the improvement nouns ("areas for improvement", which
/// "requires improvement" does not hold), the words of a reference pattern.
struct TermFilter: Sendable {
    /// The bits of the words, shared by all the filters of a grammar (64 at most: a word
    /// beyond them needs nothing).
    struct Bits {
        var bits: [String: UInt64] = [:]

        mutating func bit(_ word: String) -> UInt64 {
            if let known = bits[word] { return known }
            guard bits.count < 64 else { return 0 }
            let bit: UInt64 = 1 << UInt64(bits.count)
            bits[word] = bit
            return bit
        }
    }

    /// Each phrase's words, as bits.
    private var requirements: [UInt64] = []

    init() {}

    init(_ phrases: [[String]], bits: inout Bits) {
        requirements = phrases.map { words in
            words.filter { $0.utf8.count >= 4 }.reduce(0) { $0 | bits.bit($1) }
        }
    }

    /// Whether a text with `masks` may hold one of the phrases.
    @inline(__always)
    func mayMatch(_ masks: WordMasks) -> Bool {
        requirements.contains { $0 & ~masks.terms == 0 }
    }
}

/// Classes of words the extractors look for before they cut a text up.
enum WordClass {
    /// The first word of an authority's name, written with a capital.
    static let authorityName: UInt64 = 1 << 2
    /// A word near which a sentence gives the inspection dates.
    static let inspectionNear: UInt64 = 1 << 3
    /// The first word of a lead before a publication date.
    static let publicationLead: UInt64 = 1 << 4
    /// "grade".
    static let grade: UInt64 = 1 << 5
    /// "following" and "follows" ("the following actions", "as follows").
    static let following: UInt64 = 1 << 6
    static let follows: UInt64 = 1 << 7
    /// The anchor of a phrase the facts look for (`PhraseAnchors`).
    static let phraseAnchor: UInt64 = 1 << 8
}

/// What judgement patterns need, as bits: a text that lacks one of a pattern's bits cannot match it.
///
/// A pattern matches only if every word outside its `[ ]` is among the text's words, and every
/// vocabulary slot outside them (`{grade}`, `{area}` …) matches one of its aliases, all of whose
/// words are then there too. Each such requirement is a bit: a literal word's bit is set by
/// that word, a slot's by the rarest word of each of its aliases. A text's bits are the OR of
/// its words' (`Prefilters.masks`), and a pattern whose bits are not all set cannot match.
struct PatternPrefilter: Sendable {
    /// A set of requirements, one bit each.
    typealias Requirements = UInt64

    /// The bits each word sets.
    private(set) var wordBits: [WordID: Requirements] = [:]
    /// The bit of each literal word and of each slot that has one.
    private var literalBits: [String: Requirements] = [:]
    private var slotBits: [Pattern.Slot: Requirements] = [:]
    /// Bits every text sets (a requirement no word shows).
    private(set) var always: Requirements = 0
    /// Set by a word a grade starts with, and by that or "grade".
    private(set) var gradeStart: Requirements = 0
    private(set) var gradeWord: Requirements = 0

    init() {}

    /// Indexes the requirements of `patterns`, with the aliases of their slots from `vocabulary`.
    init(patterns: [Pattern], vocabulary: Vocabulary) {
        var next = 0
        func newBit() -> Requirements? {
            guard next < Requirements.bitWidth else { return nil }  // beyond 64 requirements, none is checked
            defer { next += 1 }
            return 1 << Requirements(next)
        }
        func set(_ word: String, _ bit: Requirements) {
            if word.isEmpty { always |= bit } else { wordBits[WordHash.id(word), default: 0] |= bit }
        }
        gradeStart = newBit()!
        gradeWord = newBit()!
        for word in vocabulary.grades.firstWords { set(word, gradeStart | gradeWord) }
        set("grade", gradeWord)
        // Slots first: each stands for many patterns, so it keeps a bit when there are too many words.
        for case .slot(let slot) in patterns.flatMap(\.elements) {
            guard slotBits[slot] == nil, let aliases = Self.aliases(of: slot, vocabulary), let bit = newBit() else { continue }
            slotBits[slot] = bit
            for alias in aliases { set(Self.rarestWord(alias) ?? "", bit) }
        }
        // Words of one to three letters ("the", "is", "as") are in nearly every sentence: not
        // worth a bit.
        for case .word(let literal) in patterns.flatMap(\.elements) {
            let word = literal.text
            guard literalBits[word] == nil, word.utf8.count >= 4, let bit = newBit() else { continue }
            literalBits[word] = bit
            set(word, bit)
        }
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

    /// The word of a phrase least likely to be in a text: the longest; nil if it has no word.
    static func rarestWord(_ words: [String]) -> String? {
        words.filter { !$0.isEmpty }.max { $0.utf8.count < $1.utf8.count }
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
