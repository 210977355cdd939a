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

    func testCollapsingSpaceRunsIsTheCharacterLoop() {
        var decided = 0
        for text in texts {
            guard let fast = text.collapsingSpaceRunsOnBytes() else {
                // Stepping aside is right only where a space or tab does not stand alone.
                XCTAssertTrue(text.unicodeScalars.count != text.count, text.debugDescription)
                continue
            }
            decided += 1
            XCTAssertEqual(fast, text.collapsingSpaceRunsByCharacter(), text.debugDescription)
        }
        XCTAssertGreaterThan(decided, texts.count / 2)
        XCTAssertNil("one \u{301}accent".collapsingSpaceRunsOnBytes())
    }

    func testSplitAtTabsIsTheCharacterSplit() {
        for text in texts {
            let line = Substring("\u{2022} " + text + " \u{2022}").dropFirst(2).dropLast(2)
            let slow = line.split(separator: "\t", omittingEmptySubsequences: false)
            // A tab is a control, a character of its own whatever its neighbours (so the bytes decide).
            guard let fast = line.splitAtTabsOnBytes() else { return XCTFail("no split of \(text.debugDescription)") }
            XCTAssertEqual(fast.map(String.init), slow.map(String.init), text.debugDescription)
            XCTAssertEqual(fast.map(\.startIndex), slow.map(\.startIndex), text.debugDescription)
        }
        XCTAssertEqual("tab\t\u{301}mark".splitAtTabsOnBytes()?.count, 2)
    }

    func testSplitAtSpaceRunsIsTheCharacterSplit() {
        for text in texts {
            let line = Substring(text)
            guard let fast = line.splitAtSpaceRunsOnBytes(of: 3) else {
                XCTAssertTrue(text.unicodeScalars.count != text.count, text.debugDescription)
                continue
            }
            XCTAssertEqual(fast.map(String.init), line.splitAtSpaceRunsByCharacter(of: 3).map(String.init), text.debugDescription)
        }
        XCTAssertNil(Substring("a    \u{301}    b").splitAtSpaceRunsOnBytes(of: 3))
    }
}
