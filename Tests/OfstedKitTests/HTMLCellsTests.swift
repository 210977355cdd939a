@testable import OfstedKit
import XCTest

/// Table cells from HTML `<td>` lines, found in one pass.
final class HTMLCellsTests: XCTestCase {
    func cells(_ line: String) -> [String]? { LineClassifier.htmlCells(Substring(line))?.map(String.init) }

    func testCellsRunFromTheirTagToTheNextClosingTag() {
        XCTAssertEqual(cells("<tr><td>Overall effectiveness</td><TD class=\"g\">Good</TD></tr>"), ["Overall effectiveness", "Good"])
        XCTAssertEqual(cells("<td>a<td>b</td>"), ["a<td>b"], "an unclosed cell runs to the next closing tag")
        XCTAssertEqual(cells("<td>a<td>b<td>c"), ["a", "b", "c"], "without closing tags, to the next cell")
        XCTAssertEqual(cells("<td>é – ’x’</td>"), ["é – ’x’"])
        XCTAssertEqual(cells("<td no end"), [], "a tag without > gives no cell")
        XCTAssertNil(cells("no table here </td>"))
    }

    /// A line of a million cells takes one pass (searching the rest of the line per cell took minutes).
    func testAMillionCellsOnOneLine() {
        let line = String(repeating: "<td>x", count: 1_000_000)
        XCTAssertEqual(cells(line)?.count, 1_000_000)
    }
}
