@testable import OfstedKit
import XCTest

/// Tokens → `DocumentTree`: sections, joined paragraphs, nested lists, merged table rows,
/// labels with their grades.
final class TreeBuilderTests: XCTestCase {
    /// The tree's root section.
    private func root(_ text: String) -> Section { Inline.tree(text).root }

    // MARK: Paragraphs

    func testWrappedLinesJoinIntoOneParagraph() {
        let paragraphs = root("The inspection found that\nmost children are safe\nand well supported.\n\nA second paragraph.").paragraphs
        XCTAssertEqual(paragraphs.count, 2)
        XCTAssertEqual(paragraphs[0].text, "The inspection found that most children are safe and well supported.")
        XCTAssertEqual(paragraphs[0].line, 1)
        XCTAssertEqual(paragraphs[0].endLine, 3)
        XCTAssertEqual(paragraphs[1].line, 5)
    }

    func testLowercaseLineAfterABlankContinuesAnUnfinishedSentence() {
        let paragraphs = root("Economic well-being was graded as\n\nadequate by the inspectors.").paragraphs
        XCTAssertEqual(paragraphs.map(\.text), ["Economic well-being was graded as adequate by the inspectors."])
        let finished = root("This sentence ends.\n\nthis one starts in lower case.").paragraphs
        XCTAssertEqual(finished.count, 2, "after a full stop and a blank line, a new paragraph")
    }

    func testLowercaseContinuationAfterAPageBreak() {
        let text = """
            Members were told that the service had improved and that
            \u{0C}
            the plan is on track.
            """
        let paragraphs = root(text).paragraphs
        XCTAssertEqual(paragraphs.map(\.text), ["Members were told that the service had improved and that the plan is on track."])
        XCTAssertEqual(paragraphs[0].endLine, 3)
    }

    // MARK: Sections

    func testHeadingsOpenNestedSections() {
        let text = """
            ## Safeguarding
            ### Within three months:
            - improve the arrangements for recording strategy discussions
            ## Services for Looked After Children
            Some prose.
            """
        let sections = root(text).allSections
        XCTAssertEqual(sections.map { $0.heading?.text }, ["Safeguarding", "Within three months:", "Services for Looked After Children"])
        XCTAssertEqual(sections.map(\.level), [2, 3, 2])
        XCTAssertEqual(sections[1].lists.first?.items.first?.text, "improve the arrangements for recording strategy discussions")
        XCTAssertEqual(sections[2].paragraphs.map(\.text), ["Some prose."])
    }

    func testVocabularyHeadingLevelsComeFromTheGrammar() {
        let sections = root("Safeguarding services\nAreas for improvement\nImmediately:\n- act now").allSections
        XCTAssertEqual(sections.map(\.level), [1, 2, 3], "service, section, timescale")
        XCTAssertEqual(sections.map { $0.heading?.source }, [.vocabulary, .vocabulary, .vocabulary])
    }

    // MARK: Lists

    func testGlyphAloneThenBlankThenTextIsOneItem() {
        let lists = root("\u{F0A7}\n\nensure that plans are reviewed regularly\n\u{F0A7}\n\nimprove supervision").lists
        XCTAssertEqual(lists.count, 1)
        XCTAssertEqual(lists[0].items.map(\.text), ["ensure that plans are reviewed regularly", "improve supervision"])
        XCTAssertEqual(lists[0].items[0].line, 1)
        XCTAssertEqual(lists[0].items[0].endLine, 3)
    }

    func testNumberAloneThenTextIsOneItem() {
        let lists = root("12.\n\nEnsure that children are seen alone.\n13.\n\nImprove the quality of plans.").lists
        XCTAssertEqual(lists.count, 1)
        XCTAssertEqual(lists[0].items.map(\.number), ["12", "13"])
        XCTAssertEqual(lists[0].items.map(\.text), ["Ensure that children are seen alone.", "Improve the quality of plans."])
    }

    func testWrappedItemLinesJoin() {
        let items = root("- ensure that the views of the child are\nrepresented in conferences\n- improve supervision").lists[0].items
        XCTAssertEqual(items.map(\.text), ["ensure that the views of the child are represented in conferences", "improve supervision"])
        XCTAssertEqual(items[0].endLine, 2)
    }

    func testItemWrappedAcrossAPageBreak() {
        let text = """
            - ensure that the views of the child are represented in child protection

            \u{0C}
            case conferences
            - improve supervision
            """
        let items = root(text).lists[0].items
        XCTAssertEqual(items.first?.text, "ensure that the views of the child are represented in child protection case conferences")
        XCTAssertEqual(items.first?.endLine, 4)
        XCTAssertEqual(items.count, 2)
    }

    func testNestedBulletsByIndent() {
        let items = root("- improve plans\n  - with timescales\n  - with outcomes\n- improve supervision").lists[0].items
        XCTAssertEqual(items.map(\.text), ["improve plans", "improve supervision"])
        XCTAssertEqual(items[0].children.map(\.text), ["with timescales", "with outcomes"])
        XCTAssertEqual(items[0].fullText, "improve plans with timescales with outcomes")
        XCTAssertEqual(items[0].lastLine, 3)
    }

    func testNestedBulletsBySecondGlyph() {
        let items = root("\u{F0A7} NHS Warwickshire should ensure that:\n\u{F02D} training is recorded\n\u{F02D} its impact is assessed\n\u{F0A7} improve supervision").lists[0].items
        XCTAssertEqual(items.count, 2)
        XCTAssertEqual(items[0].children.map(\.text), ["training is recorded", "its impact is assessed"])
        XCTAssertEqual(items[1].text, "improve supervision")
    }

    func testBulletsUnderANumberedItemBelongToIt() {
        let items = root("7. The key areas were identified as:\n- first area\n- second area\n8. Next paragraph.").lists[0].items
        XCTAssertEqual(items.map(\.number), ["7", "8"])
        XCTAssertEqual(items[0].children.map(\.text), ["first area", "second area"])
    }

    func testListSplitsWhenItemsChangeStyle() {
        let text = """
            - keep under review the capacity of the electronic recording arrangement
            - ensure all records of assessments reflect the child's views
            - 4.3 The first area for development had one action identified.
            - 4.4 The second area for development comprised four actions.
            """
        let lists = root(text).lists
        XCTAssertEqual(lists.count, 2)
        XCTAssertEqual(lists[0].items.count, 2)
        XCTAssertEqual(lists[1].items.map(\.number), ["4.3", "4.4"])
    }

    func testBulletCarryingTheNextNumberIsNotNestedUnderTheNumberedItem() {
        let text = """
            4.6 Four areas for development were identified, these were to:-
            - promote awareness of the Children in Care Council
            - ensure children's files give a clear picture of their life story
            - 4.7 The first area for development had one action.
            """
        let lists = root(text).lists
        XCTAssertEqual(lists.count, 2)
        XCTAssertEqual(lists[0].items.map(\.number), ["4.6"])
        XCTAssertEqual(lists[0].items[0].children.map(\.text), ["promote awareness of the Children in Care Council",
                                                                "ensure children's files give a clear picture of their life story"])
        XCTAssertEqual(lists[1].items.map(\.number), ["4.7"])
    }

    func testLostGlyphItemsFormAList() {
        let items = root(" improve the timeliness of initial health assessments\n improve the rate of dental checks").lists.first?.items
        XCTAssertEqual(items?.map(\.bullet), ["", ""])
        XCTAssertEqual(items?.count, 2)
    }

    func testLostGlyphAmongGlyphItemsIsASibling() {
        let text = "\u{F0B7} ensure that health assessments are completed on time\n improve the rate of dental checks\n\u{F0B7} improve supervision"
        let items = root(text).lists[0].items
        XCTAssertEqual(items.map(\.text), ["ensure that health assessments are completed on time", "improve the rate of dental checks",
                                           "improve supervision"])
        XCTAssertEqual(items.map(\.bullet), ["\u{F0B7}", "", "\u{F0B7}"])
        XCTAssertTrue(items.allSatisfy { $0.children.isEmpty })
    }

    func testItemIndentedBetweenTwoLevelsNestsUnderTheShallower() {
        let items = root("- a\n    - b\n  - c\n- d").lists[0].items
        XCTAssertEqual(items.map(\.text), ["a", "d"])
        XCTAssertEqual(items[0].children.map(\.text), ["b", "c"])
    }

    func testDeepNestingIsCappedWithADiagnostic() {
        let text = (0..<50).map { String(repeating: " ", count: $0 * 2 + ($0 == 0 ? 0 : 2)) + "- level \($0)" }.joined(separator: "\n")
        let tree = Inline.tree(text)
        XCTAssertEqual(tree.diagnostics.map(\.code), ["tree.depth-limit"])
        XCTAssertEqual(tree.diagnostics.first?.line, TreeBuilder.maxListDepth + 2)
        // Every item is still there, none deeper than the cap.
        var count = 0
        var deepest = 0
        var stack = tree.root.lists.flatMap { $0.items.map { ($0, 0) } }
        while let (item, depth) = stack.popLast() {
            count += 1
            deepest = max(deepest, depth)
            stack += item.children.map { ($0, depth + 1) }
        }
        XCTAssertEqual(count, 50)
        XCTAssertEqual(deepest, TreeBuilder.maxListDepth)
        XCTAssertTrue(tree.dump().contains("level 49"))
    }

    // MARK: Tables

    func testWrappedTableRowsMerge() {
        let text = "Overall effectiveness\tGood\nThe contribution of health agencies to keeping children\tGood\nand young people safe\t\nPartnership working\tGood"
        let rows = root(text).tables[0].rows
        XCTAssertEqual(rows.map(\.cells), [
            ["Overall effectiveness", "Good"],
            ["The contribution of health agencies to keeping children and young people safe", "Good"],
            ["Partnership working", "Good"],
        ])
        XCTAssertEqual(rows[1].line, 2)
        XCTAssertEqual(rows[1].endLine, 3)
    }

    func testRowWithLeadingEmptyCellsAddsToTheRowAbove() {
        let text = "1\tEnsure that plans are reviewed.\tWCC – actions complete\n\t\tTFG – verbal assurance at meeting 4\n2\tImprove supervision.\tWCC – in progress"
        let rows = root(text).tables[0].rows
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(rows[0].cells, ["1", "Ensure that plans are reviewed.", "WCC – actions complete TFG – verbal assurance at meeting 4"])
        XCTAssertEqual(rows[0].endLine, 2)
    }

    func testLabelBlankGradeIsAVerticalTableRow() {
        let text = "Overall effectiveness\n\nGood\n\nCapacity for improvement\n\nRequires improvement\nto be good\n"
        let tables = root(text).tables
        XCTAssertEqual(tables.count, 1)
        XCTAssertTrue(tables[0].vertical)
        XCTAssertEqual(tables[0].rows.map(\.cells), [
            ["Overall effectiveness", "Good"],
            ["Capacity for improvement", "Requires improvement to be good"],
        ])
        XCTAssertEqual(tables[0].rows[1].line, 5)
        XCTAssertEqual(tables[0].rows[1].endLine, 8)
    }

    func testShortLabelAndNumberedGradeBecomeAGradedHeading() {
        let sections = root("Help and protection for children\nGrade 4 (Inadequate)\n\nThe findings follow.").allSections
        XCTAssertEqual(sections.count, 1)
        XCTAssertEqual(sections[0].heading?.text, "Help and protection for children")
        XCTAssertEqual(sections[0].heading?.grade?.text, "Grade 4 (Inadequate)")
        XCTAssertEqual(sections[0].heading?.grade?.line, 2)
        XCTAssertEqual(sections[0].paragraphs.map(\.text), ["The findings follow."])
    }

    func testGradedHeadingAcrossAPageBreak() {
        let text = "Being healthy\n\n3\n\u{0C}\nGrade 3 (Adequate)\n\nLooked after children have good access to health services."
        let sections = root(text).allSections
        XCTAssertEqual(sections.first?.heading?.text, "Being healthy")
        XCTAssertEqual(sections.first?.heading?.grade?.text, "Grade 3 (Adequate)")
        XCTAssertEqual(sections.first?.heading?.grade?.line, 5)
    }

    func testASentenceBeforeAGradeLineIsNotAHeading() {
        let sections = root("The inspectors judged this area overall.\nGrade 2 (Good)\n").allSections
        XCTAssertTrue(sections.isEmpty)
    }

    // MARK: Dump

    func testDumpShowsLineRangesAndKinds() {
        let dump = Inline.tree("## Safeguarding\n- first item\nwrapped\n\nOverall effectiveness\tGood\n").dump()
        XCTAssertEqual(dump, """
            document
              @1 section[2] "Safeguarding" (markdown)
                list (1 items)
                  @2-3 item - "first item wrapped"
                table (1 rows)
                  @5 row "Overall effectiveness" | "Good"

            """)
    }
}
