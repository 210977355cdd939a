@testable import OfstedKit
import XCTest

/// A document's facts: kind, framework, title, local authority, labelled dates, lead inspector.
final class FactsTests: XCTestCase {
    /// A short Ofsted report cover naming `authority`, in the layout of an ILACS report.
    private func cover(_ authority: String) -> String {
        """
        Inspection of local authority children's services

        \(authority)

        Inspection dates: 4 March 2019 to 15 March 2019

        Lead inspector: Jo Bloggs, Her Majesty's Inspector

        """
    }

    // MARK: Kind

    func testOfstedReportKind() {
        let facts = Inline.facts(cover("Barnet") + "© Crown copyright 2019\n")
        XCTAssertEqual(facts.kind, .ofstedReport)
    }

    func testCouncilPaperKind() {
        let text = """
            CHILDREN AND YOUNG PEOPLE'S OVERVIEW AND SCRUTINY COMMITTEE

            REPORT OF: Director of Children's Services

            Members are requested to note the progress made since the inspection.
            """
        XCTAssertEqual(Inline.facts(text).kind, .councilReport)
        let extraction = Repository.extract(text)
        XCTAssertEqual(extraction.document.kind, .councilReport)
        XCTAssertFalse(extraction.diagnosticCodes.contains("areas.none"), "only an Ofsted report is expected to have areas")
    }

    func testUnknownKindIsANote() {
        let extraction = Repository.extract("Minutes of a meeting about the allotments.\n\nThe hedges were trimmed.\n")
        XCTAssertEqual(extraction.document.kind, .unknown)
        XCTAssertEqual(extraction.diagnostics.first { $0.code == "document.kind-unknown" }?.severity, .note)
        XCTAssertEqual(extraction.document.framework, "unknown")
        XCTAssertNil(extraction.document.localAuthority)
        XCTAssertNil(extraction.document.inspection)
    }

    // MARK: Framework

    func testFrameworkFromTheCoverTitle() {
        XCTAssertEqual(Inline.facts(cover("Barnet")).framework, "ilacs")
        let slac = "Kent County Council\n\nInspection of safeguarding and looked after children services\n\nInspection dates: 23 January – 3 February 2012\n"
        XCTAssertEqual(Inline.facts(slac).framework, "slac")
        let sif = "Inspection of services for children in need of help and protection, children looked after and care leavers\n\nReview of the effectiveness of the Local Safeguarding Children Board\n"
        XCTAssertEqual(Inline.facts(sif).framework, "sif")
    }

    func testFrameworkIsNotTakenFromARunningHeader() {
        // A 2013 LAC report whose running page headers name the older SLAC inspection.
        var text = """
            Kent County Council

            Inspection of looked after children services

            Inspection dates: 15-19 July 2013

            Lead inspector: Ann Other HMI

            """
        let pages = [
            ["The local authority knows its looked after children well.", "Placements are stable for most children.",
             "Care leavers are supported into work.", "Health assessments are timely."],
            ["Independent reviewing officers challenge plans.", "Adoption is considered early for every child.",
             "Foster carers receive regular training.", "Personal education plans are of good quality."],
            ["Leaders know the service's strengths.", "Performance information is used well.",
             "The corporate parenting board is effective.", "Young people's views shape services."],
        ]
        for (index, page) in pages.enumerated() {
            if index > 0 { text += "Inspection of safeguarding and looked after children\n\n" }
            text += page.joined(separator: "\n") + "\n\n\(index + 1)\n\u{0C}"
        }
        let extraction = Repository.extract(text)
        XCTAssertEqual(extraction.document.framework, "lac")
        XCTAssertEqual(extraction.document.title, "Inspection of looked after children services")
        XCTAssertEqual(extraction.document.localAuthority, "Kent")
        XCTAssertEqual(extraction.document.inspection?.start, "2013-07-15")
        XCTAssertEqual(extraction.document.inspection?.end, "2013-07-19")
    }

    func testOfstedReportWithoutAFrameworkIsWarned() {
        let extraction = Repository.extract("Norfolk County Council\n\nLead inspector: Jane Smith HMI\n\n© Crown copyright 2013\n")
        XCTAssertEqual(extraction.document.kind, .ofstedReport)
        XCTAssertEqual(extraction.document.framework, "unknown")
        XCTAssertTrue(extraction.diagnosticCodes.contains("document.framework-unknown"))
        XCTAssertTrue(extraction.diagnosticCodes.contains("document.dates-missing"))
    }

    // MARK: Local authority

    func testAuthorityIsCanonical() {
        let cases = [
            "Norfolk County Council": "Norfolk",
            "Kingston Upon Hull City Council": "Kingston upon Hull",
            "London Borough of Southwark": "Southwark",
            "Metropolitan Borough of Rotherham": "Rotherham",
            "The Royal Borough of Windsor and\nMaidenhead": "Windsor and Maidenhead",
            "Barking & Dagenham": "Barking and Dagenham",
        ]
        for (written, canonical) in cases {
            XCTAssertEqual(Repository.extract(cover(written)).document.localAuthority, canonical, written)
        }
    }

    func testLongestAuthorityNameWins() {
        XCTAssertEqual(Repository.extract(cover("North East Lincolnshire Council")).document.localAuthority, "North East Lincolnshire")
    }

    func testAuthorityTheGazetteerLacksIsReadFromItsCouncilName() {
        XCTAssertEqual(Repository.extract(cover("Gotham City Council")).document.localAuthority, "Gotham")
        let sentence = "Inspection of Gotham local authority children's services\n\nInspection dates: 4 March 2019 to 15 March 2019\n\nLead inspector: Jo Bloggs HMI\n"
        XCTAssertEqual(Repository.extract(sentence).document.localAuthority, "Gotham")
    }

    func testCouncilPaperAuthorityIsTheOneItNamesMost() {
        let text = """
            WIRRAL COUNCIL

            CHILDREN AND YOUNG PEOPLE'S OVERVIEW AND SCRUTINY COMMITTEE

            This report outlines progress in Wirral since the inspection. A visit to Cheshire West
            and Chester was arranged; Wirral Council will report again in March.
            """
        XCTAssertEqual(Repository.extract(text).document.localAuthority, "Wirral")
    }

    func testLowercasePlaceWordsAreNotAuthorities() {
        // "reading" and "bury" are places only when capitalised.
        let text = "Overview and Scrutiny Committee\n\nMembers are requested to note the reading of the report and to bury the matter.\n"
        XCTAssertNil(Repository.extract(text).document.localAuthority)
    }

    func testNothingComesFromTheFileName() {
        let text = "Inspection of local authority children's services\n\nLead inspector: Jo Bloggs HMI\n\n© Crown copyright\n"
        let extraction = Repository.extract(text, fileName: "2013-08-16_norfolk_published-16-August-2013.txt")
        XCTAssertNil(extraction.document.localAuthority)
        XCTAssertNil(extraction.document.inspection)
        XCTAssertNil(extraction.document.published)
        XCTAssertEqual(extraction.source.file, "2013-08-16_norfolk_published-16-August-2013.txt")
        XCTAssertTrue(extraction.diagnosticCodes.contains("document.authority-missing"))
        XCTAssertTrue(extraction.diagnosticCodes.contains("document.dates-missing"))
    }

    func testSourceFileKeepsOnlyTheFileName() {
        XCTAssertEqual(Repository.extract("Text.\n", fileName: "papers/2012/report.txt").source.file, "report.txt")
        XCTAssertNil(Repository.extract("Text.\n", fileName: nil).source.file)
    }

    // MARK: Labelled facts

    func testLabelledDatesOnTheSameLine() {
        let document = Repository.extract(cover("Barnet")).document
        XCTAssertEqual(document.inspection, InspectionDates(start: "2019-03-04", end: "2019-03-15", text: "4 March 2019 to 15 March 2019"))
        XCTAssertEqual(document.leadInspector, "Jo Bloggs, Her Majesty's Inspector")
    }

    func testLabelledDatesOnTheNextLines() {
        let text = """
            Norfolk County Council

            Inspection of looked after children services

            Inspection dates:

            8 – 12 July 2013

            Lead inspector:
            Ann Other HMI

            Published:

            16 August 2013
            """
        let document = Repository.extract(text).document
        XCTAssertEqual(document.inspection?.start, "2013-07-08")
        XCTAssertEqual(document.inspection?.end, "2013-07-12")
        XCTAssertEqual(document.inspection?.text, "8 – 12 July 2013")
        XCTAssertEqual(document.published, "2013-08-16")
        XCTAssertEqual(document.leadInspector, "Ann Other HMI")
    }

    func testPublishedValueTwoLinesBelowItsLabel() {
        let text = cover("Barnet") + "Report published:\n\n\n12 April 2019\n"
        XCTAssertEqual(Repository.extract(text).document.published, "2019-04-12")
    }

    func testCoverCellsOnOneLine() {
        // A table-laid cover: several labels on one line, each value up to the next label.
        let text = "Kent County Council\nInspection of safeguarding and looked after children services\nInspection dates: 23 January – 3 February 2012\tReport published: 9 March 2012\tLead inspector: Gary Lamb HMI\n"
        let document = Repository.extract(text).document
        XCTAssertEqual(document.inspection?.start, "2012-01-23")
        XCTAssertEqual(document.inspection?.end, "2012-02-03")
        XCTAssertEqual(document.published, "2012-03-09")
        XCTAssertEqual(document.leadInspector, "Gary Lamb HMI")
    }

    func testPastTheCoverALabelCountsOnlyAtALineStart() {
        // Beyond the cover's lines a label inside prose is not a label; one that starts a line is.
        let prose = (1...45).map { "Paragraph \($0) of the report, about nothing in particular." }.joined(separator: "\n\n")
        let inside = "Kent County Council\n\n" + prose + "\n\nThe report said that its inspection dates: 1 May 2012 to 3 May 2012 were agreed.\n"
        XCTAssertNil(Repository.extract(inside).document.inspection)
        let starting = "Kent County Council\n\n" + prose + "\n\nInspection dates: 1 May 2012 to 3 May 2012\n"
        XCTAssertEqual(Repository.extract(starting).document.inspection?.start, "2012-05-01")
        XCTAssertEqual(Repository.extract(starting).document.inspection?.end, "2012-05-03")
    }

    func testCouncilPaperDatesFromProse() {
        let text = """
            Corporate Parenting Committee

            3. An inspection was carried out by Ofsted Inspectors between 21 May and 1 June 2012. The purpose was to evaluate services.
            4. The inspection report which was published on the Ofsted website on 10 July 2012, identified areas of strength.
            """
        let document = Repository.extract(text).document
        XCTAssertEqual(document.kind, .councilReport)
        XCTAssertEqual(document.inspection?.start, "2012-05-21")
        XCTAssertEqual(document.inspection?.end, "2012-06-01")
        XCTAssertEqual(document.published, "2012-07-10")
    }

    func testCouncilPaperWithOnlyAMonth() {
        let text = "Overview and Scrutiny Committee\n\nIn November 2011, Ofsted undertook a statutory inspection of safeguarding and looked after children (LAC) services.\n"
        let document = Repository.extract(text).document
        XCTAssertEqual(document.inspection, InspectionDates(start: nil, end: nil, text: "November 2011"))
        XCTAssertEqual(document.framework, "slac")
    }

    // MARK: Services with headings

    func testServicesWithTheirOwnPart() {
        let facts = Inline.facts("## Safeguarding services\n\nText.\n\n## Services for looked after children\n\nText.\n")
        XCTAssertEqual(facts.servicesWithHeadings, ["safeguarding", "looked-after-children"])
    }
}
