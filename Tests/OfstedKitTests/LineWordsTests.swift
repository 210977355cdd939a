@testable import OfstedKit
import XCTest

/// A line's shape and words are read in one pass when the line is ASCII: that pass must give
/// what the character-level code gives, for every text it reads.
final class LineWordsTests: XCTestCase {
    private let prefilters = Repository.grammar.prefilters

    private func both(_ text: String) -> (fast: (TextShape, LineWords, WordRecords)?, generic: (TextShape, LineWords, WordRecords)) {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            var genericIDs = WordRecords()
            let generic = TokenStream.describeGeneric(buffer, prefilters: prefilters, ids: &genericIDs)
            var fastIDs = WordRecords()
            let fast = prefilters.withClassLayout { keys, values, mask in
                let layout = ClassLayout(keys: keys, values: values, mask: mask, always: prefilters.always,
                                         capitalizedOnly: prefilters.capitalizedOnly,
                                     gradeStart: prefilters.judgementPatterns.gradeStart)
                return TokenStream.describeASCII(buffer, readable: buffer.count, classes: layout, ids: &fastIDs)
            }
            return (fast.map { ($0.0, $0.1, fastIDs) }, (generic.0, generic.1, genericIDs))
        }
    }

    @discardableResult
    private func assertAgree(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let (fast, generic) = both(text)
        guard let fast else { return false }
        let (a, b) = (fast.0, generic.0)
        XCTAssertEqual(a.first, b.first, "first of \(text.debugDescription)", file: file, line: line)
        XCTAssertEqual(a.lastByte, b.lastByte, "last of \(text.debugDescription)", file: file, line: line)
        XCTAssertEqual(a.characters, b.characters, "characters of \(text.debugDescription)", file: file, line: line)
        XCTAssertEqual(a.pieces, b.pieces, "pieces of \(text.debugDescription)", file: file, line: line)
        XCTAssertEqual(a.endsWithJoiningWord, b.endsWithJoiningWord, "joining word of \(text.debugDescription)", file: file, line: line)
        XCTAssertEqual(a.isCapitals, b.isCapitals, "capitals of \(text.debugDescription)", file: file, line: line)
        let (x, y) = (fast.1, generic.1)
        XCTAssertEqual(x.first, y.first, "first word of \(text.debugDescription)", file: file, line: line)
        XCTAssertEqual(x.second, y.second, "second word of \(text.debugDescription)", file: file, line: line)
        XCTAssertEqual(x.count, y.count, "word count of \(text.debugDescription)", file: file, line: line)
        XCTAssertEqual(x.plainStart, y.plainStart, "plain start of \(text.debugDescription)", file: file, line: line)
        XCTAssertEqual(x.masks, y.masks, "masks of \(text.debugDescription)", file: file, line: line)
        XCTAssertEqual(x.last, y.last, "last word of \(text.debugDescription)", file: file, line: line)
        XCTAssertEqual(x.lastIsDigits, y.lastIsDigits, "last word of digits of \(text.debugDescription)", file: file, line: line)
        XCTAssertEqual(fast.2.ids, generic.2.ids, "ids of \(text.debugDescription)", file: file, line: line)
        XCTAssertEqual(fast.2.kinds, generic.2.kinds, "kinds of words of \(text.debugDescription)", file: file, line: line)
        // And the ids are those of the words `Words` makes, their kinds what the words are.
        let words = Words(text).words
        XCTAssertEqual(generic.2.ids, words.map(\.id), "ids of \(text.debugDescription) against Words", file: file, line: line)
        let kinds: [UInt8] = words.map { word in
            word.text.unicodeScalars.first?.isWordCharacter != true ? (word.text == "and" ? 0 : WordRecords.punctuation)
                : (word.text.utf8.count <= 18 && word.text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } ? WordRecords.digits : 0)
        }
        XCTAssertEqual(generic.2.kinds, kinds, "kinds of words of \(text.debugDescription) against Words", file: file, line: line)
        return true
    }

    func testReportLines() {
        for text in [
            "The local authority requires improvement to be good",
            "Areas for improvement",
            "children's services in Kent are good.",
            "4.3 The first area for development - see 4.3.2 and 12. items",
            "well-being - and - (LSCB) [note] a/b & c; d: e, f",
            "KEY ISSUES FOR CONSIDERATION",
            "A B C D E F",
            "Grade 2 (Good)",
            "ends with and",
            "the end of",
            "'quoted' words' and childrens' o'clock 1'2 x'",
            "12.5.6 x4.3 4.x 4. 5",
            "a", "A", "1", "-", "- a", "a -", "a-", "-a", "&", "x&y", "'", "''", "a''b",
            "THE LSCB", "This is", "By", "with   three   spaces",
            "children’s services – the “best” ‘so’ • item — end", "don’t’s ’tis children’ – “Good”",
            "2013 – 2014", "well‐being a‑b", "rated as good", "judged to be “good”", "was graded as: good;", "Grade 2 –", "x’é", "© 2013 Ofsted £5 ½", "résumé", "“Quoted”", "– dash first",
        ] {
            assertAgree(text)
        }
    }

    func testRandomASCII() {
        let alphabet = Array("aAbBzZ09 '.-,;:()[]/&?!\"#*_theandofinTHE’‘“”–—‐•©½é") + ["which", "their", " grade", "Good", "improvement"].flatMap(Array.init)
        var generator = SystemRandomNumberGenerator()
        var read = 0
        for _ in 0..<20_000 {
            let length = Int.random(in: 1...40, using: &generator)
            var text = String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })
            text = String(text.drop(while: { $0 == " " }))
            while text.last == " " { text.removeLast() }
            guard !text.isEmpty else { continue }
            if assertAgree(text) { read += 1 }
        }
        XCTAssertGreaterThan(read, 5_000, "the one-pass reading read too few of the texts to test it")
    }

    func testTextsTheFastPassLeavesToTheOther() {
        XCTAssertNotNil(both("children’s services – “good”").fast)
        XCTAssertNil(both("résumé").fast)
        XCTAssertNil(both("a`b").fast)
        XCTAssertNil(both("tab\there").fast)
        XCTAssertNotNil(both("plain text").fast)
    }

    func testThePlainLineTableSaysWhatEachByteIs() {
        let table = LineClassifier.plainClass
        XCTAssertEqual(table.utf8CodeUnitCount, 256)
        for value in 0..<256 {
            let byte = UInt8(value)
            let expected: UInt8
            switch byte {
            case 0x3C, 0x2A, 0x5F, 0x5B, 0x5C, 0x26, 0x7C: expected = 2
            case 0x20: expected = 1
            case 0x21...0x7E: expected = 0
            case 0xC2...0xF4: expected = 3
            default: expected = 2
            }
            XCTAssertEqual(table.utf8Start[value], expected, "byte \(value)")
        }
    }

    /// `Words.ids` gives the ids `Words` gives, without the texts; with a limit, the first ones.
    func testIDsWithoutTextsAreThoseOfWords() {
        for text in ["Inspection dates: 4 March 2019 to 15 March 2019", "children\u{2019}s well-being & 4.3 (Good)",
                     "Caf\u{E9} \u{201C}quoted\u{201D} \u{2013} K\u{212A}", "", "   ", "one"] {
            let ids = Words(text).words.map(\.id)
            XCTAssertEqual(Words.ids(text), ids, text.debugDescription)
            for limit in 0...4 {
                XCTAssertEqual(Words.ids(text, limit: limit), Array(ids.prefix(limit)), "\(text.debugDescription), limit \(limit)")
            }
        }
    }
}
