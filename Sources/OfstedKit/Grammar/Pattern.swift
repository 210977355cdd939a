/// A pattern of the grammar's small matching language, compiled from a `match:` line.
///
///     {area} was rated as {grade}
///     {number} out of [the] {count} [{service}] {improvements} [to be completed] [{timescale}]
///
/// Words match words (see `Word`), `{slot}`s match vocabulary, `[ ... ]` is optional.
struct Pattern: Sendable {
    indirect enum Element: Sendable {
        case word(Literal)
        case slot(Slot)
        case optional([Element])
    }

    /// A word the pattern needs as written, with its id.
    struct Literal: Sendable {
        let text: String
        let id: WordID

        init(_ text: String) {
            self.text = text
            id = WordHash.id(text)
        }
    }

    enum Slot: String, CaseIterable, Sendable {
        case area, areas, grade, service, number, text, count, improvements, timescale
    }

    let elements: [Element]
    /// The `match:` line as written, for messages and `grammar check`.
    let source: String

    var slots: Set<Slot> {
        var found: Set<Slot> = []
        func visit(_ elements: [Element]) {
            for element in elements {
                switch element {
                case .slot(let slot): found.insert(slot)
                case .optional(let inner): visit(inner)
                case .word: break
                }
            }
        }
        visit(elements)
        return found
    }

    /// Compiles `source`; `file` and `line` locate errors.
    init(_ source: String, file: String, line: Int) throws(GrammarError) {
        self.source = source
        var stack: [[Element]] = [[]]
        var literal = ""
        func flushLiteral() {
            if !literal.isEmpty {
                stack[stack.count - 1].append(contentsOf: Words.normalize(literal).map { Element.word(Literal($0)) })
                literal = ""
            }
        }
        var index = source.startIndex
        while index < source.endIndex {
            let character = source[index]
            switch character {
            case "{":
                flushLiteral()
                guard let close = source[index...].firstIndex(of: "}") else {
                    throw GrammarError(file: file, line: line, message: "`{` without `}` in pattern `\(source)`")
                }
                let name = String(source[source.index(after: index)..<close])
                guard let slot = Slot(rawValue: name) else {
                    let known = Slot.allCases.map { "{\($0.rawValue)}" }.joined(separator: " ")
                    throw GrammarError(file: file, line: line, message: "unknown slot {\(name)} in pattern `\(source)`; the slots are \(known)")
                }
                stack[stack.count - 1].append(.slot(slot))
                index = source.index(after: close)
                continue
            case "[":
                flushLiteral()
                stack.append([])
            case "]":
                flushLiteral()
                guard stack.count > 1 else {
                    throw GrammarError(file: file, line: line, message: "`]` without `[` in pattern `\(source)`")
                }
                let inner = stack.removeLast()
                guard !inner.isEmpty else {
                    throw GrammarError(file: file, line: line, message: "an empty `[ ]` in pattern `\(source)`")
                }
                stack[stack.count - 1].append(.optional(inner))
            case "}":
                throw GrammarError(file: file, line: line, message: "`}` without `{` in pattern `\(source)`")
            default:
                literal.append(character)
            }
            index = source.index(after: index)
        }
        flushLiteral()
        guard stack.count == 1 else {
            throw GrammarError(file: file, line: line, message: "`[` without `]` in pattern `\(source)`")
        }
        guard !stack[0].isEmpty else {
            throw GrammarError(file: file, line: line, message: "the pattern is empty")
        }
        elements = stack[0]
    }
}

/// A vocabulary item found in text: its id and the words it spans.
struct Mention: Sendable, Equatable {
    let id: String
    let range: Range<Int>
}

/// An area found in text, with the service a qualifier gave it ("... for looked after children").
struct AreaMention: Sendable, Equatable {
    let id: String
    var service: Mention?
    let range: Range<Int>
}

/// What a pattern's slots matched.
struct Bindings: Sendable {
    var areas: [AreaMention] = []
    var grade: Mention?
    var service: Mention?
    var number: Int?
    var count: Int?
    var timescale: Mention?
    var noun: Mention?
    var text: Range<Int>?
}

/// The vocabulary the pattern slots draw on, indexed once when the grammar loads.
struct Vocabulary: Sendable {
    var areas = PhraseIndex<String>()
    var grades = PhraseIndex<String>()
    /// Service aliases trusted anywhere.
    var services = PhraseIndex<String>()
    /// Every service alias, including those trusted only as headings.
    var allServices = PhraseIndex<String>()
    var timescales = PhraseIndex<String>()
    var numbers = PhraseIndex<Int>()
    var nouns = PhraseIndex<String>()
    /// Patterns of `origin: label` that qualify an area with a service.
    var qualifiers: [Pattern] = []
}

/// Matches patterns against words.
///
/// Every entry point has a form that takes a `MatchMemo`: a caller that tries many patterns on
/// the same words (with the same matcher) passes one memo to all of them, so that what the
/// vocabulary slots match at each word is worked out once.
struct PatternMatcher: Sendable {
    let vocabulary: Vocabulary
    /// Whether `{service}` may match heading-only aliases (true for headings, labels, counts).
    var allServiceAliases: Bool

    /// Bindings when `pattern` matches the whole of `words`.
    func matchWhole(_ pattern: Pattern, _ words: Words) -> Bindings? {
        var memo = MatchMemo(words)
        return matchWhole(pattern, words, memo: &memo)
    }

    func matchWhole(_ pattern: Pattern, _ words: Words, memo: inout MatchMemo) -> Bindings? {
        run(pattern.elements[...], 0, Bindings(), words, anchored: true, qualify: true, memo: &memo)?.0
    }

    /// Whether one of `patterns` matches the whole of `words`.
    func matchesWhole(anyOf patterns: [Pattern], _ words: Words) -> Bool {
        var memo = MatchMemo(words)
        return patterns.contains { matchWhole($0, words, memo: &memo) != nil }
    }

    /// Bindings and end when `pattern` matches `words` starting at `start`.
    func matchPrefix(_ pattern: Pattern, _ words: Words, at start: Int) -> (Bindings, Int)? {
        var memo = MatchMemo(words)
        return matchPrefix(pattern, words, at: start, memo: &memo)
    }

    func matchPrefix(_ pattern: Pattern, _ words: Words, at start: Int, memo: inout MatchMemo) -> (Bindings, Int)? {
        if start < words.count, !mayStart(pattern.elements[0], words, start, &memo) { return nil }
        return run(pattern.elements[...], start, Bindings(), words, anchored: false, qualify: true, memo: &memo)
    }

    /// Every non-overlapping match of `pattern` in `words`, left to right.
    func search(_ pattern: Pattern, _ words: Words) -> [(Bindings, Range<Int>)] {
        var memo = MatchMemo(words)
        return search(pattern, words, memo: &memo)
    }

    func search(_ pattern: Pattern, _ words: Words, memo: inout MatchMemo) -> [(Bindings, Range<Int>)] {
        var results: [(Bindings, Range<Int>)] = []
        var start = 0
        while start < words.count {
            if mayStart(pattern.elements[0], words, start, &memo),
               let (bindings, end) = run(pattern.elements[...], start, Bindings(), words, anchored: false, qualify: true, memo: &memo),
               end > start {
                results.append((bindings, start..<end))
                start = end
            } else {
                start += 1
            }
        }
        return results
    }

    /// Whether `element` can match at `i`: a necessary condition, cheaper than trying.
    private func mayStart(_ element: Pattern.Element, _ words: Words, _ i: Int, _ memo: inout MatchMemo) -> Bool {
        switch element {
        case .word(let literal): return words[i].id == literal.id
        case .optional: return true
        case .slot(let slot):
            let starts = memo.starts(at: i, words, self)
            switch slot {
            case .area, .areas: return starts.contains(.area)
            case .grade: return starts.contains(.grade)
            case .timescale: return starts.contains(.timescale)
            case .improvements: return starts.contains(.improvements)
            case .service: return starts.contains(.service)
            case .number, .count: return starts.contains(.number)
            case .text: return true
            }
        }
    }

    private func run(_ elements: ArraySlice<Pattern.Element>, _ i: Int, _ bindings: Bindings, _ words: Words,
                     anchored: Bool, qualify: Bool, memo: inout MatchMemo) -> (Bindings, Int)? {
        guard let first = elements.first else {
            return (!anchored || i == words.count) ? (bindings, i) : nil
        }
        let rest = elements.dropFirst()
        switch first {
        case .word(let literal):
            guard i < words.count, words[i].id == literal.id else { return nil }
            return run(rest, i + 1, bindings, words, anchored: anchored, qualify: qualify, memo: &memo)
        case .optional(let inner):
            if let result = run(ArraySlice(inner + rest), i, bindings, words, anchored: anchored, qualify: qualify, memo: &memo) {
                return result
            }
            return run(rest, i, bindings, words, anchored: anchored, qualify: qualify, memo: &memo)
        case .slot(let slot):
            for (candidate, end) in candidates(slot, words, i, bindings, qualify: qualify, memo: &memo) {
                if let result = run(rest, end, candidate, words, anchored: anchored, qualify: qualify, memo: &memo) {
                    return result
                }
            }
            return nil
        }
    }

    /// The ways `slot` can match at `i`, most words first (fewest first for `{text}`).
    private func candidates(_ slot: Pattern.Slot, _ words: Words, _ i: Int, _ bindings: Bindings,
                            qualify: Bool, memo: inout MatchMemo) -> [(Bindings, Int)] {
        guard i < words.count else { return [] }
        var out: [(Bindings, Int)] = []
        switch slot {
        case .grade:
            for (id, end) in vocabulary.grades.matches(in: words, at: i) {
                var b = bindings
                b.grade = Mention(id: id, range: i..<end)
                out.append((b, end))
            }
        case .area:
            for area in areaCandidates(words, i, qualify: qualify, memo: &memo) {
                var b = bindings
                b.areas.append(area)
                out.append((b, area.range.upperBound))
            }
        case .areas:
            for (list, end) in areaListCandidates(words, i, memo: &memo) {
                var b = bindings
                b.areas.append(contentsOf: list)
                out.append((b, end))
            }
        case .service:
            for mention in serviceCandidates(words, i) {
                var b = bindings
                b.service = mention
                out.append((b, mention.range.upperBound))
            }
        case .timescale:
            let start = words[i].id == CommonWords.the ? i + 1 : i
            for (id, end) in vocabulary.timescales.matches(in: words, at: start) {
                var b = bindings
                b.timescale = Mention(id: id, range: i..<end)
                out.append((b, end))
            }
        case .improvements:
            for (id, end) in vocabulary.nouns.matches(in: words, at: i) {
                var b = bindings
                b.noun = Mention(id: id, range: i..<end)
                out.append((b, end))
            }
        case .number, .count:
            for (value, end) in numberCandidates(words, i) {
                var b = bindings
                if slot == .count { b.count = value } else { b.number = value }
                out.append((b, end))
            }
        case .text:
            var end = i + 1
            while end <= min(i + 8, words.count) {
                var b = bindings
                b.text = i..<end
                out.append((b, end))
                end += 1
            }
        }
        return out
    }

    func numberCandidates(_ words: Words, _ i: Int) -> [(Int, Int)] {
        var out: [(Int, Int)] = []
        let text = words[i].text
        if text.count <= 4, let value = Int(text) { out.append((value, i + 1)) }
        out.append(contentsOf: vocabulary.numbers.matches(in: words, at: i).map { ($0.value, $0.end) })
        return out
    }

    func serviceCandidates(_ words: Words, _ i: Int) -> [Mention] {
        let index = allServiceAliases ? vocabulary.allServices : vocabulary.services
        var out: [Mention] = []
        for start in words[i].id == CommonWords.the ? [i, i + 1] : [i] where start < words.count {
            for (id, end) in index.matches(in: words, at: start) {
                out.append(Mention(id: id, range: i..<end))
            }
        }
        return out.sorted { $0.range.upperBound > $1.range.upperBound }
    }

    /// Plain area aliases at `i` (an optional leading "the"), and with `qualify`, the same
    /// followed by a service qualifier; longest first.
    func areaCandidates(_ words: Words, _ i: Int, qualify: Bool) -> [AreaMention] {
        var memo = MatchMemo(words)
        return areaCandidates(words, i, qualify: qualify, memo: &memo)
    }

    private func areaCandidates(_ words: Words, _ i: Int, qualify: Bool, memo: inout MatchMemo) -> [AreaMention] {
        if let known = memo.areas[qualify ? 1 : 0][i] { return known }
        var out: [AreaMention] = []
        for start in words[i].id == CommonWords.the ? [i, i + 1] : [i] where start < words.count {
            for (id, end) in vocabulary.areas.matches(in: words, at: start) {
                out.append(AreaMention(id: id, service: nil, range: i..<end))
            }
        }
        if qualify && !out.isEmpty {
            for qualifier in vocabulary.qualifiers {
                if let (b, end) = run(qualifier.elements[...], i, Bindings(), words, anchored: false, qualify: false, memo: &memo),
                   let area = b.areas.first {
                    out.append(AreaMention(id: area.id, service: b.service, range: i..<end))
                }
            }
        }
        let sorted = out.sorted { $0.range.upperBound > $1.range.upperBound }
        memo.areas[qualify ? 1 : 0][i] = sorted
        return sorted
    }

    /// Lists of areas joined by ",", "and", ";" at `i`, longest first; a service qualifier after
    /// the last area ("... and leadership and management for looked after children") applies
    /// to the whole list.
    func areaListCandidates(_ words: Words, _ i: Int) -> [([AreaMention], Int)] {
        var memo = MatchMemo(words)
        return areaListCandidates(words, i, memo: &memo)
    }

    private func areaListCandidates(_ words: Words, _ i: Int, memo: inout MatchMemo) -> [([AreaMention], Int)] {
        if let known = memo.areaLists[i] { return known }
        var lists: [([AreaMention], Int)] = []
        var current: [AreaMention] = []
        var position = i
        while position < words.count {
            guard let area = areaCandidates(words, position, qualify: false, memo: &memo).first else { break }
            current.append(area)
            var end = area.range.upperBound
            // A qualifier on the last area so far qualifies the list so far.
            var qualified = current
            for qualifier in vocabulary.qualifiers {
                if let (b, qEnd) = run(qualifier.elements[...], area.range.lowerBound, Bindings(), words, anchored: false, qualify: false, memo: &memo),
                   qEnd > end, let service = b.service {
                    qualified = current.map { AreaMention(id: $0.id, service: service, range: $0.range) }
                    end = qEnd
                    break
                }
            }
            lists.append((qualified, end))
            if end > area.range.upperBound { break }
            // Separators between areas.
            var next = end
            while next < words.count, CommonWords.isAreaListSeparator(words[next].id) { next += 1 }
            if next == end { break }
            position = next
        }
        let result = Array(lists.reversed())
        memo.areaLists[i] = result
        return result
    }
}

/// What the vocabulary slots match at each word of one text, filled in as patterns ask.
///
/// Valid for one `Words` and one matcher (the service aliases it allows change what a
/// qualified area is): make one per text and matcher.
struct MatchMemo {
    struct Starts: OptionSet {
        let rawValue: UInt8
        static let area = Starts(rawValue: 1)
        static let grade = Starts(rawValue: 2)
        static let timescale = Starts(rawValue: 4)
        static let improvements = Starts(rawValue: 8)
        static let service = Starts(rawValue: 16)
        static let number = Starts(rawValue: 32)
        static let known = Starts(rawValue: 128)
    }

    private var starts: [Starts]
    /// Area candidates at each word: [0] plain, [1] with service qualifiers.
    fileprivate var areas: [[[AreaMention]?]]
    fileprivate var areaLists: [[([AreaMention], Int)]?]

    init(_ words: Words) {
        starts = Array(repeating: [], count: words.count)
        areas = Array(repeating: Array(repeating: nil, count: words.count), count: 2)
        areaLists = Array(repeating: nil, count: words.count)
    }

    /// Which slots can start at word `i`: an area or service (after an optional "the"), a
    /// grade, a timescale (after "the" when there is one), an improvement noun, a number.
    fileprivate mutating func starts(at i: Int, _ words: Words, _ matcher: PatternMatcher) -> Starts {
        if starts[i].contains(.known) { return starts[i] }
        let vocabulary = matcher.vocabulary
        var found: Starts = .known
        let id = words[i].id
        let afterThe = id == CommonWords.the && i + 1 < words.count ? words[i + 1].id : nil
        let services = matcher.allServiceAliases ? vocabulary.allServices : vocabulary.services
        if services.mayStart(with: id) || afterThe.map(services.mayStart(with:)) == true { found.insert(.service) }
        if !matcher.numberCandidates(words, i).isEmpty { found.insert(.number) }
        if vocabulary.areas.mayStart(with: id) || afterThe.map(vocabulary.areas.mayStart(with:)) == true { found.insert(.area) }
        if vocabulary.grades.mayStart(with: id) { found.insert(.grade) }
        if id == CommonWords.the ? afterThe.map(vocabulary.timescales.mayStart(with:)) == true : vocabulary.timescales.mayStart(with: id) {
            found.insert(.timescale)
        }
        if vocabulary.nouns.mayStart(with: id) { found.insert(.improvements) }
        starts[i] = found
        return found
    }
}

/// A set of words a pattern's match may have at some place: these ids, and any word of digits
/// when `digits` (a `{number}`).
struct WordChoice: Sendable {
    var ids: Set<WordID> = []
    var digits = false

    func union(_ other: WordChoice) -> WordChoice {
        WordChoice(ids: ids.union(other.ids), digits: digits || other.digits)
    }

    /// Whether a word with `id` (of digits when `isDigits`) is among them.
    func contains(_ id: WordID, isDigits: Bool) -> Bool { ids.contains(id) || (digits && isDigits) }
}

extension Pattern {
    /// The words a match may end with, or nil when the pattern does not say (it may end with
    /// an area, a service or any text).
    func lastWords(_ vocabulary: Vocabulary) -> WordChoice? {
        Self.lastWords(elements[...], vocabulary)
    }

    /// The words that may stand just before the grade of a match: the pattern's word or slot
    /// before each `{grade}`; nil when the pattern does not say.
    func wordsBeforeGrade(_ vocabulary: Vocabulary) -> WordChoice? {
        var choice = WordChoice()
        var found = false
        for (index, element) in elements.enumerated() {
            switch element {
            case .slot(.grade):
                guard index > 0, let before = Self.lastWords(elements[..<index], vocabulary) else { return nil }
                choice = choice.union(before)
                found = true
            case .optional(let inner):
                // A grade that may not be there leaves the match to the other words.
                if Self.mentionsGrade(inner) { return nil }
            default:
                break
            }
        }
        return found ? choice : nil
    }

    private static func mentionsGrade(_ elements: [Element]) -> Bool {
        elements.contains { element in
            switch element {
            case .slot(.grade): return true
            case .optional(let inner): return mentionsGrade(inner)
            default: return false
            }
        }
    }

    /// The words a match of `elements` may end with; nil when they do not say.
    private static func lastWords(_ elements: ArraySlice<Element>, _ vocabulary: Vocabulary) -> WordChoice? {
        guard let last = elements.last else { return nil }
        switch last {
        case .word(let literal):
            return WordChoice(ids: [literal.id])
        case .optional(let inner):
            guard let withIt = lastWords(inner[...], vocabulary), let without = lastWords(elements.dropLast(), vocabulary) else { return nil }
            return withIt.union(without)
        case .slot(let slot):
            func lastOf<V>(_ index: PhraseIndex<V>) -> WordChoice {
                WordChoice(ids: Set(index.entries.compactMap { $0.ids.last }))
            }
            switch slot {
            case .grade: return lastOf(vocabulary.grades)
            case .number, .count:
                var choice = lastOf(vocabulary.numbers)
                choice.digits = true
                return choice
            case .improvements: return lastOf(vocabulary.nouns)
            case .timescale: return lastOf(vocabulary.timescales)
            case .area, .areas, .service, .text: return nil
            }
        }
    }
}
