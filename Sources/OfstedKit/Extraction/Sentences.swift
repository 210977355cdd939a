/// Splits a paragraph's text into sentences.
///
/// A sentence ends at ".", "?" or "!" followed by a space and a capital, a digit or an opening
/// quote — except after abbreviations ("e.g.", "St.", "No.") and single initials.
enum Sentences {
    private static let abbreviations: Set<String> = ["e.g", "i.e", "eg", "ie", "st", "no", "mr", "mrs", "ms", "dr", "cllr", "etc", "vs", "para", "paras", "ref", "approx"]

    /// The sentences of `text`. The bytes are scanned for ".", "?" and "!"; only there is the
    /// text read as characters, so a full stop with a combining mark on it is not an end.
    static func split(_ text: String) -> [Substring] {
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
