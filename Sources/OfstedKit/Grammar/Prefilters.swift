/// Lookups derived from a grammar's vocabulary once, when it loads, so that the passes over
/// every line of a document can rule most lines out by the ids of their words — worked out once
/// per line when it is lexed — instead of building keys and matching patterns.
///
/// A class, so that asking of it never copies its tables; worked out when its grammar loads
/// and never changed.
final class Prefilters: Sendable {
    /// The keys of `sectionHeadings`, `serviceHeadings`, `timescaleHeadings` and `areaLabels`, and
    /// the section and service keys that start with "the" without it: `isVocabularyHeading`.
    let vocabularyHeadings: Set<String>
    /// The last word of every grade phrase: a graded heading ends with one.
    let gradePhraseLastWords: Set<String>
    let gradePhraseLastIDs: WordTable<Bool>
    /// A furniture prefix with no words, which every line starts with.
    let emptyFurniturePrefix: Bool
    /// What the heading and prose judgement patterns need (see `PatternPrefilter`).
    let judgementPatterns: PatternPrefilter
    /// Each word's vocabulary classes: its judgement requirements and `WordClass` bits.
    private let classes: WordTable<WordMasks>
    /// What every text has (a class no word can show, such as a reference pattern with no words).
    let always: WordMasks
    /// The `WordClass` bits a word sets only when it is written with a capital.
    let capitalizedOnly: UInt64
    /// What a mention of an improvement noun ("areas for improvement") needs, and a reference
    /// to an area ("Area for Improvement 8").
    let improvementNouns: TermFilter
    let references: TermFilter
    /// The keys of `vocabularyHeadings` by the `sequenceID` of their words, and the grade
    /// phrases' and area labels' sequences: heading keys looked up from a line's word ids.
    let headingKeys: WordTable<Int32>
    let headingKeyStrings: [String]
    let gradePhraseSequences: WordTable<Bool>
    let areaLabelSequences: WordTable<Bool>

    /// The first word of every key in `vocabularyHeadings`: the first word of a section,
    /// service, timescale or area heading, and of a graded heading (an area label and grade).
    private let headingFirst: WordTable<Bool>
    /// Some key starts with no word, so any word may start one.
    private let anyHeadingFirst: Bool
    /// The first word of every furniture line and prefix: boilerplate starts with one.
    let furnitureFirst: WordTable<Bool>
    /// The first words of the grade phrases and of the phrases that say an area was not graded.
    let gradeKeyFirst: WordTable<Bool>
    /// The first two words of every key in `vocabularyHeadings` of two words or more
    /// (`pairID(first, second)`), and the words that are a whole key of one: a heading key that
    /// starts with two words starts one of those keys (or, after a one-word area label, a graded
    /// heading) only if its first word is among the second or its first two among the first.
    private let headingStartPairs: WordTable<Bool>
    private let wholeHeading: WordTable<Bool>
    /// Some key starts with an empty word: any pair may start a heading.
    private let anyHeadingPair: Bool
    /// The ASCII bullet glyphs, bit `b` for byte `b`.
    private let asciiBullets: (low: UInt64, high: UInt64)

    /// The tables while they are worked out.
    private struct Builder {
        var headingKeys = WordTable<Int32>(empty: -1)
        var headingKeyStrings: [String] = []
        var gradePhraseSequences = WordTable<Bool>(empty: false)
        var areaLabelSequences = WordTable<Bool>(empty: false)
        var vocabularyHeadings: Set<String> = []
        var gradePhraseLastWords: Set<String> = []
        var gradePhraseLastIDs: WordTable<Bool> = WordTable<Bool>(empty: false)
        var emptyFurniturePrefix: Bool = false
        var judgementPatterns: PatternPrefilter = PatternPrefilter()
        var classes: WordTable<WordMasks> = WordTable<WordMasks>(empty: WordMasks())
        var always: WordMasks = WordMasks()
        var capitalizedOnly: UInt64 = 0
        var improvementNouns: TermFilter = TermFilter()
        var references: TermFilter = TermFilter()
        var headingFirst: WordTable<Bool> = WordTable<Bool>(empty: false)
        var anyHeadingFirst: Bool = false
        var furnitureFirst: WordTable<Bool> = WordTable<Bool>(empty: false)
        var gradeKeyFirst: WordTable<Bool> = WordTable<Bool>(empty: false)
        var headingStartPairs: WordTable<Bool> = WordTable<Bool>(empty: false)
        var wholeHeading: WordTable<Bool> = WordTable<Bool>(empty: false)
        var anyHeadingPair: Bool = false
        var asciiBullets: (low: UInt64, high: UInt64) = (0, 0)
    }

    convenience init() { self.init(Builder()) }

    private init(_ b: Builder) {
        headingKeys = b.headingKeys
        headingKeyStrings = b.headingKeyStrings
        gradePhraseSequences = b.gradePhraseSequences
        areaLabelSequences = b.areaLabelSequences
        vocabularyHeadings = b.vocabularyHeadings
        gradePhraseLastWords = b.gradePhraseLastWords
        gradePhraseLastIDs = b.gradePhraseLastIDs
        emptyFurniturePrefix = b.emptyFurniturePrefix
        judgementPatterns = b.judgementPatterns
        classes = b.classes
        always = b.always
        capitalizedOnly = b.capitalizedOnly
        improvementNouns = b.improvementNouns
        references = b.references
        headingFirst = b.headingFirst
        anyHeadingFirst = b.anyHeadingFirst
        furnitureFirst = b.furnitureFirst
        gradeKeyFirst = b.gradeKeyFirst
        headingStartPairs = b.headingStartPairs
        wholeHeading = b.wholeHeading
        anyHeadingPair = b.anyHeadingPair
        asciiBullets = b.asciiBullets
    }

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
    func masks(of text: some StringProtocol) -> WordMasks { lineWords(of: text).masks }

    /// What the passes ask of the words of `text`, read from its bytes as a token's are.
    func lineWords(of text: some StringProtocol) -> LineWords {
        text.utf8.withContiguousBytes { bytes in
            withClassLayout { keys, values, mask in
                // (A recorder local to the closure: one captured from outside costs an access check.)
                var ids = NoWordRecords()
                let layout = ClassLayout(keys: keys, values: values, mask: mask, always: always, capitalizedOnly: capitalizedOnly,
                                         gradeStart: judgementPatterns.gradeStart)
                if let (_, words) = TokenStream.describeASCII(bytes, readable: bytes.count, classes: layout, ids: &ids) { return words }
                return TokenStream.describeGeneric(bytes, prefilters: self, ids: &ids).1
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

    /// The id of a sequence of words (a phrase's word ids in order).
    static func sequenceID<C: Collection>(_ ids: C) -> WordID where C.Element == WordID {
        var h: UInt64 = 0x243F_6A88_85A3_08D3 ^ UInt64(ids.count)
        for id in ids {
            h = (h ^ id) &* WordHash.multiplier
            h ^= h >> 29
        }
        h = h &* 0xD6E8_FEB8_6659_FD93
        h ^= h >> 32
        return h == WordHash.none ? 1 : h
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

    /// The prefilters of `grammar`, its judgement patterns' requirements and the anchors of
    /// the phrases its facts look for (`GrammarTables`).
    convenience init(_ grammar: Grammar, judgementPatterns: PatternPrefilter, anchors: [WordID]) {
        var b = Builder()
        for key in grammar.sectionHeadings.keys { b.vocabularyHeadings.insert(key) }
        for key in grammar.serviceHeadings.keys { b.vocabularyHeadings.insert(key) }
        for key in grammar.timescaleHeadings.keys { b.vocabularyHeadings.insert(key) }
        for key in grammar.areaLabels.keys { b.vocabularyHeadings.insert(key) }
        for key in Array(grammar.sectionHeadings.keys) + Array(grammar.serviceHeadings.keys) where key.hasPrefix("the ") {
            b.vocabularyHeadings.insert(String(key.dropFirst(4)))
        }
        for key in b.vocabularyHeadings {
            let words = key.split(separator: " ").map(String.init)
            if let first = words.first, !first.isEmpty {
                b.headingFirst.set(WordHash.id(first), true)
            } else {
                b.anyHeadingFirst = true
                b.anyHeadingPair = true
            }
            if words.count >= 2 {
                b.headingStartPairs.set(Self.pairID(WordHash.id(words[0]), WordHash.id(words[1])), true)
            } else if let word = words.first {
                b.wholeHeading.set(WordHash.id(word), true)
            }
        }
        func sequence(_ key: String) -> WordID { Self.sequenceID(key.split(separator: " ").map { WordHash.id(String($0)) }) }
        for key in b.vocabularyHeadings {
            b.headingKeys.set(sequence(key), Int32(b.headingKeyStrings.count))
            b.headingKeyStrings.append(key)
        }
        for key in grammar.gradePhrases.keys { b.gradePhraseSequences.set(sequence(key), true) }
        for key in grammar.areaLabels.keys { b.areaLabelSequences.set(sequence(key), true) }
        for phrase in grammar.gradePhrases.keys {
            if let last = phrase.split(separator: " ").last {
                b.gradePhraseLastWords.insert(String(last))
                b.gradePhraseLastIDs.set(WordHash.id(String(last)), true)
            }
        }
        for line in grammar.furnitureLines {
            if let first = line.split(separator: " ").first { b.furnitureFirst.set(WordHash.id(String(first)), true) }
        }
        for prefix in grammar.furniturePrefixes { if let first = prefix.first, !first.isEmpty { b.furnitureFirst.set(WordHash.id(first), true) } }
        b.emptyFurniturePrefix = grammar.furniturePrefixes.contains { $0.isEmpty }
        for phrase in Array(grammar.gradePhrases.keys) + Array(grammar.notGradedPhrases) {
            if let first = phrase.split(separator: " ").first { b.gradeKeyFirst.set(WordHash.id(String(first)), true) }
        }
        for bullet in grammar.bullets where bullet.isASCII {
            let byte = UInt8(bullet.value)
            if byte < 0x40 { b.asciiBullets.low |= 1 << byte } else { b.asciiBullets.high |= 1 << (byte - 0x40) }
        }

        b.judgementPatterns = judgementPatterns
        for (id, bits) in judgementPatterns.wordBits { b.classes.update(id) { $0.judgement |= bits } }
        b.always.judgement = judgementPatterns.always

        func mark(_ words: [String?], _ bit: UInt64) {
            // A class some member of which has no word to show is in every text.
            if words.contains(where: { $0 == nil || $0!.isEmpty }) { b.always.classes |= bit }
            for word in words.compactMap({ $0 }) where !word.isEmpty { b.classes.update(WordHash.id(word)) { $0.classes |= bit } }
        }
        // Every use of these goes on to look for a whole noun, pattern or name, so one word of each will do.
        var termBits = TermFilter.Bits()
        b.improvementNouns = TermFilter(grammar.vocabulary.nouns.entries.map(\.words), bits: &termBits)
        b.references = TermFilter(grammar.referencePatterns.map(\.requiredWords), bits: &termBits)
        for (word, bit) in termBits.bits { b.classes.update(WordHash.id(word)) { $0.terms |= bit } }
        mark(grammar.authorities.index.firstWords, WordClass.authorityName)
        b.capitalizedOnly = WordClass.authorityName
        if let inspection = grammar.facts["inspection-dates"] { mark(inspection.near, WordClass.inspectionNear) } else { b.always.classes |= WordClass.inspectionNear }
        if let published = grammar.facts["published"] {
            mark(published.leads.map { $0.first }, WordClass.publicationLead)
        } else {
            b.always.classes |= WordClass.publicationLead
        }
        // The words before the grade of every prose pattern: when one pattern does not say,
        // every text may match.
        let before = grammar.patterns(.prose).flatMap(\.patterns).map { $0.wordsBeforeGrade(grammar.vocabulary) }
        if before.isEmpty || before.contains(where: { $0 == nil || $0!.digits }) {
            b.always.classes |= WordClass.gradeAfterItsWord
        } else {
            for choice in before { for id in choice!.ids { b.classes.update(id) { $0.classes |= WordClass.beforeGrade } } }
        }
        mark(["grade"], WordClass.grade)
        mark(["following"], WordClass.following)
        mark(["follows"], WordClass.follows)
        for id in anchors { b.classes.update(id) { $0.classes |= WordClass.phraseAnchor } }
        self.init(b)
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
    /// A word that stands just before the grade in a prose pattern ("as" of "… was rated as
    /// {grade}"), and a text in which such a word is followed by the first word of a grade:
    /// no prose pattern matches a text without that pair.
    static let beforeGrade: UInt64 = 1 << 9
    static let gradeAfterItsWord: UInt64 = 1 << 10
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
