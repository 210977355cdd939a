import Foundation

/// Which areas for improvement of two documents say nearly the same thing.
///
/// The measure is `Similarity.dice` over word bigrams (pairs of adjacent words) of the texts
/// normalized as the extractor normalizes them (lowercased, curly quotes folded, hyphens as
/// spaces, punctuation dropped): twice the shared bigrams over all bigrams, from 0 to 1. Bigrams
/// rather than single words, because single words rate "The quality of assessments" and "The
/// quality of placements" as close through their function words, while shared bigrams mean a
/// shared phrase. Over the 481 reports of the project's corpus, pairs of different councils'
/// areas at 0.5 or more say the same thing in other words ("The response to 16- and 17-year-olds
/// who present as homeless" / "The response to children aged 16 and 17 years who present as
/// homeless"), and below 0.4 they mostly share only a frame ("The quality and consistency of …").
///
/// Matching is one-to-one: the most similar pair first; on a tie, the pair placed alike (same
/// service and timescale), then document order.
struct AreaMatcher: Sendable {
    /// The threshold `ofsted compare` and `ofsted diff` use unless told otherwise.
    static let defaultThreshold = 0.5

    let threshold: Double

    struct Match: Sendable, Equatable {
        let left: Int
        let right: Int
        let similarity: Double
    }

    static func normalized(_ text: String) -> String { AreaExtractor.normalized(text) }

    static func similarity(_ a: String, _ b: String) -> Double {
        let x = normalized(a), y = normalized(b)
        if x.isEmpty && y.isEmpty { return a == b ? 1 : 0 }
        return Similarity.dice(x, y)
    }

    /// An area's normalized text and its word bigrams as sorted numbers, computed once so that
    /// comparing many documents does not normalize the same text again for every pair.
    struct Prepared: Sendable {
        let normalized: String
        let grams: [Int]
    }

    /// Numbers for bigrams, shared by the texts of one comparison.
    struct Grams {
        private var ids: [String: Int] = [:]

        mutating func prepare(_ areas: [AreaForImprovement]) -> [Prepared] {
            areas.map { area in
                let normalized = AreaMatcher.normalized(area.text)
                let grams = Similarity.bigrams(normalized).filter { !$0.isEmpty }.map { gram in
                    if let id = ids[gram] { return id }
                    ids[gram] = ids.count
                    return ids.count - 1
                }
                return Prepared(normalized: normalized, grams: grams.sorted())
            }
        }
    }

    /// `Similarity.dice` on prepared texts: twice the shared bigrams (as a multiset) over all.
    static func dice(_ x: Prepared, _ y: Prepared) -> Double {
        if x.normalized == y.normalized { return 1 }
        guard !x.grams.isEmpty || !y.grams.isEmpty else { return 1 }
        // A merge of two sorted lists; raw buffers, because a comparison of many documents makes
        // this call for every pair of their areas.
        let shared = x.grams.withUnsafeBufferPointer { a in
            y.grams.withUnsafeBufferPointer { b in
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
        }
        return Double(2 * shared) / Double(x.grams.count + y.grams.count)
    }

    /// Pairs each area of `left` with at most one of `right`, similarity at or above the threshold.
    func match(_ left: [AreaForImprovement], _ right: [AreaForImprovement]) -> [Match] {
        var grams = Grams()
        return match(left, grams.prepare(left), right, grams.prepare(right))
    }

    /// `match` on texts prepared with one `Grams`.
    func match(_ left: [AreaForImprovement], _ x: [Prepared], _ right: [AreaForImprovement], _ y: [Prepared]) -> [Match] {
        var candidates: [(match: Match, placed: Bool)] = []
        for i in x.indices {
            for j in y.indices {
                // Dice can be no more than 2·min/(m+n): texts of very different lengths are skipped.
                let (m, n) = (x[i].grams.count, y[j].grams.count)
                if m + n > 0 && Double(2 * min(m, n)) / Double(m + n) < threshold { continue }
                let value = x[i].normalized == y[j].normalized ? 1
                    : (x[i].normalized.isEmpty || y[j].normalized.isEmpty ? 0 : Self.dice(x[i], y[j]))
                guard value >= threshold else { continue }
                let placed = left[i].service == right[j].service && left[i].timescale == right[j].timescale
                candidates.append((Match(left: i, right: j, similarity: value), placed))
            }
        }
        candidates.sort { a, b in
            if a.match.similarity != b.match.similarity { return a.match.similarity > b.match.similarity }
            if a.placed != b.placed { return a.placed }
            if a.match.left != b.match.left { return a.match.left < b.match.left }
            return a.match.right < b.match.right
        }
        var usedLeft = Set<Int>(), usedRight = Set<Int>()
        var matches: [Match] = []
        for (match, _) in candidates where !usedLeft.contains(match.left) && !usedRight.contains(match.right) {
            usedLeft.insert(match.left)
            usedRight.insert(match.right)
            matches.append(match)
        }
        return matches.sorted { ($0.left, $0.right) < ($1.left, $1.right) }
    }

    /// Whether two texts are the same words (case, punctuation and spacing aside).
    static func sameWords(_ a: String, _ b: String) -> Bool { normalized(a) == normalized(b) }
}

/// A count of areas for improvement a document states ("Five out of the nine Safeguarding areas
/// for improvement to be completed within six months"), as its `areas.count-mismatch` diagnostic
/// reports it.
///
/// The contract carries stated counts only inside that diagnostic's message, so this reads the
/// message the extractor writes: `the document states N areas for improvement (SCOPE) ("QUOTE")
/// but M are listed`. A test pins the form against the seeds; a count the document states that
/// agrees with its own list leaves no diagnostic, and so is not seen here.
struct StatedCount: Sendable, Equatable {
    let count: Int
    let service: String?
    let timescale: String?
    let quote: String
    let line: Int?
    /// How many areas the document itself lists in that scope.
    let listed: Int

    static func all(in extraction: Extraction, grammar: Grammar) -> [StatedCount] {
        extraction.diagnostics.compactMap { parse($0, grammar: grammar) }
    }

    static func parse(_ diagnostic: Diagnostic, grammar: Grammar) -> StatedCount? {
        guard diagnostic.code == "areas.count-mismatch",
              let expression = try? NSRegularExpression(
                pattern: #"^the document states (\d+) areas for improvement(?: \(([^()"]*)\))? \("(.*)"\) but (\d+) (?:is|are) listed$"#,
                options: [.dotMatchesLineSeparators]) else { return nil }
        let message = diagnostic.message
        let nsMessage = message as NSString
        guard let found = expression.firstMatch(in: message, range: NSRange(location: 0, length: nsMessage.length)) else { return nil }
        func group(_ index: Int) -> String? {
            let range = found.range(at: index)
            return range.location == NSNotFound ? nil : nsMessage.substring(with: range)
        }
        guard let count = group(1).flatMap({ Int($0) }), let listed = group(4).flatMap({ Int($0) }) else { return nil }
        var service: String?
        var timescale: String?
        for part in (group(2) ?? "").split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            if grammar.timescales.contains(part) {
                timescale = part
            } else if grammar.service(part) != nil {
                service = part
            } else {
                return nil
            }
        }
        return StatedCount(count: count, service: service, timescale: timescale, quote: group(3) ?? "",
                           line: diagnostic.line, listed: listed)
    }

    /// How many of `areas` fall in this count's scope.
    func count(in areas: [AreaForImprovement]) -> Int {
        areas.filter { (service == nil || $0.service == service) && (timescale == nil || $0.timescale == timescale) }.count
    }
}
