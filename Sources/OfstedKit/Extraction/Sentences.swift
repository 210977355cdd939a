/// Splits a paragraph's text into sentences.
///
/// A sentence ends at ".", "?" or "!" followed by a space and a capital, a digit or an opening
/// quote — except after abbreviations ("e.g.", "St.", "No.") and single initials.
enum Sentences {
    private static let abbreviations: Set<String> = ["e.g", "i.e", "eg", "ie", "st", "no", "mr", "mrs", "ms", "dr", "cllr", "etc", "vs", "para", "paras", "ref", "approx"]

    /// The sentences of `text`.
    static func split(_ text: String) -> [Substring] {
        let cuts: [Range<Int>]? = text.withUTF8Bytes(cutsByScalar)
        guard let cuts else { return splitByCharacter(text) }
        let utf8 = text.utf8
        return cuts.map { cut in
            let lower = utf8.index(utf8.startIndex, offsetBy: cut.lowerBound)
            return text[lower..<utf8.index(lower, offsetBy: cut.count)]
        }
    }

    /// `split` as byte ranges, decided on the scalars of a text in which each scalar is a
    /// character of its own (ASCII without CR, and `StandaloneScalars`): nil for any other text.
    private static func cutsByScalar(_ bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>]? {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return [] }
        let raw = UnsafeRawPointer(base)
        // Whether the text is ASCII without CR: eight bytes at a time, then the rest one by one.
        var ascii = true
        var scanned = 0
        while scanned + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: scanned, as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 || SourceText.hasByte(0x0D, word) {
                ascii = false
                break
            }
            scanned += 8
        }
        if ascii {
            for byte in UnsafeBufferPointer(rebasing: bytes[scanned...]) where byte >= 0x80 || byte == 0x0D {
                ascii = false
                break
            }
        }
        if !ascii, StandaloneScalars.count(bytes, upTo: Int.max) == nil { return nil }
        var cuts: [Range<Int>] = []
        var start = 0
        var position = 0
        while position < count {
            // Most of a paragraph is no mark: eight bytes without one are passed at once.
            if position + 8 <= count {
                let word = raw.loadUnaligned(fromByteOffset: position, as: UInt64.self)
                if !SourceText.hasByte(0x2E, word) && !SourceText.hasByte(0x3F, word) && !SourceText.hasByte(0x21, word) {
                    position += 8
                    continue
                }
            }
            let mark = bytes[position]
            position += 1
            guard mark == 0x2E || mark == 0x3F || mark == 0x21 else { continue }  // . ? !
            var after = position
            // Closing quotes and brackets stay with the sentence: " ' ) ” ’.
            while after < count {
                let byte = bytes[after]
                if byte == 0x22 || byte == 0x27 || byte == 0x29 {
                    after += 1
                } else if byte == 0xE2, after + 2 < count, bytes[after + 1] == 0x80, bytes[after + 2] == 0x9D || bytes[after + 2] == 0x99 {
                    after += 3
                } else {
                    break
                }
            }
            guard after < count, bytes[after] == 0x20 else { continue }
            let next = after + 1
            guard next < count, startsSentence(bytes, at: next),
                  !(mark == 0x2E && endsWithAbbreviation(bytes, start, position - 1)) else { continue }
            cuts.append(start..<after)
            start = next
            position = next
        }
        if start < count { cuts.append(start..<count) }
        return cuts
    }

    /// Whether the scalar at `index` can start a sentence: a capital, a digit, an opening quote
    /// or bracket.
    private static func startsSentence(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        let first = bytes[index]
        if first < 0x80 {
            return (first >= 0x41 && first <= 0x5A) || (first >= 0x30 && first <= 0x39) || first == 0x22 || first == 0x28
        }
        let (scalar, _) = Words.decode(bytes, at: index)
        if scalar == "\u{201C}" || scalar == "\u{2018}" { return true }
        let character = Character(scalar)
        return character.isUppercase || character.isNumber
    }

    /// Whether the word before the full stop at `end` (from `start`) is an abbreviation or a
    /// single initial.
    private static func endsWithAbbreviation(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var end = end
        while end > start, bytes[end - 1] == 0x20 { end -= 1 }
        var begin = end
        while begin > start, bytes[begin - 1] != 0x20 { begin -= 1 }
        guard end > begin else { return false }
        // One scalar: a single initial.
        let lead = bytes[begin]
        let scalarLength = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
        if end - begin == scalarLength { return true }
        guard end - begin <= 6 else { return false }  // longer than any abbreviation
        var word: [UInt8] = []
        for k in begin..<end {
            guard bytes[k] < 0x80 else { return false }  // no abbreviation has another letter
            word.append(WordLexer.lowercased(bytes[k]))
        }
        return abbreviations.contains(String(decoding: word, as: UTF8.self))
    }

    /// `split` read character by character, for a text with marks that join the characters
    /// beside them.
    private static func splitByCharacter(_ text: String) -> [Substring] {
        var sentences: [Substring] = []
        var start = text.startIndex
        let utf8 = text.utf8
        var position = utf8.startIndex
        while let found = utf8[position...].firstIndex(where: { $0 == 0x2E || $0 == 0x3F || $0 == 0x21 }) {
            position = utf8.index(after: found)
            guard let index = String.Index(found, within: text) else { continue }  // inside a character
            let character = text[index]
            guard character == "." || character == "?" || character == "!" else { continue }
            var after = text.index(after: index)
            // Closing quotes and brackets stay with the sentence.
            while after < text.endIndex, "\"'\u{201D}\u{2019})".contains(text[after]) { after = text.index(after: after) }
            guard after < text.endIndex, text[after] == " " else { continue }
            let next = text.index(after: after)
            if next < text.endIndex, text[next].isUppercase || text[next].isNumber || "\"\u{201C}\u{2018}(".contains(text[next]),
               !(character == "." && endsWithAbbreviation(text[start..<index])) {
                sentences.append(text[start..<after])
                start = next
                position = next
            }
        }
        if start < text.endIndex { sentences.append(text[start...]) }
        return sentences
    }

    /// Whether the last word before a full stop is an abbreviation or a single initial.
    private static func endsWithAbbreviation(_ text: Substring) -> Bool {
        // The last run of characters between spaces.
        var end = text.endIndex
        while end > text.startIndex, text[text.index(before: end)] == " " { end = text.index(before: end) }
        var begin = end
        while begin > text.startIndex, text[text.index(before: begin)] != " " { begin = text.index(before: begin) }
        let lastWord = text[begin..<end].lowercased()
        if lastWord.count == 1 { return true }
        return abbreviations.contains(lastWord)
    }
}
