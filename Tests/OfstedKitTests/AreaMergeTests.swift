@testable import OfstedKit
import XCTest

/// The indexed merge of repeated areas gives what comparing every pair gives.
final class AreaMergeTests: XCTestCase {
    typealias Candidate = AreaExtractor.Candidate

    /// The rule as first written: every statement against every earlier area (quadratic).
    static func pairwiseMerge(_ candidates: [Candidate]) -> [Candidate] {
        func same(_ a: Candidate, _ b: Candidate) -> Bool {
            let x = AreaExtractor.normalized(a.text), y = AreaExtractor.normalized(b.text)
            guard !x.isEmpty, !y.isEmpty else { return false }
            if x == y { return true }
            let (short, long) = x.count <= y.count ? (x, y) : (y, x)
            if short.count >= 40 && long.hasPrefix(short) { return true }
            return Similarity.dice(x, y) >= 0.9
        }
        var merged: [Candidate] = []
        var statements: [[Candidate]] = []
        for candidate in candidates.filter({ !$0.isQuote }) {
            if let index = merged.indices.first(where: { same(merged[$0], candidate) }) {
                statements[index].append(candidate)
                if merged[index].number == nil { merged[index].number = candidate.number }
                if merged[index].status == nil { merged[index].status = candidate.status }
                continue
            }
            merged.append(candidate)
            statements.append([candidate])
        }
        for quote in candidates.filter(\.isQuote) {
            if let index = merged.indices.first(where: { (quote.number != nil && merged[$0].number == quote.number) || same(merged[$0], quote) }) {
                statements[index].append(quote)
            } else {
                merged.append(quote)
                statements.append([quote])
            }
        }
        for index in merged.indices {
            let listing = statements[index].filter { !$0.isQuote }
            let pool = listing.isEmpty ? statements[index] : listing
            let longest = pool.map { AreaExtractor.normalized($0.text).count }.max() ?? 0
            guard let first = pool.filter({ AreaExtractor.normalized($0.text).count * 10 >= longest * 9 })
                .min(by: { $0.line < $1.line }) else { continue }
            merged[index].text = first.text
            merged[index].line = first.line
            merged[index].endLine = first.endLine
        }
        return merged
    }

    static func describe(_ candidates: [Candidate]) -> [String] {
        candidates.map { "\($0.line)-\($0.endLine) \($0.number?.description ?? "-") \($0.status ?? "-") \($0.isQuote) \($0.text)" }
    }

    /// Random lists with repeats, truncations, near-repeats, quotes and numbers.
    func testIndexedMergeAgreesWithPairwiseMerge() {
        var generator = SplitMix(seed: 2026)
        let words = ["ensure", "that", "the", "local", "authority", "children", "in", "care", "plans", "are", "reviewed",
                     "regularly", "and", "managers", "oversee", "supervision", "of", "social", "workers", "is", "effective",
                     "–", "(", ")", "1", "2", "3"]
        var statements = 0
        var areas = 0
        for round in 0..<200 {
            var candidates: [Candidate] = []
            let count = Int(generator.next() % 40)
            for line in 0..<count {
                let text: String
                let choice = generator.next() % 6
                if choice < 2 || candidates.isEmpty {
                    let length = Int(generator.next() % 24)
                    text = (0..<length).map { _ in words[Int(generator.next() % UInt64(words.count))] }.joined(separator: " ")
                } else {
                    let base = candidates[Int(generator.next() % UInt64(candidates.count))].text
                    var parts = base.split(separator: " ").map(String.init)
                    switch choice {
                    case 2: break  // a repeat
                    case 3: parts = Array(parts.prefix(max(0, parts.count - Int(generator.next() % 4))))  // a truncation
                    case 4 where !parts.isEmpty:
                        parts[Int(generator.next() % UInt64(parts.count))] = words[Int(generator.next() % UInt64(words.count))]
                    default: parts.append(words[Int(generator.next() % UInt64(words.count))])
                    }
                    text = parts.joined(separator: " ")
                }
                let number: ItemNumber? = generator.next() % 3 == 0 ? .integer(Int(generator.next() % 5)) : nil
                candidates.append(Candidate(service: "local-authority", timescale: "unspecified", text: text, number: number,
                                            status: generator.next() % 5 == 0 ? "done" : nil, line: line + 1,
                                            endLine: line + 1 + Int(generator.next() % 2), isQuote: generator.next() % 4 == 0))
            }
            let expected = Self.describe(Self.pairwiseMerge(candidates))
            let actual = Self.describe(AreaMerger(candidates).merged())
            XCTAssertEqual(actual, expected, "round \(round)")
            statements += candidates.count
            areas += expected.count
        }
        XCTAssertLessThan(areas, statements * 3 / 4, "the rounds merge many statements, so the rule is exercised")
    }

    /// Thousands of distinct items under one heading merge in about linear time (it was minutes).
    func testManyDistinctAreasAreNotComparedPairwise() {
        var text = "Areas for improvement\n\nImmediately:\n\n"
        for index in 0..<5_000 {
            text += "- ensure that item number \(index) is reviewed by the director \(index * 7919 % 10007)\n"
        }
        let extraction = Repository.extract(text)
        XCTAssertEqual(extraction.areasForImprovement.count, 5_000)
        XCTAssertEqual(extraction.areasForImprovement.last?.line, 5_004)
    }
}

/// A small seeded random generator, so that property tests repeat exactly.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
