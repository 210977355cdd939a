import Foundation

// Byte-level answers to questions the parser asks of every line — does it contain this, how
// many characters or space-separated words does it have — with the same answers as the
// character-level code they replace. ASCII, nearly all of a report, is decided on bytes; where
// a non-ASCII scalar could change what a character is (a combining mark after a space or a
// full stop), the question goes to the character-level code.

extension StringProtocol {
    /// Whether the text contains `needle`: the answer of Foundation's `contains(_:)` (or, with
    /// `ignoringCase`, of `lowercased().contains(needle)` for a lowercase needle), found by
    /// scanning bytes instead of characters.
    ///
    /// The needle is ASCII (any other needle is left to Foundation). Foundation compares characters, so where a match touches a non-ASCII
    /// scalar (a combining mark after it would make its last character another one) the answer
    /// is left to Foundation; so is any text that could hold a Kelvin sign, the one non-ASCII
    /// scalar that lowercases to an ASCII letter, when the needle has a "k".
    func containsASCII(_ needle: String, ignoringCase: Bool = false) -> Bool {
        let found = utf8.withContiguousBytes { haystack in
            needle.withUTF8Bytes { needle in ASCIISearch.find(needle, in: haystack, ignoringCase: ignoringCase) }
        }
        switch found {
        case .found: return true
        case .absent: return false
        case .unsure: return ignoringCase ? lowercased().contains(needle) : contains(needle)
        }
    }
}

extension StringProtocol {
    /// `trimmingCharacters(in: .whitespaces)`, without Foundation when neither end can be
    /// whitespace (an ASCII byte other than space and tab).
    func trimmingWhitespace() -> String {
        let plainEnds = utf8.withContiguousBytes { bytes in
            guard let first = bytes.first, let last = bytes.last else { return false }
            return first < 0x80 && last < 0x80 && first != 0x20 && first != 0x09 && last != 0x20 && last != 0x09
        }
        return plainEnds ? String(self) : trimmingCharacters(in: .whitespaces)
    }

    /// Whether the text has at most `limit` characters: `count <= limit`, without walking the
    /// characters of a text whose bytes already decide it.
    func hasAtMostCharacters(_ limit: Int) -> Bool {
        // No character is shorter than a byte; a text of scalars that stand alone (ASCII
        // without "\r\n", curly quotes, dashes) has one character per scalar.
        if utf8.count <= limit { return true }
        if let scalars = utf8.withContiguousBytes({ StandaloneScalars.count($0, upTo: limit + 1) }) { return scalars <= limit }
        return count <= limit
    }

    /// How many pieces `split(separator: " ")` gives: the runs of characters between spaces.
    func spaceSeparatedCount() -> Int { spaceSeparatedCount(upTo: Int.max) }

    /// Whether `split(separator: " ")` gives at most `limit` pieces: `spaceSeparatedCount() <= limit`,
    /// without reading past the piece that exceeds it.
    func hasAtMostSpaceSeparated(_ limit: Int) -> Bool { spaceSeparatedCount(upTo: limit + 1) <= limit }

    /// `spaceSeparatedCount()`, or `cap` when there are at least that many pieces.
    private func spaceSeparatedCount(upTo cap: Int) -> Int {
        utf8.withContiguousBytes { bytes in
            var count = 0
            var inRun = false
            for i in 0..<bytes.count {
                if bytes[i] == 0x20 && isSpaceCharacter(at: i, bytes) {
                    inRun = false
                } else if !inRun {
                    count += 1
                    if count >= cap { return cap }
                    inRun = true
                }
            }
            return count
        }
    }

    /// The last piece `split(separator: " ")` gives, if any.
    func lastSpaceSeparatedPiece() -> SubSequence? {
        let range: Range<Int>? = utf8.withContiguousBytes { bytes in
            var end = bytes.count
            while end > 0, bytes[end - 1] == 0x20, isSpaceCharacter(at: end - 1, bytes) { end -= 1 }
            guard end > 0 else { return nil }
            var start = end - 1
            while start > 0, !(bytes[start - 1] == 0x20 && isSpaceCharacter(at: start - 1, bytes)) { start -= 1 }
            return start..<end
        }
        guard let range else { return nil }
        let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        return self[start..<utf8.index(start, offsetBy: range.count)]
    }

    /// The text with each run of spaces and tabs made one space and none left at either end.
    func collapsingSpaceRuns() -> String { collapsingSpaceRunsOnBytes() ?? collapsingSpaceRunsByCharacter() }

    /// `collapsingSpaceRuns()` worked on the bytes; nil when a space or tab is not a character of
    /// its own (a combining mark after it), for `collapsingSpaceRunsByCharacter`.
    func collapsingSpaceRunsOnBytes() -> String? {
        utf8.withContiguousBytes { bytes -> String? in
            for i in 0..<bytes.count where (bytes[i] == 0x20 || bytes[i] == 0x09) && !isSpaceCharacter(at: i, bytes) { return nil }
            return String(unsafeUninitializedCapacity: bytes.count) { out in
                var n = 0
                var pendingSpace = false
                for byte in bytes {
                    if byte == 0x20 || byte == 0x09 {
                        pendingSpace = n > 0
                        continue
                    }
                    if pendingSpace {
                        out[n] = 0x20
                        n += 1
                        pendingSpace = false
                    }
                    out[n] = byte
                    n += 1
                }
                return n
            }
        }
    }

    /// `collapsingSpaceRuns()` over characters, for any text.
    func collapsingSpaceRunsByCharacter() -> String {
        var collapsed = ""
        collapsed.reserveCapacity(utf8.count)
        var pendingSpace = false
        for character in self {
            if character == " " || character == "\t" {
                pendingSpace = !collapsed.isEmpty
                continue
            }
            if pendingSpace {
                collapsed.append(" ")
                pendingSpace = false
            }
            collapsed.append(character)
        }
        return collapsed
    }

    /// `split(separator: "\t", omittingEmptySubsequences: false)`, on the bytes where it can be.
    func splitAtTabs() -> [SubSequence] {
        splitAtTabsOnBytes() ?? split(separator: "\t", omittingEmptySubsequences: false)
    }

    /// `splitAtTabs()` worked on the bytes; nil when a tab is not a character of its own (never
    /// so far: a tab is a control, which no mark joins), for the split over characters.
    func splitAtTabsOnBytes() -> [SubSequence]? {
        let cuts: [Range<Int>]? = utf8.withContiguousBytes { bytes in
            var cuts: [Range<Int>] = []
            var start = 0
            for i in 0..<bytes.count where bytes[i] == 0x09 {
                guard isSpaceCharacter(at: i, bytes) else { return nil }
                cuts.append(start..<i)
                start = i + 1
            }
            cuts.append(start..<bytes.count)
            return cuts
        }
        return cuts.map(pieces)
    }

    /// The pieces between runs of at least `run` space characters.
    func splitAtSpaceRuns(of run: Int) -> [SubSequence] {
        splitAtSpaceRunsOnBytes(of: run) ?? splitAtSpaceRunsByCharacter(of: run)
    }

    /// `splitAtSpaceRuns(of:)` worked on the bytes; nil when a space is not a character of its
    /// own (a combining mark after it), for `splitAtSpaceRunsByCharacter`.
    func splitAtSpaceRunsOnBytes(of run: Int) -> [SubSequence]? {
        let cuts: [Range<Int>]? = utf8.withContiguousBytes { bytes in
            for i in 0..<bytes.count where bytes[i] == 0x20 && !isSpaceCharacter(at: i, bytes) { return nil }
            var cuts: [Range<Int>] = []
            var start = 0
            var index = 0
            while index < bytes.count {
                guard bytes[index] == 0x20 else {
                    index += 1
                    continue
                }
                var runEnd = index
                while runEnd < bytes.count, bytes[runEnd] == 0x20 { runEnd += 1 }
                if runEnd - index >= run {
                    cuts.append(start..<index)
                    start = runEnd
                }
                index = runEnd
            }
            cuts.append(start..<bytes.count)
            return cuts
        }
        return cuts.map(pieces)
    }

    /// `splitAtSpaceRuns(of:)` over characters, for any text.
    func splitAtSpaceRunsByCharacter(of run: Int) -> [SubSequence] {
        var cells: [SubSequence] = []
        var start = startIndex
        var index = startIndex
        while index < endIndex {
            if self[index] == " " {
                var runEnd = index
                while runEnd < endIndex, self[runEnd] == " " { runEnd = self.index(after: runEnd) }
                if distance(from: index, to: runEnd) >= run {
                    cells.append(self[start..<index])
                    start = runEnd
                }
                index = runEnd
            } else {
                index = self.index(after: index)
            }
        }
        cells.append(self[start...])
        return cells
    }

    /// The pieces of the text at the byte ranges `cuts`, each a whole run of characters.
    private func pieces(_ cuts: [Range<Int>]) -> [SubSequence] {
        cuts.map { cut in
            let lower = utf8.index(startIndex, offsetBy: cut.lowerBound)
            return self[lower..<utf8.index(lower, offsetBy: cut.count)]
        }
    }

    /// Whether the space (or tab) byte at `i` is a character of its own: it is unless a non-ASCII
    /// neighbour joins it to another character (a combining mark after it, a prepended mark before it).
    /// Inlined: the ASCII answer is a couple of comparisons, and counting calls it at every space.
    @inline(__always)
    private func isSpaceCharacter(at i: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let before = i > 0 ? bytes[i - 1] : 0
        let after = i + 1 < bytes.count ? bytes[i + 1] : 0
        if before < 0x80 && after < 0x80 { return true }
        return isSpaceCharacterBesideScalar(at: i)
    }

    /// `isSpaceCharacter` for a space beside a non-ASCII scalar, decided on characters.
    @inline(never)
    private func isSpaceCharacterBesideScalar(at i: Int) -> Bool {
        let here = utf8.index(utf8.startIndex, offsetBy: i)
        return String.Index(here, within: self) != nil && String.Index(utf8.index(after: here), within: self) != nil
    }

    /// Whether one of the UTF-8 bytes satisfies `predicate` (a loop over contiguous bytes).
    func containsByte(where predicate: (UInt8) -> Bool) -> Bool {
        utf8.withContiguousBytes { $0.contains(where: predicate) }
    }
}

/// Several needles looked for in one pass over a text's bytes, ignoring ASCII case: a needle
/// is `false` only where `containsASCII(needle, ignoringCase: true)` is certainly false.
struct ASCIINeedles: Sendable {
    private let needles: [[UInt8]]
    /// The needles by their first byte (lowercase).
    private var byFirstByte = [[Int]](repeating: [], count: 256)
    /// Needles that any text may contain: empty or non-ASCII ones, and with a non-ASCII text,
    /// those with a "k" (the Kelvin sign lowercases to it).
    private var always: [Int] = []
    private var withK: [Int] = []
    /// Whether some needle starts with the byte (either case): every other byte is passed over.
    private var isFirstByte = [Bool](repeating: false, count: 256)

    init(_ needles: [String]) {
        self.needles = needles.map { Array($0.utf8) }
        for (n, needle) in self.needles.enumerated() {
            guard let first = needle.first, !needle.contains(where: { $0 >= 0x80 }) else {
                always.append(n)
                continue
            }
            byFirstByte[Int(first)].append(n)
            isFirstByte[Int(first)] = true
            if first >= 0x61 && first <= 0x7A { isFirstByte[Int(first - 0x20)] = true }
            if needle.contains(0x6B) { withK.append(n) }
        }
    }

    /// `mayContain(in:)` as bits (bit n for needle n), for at most 64 needles; with more, every bit.
    func mayContainMask(in haystack: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard needles.count <= 64 else { return ~0 }
        var found: UInt64 = 0
        for n in always { found |= 1 << UInt64(n) }
        if !withK.isEmpty, haystack.contains(where: { $0 >= 0x80 }) { for n in withK { found |= 1 << UInt64(n) } }
        let count = haystack.count
        for i in 0..<count where isFirstByte[Int(haystack[i])] {
            var byte = haystack[i]
            if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
            for n in byFirstByte[Int(byte)] where found & (1 << UInt64(n)) == 0 && i + needles[n].count <= count {
                let needle = needles[n]
                var j = 1
                while j < needle.count {
                    var other = haystack[i + j]
                    if other >= 0x41 && other <= 0x5A { other |= 0x20 }
                    if other != needle[j] { break }
                    j += 1
                }
                if j == needle.count { found |= 1 << UInt64(n) }
            }
        }
        return found
    }

    func mayContain(in haystack: UnsafeBufferPointer<UInt8>) -> [Bool] {
        var found = [Bool](repeating: false, count: needles.count)
        for n in always { found[n] = true }
        if !withK.isEmpty, haystack.contains(where: { $0 >= 0x80 }) { for n in withK { found[n] = true } }
        let count = haystack.count
        for i in 0..<count where isFirstByte[Int(haystack[i])] {
            var byte = haystack[i]
            if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
            for n in byFirstByte[Int(byte)] where !found[n] && i + needles[n].count <= count {
                let needle = needles[n]
                var j = 1
                while j < needle.count {
                    var other = haystack[i + j]
                    if other >= 0x41 && other <= 0x5A { other |= 0x20 }
                    if other != needle[j] { break }
                    j += 1
                }
                if j == needle.count { found[n] = true }
            }
        }
        return found
    }
}

enum ASCIISearch {
    enum Result {
        case found, absent
        /// A match touches non-ASCII text: only a character comparison can tell.
        case unsure
    }

    static func find(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, ignoringCase: Bool) -> Result {
        let m = needle.count
        guard m > 0, !needle.contains(where: { $0 >= 0x80 }) else { return .unsure }
        guard haystack.count >= m else { return .absent }
        if ignoringCase, needle.contains(0x6B), haystack.contains(where: { $0 >= 0x80 }) { return .unsure }
        let first = needle[0]
        var i = 0
        let last = haystack.count - m
        while i <= last {
            var byte = haystack[i]
            if ignoringCase, byte >= 0x41, byte <= 0x5A { byte |= 0x20 }
            if byte == first {
                var j = 1
                while j < m {
                    var other = haystack[i + j]
                    if ignoringCase, other >= 0x41, other <= 0x5A { other |= 0x20 }
                    if other != needle[j] { break }
                    j += 1
                }
                if j == m {
                    if (i > 0 && haystack[i - 1] >= 0x80) || (i + m < haystack.count && haystack[i + m] >= 0x80) { return .unsure }
                    return .found
                }
            }
            i += 1
        }
        return .absent
    }
}

extension Collection where Element == UInt8 {
    /// Calls `body` with the bytes, copying them only when they are not contiguous.
    func withContiguousBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        if let result = try withContiguousStorageIfAvailable(body) { return result }
        return try Array(self).withUnsafeBufferPointer(body)
    }
}

/// Scalars that are always a character of their own: a text made of them has as many
/// characters as scalars, and a character test of such a scalar is a test of its bytes.
enum StandaloneScalars {
    /// Whether a scalar is always a character of its own and is neither whitespace nor a
    /// control or format mark. These are the non-ASCII scalars of report text: Latin letters
    /// and signs (not the no-break space or soft hyphen), dashes, quotes, bullets and
    /// ellipses, currency, letterlike symbols, arrows, mathematical operators, box drawing and
    /// geometric shapes, and the private-use glyphs of symbol fonts. None of them is a
    /// grapheme extender, a spacing mark, a prepended concession, a joiner, a Hangul jamo or a
    /// regional indicator, so a character boundary falls on each side of one (unless a
    /// combining mark follows it).
    static func standsAlone(_ value: UInt32) -> Bool {
        switch value {
        case 0xA1...0xAC, 0xAE...0x2FF,
             0x2010...0x2027, 0x2030...0x205E,
             0x20A0...0x20C0, 0x2100...0x214F, 0x2190...0x22FF, 0x2500...0x25FF,
             0xE000...0xF8FF:
            return true
        default:
            return false
        }
    }

    /// The length of the UTF-8 scalar at `index` (a lead byte, before `end`) when it
    /// `standsAlone`, else nil (nil too for a malformed sequence, which decoding repairs).
    static func length(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> Int? {
        let lead = bytes[index]
        guard lead >= 0xC2, lead <= 0xF4 else { return nil }
        let length = lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        guard index + length <= end else { return nil }
        var value = UInt32(lead) & (lead < 0xE0 ? 0x1F : lead < 0xF0 ? 0x0F : 0x07)
        for k in 1..<length {
            let byte = bytes[index + k]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        // (Overlong forms and surrogates fall outside every range that stands alone.)
        return standsAlone(value) ? length : nil
    }

    /// How many scalars `bytes` holds, counting no further than `cap`, when each of them is a
    /// character of its own: ASCII other than CR (which joins a following LF) or a scalar that
    /// `standsAlone`; else nil. The first `n` counted are at least `n` characters whatever
    /// follows them, so a count that reaches `cap` means at least `cap` characters.
    static func count(_ bytes: UnsafeBufferPointer<UInt8>, upTo cap: Int) -> Int? {
        var count = 0
        var index = 0
        while index < bytes.count, count < cap {
            let byte = bytes[index]
            if byte < 0x80 {
                if byte == 0x0D { return nil }
                index += 1
            } else {
                guard let length = length(bytes, at: index, end: bytes.count) else { return nil }
                index += length
            }
            count += 1
        }
        return count
    }
}
