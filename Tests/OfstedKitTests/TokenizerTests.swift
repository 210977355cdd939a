@testable import OfstedKit
import XCTest

/// Decoded lines → `Token`s: each line's kind and marks, and the passes across lines (grades,
/// page furniture, vocabulary headings).
final class TokenizerTests: XCTestCase {
    /// The only token of a one-line text.
    private func single(_ line: String) -> TokenView { Inline.token(line, line: 1) }

    // MARK: Headings

    func testMarkdownHeadingsKeepTheirLevel() {
        let tokens = Inline.tokens("# Inspection report\n## **Safeguarding**\n###### Six\n####### Seven hashes\n#hashtag")
        XCTAssertEqual(tokens[0].kind, .heading)
        XCTAssertEqual(tokens[0].headingSource, .markdown)
        XCTAssertEqual(tokens[0].headingLevel, 1)
        XCTAssertEqual(tokens[1].headingLevel, 2)
        XCTAssertEqual(tokens[1].text, "Safeguarding")
        XCTAssertEqual(tokens[1].markup, ["bold"])
        XCTAssertEqual(tokens[2].headingLevel, 6)
        XCTAssertNotEqual(tokens[3].kind, .heading, "seven hashes are not a markdown heading")
        XCTAssertNotEqual(tokens[4].kind, .heading, "a # glued to a word is not a heading")
    }

    func testBoldOnlyLineIsAHeading() {
        let bold = single("**Key Information and Questions for Board Members**")
        XCTAssertEqual(bold.kind, .heading)
        XCTAssertEqual(bold.headingSource, .bold)
        XCTAssertEqual(bold.text, "Key Information and Questions for Board Members")
        let mixed = single("**Note:** the plan was agreed.")
        XCTAssertEqual(mixed.kind, .text, "bold at the start of a sentence is emphasis, not a heading")
        XCTAssertEqual(mixed.text, "Note: the plan was agreed.")
        XCTAssertEqual(mixed.markup, ["bold"])
    }

    func testVocabularyHeadingsInEveryForm() {
        let text = """
            Areas for improvement
            Within three months:
            Within 3 months:-
            ### **Within six months:**
            Immediately:
            AREAS FOR DEVELOPMENT
            What needs to improve in this local authority
            Services for Looked After Children
            """
        let tokens = Inline.tokens(text)
        for token in tokens {
            XCTAssertEqual(token.kind, .heading, "line \(token.line): \(token.text)")
        }
        XCTAssertEqual(tokens[0].headingSource, .vocabulary)
        XCTAssertEqual(tokens[2].text, "Within 3 months:-")
        XCTAssertEqual(tokens[3].headingSource, .markdown)
        XCTAssertEqual(tokens[3].text, "Within six months:")
    }

    func testProseThatStartsLikeAHeadingIsNotOne() {
        // The primer's traps: wrapped prose that begins with a timescale or section phrase.
        let tokens = Inline.tokens("""
            Areas for improvement are clearly articulated in the improvement plan.
            within six months of their Placement Orders being made, and the
            Immediately the inspectors were told
            """)
        XCTAssertEqual(tokens.map(\.kind), [.text, .text, .text])
    }

    func testHeadingKeyIgnoresNumberingPunctuationAndFootnotes() {
        let tokenizer = Tokenizer(grammar: Repository.grammar)
        XCTAssertEqual(tokenizer.headingKey("Within 3 months:-"), "within 3 months")
        XCTAssertEqual(tokenizer.headingKey("Section 2: The Local Safeguarding Children Board"), "local safeguarding children board")
        XCTAssertEqual(tokenizer.headingKey("What does the local authority need to improve?1"), "what does the local authority need to improve")
        XCTAssertNil(tokenizer.headingKey(String(repeating: "word ", count: 17)), "too long to be a heading")
    }

    func testFootnoteDigitsGluedToAHeadingAreRemoved() {
        let question = single("## What does the local authority need to improve?1")
        XCTAssertEqual(question.text, "What does the local authority need to improve?")
        XCTAssertTrue(question.markup.contains("footnote"))
        let board = single("**The Local Safeguarding Children Board1**")
        XCTAssertEqual(board.text, "The Local Safeguarding Children Board")
        XCTAssertTrue(board.markup.contains("footnote"))
        // A plain line with a glued footnote is still a vocabulary heading.
        XCTAssertEqual(single("What does the local authority need to improve?1").kind, .heading)
        // Digits that belong to the heading stay.
        XCTAssertEqual(single("## Appendix 2").text, "Appendix 2")
        XCTAssertEqual(single("## Record of main findings 2012").text, "Record of main findings 2012")
    }

    func testSectionNumberedShortLineIsAHeading() {
        let token = single("4.0 BACKGROUND AND KEY ISSUES")
        XCTAssertEqual(token.kind, .heading)
        XCTAssertEqual(token.headingSource, .numbered)
        XCTAssertEqual(token.number, "4.0")
        XCTAssertEqual(single("4.1 OFSTED inspected two areas of service delivery in the January 2011 inspection.").kind, .numbered)
    }

    // MARK: Bullets

    func testEveryBulletGlyphOfThePrimer() {
        for glyph in ["-", "•", "\u{F0A7}", "\u{F06E}", "\u{F02D}", "\u{25FC}", "*"] {
            let token = single("\(glyph) ensure that plans are reviewed")
            XCTAssertEqual(token.kind, .bullet, "glyph U+\(String(glyph.unicodeScalars.first!.value, radix: 16))")
            XCTAssertEqual(token.bullet, glyph)
            XCTAssertEqual(token.text, "ensure that plans are reviewed")
        }
    }

    func testGlyphGluedToAWordIsNotABullet() {
        XCTAssertEqual(single("-based approach").kind, .text)
        XCTAssertEqual(single("•item").kind, .text)
    }

    func testGlyphAloneOnALine() {
        let token = single("\u{F0A7}")
        XCTAssertEqual(token.kind, .bullet)
        XCTAssertEqual(token.bullet, "\u{F0A7}")
        XCTAssertEqual(token.text, "")
    }

    func testOneLeadingSpaceIsALostGlyph() {
        let lost = single(" improve the timeliness of initial health assessments")
        XCTAssertEqual(lost.kind, .bullet)
        XCTAssertEqual(lost.bullet, "")
        XCTAssertEqual(lost.text, "improve the timeliness of initial health assessments")
        XCTAssertEqual(single("  indented by two spaces").kind, .text, "only a single space is what a lost glyph leaves")
        XCTAssertEqual(single(" 12").kind, .numbered, "a lost glyph leaves a space before a letter, not a digit")
    }

    func testIndentIsMeasuredWithTabsAsFour() {
        XCTAssertEqual(single("    - nested").indent, 4)
        XCTAssertEqual(single("  - nested").indent, 2)
    }

    // MARK: Numbered items

    func testNumberedItemForms() {
        let cases: [(String, String, String)] = [
            ("1. Ensure that plans are reviewed", "1", "Ensure that plans are reviewed"),
            ("24. Improve supervision", "24", "Improve supervision"),
            ("4.3 The first area for development", "4.3", "The first area for development"),
            ("(ii) The Board is asked to consider", "ii", "The Board is asked to consider"),
            ("ii) The Board is asked to consider", "ii", "The Board is asked to consider"),
            ("(a) first", "a", "first"),
            ("3) third", "3", "third"),
        ]
        for (line, number, text) in cases {
            let token = single(line)
            XCTAssertEqual(token.kind, .numbered, line)
            XCTAssertEqual(token.number, number, line)
            XCTAssertEqual(token.text, text, line)
        }
    }

    func testNumberAfterABullet() {
        let token = single("- 7. Ensure that health staff have supervision")
        XCTAssertEqual(token.kind, .bullet)
        XCTAssertEqual(token.bullet, "-")
        XCTAssertEqual(token.number, "7")
        XCTAssertEqual(token.text, "Ensure that health staff have supervision")
        XCTAssertEqual(single("- 4.3 The first area").number, "4.3")
    }

    func testNumberAloneOnALine() {
        let token = single("12.")
        XCTAssertEqual(token.kind, .numbered)
        XCTAssertEqual(token.number, "12")
        XCTAssertEqual(token.text, "")
        XCTAssertEqual(single("12").kind, .numbered, "a bare number alone on a line (no page break beside it)")
    }

    func testQuantityAtTheStartOfALineIsNotAnItemNumber() {
        let token = single("20 areas for improvement were identified")
        XCTAssertEqual(token.kind, .text)
        XCTAssertNil(token.number)
        XCTAssertEqual(single("2012 was a year of change").kind, .text)
        XCTAssertNil(single("abc) three letters that are not roman").number)
        XCTAssertNil(single("0. zero is not an item").number)
    }

    // MARK: Tables

    func testTabSeparatedRow() {
        let token = single("Overall effectiveness\tGood\t\t")
        XCTAssertEqual(token.kind, .tableRow)
        XCTAssertEqual(token.cells, ["Overall effectiveness", "Good"], "trailing empty cells are dropped")
        XCTAssertEqual(single("\t\tengagement").cells, ["", "", "engagement"], "leading empty cells are kept")
    }

    func testTabInsideAWordStillSplitsCells() {
        // The primer: "a tab can even split a word (per\tople)"; the tokenizer sees two cells.
        XCTAssertEqual(single("per\tople").cells, ["per", "ople"])
    }

    func testHTMLTableRow() {
        let token = single("<tr><td>Overall effectiveness</td><td><strong>Good</strong></td></tr>")
        XCTAssertEqual(token.kind, .tableRow)
        XCTAssertEqual(token.cells, ["Overall effectiveness", "Good"])
    }

    func testMarkdownPipeRowAndRule() {
        let tokens = Inline.tokens("| Judgement | Grade |\n|---|:---:|\n| Overall effectiveness | Good |")
        XCTAssertEqual(tokens[0].kind, .tableRow)
        XCTAssertEqual(tokens[0].cells, ["Judgement", "Grade"])
        XCTAssertEqual(tokens[1].kind, .furniture)
        XCTAssertEqual(tokens[1].markup, ["table-rule"])
        XCTAssertEqual(tokens[2].cells, ["Overall effectiveness", "Good"])
    }

    func testRunsOfThreeSpacesAreColumns() {
        let token = single("Overall effectiveness      Requires improvement to be good")
        XCTAssertEqual(token.kind, .tableRow)
        XCTAssertEqual(token.cells, ["Overall effectiveness", "Requires improvement to be good"])
        XCTAssertEqual(single("Two  spaces  are  not  columns").kind, .text)
    }

    // MARK: Cleaning

    func testEmphasisHTMLLinksAndEntitiesAreStrippedAndRecorded() {
        let token = single("Ensure *all* staff read <u>the plan</u> &amp; see [the report](http://x.test/r) now")
        XCTAssertEqual(token.text, "Ensure all staff read the plan & see the report now")
        XCTAssertEqual(Set(token.markup), ["italic", "html", "link"])
        XCTAssertEqual(single("snake_case and 2 * 3 stay").text, "snake_case and 2 * 3 stay")
    }

    func testHTMLListInsideACellIsFlattened() {
        let token = single("WCC – actions complete\t<ul><li>Satisfied with progress</li></ul>")
        XCTAssertEqual(token.cells, ["WCC – actions complete", "Satisfied with progress"])
    }

    func testWhitespaceIsCollapsedAndControlCharactersRemoved() {
        XCTAssertEqual(single("Quality\u{00A0}of  provision\u{200B}").text, "Quality of provision")
    }

    // MARK: Grades

    func testBareGradeAfterABlankLine() {
        let tokens = Inline.tokens("Overall effectiveness\n\nGood\n")
        XCTAssertEqual(tokens[2].grade, .bare)
        XCTAssertEqual(tokens[0].kind, .text, "a label with a grade below is not a vocabulary heading")
    }

    func testGradeDirectlyUnderTextIsNotBare() {
        let tokens = Inline.tokens("The contribution of partners was\nGood\n")
        XCTAssertNil(tokens[1].grade)
    }

    func testGradeWrappedOverTwoLines() {
        let tokens = Inline.tokens("Leadership and management\n\nRequires improvement\nto be good\n")
        XCTAssertEqual(tokens[2].grade, .bare)
        XCTAssertEqual(tokens[3].grade, .continuation)
    }

    func testGradeAfterAPageBreakStandsApart() {
        let tokens = Inline.tokens("Overall effectiveness\n\u{0C}Inadequate\n")
        XCTAssertEqual(tokens[1].grade, .bare)
    }

    func testNumberedGradeLines() {
        XCTAssertEqual(Inline.tokens("Being healthy\nGrade 4 (inadequate)")[1].grade, .numbered)
        XCTAssertEqual(Inline.tokens("Staying safe\nGrade 2")[1].grade, .numbered)
        XCTAssertEqual(Inline.tokens("Staying safe\n\nInadequate Grade 4")[2].grade, .bare)
    }

    func testWrappedProseEndingInAGradeIsNotAGradeLine() {
        // "... are judged to be" / "good." is a sentence, not a table cell.
        let tokens = Inline.tokens("Services for children in care are judged to be\n\ngood.\n")
        XCTAssertNil(tokens[2].grade)
        XCTAssertEqual(tokens[2].kind, .text)
    }

    func testAGradeWordInsideProseIsNotAGradeLine() {
        XCTAssertNil(Inline.tokens("\nGood progress has been made.")[1].grade)
    }

    // MARK: Page furniture

    func testPageNumberBesideAPageBreakIsFurniture() {
        let tokens = Inline.tokens("Text at the end of a page.\n\n7\n\u{0C}Next page text.\n")
        XCTAssertEqual(tokens[2].kind, .furniture)
        XCTAssertTrue(tokens[2].markup.contains("page-number"))
        XCTAssertEqual(tokens[3].kind, .text)
        XCTAssertEqual(single("Page 3 of 40\u{0C}").kind, .furniture)
    }

    func testNumberAwayFromPageBreaksIsNotFurniture() {
        let tokens = Inline.tokens("7\n\nSome text.\n")
        XCTAssertEqual(tokens[0].kind, .numbered)
    }

    /// Three pages as pdftotext lays them out: `lines` prose lines, the page number, a form
    /// feed; every page after the first headed by `header`.
    private func pages(header: String, lines: Int) -> String {
        var text = ""
        for page in 1...3 {
            if page > 1 { text += "\(header)\n\n" }
            for line in 1...lines { text += "Prose line \(line) of page \(["one", "two", "three"][page - 1]) says \(String(repeating: "x", count: page * 3 + line)).\n" }
            text += "\n\(page)\n\u{0C}"
        }
        return text
    }

    func testRunningHeaderRepeatedAfterPageBreaks() {
        let tokens = Inline.tokens(pages(header: "Inspection of safeguarding and looked after children", lines: 5))
        let headers = tokens.filter { $0.text == "Inspection of safeguarding and looked after children" }
        XCTAssertEqual(headers.count, 2)
        for header in headers {
            XCTAssertEqual(header.kind, .furniture)
            XCTAssertTrue(header.markup.contains("running-header"))
        }
        XCTAssertEqual(tokens.filter { $0.text.hasPrefix("Prose line") && $0.kind == .text }.count, 15, "no prose line is furniture")
        XCTAssertEqual(tokens.filter { $0.markup.contains("page-number") }.count, 3)
    }

    func testRunningHeaderWithChangingPageNumbersIsFurniture() {
        let tokens = Inline.tokens(pages(header: "Kent County Council: inspection report page 2", lines: 5)
            .replacingOccurrences(of: "page 2\n\nProse line 1 of page three", with: "page 3\n\nProse line 1 of page three"))
        XCTAssertEqual(tokens.filter { $0.text.hasPrefix("Kent County Council") && $0.kind == .furniture }.count, 2)
    }

    func testAShortPageBetweenTwoBreaksIsNotARunningHeader() {
        // A page with two lines lies in the footer zone of one break and the header zone of the
        // next; being near two breaks does not make a line repeat.
        let text = """
            Cover line of the report
            First page prose that says one thing.

            1
            \u{0C}Inspection of safeguarding and looked after children
            Second page prose about something else.
            Another line on the second page.

            2
            \u{0C}Inspection of safeguarding and looked after children
            Third page prose, different again.
            """
        let tokens = Inline.tokens(text)
        XCTAssertEqual(tokens[4].kind, .furniture)
        XCTAssertEqual(tokens[9].kind, .furniture)
        XCTAssertEqual(tokens[5].kind, .text, "the prose on the short page stays")
        XCTAssertEqual(tokens[6].kind, .text)
        XCTAssertEqual(tokens[10].kind, .text)
    }

    /// Stray page numbers follow the numbering the footers show; when two numberings have as
    /// many footers each, the smaller offset wins, whatever order a dictionary gives (the answer
    /// once changed from run to run with Swift's per-process hash seed).
    func testStrayPageNumberOffsetTiesGoToTheSmallerOffset() {
        var text = ""
        // Footers 1, 2 on pages 0, 1 (offset 1) and 10, 11 on pages 2, 3 (offset 8).
        for (page, footer) in [1, 2, 10, 11].enumerated() {
            for line in 1...4 { text += "Prose line \(line) of page \(page) runs on at some length here.\n" }
            text += "\n\(footer)\n\u{0C}"
        }
        text += "Prose at the top of page four runs on.\nMore prose follows it.\nA third line of prose.\nA fourth line of prose.\nA fifth line of prose.\n\n5\n\nProse after the number.\nAnd more prose.\nYet more prose here.\nThe last of it.\n"
        let tokens = Inline.tokens(text)
        let stray = tokens.first { $0.text == "5" || $0.number == "5" }
        XCTAssertEqual(stray?.kind, .furniture, "5 on page 4 is page 4 + offset 1")
        XCTAssertTrue(stray?.markup.contains("page-number") == true)
        for _ in 0..<5 { XCTAssertEqual(Inline.tokens(text).map(\.kind), tokens.map(\.kind)) }
    }

    func testCrownCopyrightIsBoilerplate() {
        let token = single("© Crown copyright 2012")
        XCTAssertEqual(token.kind, .furniture)
        XCTAssertTrue(token.markup.contains("boilerplate"))
        XCTAssertEqual(single("Website: www.ofsted.gov.uk").kind, .furniture)
        XCTAssertEqual(single("The Crown copyright rules apply.").kind, .text, "boilerplate only at the start of a line")
    }

    // MARK: Line numbers

    func testEveryLineGetsAToken() {
        let text = "# Title\n\n- item\n\tcell\tGood\n\u{0C}7\n"
        let tokens = Inline.tokens(text)
        XCTAssertEqual(tokens.map(\.line), Array(1...5))
        XCTAssertEqual(tokens.filter(\.isContent).map(\.line), [1, 3, 4])
    }
}
