import Foundation
@testable import OfstedKit
import XCTest

/// `DocumentDiff`: its modes, the fidelity classification, and the done-when checks on the seeds.
final class DocumentDiffTests: XCTestCase {
    private func diff(_ old: Extraction, _ new: Extraction, threshold: Double = Comparison.defaultThreshold) -> DocumentDiff {
        let documents = ComparedDocument.labelled([old, new], files: ["old.txt", "new.txt"])
        return DocumentDiff(old: documents[0], new: documents[1], grammar: Repository.grammar, threshold: threshold)
    }

    func testTheModeFollowsAuthorityDatesAndKinds() {
        let report = makeExtraction(kind: .ofstedReport, framework: "sif", start: "2016-03-01")
        let paper = makeExtraction(kind: .councilReport, framework: "sif", start: "2016-03-01")
        let later = makeExtraction(kind: .ofstedReport, framework: "ilacs", start: "2021-06-07")
        let elsewhere = makeExtraction(kind: .ofstedReport, framework: "sif", authority: "Otherton", start: "2016-03-01")
        let undated = makeExtraction(kind: .councilReport, framework: "sif", start: nil)
        XCTAssertEqual(diff(report, paper).mode, .fidelity)
        XCTAssertEqual(diff(paper, report).mode, .fidelity, "the report is the reference whichever comes first")
        XCTAssertEqual(diff(report, later).mode, .inspections)
        XCTAssertEqual(diff(report, elsewhere).mode, .alignment)
        XCTAssertEqual(diff(report, undated).mode, .alignment)
        XCTAssertTrue(diff(report, undated).reason.contains("first day is not known"))
        XCTAssertEqual(diff(report, report).mode, .alignment)
        XCTAssertFalse(diff(report, report).hasDifferences, "a document does not differ from itself")
    }

    func testFidelityClassifiesEveryAreaOfTheReport() throws {
        let report = makeExtraction(
            kind: .ofstedReport, framework: "slac",
            judgements: ["safeguarding overall-effectiveness good", "safeguarding capacity-for-improvement outstanding",
                         "looked-after-children being-healthy adequate"],
            areas: [("safeguarding", "immediately", "Review the safeguarding arrangements in the hospital trusts."),
                    ("safeguarding", "within-3-months", "Improve the recording of strategy discussions so that there is a single record."),
                    ("safeguarding", "within-6-months", "Ensure there is sufficient management capacity in the out of hours service."),
                    ("looked-after-children", "within-3-months", "Improve the timeliness of initial health assessments."),
                    ("looked-after-children", "within-6-months", "Ensure the clinical psychologist service has sufficient capacity.")])
        let paper = makeExtraction(
            kind: .councilReport, framework: "slac",
            judgements: ["safeguarding overall-effectiveness good", "safeguarding capacity-for-improvement good",
                         "safeguarding partnership-working good"],
            areas: [("safeguarding", "immediately", "review the safeguarding arrangements in the hospital trusts"),
                    ("safeguarding", "within-3-months", "Improve the recording of strategy discussions so there is one single record."),
                    ("safeguarding", "within-3-months", "Ensure there is sufficient management capacity in the out of hours service."),
                    ("looked-after-children", "unspecified", "Improve the timeliness of initial health assessments."),
                    ("looked-after-children", "within-6-months", "Publish a new corporate parenting strategy.")],
            diagnostics: [Diagnostic(severity: .warning, code: "areas.count-mismatch",
                                     message: "the document states 3 areas for improvement (safeguarding) (\"three Safeguarding areas\") but 3 are listed",
                                     line: 4),
                          Diagnostic(severity: .warning, code: "areas.count-mismatch",
                                     message: "the document states 4 areas for improvement (within-3-months) (\"four areas within three months\") but 3 are listed",
                                     line: 5)])
        let result = diff(report, paper)
        let fidelity = try XCTUnwrap(result.fidelity)
        XCTAssertEqual(fidelity.areas.map(\.status), [.reproduced, .reworded, .moved, .unplaced, .omitted])
        XCTAssertTrue(fidelity.areas[0].verbatim, "case and punctuation aside, the same words")
        XCTAssertFalse(fidelity.areas[1].verbatim)
        XCTAssertEqual(fidelity.areas[2].timescale, .moved)
        XCTAssertEqual(fidelity.areas[3].timescale, .unstated)
        XCTAssertNil(fidelity.areas[4].paper)
        XCTAssertEqual(fidelity.paperOnly, [4])
        XCTAssertEqual(fidelity.judgements.map(\.status), [.correct, .wrong, .notInReport])
        XCTAssertEqual(fidelity.notRepeated.map(\.area), ["being-healthy"])
        // "three Safeguarding areas": the report has 3 → agrees; "four within three months": the report has 2 → disagrees.
        XCTAssertEqual(fidelity.counts.map(\.agrees), [true, false])
        XCTAssertEqual(fidelity.counts.map(\.report), [3, 2])
        XCTAssertTrue(result.hasDifferences)
    }

    func testInspectionsReportStepsAndAreasCarriedOverNewAndGone() throws {
        let old = try ComparisonFixtures.extraction(ComparisonFixtures.sif2016)
        let new = try ComparisonFixtures.extraction(ComparisonFixtures.ilacs2021)
        let result = diff(old, new)
        XCTAssertEqual(result.mode, .inspections)
        let changes = Dictionary(uniqueKeysWithValues: result.comparison.grid.rows.map { ($0.id, result.change($0)) })
        XCTAssertEqual(changes["local-authority-overall-effectiveness"]?.text, "+1 improved")
        XCTAssertEqual(changes["help-and-protection"]?.text, "+1 improved")
        XCTAssertEqual(changes["sif local-authority leadership-management-and-governance"]?.word, "no-counterpart-in-new")
        XCTAssertEqual(changes["ilacs local-authority leaders-impact"]?.word, "no-counterpart-in-old")
        XCTAssertEqual(changes["care-leavers"]?.word, "no-counterpart-in-new", "ILACS judged care leavers apart only from 2023")
        XCTAssertEqual(result.matches.map { [$0.left, $0.right] }, [[0, 0], [1, 1]])
        XCTAssertEqual(result.matches.map { AreaMatcher.sameWords(old.areasForImprovement[$0.left].text, new.areasForImprovement[$0.right].text) },
                       [true, false])
        XCTAssertTrue(result.hasDifferences)
        XCTAssertTrue(result.render(.text).contains("Gone since [1]: 1"))
        let declined = diff(new, old).comparison.grid.rows.first { $0.id == "help-and-protection" }.map { diff(new, old).change($0) }
        XCTAssertEqual(declined?.text, "-1 declined")
        XCTAssertTrue(diff(new, old).reason.contains("read backwards in time"))
        XCTAssertFalse(result.reason.contains("backwards"))
    }

    func testTextsThatDifferOnlyInCaseAndPunctuationAreBothShown() {
        let old = makeExtraction(framework: "sif", areas: [("local-authority", "unspecified", "Improve the timeliness of visits.")])
        let new = makeExtraction(framework: "sif", start: "2017-01-01", areas: [("local-authority", "unspecified", "improve the timeliness of visits")])
        let text = diff(old, new).render(.text)
        XCTAssertTrue(text.contains("1.00 same words"))
        XCTAssertTrue(text.contains("Improve the timeliness of visits."))
        XCTAssertTrue(text.contains(": improve the timeliness of visits\n"), "the texts as written, both")
        XCTAssertTrue(diff(old, new).hasDifferences == false, "the same words in the same place are no difference")
        let same = makeExtraction(framework: "sif", start: "2017-01-01", areas: [("local-authority", "unspecified", "Improve the timeliness of visits.")])
        XCTAssertTrue(diff(old, same).render(.text).contains("[1] and [2] Local authority, Timescale not stated: Improve the timeliness of visits."))
    }

    // MARK: The done-when checks, on the seeds

    /// Lancashire's Ofsted report (seed 002) against Lancashire's council update (seed 000).
    func testTheLancashireUpdateReproducesAllTwentyTwoAreasButMiscountsThem() throws {
        let documents = try ComparisonFixtures.documents([ComparisonFixtures.lancashireReport, ComparisonFixtures.lancashireUpdate])
        let result = DocumentDiff(old: documents[0], new: documents[1], grammar: Repository.grammar)
        XCTAssertEqual(result.mode, .fidelity)
        let fidelity = try XCTUnwrap(result.fidelity)
        XCTAssertEqual(fidelity.areas.count, 22)
        XCTAssertEqual(fidelity.count(.reproduced), 22, "every area reproduced, with its timescale and service")
        XCTAssertEqual(fidelity.count(.omitted), 0)
        XCTAssertTrue(fidelity.areas.allSatisfy { $0.verbatim && $0.service == .same && $0.timescale == .same })
        XCTAssertEqual(fidelity.paperOnly, [])
        let safeguarding = try XCTUnwrap(fidelity.counts.first { $0.stated.service == "safeguarding" && $0.stated.timescale == "within-6-months" })
        XCTAssertEqual(safeguarding.stated.count, 9, "the update says nine")
        XCTAssertEqual(safeguarding.report, 4, "the report lists four")
        XCTAssertFalse(safeguarding.agrees)
        XCTAssertTrue(result.hasDifferences)
        let text = result.render(.text)
        XCTAssertTrue(text.contains("22 reproduced"))
        XCTAssertTrue(text.contains("disagrees: the paper states 9 (Safeguarding services, Within 6 months), the report lists 4"))
    }

    /// Lancashire's report (seed 002) and Southwark's paper (seed 003): two 22-judgement grids side by side.
    func testLancashireAndSouthwarkGridsLineUpWithSignedSteps() throws {
        let documents = try ComparisonFixtures.documents([ComparisonFixtures.lancashireReport, ComparisonFixtures.southwarkPaper])
        let comparison = Comparison(documents, grammar: Repository.grammar)
        XCTAssertEqual(comparison.grid.rows.count, 22)
        XCTAssertTrue(comparison.grid.rows.allSatisfy { $0.cells.allSatisfy { $0.state == .graded } }, "both documents grade all 22 rows")
        let capacity = try XCTUnwrap(comparison.grid.rows.first { $0.service == "safeguarding" && $0.area == "capacity-for-improvement" })
        XCTAssertEqual(capacity.cells.map { $0.judgement?.grade }, ["good", "outstanding"])
        XCTAssertEqual(capacity.cells[1].step, 1)
        XCTAssertEqual(comparison.grid.differences(from: 1).count, 7)
        XCTAssertTrue(comparison.render(.text).contains("Safeguarding services · Capacity for improvement: Good → Outstanding (+1 better)"))
    }
}
