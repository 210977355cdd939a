@testable import OfstedKit
import XCTest

/// Bytes → `SourceText`: encodings, byte order marks, line ends, page breaks, non-text input.
final class DecodingTests: XCTestCase {
    /// The decoded lines' texts.
    private func lines(_ source: SourceText) -> [String] { source.lines.map(source.string) }

    private let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]

    // MARK: UTF-8

    func testUTF8WithoutBOM() {
        let source = SourceText(bytes: Array("Children’s services\nin Norfolk\n".utf8))
        XCTAssertEqual(source.encoding, .utf8)
        XCTAssertFalse(source.hadBOM)
        XCTAssertEqual(source.replacements, 0)
        XCTAssertNil(source.notText)
        XCTAssertEqual(lines(source), ["Children’s services", "in Norfolk"])
    }

    func testUTF8WithBOMKeepsLineOneClean() {
        let source = SourceText(bytes: utf8BOM + Array("Areas for improvement\nImmediately:".utf8))
        XCTAssertEqual(source.encoding, .utf8)
        XCTAssertTrue(source.hadBOM)
        XCTAssertEqual(lines(source), ["Areas for improvement", "Immediately:"])
        // The BOM does not stop the first line being read as a heading.
        let tokens = Tokenizer(grammar: Repository.grammar).tokenize(source).views
        XCTAssertEqual(tokens[0].kind, .heading)
        XCTAssertEqual(tokens[0].text, "Areas for improvement")
    }

    func testBOMIsReportedInTheContract() {
        let extraction = Repository.extractor.extract(utf8BOM + Array("Some text.\n".utf8), fileName: "a.txt")
        XCTAssertEqual(extraction.source.encoding, "utf-8")
        XCTAssertTrue(extraction.source.bom)
        XCTAssertEqual(extraction.source.bytes, 14)
        XCTAssertFalse(extraction.diagnosticCodes.contains { $0.hasPrefix("decode.") })
    }

    // MARK: Line ends

    func testLFCRLFAndCRAllEndALine() {
        let source = Inline.source("one\ntwo\r\nthree\rfour")
        XCTAssertEqual(lines(source), ["one", "two", "three", "four"])
    }

    func testMixedLineEndsKeepBlankLinesAndNumbers() {
        let tokens = Inline.tokens("first\r\n\r\nthird\r\rfifth\n\nseventh")
        XCTAssertEqual(tokens.map(\.line), [1, 2, 3, 4, 5, 6, 7])
        XCTAssertEqual(tokens.map(\.kind), [.text, .blank, .text, .blank, .text, .blank, .text])
        XCTAssertEqual(tokens[6].text, "seventh")
    }

    func testCRLFIsOneLineEndNotTwo() {
        // A CR followed by LF must not produce an empty line between them.
        XCTAssertEqual(Inline.source("a\r\nb\r\nc\r\n").lines.count, 3)
        XCTAssertEqual(Inline.source("a\r\rb").lines.count, 3)
    }

    func testFinalLineWithAndWithoutNewline() {
        XCTAssertEqual(lines(Inline.source("a\nb\n")), ["a", "b"])
        XCTAssertEqual(lines(Inline.source("a\nb")), ["a", "b"])
        XCTAssertEqual(Inline.source("").lines.count, 0)
    }

    // MARK: Page breaks

    func testFormFeedIsAPageBreakNotALineEnd() {
        let source = Inline.source("page one\n\u{0C}page two\nmore\n")
        XCTAssertEqual(lines(source), ["page one", "page two", "more"])
        XCTAssertEqual(source.lines.map(\.pageBreak), [false, true, false])
    }

    func testFormFeedLeavesLineNumbersUnchanged() {
        // pdftotext puts the form feed at the start of the next page's first line, or alone.
        let tokens = Inline.tokens("alpha\nbeta\u{0C}\n\u{0C}gamma\ndelta\u{0C}")
        XCTAssertEqual(tokens.map(\.line), [1, 2, 3, 4])
        XCTAssertEqual(tokens.map(\.text), ["alpha", "beta", "gamma", "delta"])
        XCTAssertEqual(tokens.map(\.pageBreak), [false, true, true, true])
    }

    func testFormFeedAfterTheLastNewlineIsAPageBreakLine() {
        let source = Inline.source("end of report\n\u{0C}")
        XCTAssertEqual(source.lines.count, 2)
        XCTAssertTrue(source.lines[1].pageBreak)
        XCTAssertEqual(source.string(source.lines[1]), "")
    }

    // MARK: Windows-1252

    func testInvalidUTF8IsReadAsWindows1252() {
        // 0x92 is a right single quotation mark in Windows-1252; 0x96 an en dash.
        let bytes: [UInt8] = Array("It".utf8) + [0x92] + Array("s good\n8 ".utf8) + [0x96] + Array(" 12 July 2013".utf8)
        let source = SourceText(bytes: bytes)
        XCTAssertEqual(source.encoding, .windows1252)
        XCTAssertEqual(source.replacements, 2)
        XCTAssertEqual(lines(source), ["It\u{2019}s good", "8 \u{2013} 12 July 2013"])
    }

    func testWindows1252KeepsTheWellFormedUTF8AroundIt() {
        // A paper pasted together from both: "café" in UTF-8, then a 1252 pound sign (0xA3).
        let bytes: [UInt8] = Array("café ".utf8) + [0xA3] + Array("5".utf8)
        let source = SourceText(bytes: bytes)
        XCTAssertEqual(source.encoding, .windows1252)
        XCTAssertEqual(lines(source), ["café £5"])
        XCTAssertEqual(source.replacements, 1)
    }

    func testWindows1252IsNotedInTheContract() {
        let extraction = Repository.extractor.extract(Array("Ofsted".utf8) + [0x92] + Array("s report\n".utf8), fileName: "x.txt")
        XCTAssertEqual(extraction.source.encoding, "windows-1252")
        let note = extraction.diagnostics.first { $0.code == "decode.windows-1252" }
        XCTAssertEqual(note?.severity, .note)
        XCTAssertEqual(note?.line, nil)
        XCTAssertTrue(note?.message.contains("1 byte") == true, note?.message ?? "")
        XCTAssertFalse(extraction.isUnreadable)
    }

    func testTruncatedAndOverlongSequencesAreNotUTF8() {
        XCTAssertFalse(SourceText.isValidUTF8([0x61, 0xE2, 0x80], from: 0))        // truncated "–"
        XCTAssertFalse(SourceText.isValidUTF8([0xC0, 0xAF], from: 0))              // overlong "/"
        XCTAssertFalse(SourceText.isValidUTF8([0xED, 0xA0, 0x80], from: 0))        // a surrogate
        XCTAssertTrue(SourceText.isValidUTF8(Array("a–b 😀 plain ascii run".utf8), from: 0))
    }

    // MARK: UTF-16

    /// `text` as UTF-16 with a byte order mark.
    private func utf16(_ text: String, littleEndian: Bool) -> [UInt8] {
        var bytes: [UInt8] = littleEndian ? [0xFF, 0xFE] : [0xFE, 0xFF]
        for unit in text.utf16 {
            let low = UInt8(unit & 0xFF), high = UInt8(unit >> 8)
            bytes += littleEndian ? [low, high] : [high, low]
        }
        return bytes
    }

    func testUTF16LittleEndianWithBOM() {
        let source = SourceText(bytes: utf16("Children’s services\r\nWithin 3 months:-\r\n", littleEndian: true))
        XCTAssertEqual(source.encoding, .utf16LE)
        XCTAssertTrue(source.hadBOM)
        XCTAssertEqual(lines(source), ["Children’s services", "Within 3 months:-"])
    }

    func testUTF16BigEndianWithBOM() {
        let source = SourceText(bytes: utf16("Grade 2 (Good)\n◼ item\n", littleEndian: false))
        XCTAssertEqual(source.encoding, .utf16BE)
        XCTAssertEqual(lines(source), ["Grade 2 (Good)", "◼ item"])
    }

    func testUTF16IsNotedInTheContract() {
        let extraction = Repository.extractor.extract(utf16("Some text.\n", littleEndian: true), fileName: "x.txt")
        XCTAssertEqual(extraction.source.encoding, "utf-16le")
        XCTAssertTrue(extraction.source.bom)
        XCTAssertTrue(extraction.diagnosticCodes.contains("decode.utf-16"))
        XCTAssertFalse(extraction.diagnosticCodes.contains("decode.replaced"))
    }

    func testUTF16WithALoneSurrogateIsReplacedAndCounted() {
        var bytes = utf16("ab", littleEndian: true)
        bytes += [0x00, 0xD8]  // a high surrogate with nothing after it
        let source = SourceText(bytes: bytes)
        XCTAssertEqual(lines(source), ["ab\u{FFFD}"])
        XCTAssertEqual(source.replacements, 1)
    }

    // MARK: Not text

    func testPDFAndBinaryInputAreNotText() {
        XCTAssertNotNil(SourceText(bytes: Array("%PDF-1.4\n%âãÏÓ\n".utf8)).notText)
        XCTAssertNotNil(SourceText(bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A]).notText)
        XCTAssertNotNil(SourceText(bytes: Array("text with a NUL".utf8) + [0x00]).notText)
        XCTAssertNil(SourceText(bytes: Array("Plain text\twith a tab\u{0C}and a form feed\n".utf8)).notText)
    }

    func testNotTextIsAnErrorDiagnosticAndNothingElse() {
        let extraction = Repository.extractor.extract(Array("%PDF-1.7 binary".utf8), fileName: "report.pdf")
        XCTAssertTrue(extraction.isUnreadable)
        XCTAssertEqual(extraction.diagnosticCodes, ["decode.not-text"])
        XCTAssertEqual(extraction.diagnostics[0].severity, .error)
        XCTAssertTrue(extraction.diagnostics[0].message.contains("PDF"))
        XCTAssertEqual(extraction.document.kind, .unknown)
        XCTAssertTrue(extraction.judgements.isEmpty && extraction.areasForImprovement.isEmpty)
    }

    func testEmptyAndBlankInputIsAnEmptyDocument() {
        for text in ["", "\n\n  \n\t\n"] {
            let extraction = Repository.extract(text)
            XCTAssertTrue(extraction.diagnosticCodes.contains("document.empty"), "\(text.debugDescription)")
            XCTAssertFalse(extraction.isUnreadable)
        }
    }
}
