/// A format-neutral page that the text, markdown and HTML renderers lay out.
///
/// The comparison and the diff describe what to show once, as blocks; each renderer decides
/// how: aligned columns for a terminal, pipe tables for markdown, a styled table for HTML.
struct Page: Sendable {
    var title: String
    var blocks: [Block] = []

    enum Block: Sendable {
        case heading(String)
        case subheading(String)
        case paragraph(String)
        case table(Table)
        case items([Item])
        /// What the grid's cells mean: each grade with its score, and the two empty cells.
        case legend([(grade: String, score: Int)])
        /// Lists side by side, one column per document (HTML only; the other formats list
        /// the same items in their own sections).
        case columns(Columns)
    }

    /// How a cell is shown: grades and tones are coloured where the format can.
    enum Style: Sendable, Equatable {
        case plain
        case grade(String)
        case notStated
        case noCounterpart
        case tone(Tone)
    }

    enum Tone: String, Sendable {
        case good, warn, bad, neutral
    }

    struct Cell: Sendable {
        var text: String
        var style: Style = .plain
        /// `data-` attributes on the HTML cell, so that scripts and tests can read the grid.
        var data: [(String, String)] = []

        init(_ text: String, style: Style = .plain, data: [(String, String)] = []) {
            self.text = text
            self.style = style
            self.data = data
        }
    }

    struct Table: Sendable {
        /// The HTML class of the table.
        var kind: String
        var headers: [String]
        /// Shorter headers for a terminal, where long document labels would push the columns apart.
        var shortHeaders: [String]?
        var rows: [[Cell]]
        /// Columns shown right-aligned (counts).
        var numeric: Set<Int> = []
        /// Titles of groups of rows, by the index of the group's first row ("Safeguarding services").
        var groups: [Int: String] = [:]
    }

    /// A list item: a heading line and labelled lines under it (two texts side by side).
    struct Item: Sendable {
        var head: String
        var tone: Tone?
        var lines: [(label: String, text: String)] = []
    }

    struct Columns: Sendable {
        var title: String
        var kind: String
        var headers: [String]
        /// Each group: a title and, per column, its items.
        var groups: [(title: String, columns: [[String]])]
    }
}

/// Words for ids, shared by the renderers: grade and timescale ids are the contract's, shown
/// with spaces and a capital ("requires-improvement" → "Requires improvement").
enum Display {
    static func words(_ id: String) -> String {
        let spaced = id.replacingOccurrences(of: "-", with: " ")
        return spaced.prefix(1).uppercased() + spaced.dropFirst()
    }

    static func grade(_ id: String) -> String { words(id) }

    static func timescale(_ id: String) -> String {
        id == "unspecified" ? "Timescale not stated" : words(id)
    }

    /// A signed step: "+1", "-2", "0".
    static func step(_ step: Int) -> String { step > 0 ? "+\(step)" : "\(step)" }

    /// A similarity with two decimals.
    static func similarity(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        return "\(hundredths / 100).\(hundredths % 100 < 10 ? "0" : "")\(hundredths % 100)"
    }

    static func service(_ id: String, grammar: Grammar) -> String { grammar.service(id)?.label ?? id }
    static func area(_ id: String, grammar: Grammar) -> String { grammar.area(id)?.label ?? id }

    static func kind(_ kind: DocumentKind) -> String {
        switch kind {
        case .ofstedReport: return "Ofsted report"
        case .councilReport: return "council paper"
        case .unknown: return "unknown kind"
        }
    }
}
