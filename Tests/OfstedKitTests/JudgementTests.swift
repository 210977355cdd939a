@testable import OfstedKit
import XCTest

/// Judgements (area → grade, per service) from tables, graded headings and prose, with the
/// traps that look like judgements and the conflict and missing diagnostics.
final class JudgementTests: XCTestCase {
    /// The cover of a SLAC Ofsted report, so that framework and services are known.
    private let slacCover = """
        Kent County Council

        Inspection of safeguarding and looked after children services

        Inspection dates: 23 January – 3 February 2012

        Lead inspector: Gary Lamb HMI


        """

    /// The cover of a council paper about a SLAC inspection.
    private let paperCover = """
        CHILDREN AND YOUNG PEOPLE'S OVERVIEW AND SCRUTINY COMMITTEE

        Safeguarding and looked after children inspection update report


        """

    // MARK: Tables

    func testTabTableWithServiceHeaderRows() {
        let text = paperCover + """
            Safeguarding services\t\t
            Overall effectiveness\tGood\t
            The contribution of health agencies to keeping children\tGood
            and young people safe\t
            Services for looked after children\t\t
            Overall effectiveness\tAdequate
            Making a positive contribution, including user\tOutstanding
            engagement\t
            Economic well-being\tInadequate
            """
        let extraction = Repository.extract(text)
        XCTAssertEqual(extraction.judgementKeys, [
            "safeguarding/overall-effectiveness=good",
            "safeguarding/health-contribution=good",
            "looked-after-children/overall-effectiveness=adequate",
            "looked-after-children/making-a-positive-contribution=outstanding",
            "looked-after-children/economic-well-being=inadequate",
        ])
        let health = extraction.judgements[1]
        XCTAssertEqual(health.label, "The contribution of health agencies to keeping children and young people safe")
        XCTAssertEqual(health.gradeText, "Good")
        XCTAssertEqual(health.origin, "table")
        XCTAssertEqual(health.score, 2)
        XCTAssertEqual(health.line, 7, "the first line of the wrapped row")
        XCTAssertEqual(extraction.judgements[3].label, "Making a positive contribution, including user engagement")
    }

    func testVerticalPdftotextTable() {
        let text = slacCover + """
            Safeguarding services

            Overall effectiveness

            Good

            Capacity for improvement

            Requires improvement
            to be good

            Partnership working

            Outstanding
            """
        let extraction = Repository.extract(text)
        XCTAssertEqual(extraction.judgementKeys, [
            "safeguarding/overall-effectiveness=good",
            "safeguarding/capacity-for-improvement=requires-improvement",
            "safeguarding/partnership-working=outstanding",
        ])
        XCTAssertEqual(extraction.judgements[1].gradeText, "Requires improvement to be good")
        XCTAssertEqual(extraction.judgements[1].score, 3)
        XCTAssertEqual(extraction.judgements.map(\.line), [11, 15, 20])
        XCTAssertTrue(extraction.judgements.allSatisfy { $0.origin == "table" })
    }

    func testGradeLegendIsNotAJudgementTable() {
        let text = slacCover + """
            The inspection judgements and what they mean
            Outstanding (Grade 1)\tA service that significantly exceeds minimum requirements
            Good (Grade 2)\tA service that exceeds minimum requirements
            Adequate (Grade 3)\tA service that only meets minimum requirements
            Inadequate (Grade 4)\tA service that does not meet minimum requirements
            """
        XCTAssertEqual(Repository.extract(text).judgements, [])
    }

    func testContentsPageIsNotAJudgementTable() {
        let text = slacCover + "Contents\nOverall effectiveness\t5\nCapacity for improvement\t6\nBeing healthy\t8\n"
        XCTAssertEqual(Repository.extract(text).judgements, [])
    }

    func testAreaWithAPageNumberIsNotGraded() {
        // A contents line outside a contents section: "5" is not Grade 5.
        let text = paperCover + "Overall effectiveness\t5\nBeing healthy\t4\n"
        XCTAssertEqual(Repository.extract(text).judgements, [])
    }

    // MARK: Headings

    func testHeadingWithItsGradeBelow() {
        let text = slacCover + """
            Services for looked after children

            Being healthy
            Grade 3 (Adequate)

            Health assessments are timely but dental checks lag.
            """
        let extraction = Repository.extract(text)
        XCTAssertEqual(extraction.judgementKeys, ["looked-after-children/being-healthy=adequate"])
        XCTAssertEqual(extraction.judgements[0].origin, "heading")
        XCTAssertEqual(extraction.judgements[0].gradeText, "Adequate")
        XCTAssertEqual(extraction.judgements[0].label, "Being healthy")
        XCTAssertEqual(extraction.judgements[0].line, 11, "the heading's line")
    }

    func testNumberOnlyGradeTakesTheGradesName() {
        let text = slacCover + "Services for looked after children\n\nStaying safe\nGrade 2\n\nText follows.\n"
        let extraction = Repository.extract(text)
        XCTAssertEqual(extraction.judgementKeys, ["looked-after-children/staying-safe=good"])
        XCTAssertEqual(extraction.judgements[0].score, 2)
    }

    func testHeadingWithTheGradeOnTheSameLine() {
        let text = slacCover + "Services for looked after children\n\nEnjoying and achieving: outstanding\n\nText.\n"
        XCTAssertEqual(Repository.extract(text).judgementKeys, ["looked-after-children/enjoying-and-achieving=outstanding"])
    }

    // MARK: Table and heading together

    func testTableAndHeadingThatDisagreeKeepTheTableAndSaySo() {
        let text = slacCover + """
            Safeguarding services
            Overall effectiveness\tGood
            Capacity for improvement\tGood

            Safeguarding services

            Overall effectiveness
            Grade 3 (Adequate)

            The text of the section.
            """
        let extraction = Repository.extract(text)
        XCTAssertEqual(extraction.judgementKeys, ["safeguarding/overall-effectiveness=good", "safeguarding/capacity-for-improvement=good"])
        XCTAssertEqual(extraction.judgements[0].origin, "table")
        XCTAssertEqual(extraction.judgements[0].line, 10)
        let conflicts = extraction.diagnostics.filter { $0.code == "judgement.conflict" }
        XCTAssertEqual(conflicts.count, 1)
        XCTAssertEqual(conflicts.first?.severity, .warning)
        XCTAssertEqual(conflicts.first?.line, 15, "the line of the statement that lost")
        XCTAssertTrue(conflicts.first?.message.contains("line 10 says Good") == true, conflicts.first?.message ?? "")
        XCTAssertTrue(conflicts.first?.message.contains("Adequate") == true)
    }

    func testTheSameJudgementTwiceIsOne() {
        let text = slacCover + """
            Safeguarding services
            Overall effectiveness\tGood

            Safeguarding services

            Overall effectiveness
            Grade 2 (Good)

            The text of the section.
            """
        let extraction = Repository.extract(text)
        XCTAssertEqual(extraction.judgementKeys, ["safeguarding/overall-effectiveness=good"])
        XCTAssertEqual(extraction.judgements[0].origin, "table", "the more trusted statement is kept")
        XCTAssertFalse(extraction.diagnosticCodes.contains("judgement.conflict"))
    }

    func testTheSameTableTwiceIsOneSetOfJudgements() {
        let table = "Services for looked after children\t\nBeing healthy\tGood\nStaying safe\tGood\n\n"
        let extraction = Repository.extract(paperCover + table + "Some prose between the copies.\n\n" + table)
        XCTAssertEqual(extraction.judgementKeys, ["looked-after-children/being-healthy=good", "looked-after-children/staying-safe=good"])
    }

    // MARK: Prose

    func testGradedAsSentence() {
        let extraction = Repository.extract(paperCover + "Economic well-being was graded as adequate.\n")
        XCTAssertEqual(extraction.judgementKeys, ["looked-after-children/economic-well-being=adequate"],
                       "economic well-being is judged for looked after children only")
        XCTAssertEqual(extraction.judgements[0].origin, "prose")
        XCTAssertEqual(extraction.judgements[0].label, "Economic well-being")
        XCTAssertEqual(extraction.judgements[0].gradeText, "adequate")
    }

    func testOneGradeForAListOfAreasAfterASemicolon() {
        let text = paperCover + "Four safeguarding outcomes were rated as outstanding; the contribution of health agencies to keeping children and young people safe, partnership working, leadership and management and ambition and prioritisation. All other areas were graded as good.\n"
        let extraction = Repository.extract(text)
        XCTAssertEqual(Set(extraction.judgementKeys), [
            "safeguarding/health-contribution=outstanding",
            "safeguarding/partnership-working=outstanding",
            "safeguarding/leadership-and-management=outstanding",
            "safeguarding/ambition-and-prioritisation=outstanding",
        ])
        XCTAssertTrue(extraction.judgements.allSatisfy { $0.origin == "prose" && $0.line == 5 })
    }

    func testServiceNamedAtTheStartOfAParagraph() {
        let text = paperCover + "Services for Looked after Children the inspectors rated the overall effectiveness as good and the capacity for improvement as good. The inspectors graded the ambition and prioritisation and leadership and management for looked after children as outstanding.\n"
        XCTAssertEqual(Repository.extract(text).judgementKeys, [
            "looked-after-children/overall-effectiveness=good",
            "looked-after-children/capacity-for-improvement=good",
            "looked-after-children/ambition-and-prioritisation=outstanding",
            "looked-after-children/leadership-and-management=outstanding",
        ])
    }

    func testAJudgementOfQuotedGradeForAnArea() {
        let text = paperCover + "In November 2011, Ofsted undertook a statutory inspection. The inspectors made a judgement of \"good\" for the effectiveness of service, with capacity to improve.\n"
        let extraction = Repository.extract(text)
        XCTAssertEqual(extraction.judgementKeys, ["unspecified/overall-effectiveness=good"],
                       "a paper that does not say which service keeps it unspecified")
        XCTAssertEqual(extraction.judgements[0].label, "the effectiveness of service")
    }

    func testProseDoesNotOverrideATableInAnOfstedReport() {
        let text = slacCover + """
            Services for looked after children
            Economic well-being\tGood

            At the last inspection economic well-being was graded as inadequate.
            """
        let extraction = Repository.extract(text)
        XCTAssertEqual(extraction.judgementKeys, ["looked-after-children/economic-well-being=good"])
        XCTAssertFalse(extraction.diagnosticCodes.contains("judgement.conflict"), "prose that disagrees is commentary")
    }

    func testGradeWordsInOrdinaryProseAreNotJudgements() {
        let text = paperCover + "Good progress has been made. Partnership working across agencies remains a priority and staff are good at it.\n"
        XCTAssertEqual(Repository.extract(text).judgements, [])
    }

    // MARK: SIF and LSCB statements

    func testSIFHeadlineGradesOverallEffectiveness() {
        let text = """
            Inspection of services for children in need of help and protection, children looked after and care leavers

            Inspection date: 9–24 November 2017

            Children’s services in Gotham require improvement to be good

            1. Children who need help and protection

            Requires improvement
            """
        let extraction = Repository.extract(text)
        XCTAssertEqual(extraction.document.framework, "sif")
        XCTAssertTrue(extraction.judgementKeys.contains("local-authority/overall-effectiveness=requires-improvement"), "\(extraction.judgementKeys)")
        let overall = extraction.judgements.first { $0.area == "overall-effectiveness" }
        XCTAssertEqual(overall?.line, 5)
        XCTAssertEqual(overall?.gradeText, "require improvement to be good")
        XCTAssertTrue(extraction.judgementKeys.contains("local-authority/help-and-protection=requires-improvement"))
    }

    func testLSCBStatementIsTheBoardsOverallJudgement() {
        let text = """
            Inspection of services for children in need of help and protection, children looked after and care leavers

            Inspection date: 9–24 November 2017

            The Local Safeguarding Children Board is inadequate
            """
        let extraction = Repository.extract(text)
        XCTAssertEqual(extraction.judgementKeys, ["lscb/overall-effectiveness=inadequate"])
        XCTAssertEqual(extraction.judgements[0].score, 4)
    }

    // MARK: Sentences

    func testSentencesSplitAfterAFullStopBeforeACapitalNotAfterAbbreviations() {
        let split = { (text: String) in Sentences.split(text).map(String.init) }
        XCTAssertEqual(split("Staying safe was graded as good. Economic well-being was graded as adequate."),
                       ["Staying safe was graded as good.", "Economic well-being was graded as adequate."])
        XCTAssertEqual(split("Services e.g. CAMHS were good. St. Helens is a council."),
                       ["Services e.g. CAMHS were good.", "St. Helens is a council."])
        XCTAssertEqual(split("He said \"it is good.\" The end. 2 more."), ["He said \"it is good.\"", "The end.", "2 more."])
        XCTAssertEqual(split("version 4.3 of the plan. then lower case"), ["version 4.3 of the plan. then lower case"])
    }

    // MARK: Missing

    func testMissingJudgementsOfTheFramework() {
        let text = """
            Norfolk County Council

            Inspection of looked after children services

            Inspection dates: 8 – 12 July 2013

            Lead inspector: Jane Smith HMI

            Overall effectiveness\tGood
            Capacity to improve\tGood
            Outcomes for looked after children and young people\tGood
            Quality of provision\tAdequate
            """
        let extraction = Repository.extract(text)
        XCTAssertEqual(extraction.judgementKeys, [
            "looked-after-children/overall-effectiveness=good",
            "looked-after-children/capacity-for-improvement=good",
            "looked-after-children/outcomes=good",
            "looked-after-children/quality-of-provision=adequate",
        ])
        let missing = extraction.diagnostics.filter { $0.code == "judgement.missing" }
        XCTAssertEqual(missing.count, 1)
        XCTAssertTrue(missing.first?.message.contains("leadership-and-management") == true, missing.first?.message ?? "")
        XCTAssertNil(missing.first?.line)
    }

    func testCouncilPapersAreNotExpectedToStateEveryJudgement() {
        let extraction = Repository.extract(paperCover + "Economic well-being was graded as adequate.\n")
        XCTAssertFalse(extraction.diagnosticCodes.contains("judgement.missing"))
    }

    func testILACSJudgementsByDate() {
        // Before 2023 one judgement for children in care and care leavers; a report that states it is complete.
        let text = """
            Inspection of local authority children's services

            Gotham City Council

            Inspection dates: 4 March 2019 to 15 March 2019

            Lead inspector: Jo Bloggs HMI

            The impact of leaders on social work practice with children and families\tGood
            The experiences and progress of children who need help and protection\tGood
            The experiences and progress of children in care and care leavers\tRequires improvement to be good
            Overall effectiveness\tGood
            """
        let extraction = Repository.extract(text)
        XCTAssertEqual(extraction.judgements.count, 4)
        XCTAssertTrue(extraction.judgementKeys.contains("local-authority/children-in-care-and-care-leavers=requires-improvement"))
        XCTAssertFalse(extraction.diagnosticCodes.contains("judgement.missing"), "\(extraction.diagnostics.map(\.message))")
    }

    // MARK: Regressions reported by the unit-test pass

    /// A SIF cover's subtitle names the LSCB review; it is the title, not an LSCB section, so
    /// the headline is the local authority's.
    func testTheSIFSubtitleIsNotAnLSCBSection() {
        let text = """
            Gotham
            Inspection of services for children in need of help and protection, children looked after and care leavers
            and
            Review of the effectiveness of the Local Safeguarding Children Board
            Inspection date: 9–24 November 2017

            Children’s services in Gotham require improvement to be good because:

            The Local Safeguarding Children Board is inadequate
            """
        let extraction = Repository.extract(text)
        XCTAssertTrue(extraction.judgementKeys.contains("local-authority/overall-effectiveness=requires-improvement"), "\(extraction.judgementKeys)")
        XCTAssertTrue(extraction.judgementKeys.contains("lscb/overall-effectiveness=inadequate"), "\(extraction.judgementKeys)")
        XCTAssertFalse(extraction.diagnosticCodes.contains("judgement.conflict"))
    }

    /// A grading sentence that disagrees with the table is commentary: the table stands and no
    /// conflict is reported.
    func testAGradingSentenceIsProseNotAHeading() {
        let text = """
            Inspection of safeguarding and looked after children services
            Inspection dates: 23 January – 3 February 2012

            Record of main findings:
            Safeguarding services\t
            Overall effectiveness\tGood

            The overall effectiveness of safeguarding services is adequate.
            """
        let extraction = Repository.extract(text)
        XCTAssertEqual(extraction.judgements.filter { $0.area == "overall-effectiveness" }.map(\.grade), ["good"])
        XCTAssertFalse(extraction.diagnosticCodes.contains("judgement.conflict"))
    }
}
