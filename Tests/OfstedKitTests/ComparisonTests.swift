import Foundation
@testable import OfstedKit
import XCTest

/// A small extraction built in code: `judgements` as "service area grade", `areas` as
/// (service, timescale, text).
func makeExtraction(kind: DocumentKind = .ofstedReport, framework: String, authority: String? = "Testshire",
                    start: String? = "2016-03-01", published: String? = nil, judgements: [String] = [],
                    areas: [(String, String, String)] = [], diagnostics: [Diagnostic] = [], file: String = "test.txt") -> Extraction {
    let grammar = Repository.grammar
    return Extraction(
        parser: ParserInfo(name: "ofsted", version: "test", grammar: "test"),
        source: SourceInfo(file: file, bytes: 0, sha256: "", encoding: "utf-8", bom: false),
        document: DocumentInfo(kind: kind, framework: framework, title: nil, localAuthority: authority,
                               inspection: InspectionDates(start: start, end: nil, text: nil), published: published, leadInspector: nil),
        judgements: judgements.enumerated().map { index, line in
            let parts = line.split(separator: " ").map(String.init)
            return Judgement(service: parts[0], area: parts[1], grade: parts[2], score: grammar.grade(parts[2])?.score ?? 0,
                             label: parts[1], gradeText: parts[2], origin: "table", line: index + 1)
        },
        areasForImprovement: areas.enumerated().map { index, area in
            AreaForImprovement(service: area.0, timescale: area.1, text: area.2, number: nil, status: nil, themes: [],
                               line: 100 + index, endLine: 100 + index)
        },
        diagnostics: diagnostics)
}

/// Lining judgements up: rows, cells, steps, labels and area matching.
final class ComparisonGridTests: XCTestCase {
    private func grid(_ documents: Extraction...) -> Grid { Grid(documents, grammar: Repository.grammar) }

    private func row(_ grid: Grid, _ service: String, _ area: String, file: StaticString = #filePath, line: UInt = #line) -> Grid.Row? {
        let found = grid.rows.first { $0.service == service && $0.area == area }
        XCTAssertNotNil(found, "no row \(service) \(area)", file: file, line: line)
        return found
    }

    func testSIFAndILACSShareHelpAndProtectionButNotLeadership() throws {
        let sif = makeExtraction(framework: "sif", judgements: ["local-authority help-and-protection requires-improvement",
                                                                "local-authority leadership-management-and-governance good"])
        let ilacs = makeExtraction(framework: "ilacs", start: "2019-05-01", judgements: ["local-authority help-and-protection good",
                                                                                         "local-authority leaders-impact outstanding"])
        let grid = grid(sif, ilacs)
        let shared = try XCTUnwrap(row(grid, "local-authority", "help-and-protection"))
        XCTAssertEqual(shared.frameworks, ["sif", "ilacs"])
        XCTAssertEqual(shared.cells.map { $0.judgement?.grade }, ["requires-improvement", "good"])
        XCTAssertEqual(shared.cells[1].step, 1, "requires improvement (3) to good (2) is one step better")

        let governance = try XCTUnwrap(row(grid, "local-authority", "leadership-management-and-governance"))
        XCTAssertEqual(governance.cells.map(\.state), [.graded, .noCounterpart])
        XCTAssertNil(governance.cells[1].step)
        let leaders = try XCTUnwrap(row(grid, "local-authority", "leaders-impact"))
        XCTAssertEqual(leaders.cells.map(\.state), [.noCounterpart, .graded])
        XCTAssertTrue(grid.notes.contains { $0.contains("leadership") }, "the reason the leadership rows stay apart is given")
    }

    func testCellsSayWhetherAJudgementIsMissingOrHasNoCounterpart() throws {
        // ILACS judged care leavers on their own only from 2023: a 2019 report has no such judgement.
        let sif = makeExtraction(framework: "sif", judgements: ["local-authority care-leavers inadequate"])
        let ilacs2019 = makeExtraction(framework: "ilacs", start: "2019-05-01")
        let ilacs2024 = makeExtraction(framework: "ilacs", start: "2024-02-05")
        let grid = grid(sif, ilacs2019, ilacs2024)
        let careLeavers = try XCTUnwrap(row(grid, "local-authority", "care-leavers"))
        XCTAssertEqual(careLeavers.cells.map(\.state), [.graded, .noCounterpart, .notStated])
        // Nothing is filled in from a neighbour.
        XCTAssertEqual(careLeavers.cells.compactMap(\.judgement).count, 1)
        // The lscb row: SIF judges it (not stated here), ILACS has no LSCB.
        let lscb = try XCTUnwrap(row(grid, "lscb", "overall-effectiveness"))
        XCTAssertEqual(lscb.cells.map(\.state), [.notStated, .noCounterpart, .noCounterpart])
    }

    func testSLACServicesHaveNoCounterpartInAnILACSReport() throws {
        let slac = makeExtraction(framework: "slac", start: "2012-01-23", judgements: ["safeguarding overall-effectiveness good"])
        let ilacs = makeExtraction(framework: "ilacs", start: "2019-05-01", judgements: ["local-authority overall-effectiveness good"])
        let grid = grid(slac, ilacs)
        let safeguarding = try XCTUnwrap(row(grid, "safeguarding", "overall-effectiveness"))
        XCTAssertEqual(safeguarding.cells.map(\.state), [.graded, .noCounterpart])
        let council = try XCTUnwrap(row(grid, "local-authority", "overall-effectiveness"))
        XCTAssertEqual(council.cells.map(\.state), [.noCounterpart, .graded])
        XCTAssertTrue(grid.differences(from: 1).isEmpty, "a service's grade is not compared with the council's")
        XCTAssertTrue(grid.notes.contains { $0.contains("each service's overall effectiveness") })
        // No SIF document: SIF-only rows are not shown.
        XCTAssertNil(grid.rows.first { $0.area == "adoption-performance" })
    }

    func testRowsFollowTheFrameworkOrderAndTheLACInspectionContinuesSLAC() throws {
        let slac = makeExtraction(framework: "slac", start: "2011-01-24", judgements: ["looked-after-children overall-effectiveness adequate"])
        let lac = makeExtraction(framework: "lac", start: "2013-06-03", judgements: ["looked-after-children overall-effectiveness good"])
        let grid = grid(slac, lac)
        let expected = Repository.grammar.framework("slac")!.judges.map { "\($0.service) \($0.area)" }
            + ["looked-after-children outcomes"]
        XCTAssertEqual(grid.rows.map { "\($0.service) \($0.area)" }, expected)
        let overall = try XCTUnwrap(row(grid, "looked-after-children", "overall-effectiveness"))
        XCTAssertEqual(overall.cells[1].step, 1)
        XCTAssertEqual(try XCTUnwrap(row(grid, "safeguarding", "partnership-working")).cells.map(\.state), [.notStated, .noCounterpart])
    }

    func testAJudgementNoFrameworkKnowsGetsARowOfItsOwn() throws {
        let paper = makeExtraction(kind: .councilReport, framework: "slac", judgements: ["unspecified overall-effectiveness good"])
        let report = makeExtraction(framework: "slac", judgements: ["safeguarding overall-effectiveness good"])
        let unknown = makeExtraction(kind: .councilReport, framework: "unknown", judgements: ["local-authority help-and-protection inadequate"])
        let grid = grid(report, paper, unknown)
        let own = try XCTUnwrap(grid.rows.last)
        XCTAssertEqual(own.service, "unspecified")
        XCTAssertEqual(own.id, "unspecified overall-effectiveness")
        XCTAssertEqual(own.cells.map(\.state), [.notStated, .graded, .notStated])
        // An unknown framework's judgement goes to the row with its service and area.
        let help = try XCTUnwrap(row(grid, "local-authority", "help-and-protection"))
        XCTAssertEqual(help.cells.map(\.state), [.noCounterpart, .noCounterpart, .graded])
        XCTAssertTrue(grid.notes.contains { $0.contains("framework of document 3 is unknown") })
    }

    func testStepsAreScoreDifferences() {
        let old = makeExtraction(framework: "sif", judgements: ["local-authority overall-effectiveness good",
                                                                "local-authority help-and-protection good",
                                                                "local-authority care-leavers requires-improvement"])
        let new = makeExtraction(framework: "sif", start: "2017-01-01", judgements: ["local-authority overall-effectiveness outstanding",
                                                                                    "local-authority help-and-protection inadequate",
                                                                                    "local-authority care-leavers requires-improvement"])
        let steps = Dictionary(uniqueKeysWithValues: grid(old, new).rows.filter { $0.service == "local-authority" }.map { ($0.area, $0.cells[1].step) })
        XCTAssertEqual(steps["overall-effectiveness"], 1, "good → outstanding is +1")
        XCTAssertEqual(steps["help-and-protection"], -2, "good → inadequate is -2")
        XCTAssertEqual(steps["care-leavers"], 0)
        XCTAssertEqual(steps["adoption-performance"], .some(nil))
        // Adequate and requires improvement share a score: no step.
        let adequate = makeExtraction(framework: "slac", judgements: ["safeguarding overall-effectiveness adequate"])
        let requires = makeExtraction(framework: "slac", judgements: ["safeguarding overall-effectiveness requires-improvement"])
        XCTAssertEqual(grid(adequate, requires).rows[0].cells[1].step, 0)
    }

    func testLabelsAreAuthorityAndDateAndUnique() {
        let report = makeExtraction(kind: .ofstedReport, framework: "slac", authority: "Lancashire", start: "2012-01-23")
        let paper = makeExtraction(kind: .councilReport, framework: "slac", authority: "Lancashire", start: "2012-01-23")
        let published = makeExtraction(framework: "sif", authority: "Wirral", start: nil, published: "2016-05-10")
        let anonymous = makeExtraction(framework: "unknown", authority: nil, start: nil)
        let labels = ComparedDocument.labelled([report, paper, published, anonymous, anonymous],
                                               files: ["a/002.txt", "000.txt", nil, "x/notes.txt", "y/notes.txt"]).map(\.label)
        XCTAssertEqual(labels, ["Lancashire 2012-01-23 (Ofsted report)", "Lancashire 2012-01-23 (council paper)",
                                "Wirral 2016-05-10", "notes.txt (#4)", "notes.txt (#5)"])
        XCTAssertEqual(Set(labels).count, labels.count)
        let twice = ComparedDocument.labelled([report, report], files: ["a/002.txt", "b/002.txt"]).map(\.label)
        XCTAssertEqual(twice, ["Lancashire 2012-01-23 (#1)", "Lancashire 2012-01-23 (#2)"])
    }
}

/// Matching areas for improvement, and reading stated counts.
final class AreaMatchingTests: XCTestCase {
    private func area(_ text: String, _ service: String = "local-authority", _ timescale: String = "unspecified") -> AreaForImprovement {
        AreaForImprovement(service: service, timescale: timescale, text: text, number: nil, status: nil, themes: [], line: 1, endLine: 1)
    }

    func testSimilarityIsWordBigramDiceOnNormalizedText() {
        XCTAssertEqual(AreaMatcher.similarity("Improve the timeliness of assessments.", "improve the TIMELINESS of assessments"), 1)
        XCTAssertEqual(AreaMatcher.similarity("care leavers", "pathway plans"), 0)
        // 11 and 12 bigrams, 7 shared ("the response", "response to", "16 and", "and 17", "who present",
        // "present as", "as homeless"): 2 × 7 / 23.
        let value = AreaMatcher.similarity("The response to 16- and 17-year-olds who present as homeless.",
                                           "The response to children aged 16 and 17 years who present as homeless.")
        XCTAssertEqual(value, 14.0 / 23.0, accuracy: 1e-9)
    }

    func testMatchingIsOneToOneBestFirstAndRespectsTheThreshold() {
        let left = [area("Improve the quality of supervision."), area("Improve the quality of supervision for managers.")]
        let right = [area("Improve the quality of supervision for managers."), area("Something else entirely, about housing.")]
        let matches = AreaMatcher(threshold: 0.5).match(left, right)
        XCTAssertEqual(matches.map { [$0.left, $0.right] }, [[1, 0]], "the identical pair wins; each area matches once")
        XCTAssertEqual(AreaMatcher(threshold: 1).match(left, right).count, 1)
        XCTAssertEqual(AreaMatcher(threshold: 0.01).match(left, right).count, 1, "area 0 has no partner left")
    }

    func testATieGoesToThePairPlacedAlike() {
        let text = "Ensure that every child has an up to date plan."
        let left = [area(text, "safeguarding", "within-3-months"), area(text, "looked-after-children", "within-6-months")]
        let right = [area(text, "looked-after-children", "within-6-months"), area(text, "safeguarding", "within-3-months")]
        XCTAssertEqual(AreaMatcher(threshold: 0.5).match(left, right).map { [$0.left, $0.right] }, [[0, 1], [1, 0]])
    }

    func testStatedCountsAreReadFromTheCountMismatchDiagnostic() throws {
        let update = try ComparisonFixtures.extraction(ComparisonFixtures.lancashireUpdate)
        let counts = StatedCount.all(in: update, grammar: Repository.grammar)
        XCTAssertEqual(counts.count, 2, "this pins the form of the areas.count-mismatch message the comparison reads")
        XCTAssertEqual(counts.first?.count, 9)
        XCTAssertEqual(counts.first?.service, "safeguarding")
        XCTAssertEqual(counts.first?.timescale, "within-6-months")
        XCTAssertEqual(counts.first?.listed, 4)
        XCTAssertTrue(counts.first?.quote.contains("nine Safeguarding areas") == true)
        let unscoped = Diagnostic(severity: .warning, code: "areas.count-mismatch",
                                  message: "the document states 7 areas for improvement (\"There were seven Areas for Development\") but 6 are listed", line: 3)
        XCTAssertEqual(StatedCount.parse(unscoped, grammar: Repository.grammar),
                       StatedCount(count: 7, service: nil, timescale: nil, quote: "There were seven Areas for Development", line: 3, listed: 6))
        XCTAssertNil(StatedCount.parse(Diagnostic(severity: .warning, code: "judgement.missing", message: "x", line: nil), grammar: Repository.grammar))
    }
}
