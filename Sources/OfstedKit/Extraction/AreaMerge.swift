/// Merges repeated statements of an area for improvement without comparing every pair.
///
/// The rule is `AreaExtractor.merge`'s: a statement joins the first earlier area whose
/// normalized text is the same, is a prefix of its own or has it as a prefix (40 characters or
/// more), or shares nine tenths of its word pairs (Dice ≥ 0.9); a quote joins the first area with
/// its number, or one that passes the same test. Comparing every pair made a list of 4,000 items
/// take six minutes, so the areas are indexed instead: by text, by their first 40 characters, and
/// by their rarest word pairs — enough of them that two texts with Dice ≥ 0.9 always share one
/// ("prefix filtering"). Only areas an index offers are compared, earliest first, and at most
/// `maxComparisons` of them per statement, so that even a hostile document stays linear. Real
/// documents have tens of areas, far below that bound, and merge exactly as by the pairwise rule.
struct AreaMerger {
    /// How many earlier areas one statement is compared with, at most.
    static let maxComparisons = 256

    /// What the rule compares, computed once per statement.
    struct Key {
        /// The normalized text (`AreaExtractor.normalized`).
        let text: String
        /// Its length in characters.
        let length: Int
        /// Its word pairs, each numbered by occurrence so that a set intersection counts repeats
        /// as Dice does; as ids, ascending.
        let pairs: [Int]
        /// The rarest `pairs`, as many as any text with Dice ≥ 0.9 to this one must share one of.
        let probe: [Int]

        var start: String? { length >= 40 ? String(text.prefix(40)) : nil }
    }

    let candidates: [AreaExtractor.Candidate]
    let keys: [Key]

    /// A word pair, numbered by occurrence in its text so that a set intersection counts
    /// repeats as Dice does.
    private struct Gram: Hashable {
        var first: Int
        var second: Int
        var occurrence = 0

        /// One mixed integer hashed instead of three: equality still compares every field.
        func hash(into hasher: inout Hasher) {
            hasher.combine(first &* 0x9E37_79B9 &+ second &* 0x85EB_CA6B &+ occurrence)
        }
    }

    init(_ candidates: [AreaExtractor.Candidate]) {
        self.candidates = candidates
        // A word pair is the numbers of its two words (the second -1 for a text of one word,
        // which `Similarity.bigrams` gives as its only "pair"): the same pairs as the bigram
        // strings, hashed as integers instead of built and hashed as strings. A word is numbered
        // by its id, which is its text's (see `WordID`).
        var wordNumbers: [WordID: Int] = [:]
        var ids: [Gram: Int] = [:]
        var frequency: [Int] = []
        var pairLists: [[Int]] = []
        var texts: [String] = []
        var grams: [Gram] = []
        var order: [Int] = []
        for candidate in candidates {
            let words = AreaExtractor.normalizedWordList(candidate.text)
            let text = words.map(\.text).joined(separator: " ")
            let numbers = words.map { word in
                if let number = wordNumbers[word.id] { return number }
                wordNumbers[word.id] = wordNumbers.count
                return wordNumbers.count - 1
            }
            grams.removeAll(keepingCapacity: true)
            if numbers.count == 1 { grams.append(Gram(first: numbers[0], second: -1)) }
            for i in numbers.indices.dropLast() { grams.append(Gram(first: numbers[i], second: numbers[i + 1])) }
            // Each pair's occurrence number in this text: positions sorted by pair, then by
            // position, so that the repeats of a pair are a run in text order (no table per text).
            order.removeAll(keepingCapacity: true)
            order.append(contentsOf: grams.indices)
            order.sort { a, b in
                let x = grams[a], y = grams[b]
                return (x.first, x.second, a) < (y.first, y.second, b)
            }
            for (rank, position) in order.enumerated() where rank > 0 {
                let previous = order[rank - 1]
                if grams[previous].first == grams[position].first && grams[previous].second == grams[position].second {
                    grams[position].occurrence = grams[previous].occurrence + 1
                }
            }
            var pairs: [Int] = []
            pairs.reserveCapacity(grams.count)
            for name in grams {
                let id: Int
                if let known = ids[name] {
                    id = known
                } else {
                    id = frequency.count
                    ids[name] = id
                    frequency.append(0)
                }
                frequency[id] += 1
                pairs.append(id)
            }
            texts.append(text)
            pairLists.append(pairs)
        }
        keys = zip(texts, pairLists).map { text, pairs in
            // Dice ≥ 0.9 means 2s ≥ 0.9(a + b) for s shared of a and b pairs; as s ≤ b, s ≥ 9a/11.
            // Two sets sharing at least `needed` of this one's pairs share one of its first
            // a - needed + 1 in any fixed order; rarest first keeps the index lists short.
            let needed = (9 * pairs.count + 10) / 11
            let probe = pairs.sorted { (frequency[$0], $0) < (frequency[$1], $1) }.prefix(pairs.count - needed + 1)
            // Characters counted on bytes where each scalar is one.
            let length = text.utf8.withContiguousBytes { StandaloneScalars.count($0, upTo: Int.max) } ?? text.count
            return Key(text: text, length: length, pairs: pairs.sorted(), probe: Array(probe))
        }
    }

    /// The rule: two statements of the same area.
    func same(_ a: Int, _ b: Int) -> Bool {
        let x = keys[a], y = keys[b]
        guard !x.text.isEmpty, !y.text.isEmpty else { return false }
        if x.text == y.text { return true }
        let (short, long) = x.length <= y.length ? (x, y) : (y, x)
        if short.length >= 40 && long.text.hasPrefix(short.text) { return true }
        return Double(2 * Self.shared(x.pairs, y.pairs)) / Double(x.pairs.count + y.pairs.count) >= 0.9
    }

    private static func shared(_ a: [Int], _ b: [Int]) -> Int {
        var i = 0, j = 0, count = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] {
                count += 1
                i += 1
                j += 1
            } else if a[i] < b[j] {
                i += 1
            } else {
                j += 1
            }
        }
        return count
    }

    /// The areas so far, indexed by what the rule looks at.
    private struct Index {
        var byText: [String: Int] = [:]
        var byStart: [String: [Int]] = [:]
        var byPair: [Int: [Int]] = [:]
        /// The statement (candidate index) each area is keyed by.
        var statement: [Int] = []

        mutating func add(_ candidate: Int, key: Key) {
            let area = statement.count
            statement.append(candidate)
            if !key.text.isEmpty, byText[key.text] == nil { byText[key.text] = area }
            if let start = key.start { byStart[start, default: []].append(area) }
            for pair in key.probe { byPair[pair, default: []].append(area) }
        }
    }

    /// The first area (index into the areas so far) that `candidate` is a statement of, if any.
    private func first(_ candidate: Int, in index: Index, before bound: Int?) -> Int? {
        let key = keys[candidate]
        guard !key.text.isEmpty else { return bound }
        var best = bound
        if let exact = index.byText[key.text] { best = min(best ?? exact, exact) }
        var offered: [Int] = []
        var lists: [[Int]] = key.start.flatMap { index.byStart[$0] }.map { [$0] } ?? []
        for pair in key.probe { if let list = index.byPair[pair] { lists.append(list) } }
        for list in lists {
            // Each list is ascending: only its first areas can be the earliest.
            for area in list.prefix(Self.maxComparisons) {
                if let best, area >= best { break }
                offered.append(area)
            }
        }
        for area in Set(offered).sorted().prefix(Self.maxComparisons) {
            if let best, area >= best { break }
            if same(index.statement[area], candidate) { return area }
        }
        return best
    }

    /// Statements of the same area become one; see `AreaExtractor.merge`.
    func merged() -> [AreaExtractor.Candidate] {
        var merged: [AreaExtractor.Candidate] = []
        var statements: [[Int]] = []
        var index = Index()
        for (candidate, statement) in candidates.enumerated() where !statement.isQuote {
            if let area = first(candidate, in: index, before: nil) {
                statements[area].append(candidate)
                if merged[area].number == nil { merged[area].number = statement.number }
                if merged[area].status == nil { merged[area].status = statement.status }
                continue
            }
            index.add(candidate, key: keys[candidate])
            merged.append(statement)
            statements.append([candidate])
        }
        var byNumber: [ItemNumber: Int] = [:]
        for (area, statement) in merged.enumerated() {
            if let number = statement.number, byNumber[number] == nil { byNumber[number] = area }
        }
        for (candidate, quote) in candidates.enumerated() where quote.isQuote {
            let numbered = quote.number.flatMap { byNumber[$0] }
            if let area = first(candidate, in: index, before: numbered) {
                statements[area].append(candidate)
            } else {
                index.add(candidate, key: keys[candidate])
                if let number = quote.number, byNumber[number] == nil { byNumber[number] = merged.count }
                merged.append(quote)
                statements.append([candidate])
            }
        }
        // The first full statement: among the statements that list the area (a quote under
        // "Area for Improvement 8" only repeats it), the earliest whose text is not a truncation
        // of a longer one.
        for area in merged.indices {
            let listing = statements[area].filter { !candidates[$0].isQuote }
            let pool = listing.isEmpty ? statements[area] : listing
            let longest = pool.map { keys[$0].length }.max() ?? 0
            guard let first = pool.filter({ keys[$0].length * 10 >= longest * 9 })
                .min(by: { candidates[$0].line < candidates[$1].line }) else { continue }
            merged[area].text = candidates[first].text
            merged[area].line = candidates[first].line
            merged[area].endLine = candidates[first].endLine
        }
        return merged
    }
}
