/// Splits a paragraph's text into sentences.
///
/// A sentence ends at ".", "?" or "!" followed by a space and a capital, a digit or an opening
/// quote — except after abbreviations ("e.g.", "St.", "No.") and single initials.
enum Sentences {
    private static let abbreviations: Set<String> = ["e.g", "i.e", "eg", "ie", "st", "no", "mr", "mrs", "ms", "dr", "cllr", "etc", "vs", "para", "paras", "ref", "approx"]

    /// The sentences of `text`. The bytes are scanned for ".", "?" and "!"; only there is the
    /// text read as characters, so a full stop with a combining mark on it is not an end.
    static func split(_ text: String) -> [Substring] {
        if let sentences = splitASCII(text) { return sentences }
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

    /// `split` for a text of ASCII without "\r" (most paragraphs), in which every byte is a
    /// character: the same decisions, made on bytes alone. Nil for any other text.
    private static func splitASCII(_ text: String) -> [Substring]? {
        let cuts: [Range<Int>]? = text.withUTF8Bytes { bytes in
            guard !bytes.contains(where: { $0 >= 0x80 || $0 == 0x0D }) else { return nil }
            var cuts: [Range<Int>] = []
            let count = bytes.count
            var start = 0
            var position = 0
            while position < count {
                let mark = bytes[position]
                position += 1
                guard mark == 0x2E || mark == 0x3F || mark == 0x21 else { continue }  // . ? !
                var after = position
                // Closing quotes and brackets stay with the sentence.
                while after < count, bytes[after] == 0x22 || bytes[after] == 0x27 || bytes[after] == 0x29 { after += 1 }
                guard after < count, bytes[after] == 0x20 else { continue }
                let next = after + 1
                guard next < count else { continue }
                let first = bytes[next]
                // A capital, a digit, an opening quote or bracket.
                guard (first >= 0x41 && first <= 0x5A) || (first >= 0x30 && first <= 0x39) || first == 0x22 || first == 0x28,
                      !(mark == 0x2E && endsWithAbbreviation(bytes, start, position - 1)) else { continue }
                cuts.append(start..<after)
                start = next
                position = next
            }
            if start < count { cuts.append(start..<count) }
            return cuts
        }
        guard let cuts else { return nil }
        // Byte offsets to indices, walking forward once.
        let utf8 = text.utf8
        var index = utf8.startIndex
        var offset = 0
        func at(_ target: Int) -> String.Index {
            index = utf8.index(index, offsetBy: target - offset)
            offset = target
            return index
        }
        return cuts.map { cut in
            let lower = at(cut.lowerBound)
            return text[lower..<at(cut.upperBound)]
        }
    }

    /// `endsWithAbbreviation` for the ASCII bytes `start..<end`.
    private static func endsWithAbbreviation(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var end = end
        while end > start, bytes[end - 1] == 0x20 { end -= 1 }
        var begin = end
        while begin > start, bytes[begin - 1] != 0x20 { begin -= 1 }
        if end - begin == 1 { return true }
        guard end - begin <= 6 else { return false }  // longer than any abbreviation
        let lastWord = String(decoding: UnsafeBufferPointer(rebasing: bytes[begin..<end]), as: UTF8.self).lowercased()
        return abbreviations.contains(lastWord)
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
