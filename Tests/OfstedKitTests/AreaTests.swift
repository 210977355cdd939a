@testable import OfstedKit
import XCTest

/// Areas for improvement: which lists are areas, their service and timescale, repeats,
/// action-plan rows with status, stated counts and themes.
final class AreaTests: XCTestCase {
    /// The first lines of a council paper about a SLAC inspection (four lines).
    private let paper = """
        CHILDREN AND YOUNG PEOPLE'S OVERVIEW AND SCRUTINY COMMITTEE

        Safeguarding and looked after children inspection update report


        """

    /// The areas' texts.
    private func texts(_ text: String) -> [String] { Repository.extract(text).areasForImprovement.map(\.text) }

    // MARK: Timescales

    func testTimescaleHeadingsInEveryForm() {
        let text = paper + """
            ## Areas for improvement

            Immediately:
            - act on the first thing

            ### **Within three months:**
            - act on the second thing

            Within 3 months:-
            - act on the third thing

            WITHIN SIX MONTHS
            - act on the fourth thing

            Within 6 months:-
            - act on the fifth thing
            """
        let areas = Repository.extract(text).areasForImprovement
        XCTAssertEqual(areas.map(\.timescale), ["immediately", "within-3-months", "within-3-months", "within-6-months", "within-6-months"])
        XCTAssertEqual(areas.map(\.text), ["act on the first thing", "act on the second thing", "act on the third thing",
                                           "act on the fourth thing", "act on the fifth thing"])
        XCTAssertEqual(areas.map(\.line), [8, 11, 14, 17, 20])
    }

    func testProseIntroducerGivesTheTimescaleAndService() {
        let text = paper + """
            4.6 Services for Looked after Children the inspectors rated the overall effectiveness as good. Four areas for development to be completed within three months were identified, these were to:-

            - promote awareness among all looked after children of the Children in Care Council
            - ensure children's files give a clear picture of their life story
            - 4.7 The first area for development "promote awareness among all looked after children of the Children in Care Council" had one action associated with it.
            """
        let areas = Repository.extract(text).areasForImprovement
        XCTAssertEqual(areas.map(\.text), [
            "promote awareness among all looked after children of the Children in Care Council",
            "ensure children's files give a clear picture of their life story",
        ], "the numbered progress paragraph that continues the bullet list is not an area")
        XCTAssertEqual(Set(areas.map(\.timescale)), ["within-3-months"])
        XCTAssertEqual(Set(areas.map(\.service)), ["looked-after-children"])
    }

    func testUnbulletedSingleItemUnderATimescaleHeading() {
        let text = paper + """
            In the Safeguarding part of the Inspection, there were two areas for development.

            Within 3 months:-

            ensure the records of assessments include the risk and protective factors

            Within 6 months:-

            - keep under review the capacity of the current electronic recording arrangement
            """
        let areas = Repository.extract(text).areasForImprovement
        XCTAssertEqual(areas.map(\.text), ["ensure the records of assessments include the risk and protective factors",
                                           "keep under review the capacity of the current electronic recording arrangement"])
        XCTAssertEqual(areas.map(\.timescale), ["within-3-months", "within-6-months"])
        XCTAssertEqual(areas.map(\.service), ["safeguarding", "safeguarding"], "the service the sentence before names")
        XCTAssertEqual(areas.map(\.number), [nil, nil])
    }

    func testLostGlyphItems() {
        let text = paper + "Within three months:\n improve the timeliness of initial health assessments\n improve the rate of dental checks\n"
        XCTAssertEqual(texts(text), ["improve the timeliness of initial health assessments", "improve the rate of dental checks"])
    }

    func testItemWrappedAcrossAPageBreak() {
        let text = paper + """
            Within six months:
            - ensure that the views of the child are represented in child protection

            7
            \u{0C}case conferences and core groups
            - improve supervision
            """
        let areas = Repository.extract(text).areasForImprovement
        XCTAssertEqual(areas.map(\.text), ["ensure that the views of the child are represented in child protection case conferences and core groups",
                                           "improve supervision"])
        XCTAssertEqual(areas[0].line, 6)
        XCTAssertEqual(areas[0].endLine, 9)
    }

    func testProseThatStartsWithATimescaleStaysAnItem() {
        let text = paper + """
            Within six months:
            - ensure that permanence plans are made for all children
            - within six months of their Placement Orders being made, children should be placed
            """
        let areas = Repository.extract(text).areasForImprovement
        XCTAssertEqual(areas.count, 2)
        XCTAssertEqual(areas[1].text, "within six months of their Placement Orders being made, children should be placed")
        XCTAssertEqual(areas[1].timescale, "within-6-months")
    }

    func testNestedBulletsAreJoinedIntoTheirArea() {
        let text = paper + """
            Within three months:
            - NHS Warwickshire should ensure that there are robust systems in place to:
              - collect safeguarding training information
              - assess the impact of training
            - improve supervision
            """
        let areas = Repository.extract(text).areasForImprovement
        XCTAssertEqual(areas.map(\.text), ["NHS Warwickshire should ensure that there are robust systems in place to: collect safeguarding training information assess the impact of training",
                                           "improve supervision"])
        XCTAssertEqual(areas[0].endLine, 8)
    }

    // MARK: Services

    func testServiceFromServiceHeadings() {
        let text = paper + """
            ## **Safeguarding**

            ### **Immediately:**

            - urgently review the governance of safeguarding arrangements

            ## **Services for Looked After Children**

            ### **Within three months:**

            - improve the timeliness of initial health assessments
            """
        let areas = Repository.extract(text).areasForImprovement
        XCTAssertEqual(areas.map(\.service), ["safeguarding", "looked-after-children"])
        XCTAssertEqual(areas.map(\.timescale), ["immediately", "within-3-months"])
    }

    func testServiceFromAnIntroducingSentence() {
        let text = paper + """
            BACKGROUND INFORMATION

            7. The key areas for improvement in relation to looked after children and care leaver services were identified as:
             - Ensure that clearly recorded care plans are in place for looked after children.
             - Ensure capacity of the independent visiting service is sufficient to meet need.
            """
        let areas = Repository.extract(text).areasForImprovement
        XCTAssertEqual(areas.map(\.text), ["Ensure that clearly recorded care plans are in place for looked after children.",
                                           "Ensure capacity of the independent visiting service is sufficient to meet need."])
        XCTAssertEqual(Set(areas.map(\.service)), ["looked-after-children"])
        XCTAssertEqual(Set(areas.map(\.timescale)), ["unspecified"])
    }

    // MARK: Lists that are not areas

    func testListsAfterTheAreasAreNot() {
        let text = paper + """
            BACKGROUND INFORMATION

            7. The key areas for improvement were identified as:
             - Ensure that care plans are in place for looked after children.

            Key themes

            8. The following key themes are noted:
             - The corporate parenting arrangements are mature.

            Future work programme implications

            9. Potential areas for future scrutiny include:
             - Development of health needs summary in preparation for leaving care.
            """
        XCTAssertEqual(texts(text), ["Ensure that care plans are in place for looked after children."])
    }

    func testACouncilsOwnRecommendationsAreNotAreas() {
        let text = paper + """
            Recommendations

            - Members are asked to note the progress made against the areas for improvement.
            - Members are asked to receive a further report in six months.

            Areas for improvement

            - ensure that the views of the child are represented in conferences
            """
        XCTAssertEqual(texts(text), ["ensure that the views of the child are represented in conferences"])
    }

    func testOfstedRecommendationsAreAreas() {
        let text = """
            Inspection of local authority children's services

            Gotham City Council

            Lead inspector: Jo Bloggs HMI

            Recommendations

            - Improve the quality of assessments.
            - Strengthen management oversight of casework.
            """
        let extraction = Repository.extract(text)
        XCTAssertEqual(extraction.document.kind, .ofstedReport)
        XCTAssertEqual(extraction.areasForImprovement.map(\.text), ["Improve the quality of assessments.", "Strengthen management oversight of casework."])
        XCTAssertEqual(Set(extraction.areasForImprovement.map(\.service)), ["local-authority"])
    }

    func testEvidenceListsAreNotAreas() {
        let text = paper + """
            ## Meeting notes

            Jenny presented the following:

            - An aggregated report, analysing 6 months of case file audits
            - A checklist for managers to complete during an audit
            """
        XCTAssertEqual(texts(text), [])
    }

    func testContentsListsAreNotAreas() {
        let text = paper + "## Contents\n\n- Areas for improvement\n- Within three months\n- Action plan\n"
        XCTAssertEqual(texts(text), [])
    }

    func testProseThatStartsLikeASectionHeadingOpensNoList() {
        let text = paper + "Areas for improvement are clearly articulated in the plan.\n\n- The board meets monthly.\n- Minutes are published.\n"
        XCTAssertEqual(texts(text), [])
    }

    func testPriorityActionIsImmediate() {
        let text = """
            Inspection of local authority children's services

            Gotham City Council

            Lead inspector: Jo Bloggs HMI

            Priority and immediate action

            - Ensure that all children at risk of harm are seen promptly.
            """
        let areas = Repository.extract(text).areasForImprovement
        XCTAssertEqual(areas.map(\.timescale), ["immediately"])
    }

    // MARK: Repeats

    func testQuotedRepeatIsMergedWithTheListing() {
        let text = paper + """
            ## Meeting notes

            HR processes (Area for Improvement 8)

            “Improve management oversight of council’s HR recruitment processes, and improve the quality of HR files”

            Billy explained the actions taken so far:

            - Information about recruitment has been revised

            ## Action plan

            \tArea for Improvement – identified by Ofsted\tConclusions
            7\tEnsure that health staff involved with looked after children have access to supervision.\tNHS Warwickshire – actions complete
            8\tImprove management oversight of council's HR recruitment processes, and improve the quality of HR files.\tWCC – actions complete TFG – reviewed at meeting 2
            """
        let areas = Repository.extract(text).areasForImprovement
        XCTAssertEqual(areas.count, 2, "\(areas.map(\.text))")
        let eight = areas.first { $0.number == .integer(8) }
        XCTAssertEqual(eight?.text, "Improve management oversight of council's HR recruitment processes, and improve the quality of HR files.",
                       "the listing's text, not the quote's")
        XCTAssertEqual(eight?.line, 19)
        XCTAssertEqual(eight?.status, "WCC – actions complete TFG – reviewed at meeting 2")
    }

    func testTheSameAreaListedTwiceIsOne() {
        let text = paper + """
            Within three months:
            - improve the timeliness of initial health assessments for looked after children

            ## Progress

            The areas for improvement within three months were:

            - improve the timeliness of initial health assessments for looked after children
            """
        let areas = Repository.extract(text).areasForImprovement
        XCTAssertEqual(areas.count, 1)
        XCTAssertEqual(areas[0].line, 6, "the first statement")
    }

    func testSameAreaIsEqualWordsAPrefixOrNearlyTheSameWords() {
        /// A candidate with `text` and nothing else.
        func candidate(_ text: String) -> AreaExtractor.Candidate {
            AreaExtractor.Candidate(service: "unspecified", timescale: "unspecified", text: text, number: nil, status: nil,
                                    line: 1, endLine: 1, isQuote: false)
        }
        let full = "Improve management oversight of council’s HR recruitment processes, and improve the quality of HR files."
        XCTAssertTrue(AreaExtractor.sameArea(candidate(full), candidate("“improve management oversight of council's HR recruitment processes, and improve the quality of HR files”")),
                      "case, quotes and punctuation do not matter")
        XCTAssertTrue(AreaExtractor.sameArea(candidate(full), candidate("Improve management oversight of council’s HR recruitment processes")),
                      "a prefix of 40 characters or more")
        XCTAssertFalse(AreaExtractor.sameArea(candidate("Improve supervision."), candidate("Improve supervision of managers.")),
                       "a short prefix is not enough")
        XCTAssertFalse(AreaExtractor.sameArea(candidate(full), candidate("Improve the quality of case file audits.")))
        XCTAssertEqual(Similarity.dice("a b c d", "a b c d"), 1)
        XCTAssertEqual(Similarity.dice("a b c", "x y z"), 0)
    }

    // MARK: Action plans

    func testActionPlanRowsKeepNumberAndStatusAsWritten() {
        let text = paper + """
            ## Action Plan

            No.\tArea for improvement\tStatus
            1\tEnsure that health agencies, including GPs, are promptly notified of strategy meetings.\tWCC – actions complete
            2\tImprove the robustness of case file audits to address the quality of practice.\tIn progress – due March
            """
        let areas = Repository.extract(text).areasForImprovement
        XCTAssertEqual(areas.map(\.number), [.integer(1), .integer(2)])
        XCTAssertEqual(areas.map(\.text), ["Ensure that health agencies, including GPs, are promptly notified of strategy meetings.",
                                           "Improve the robustness of case file audits to address the quality of practice."])
        XCTAssertEqual(areas.map(\.status), ["WCC – actions complete", "In progress – due March"])
        XCTAssertEqual(areas.map(\.line), [8, 9])
    }

    func testATableOfNumbersThatIsNotAnActionPlan() {
        let text = paper + "## Performance\n\n1\tReferrals this year\t1200\n2\tRe-referrals within 12 months\t18%\n"
        XCTAssertEqual(texts(text), [])
    }

    // MARK: Counts

    func testStatedCountThatDiffersIsADiagnosticNamingBothNumbers() {
        let text = paper + """
            There were nine areas for improvement.

            Areas for improvement
            - first area to improve
            - second area to improve
            - third area to improve
            - fourth area to improve
            """
        let extraction = Repository.extract(text)
        XCTAssertEqual(extraction.areasForImprovement.count, 4, "what is listed is reported")
        let mismatch = extraction.diagnostics.filter { $0.code == "areas.count-mismatch" }
        XCTAssertEqual(mismatch.count, 1)
        XCTAssertEqual(mismatch.first?.severity, .warning)
        XCTAssertEqual(mismatch.first?.line, 5)
        XCTAssertTrue(mismatch.first?.message.contains("states 9") == true, mismatch.first?.message ?? "")
        XCTAssertTrue(mismatch.first?.message.contains("but 4 are listed") == true, mismatch.first?.message ?? "")
    }

    func testStatedCountThatAgreesIsSilent() {
        let text = paper + "There were seven Areas for Development.\n\nAreas for development\n" + (1...7).map { "- area number \($0) to improve" }.joined(separator: "\n")
        let extraction = Repository.extract(text)
        XCTAssertEqual(extraction.areasForImprovement.count, 7)
        XCTAssertFalse(extraction.diagnosticCodes.contains("areas.count-mismatch"))
    }

    func testScopedCountComparesOnlyItsServiceAndTimescale() {
        let text = paper + """
            Five out of the nine Safeguarding areas for improvement to be completed within six months have been completed.

            ## Safeguarding

            Within six months:
            - first safeguarding area
            - second safeguarding area

            Within three months:
            - a three month safeguarding area

            ## Services for looked after children

            Within six months:
            - a looked after children area
            """
        let mismatch = Repository.extract(text).diagnostics.filter { $0.code == "areas.count-mismatch" }
        XCTAssertEqual(mismatch.count, 1)
        XCTAssertTrue(mismatch.first?.message.contains("9 areas for improvement (within-6-months, safeguarding)") == true, mismatch.first?.message ?? "")
        XCTAssertTrue(mismatch.first?.message.contains("but 2 are listed") == true, mismatch.first?.message ?? "")
    }

    func testNoAreasInAnOfstedReportIsWarned() {
        let text = "Inspection of local authority children's services\n\nGotham City Council\n\nLead inspector: Jo Bloggs HMI\n"
        XCTAssertTrue(Repository.extract(text).diagnosticCodes.contains("areas.none"))
    }

    // MARK: Themes

    func testThemesComeFromTheLexicon() {
        let text = paper + """
            Within three months:
            - improve the rate of routine dental health examinations
            - ensure that caseloads of independent reviewing officers are manageable
            - improve case recording
            - hold more meetings
            """
        let areas = Repository.extract(text).areasForImprovement
        XCTAssertEqual(areas[0].themes, ["health"])
        XCTAssertTrue(areas[1].themes.contains("workforce-capacity"), "\(areas[1].themes)")
        XCTAssertTrue(areas[1].themes.contains("independent-reviewing"), "\(areas[1].themes)")
        XCTAssertEqual(areas[2].themes, ["case-recording"])
        XCTAssertEqual(areas[3].themes, [])
    }

    func testAThemeKeywordAddedToTheGrammarTagsAreas() throws {
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: Repository.grammarDirectory.path) where name.hasSuffix(".rules") {
            files[name] = try String(contentsOf: Repository.grammarDirectory.appendingPathComponent(name), encoding: .utf8)
        }
        files["themes.rules"]! += "\ntheme meetings\n    label: Meetings\n    keyword: meetings\n"
        let extractor = Extractor(grammar: try Grammar.load(files: files))
        let text = paper + "Within three months:\n- hold more meetings\n"
        XCTAssertEqual(extractor.extract(Array(text.utf8), fileName: nil).areasForImprovement.first?.themes, ["meetings"])
    }

    // MARK: Regressions reported by the unit-test pass

    /// The SLAC inspection's name mentions both services; it does not make a list looked-after-children's.
    func testTheInspectionsNameIsNotAServiceCue() {
        let text = """
            Overview and Scrutiny Committee

            The inspection of safeguarding and looked after children services identified two areas for improvement.

            Areas for improvement

            - ensure that assessments are timely
            - ensure that plans are reviewed
            """
        XCTAssertEqual(Repository.extract(text).areasForImprovement.map(\.service), ["unspecified", "unspecified"])
    }

    /// A heading in capitals that the grammar does not know still ends a council's own "Recommendations".
    func testACapitalsHeadingEndsACouncilsRecommendations() {
        let text = """
            Item No. 8.\tClassification: Open\tMeeting Name: Corporate Parenting Committee

            RECOMMENDATIONS

            1. Members are asked to note the report.

            KEY ISSUES FOR CONSIDERATION

            - 7. The key areas for improvement were identified as:
             - Ensure that care plans are clearly recorded.
             - Ensure that assessments are up to date.
            """
        XCTAssertEqual(texts(text), ["Ensure that care plans are clearly recorded.", "Ensure that assessments are up to date."])
    }

    /// When the header names a status column, the status is that column, not every column after the text.
    func testTheStatusColumnIsTheOneTheHeaderNames() {
        let text = paper + """
            ## Action Plan

            No.\tArea for improvement\tLead\tStatus
            1\tEnsure that health agencies are promptly notified of strategy meetings.\tWCC\tComplete
            2\tImprove the robustness of case file audits to address the quality of practice.\tNHS\tIn progress
            """
        XCTAssertEqual(Repository.extract(text).areasForImprovement.map(\.status), ["Complete", "In progress"])
    }

    /// A sentence that says there are no priority actions is not an area.
    func testASentenceThatStatesNoAreasIsNotOne() {
        let text = """
            Inspection of services for children in need of help and protection, children looked after and care leavers
            Inspection date: 11 March 2014 – 2 April 2014

            What does the local authority need to improve?
            Priority and immediate action
            24. The inspection did not find any areas for priority action.
            Areas for improvement
            25. Ensure that supervision is regular and recorded.
            """
        let areas = Repository.extract(text).areasForImprovement
        XCTAssertEqual(areas.map(\.text), ["Ensure that supervision is regular and recorded."])
        XCTAssertEqual(areas.map(\.timescale), ["unspecified"])
    }

    /// Recommendations grouped under short topic labels run on while their numbering does.
    func testNumberedRecommendationsRunOnAcrossTopicLabels() {
        let text = """
            Inspection of services for children in need of help and protection, children looked after and care leavers
            Inspection date: 11 March 2014 – 2 April 2014

            What does the local authority need to improve?
            Priority and immediate action

            Care Leavers
            13. Take action to reduce the numbers of care leavers living in unsuitable accommodation.
            14. Improve support for care leavers in education.

            Missing Children
            15. Ensure that information from return home interviews is routinely shared.

            The local authority's strengths
            16. The workforce strategy is of good quality.
            """
        let areas = Repository.extract(text).areasForImprovement
        XCTAssertEqual(areas.map(\.number), [.integer(13), .integer(14), .integer(15)])
        XCTAssertEqual(Set(areas.map(\.timescale)), ["immediately"])
    }
}
