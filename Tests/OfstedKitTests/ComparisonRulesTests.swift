import Foundation
@testable import OfstedKit
import XCTest

/// `Grammar/comparison.rules`: what lines up across frameworks, and the loader's checks.
final class ComparisonRulesTests: XCTestCase {
    func testTheBundledRulesJoinTheJudgementsFrameworksShare() {
        let rules = Repository.grammar.comparison
        func members(_ id: String) -> Set<String> {
            Set(rules.same.first { $0.id == id }?.members.map { "\($0.framework) \($0.service) \($0.area)" } ?? [])
        }
        XCTAssertEqual(members("help-and-protection"), ["sif local-authority help-and-protection", "ilacs local-authority help-and-protection"])
        XCTAssertEqual(members("care-leavers"), ["sif local-authority care-leavers", "ilacs local-authority care-leavers"])
        XCTAssertEqual(members("local-authority-overall-effectiveness"),
                       ["sif local-authority overall-effectiveness", "ilacs local-authority overall-effectiveness"])
        // Leadership rows are different questions: kept apart, with a reason.
        let leadership = rules.distinct.first { $0.id == "leadership" }
        XCTAssertEqual(Set(leadership?.members.map(\.area) ?? []), ["leadership-management-and-governance", "leaders-impact"])
        XCTAssertNil(rules.row(of: .init(framework: "sif", service: "local-authority", area: "leadership-management-and-governance")))
    }

    /// Loads the repository grammar with `comparison.rules` replaced by `text`.
    private func load(_ text: String?) throws -> Grammar {
        var files: [String: String] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: Repository.grammarDirectory.path) where name.hasSuffix(".rules") {
            files[name] = try String(contentsOf: Repository.grammarDirectory.appendingPathComponent(name), encoding: .utf8)
        }
        files["comparison.rules"] = text
        return try Grammar.load(files: files, directory: "Grammar")
    }

    private func assertError(_ text: String?, line: Int, _ message: String, file: StaticString = #filePath, at: UInt = #line) {
        do {
            _ = try load(text)
            XCTFail("loaded a grammar that should fail: \(message)", file: file, line: at)
        } catch let error as GrammarError {
            XCTAssertEqual(error.file, "Grammar/comparison.rules", file: file, line: at)
            XCTAssertEqual(error.line, line, "\(error)", file: file, line: at)
            XCTAssertTrue(error.message.contains(message), "\(error)", file: file, line: at)
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: at)
        }
    }

    func testAJudgementTheFrameworkDoesNotMakeIsAnErrorAtItsLine() {
        assertError("# header\nsame leaders\n    judged: sif local-authority leaders-impact\n    judged: ilacs local-authority leaders-impact\n",
                    line: 3, "sif does not judge local-authority leaders-impact")
    }

    func testUnknownNamesAreErrors() {
        assertError("same x\n    judged: ofsted2030 local-authority help-and-protection\n", line: 2, "unknown framework ofsted2030")
        assertError("same x\n    judged: sif council help-and-protection\n", line: 2, "unknown service council")
        assertError("same x\n    judged: sif local-authority help\n", line: 2, "unknown area help")
        assertError("equal x\n    judged: sif local-authority help-and-protection\n", line: 1, "unknown record kind `equal`")
        assertError("same x\n    judges: sif local-authority help-and-protection\n", line: 2, "`judges` is not a field of same")
        assertError("same x\n    judged: sif help-and-protection\n", line: 2, "judged: expects FRAMEWORK SERVICE AREA")
    }

    func testARowHasOneJudgementPerFrameworkAndAJudgementOneRow() {
        assertError("same x\n    judged: sif local-authority help-and-protection\n    judged: sif local-authority care-leavers\n",
                    line: 3, "sif is already in same x")
        assertError("""
            same x
                judged: sif local-authority help-and-protection
                judged: ilacs local-authority help-and-protection
            same y
                judged: sif local-authority help-and-protection
                judged: ilacs local-authority care-leavers
            """, line: 5, "already in same x")
        assertError("same x\n    judged: sif local-authority help-and-protection\n", line: 1, "needs two or more judged: lines")
    }

    func testADistinctRecordNeedsAReasonAndTwoRows() {
        assertError("distinct x\n    judged: sif local-authority help-and-protection\n    judged: ilacs local-authority help-and-protection\n",
                    line: 1, "needs `reason:`")
        assertError("""
            same x
                judged: sif local-authority help-and-protection
                judged: ilacs local-authority help-and-protection
            distinct y
                judged: sif local-authority help-and-protection
                judged: ilacs local-authority help-and-protection
                reason: they are not the same
            """, line: 4, "a same record joins into one row")
    }

    func testTheFileIsRequired() {
        assertError(nil, line: 0, "the grammar has no comparison.rules")
    }
}
