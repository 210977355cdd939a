/// Splits a paragraph's text into sentences.
///
/// A sentence ends at ".", "?" or "!" followed by a space and a capital, a digit or an opening
/// quote — except after abbreviations ("e.g.", "St.", "No.") and single initials.
enum Sentences {
    private static let abbreviations: Set<String> = ["e.g", "i.e", "eg", "ie", "st", "no", "mr", "mrs", "ms", "dr", "cllr", "etc", "vs", "para", "paras", "ref", "approx"]

    static func split(_ text: String) -> [Substring] {
        var sentences: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "." || character == "?" || character == "!" {
                var after = text.index(after: index)
                // Closing quotes and brackets stay with the sentence.
                while after < text.endIndex, "\"'\u{201D}\u{2019})".contains(text[after]) { after = text.index(after: after) }
                if after < text.endIndex, text[after] == " " {
                    let next = text.index(after: after)
                    if next < text.endIndex, text[next].isUppercase || text[next].isNumber || "\"\u{201C}\u{2018}(".contains(text[next]),
                       !(character == "." && endsWithAbbreviation(text[start..<index])) {
                        sentences.append(text[start..<after])
                        start = next
                        index = next
                        continue
                    }
                }
            }
            index = text.index(after: index)
        }
        if start < text.endIndex { sentences.append(text[start...]) }
        return sentences
    }

    private static func endsWithAbbreviation(_ text: Substring) -> Bool {
        let lastWord = text.split(separator: " ").last.map { $0.lowercased() } ?? ""
        if lastWord.count == 1 { return true }
        return abbreviations.contains(lastWord)
    }
}
