@testable import OfstedKit
import XCTest

/// Byte-level text helpers give what the character-level code they stand in for gives, and
/// step aside (nil) where a space or tab is joined to a neighbouring scalar.
final class TextScanningTests: XCTestCase {
    private let texts = [
        "", " ", "\t", "plain", "  two  spaces\tand a tab  ", "Task & Finish\tGroup", "a\t\tb\t",
        "Caf\u{E9} \u{201C}quoted\u{201D} \u{2013} end", "cells   in   columns", "   lead and trail   ",
        "one \u{301}accent after a space", "tab\t\u{301}mark", "\u{600} prepended", "x\u{600}\ty",
        "emoji \u{1F600}   faces\t\u{1F44D}\u{1F3FD}", "\u{A0}no-break\u{A0} spaces", "a    \u{301}    b",
    ]

    /// The whitespace collapse `LineClassifier.clean` does over characters.
    private func collapsedByCharacters(_ s: String) -> String {
        var collapsed = ""
        var pendingSpace = false
        for character in s {
            if character == " " || character == "\t" {
                pendingSpace = !collapsed.isEmpty
                continue
            }
            if pendingSpace {
                collapsed.append(" ")
                pendingSpace = false
            }
            collapsed.append(character)
        }
        return collapsed
    }

    /// The layout-column split `LineClassifier.tableCells` does over characters.
    private func splitByCharacters(_ s: Substring, run: Int) -> [Substring] {
        var cells: [Substring] = []
        var start = s.startIndex
        var index = s.startIndex
        while index < s.endIndex {
            if s[index] == " " {
                var runEnd = index
                while runEnd < s.endIndex, s[runEnd] == " " { runEnd = s.index(after: runEnd) }
                if s.distance(from: index, to: runEnd) >= run {
                    cells.append(s[start..<index])
                    start = runEnd
                }
                index = runEnd
            } else {
                index = s.index(after: index)
            }
        }
        cells.append(s[start...])
        return cells
    }

    func testCollapsingSpaceRunsIsTheCharacterLoop() {
        var decided = 0
        for text in texts {
            guard let fast = text.collapsingSpaceRuns() else {
                // Stepping aside is right only where a space or tab does not stand alone.
                XCTAssertTrue(text.unicodeScalars.count != text.count, text.debugDescription)
                continue
            }
            decided += 1
            XCTAssertEqual(fast, collapsedByCharacters(text), text.debugDescription)
        }
        XCTAssertGreaterThan(decided, texts.count / 2)
        XCTAssertNil("one \u{301}accent".collapsingSpaceRuns())
    }

    func testSplitAtTabsIsTheCharacterSplit() {
        for text in texts {
            let line = Substring("\u{2022} " + text + " \u{2022}").dropFirst(2).dropLast(2)
            let slow = line.split(separator: "\t", omittingEmptySubsequences: false)
            // A tab is a control, a character of its own whatever its neighbours (so the bytes decide).
            guard let fast = line.splitAtTabs() else { return XCTFail("no split of \(text.debugDescription)") }
            XCTAssertEqual(fast.map(String.init), slow.map(String.init), text.debugDescription)
            XCTAssertEqual(fast.map(\.startIndex), slow.map(\.startIndex), text.debugDescription)
        }
        XCTAssertEqual("tab\t\u{301}mark".splitAtTabs()?.count, 2)
    }

    func testSplitAtSpaceRunsIsTheCharacterSplit() {
        for text in texts {
            let line = Substring(text)
            guard let fast = line.splitAtSpaceRuns(of: 3) else {
                XCTAssertTrue(text.unicodeScalars.count != text.count, text.debugDescription)
                continue
            }
            XCTAssertEqual(fast.map(String.init), splitByCharacters(line, run: 3).map(String.init), text.debugDescription)
        }
        XCTAssertNil(Substring("a    \u{301}    b").splitAtSpaceRuns(of: 3))
    }
}
