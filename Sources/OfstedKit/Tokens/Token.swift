/// One line of the document, classified.
///
/// Tokens are per line so that every piece of evidence keeps its line number; the tree joins
/// wrapped lines. `text` is the line's content with markers (bullet glyph, item number, `#`),
/// markdown emphasis and HTML tags removed and whitespace runs collapsed; `markup` keeps what
/// was removed.
struct Token: Sendable {
    enum Kind: String, Sendable {
        case blank, text, heading, bullet, numbered
        case tableRow = "table-row"
        case furniture
    }

    /// Why a line is a heading.
    enum HeadingSource: String, Sendable {
        /// `#`, `##` … markdown.
        case markdown
        /// The whole line is `**bold**`.
        case bold
        /// The whole line is a phrase of the grammar (a section, service, timescale or area).
        case vocabulary
        /// A short section-numbered line such as "2.0 History of the Review".
        case numbered
        /// A short line set between the end of a sentence and a new item, as pdftotext prints
        /// an unnumbered heading ("… partner agencies." / "Key strengths and weaknesses" / "132. …").
        case layout
    }

    /// A line (or two) that carries only a grade.
    enum GradeMark: String, Sendable {
        /// "Good", "Requires improvement to be good": a table cell laid out on its own line.
        case bare
        /// "Grade 2 (Good)", "Grade 4": the grade of the heading above it.
        case numbered
        /// The second line of a grade wrapped over two lines ("Requires improvement" / "to be good").
        case continuation
    }

    var kind: Kind
    /// 1-based line number in the input as given.
    let line: Int
    var text: String
    /// Leading spaces before the content (a tab counts 4).
    var indent: Int = 0
    /// The bullet glyph as written; "" when a leading space is all that is left of a lost glyph.
    var bullet: String? = nil
    /// The item number as written ("4.3", "24", "ii"), without its punctuation.
    var number: String? = nil
    /// The line is a number and nothing else, without a point or bracket ("4", not "4." or
    /// "(4)"): a page number or footnote marker more often than an item.
    var bareNumber: Bool = false
    /// Markdown heading level; 0 for headings found otherwise.
    var headingLevel: Int = 0
    var headingSource: HeadingSource? = nil
    /// Cells of a table row, leading empty cells kept, trailing ones dropped.
    var cells: [String] = []
    /// What cleaning removed: "bold", "italic", "html", "link", "footnote".
    var markup: [String] = []
    /// A page break (form feed) falls on this line.
    var pageBreak: Bool = false
    /// Set when the line carries only a grade.
    var grade: GradeMark? = nil
    /// For a heading wrapped over several lines: how many lines after this one it took (they
    /// are marked as furniture with markup "heading-continuation").
    var extraLines: Int = 0

    var isContent: Bool { Self.isContent(kind) }

    /// `isContent` of a token of this kind, for asking of a token in place in an array (asking
    /// the token itself copied it there).
    static func isContent(_ kind: Kind) -> Bool { kind != .blank && kind != .furniture }
}
