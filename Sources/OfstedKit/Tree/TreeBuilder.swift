/// Builds the document tree from tokens.
///
/// - Headings open sections; a section closes when a heading of the same or a higher level
///   comes. Markdown levels are used as written; otherwise parts of a report (service headings,
///   "4.0 BACKGROUND") are level 1, sections level 2 and timescales level 3.
/// - Wrapped lines join: a line directly under a paragraph or list item continues it, and so
///   does a line after a blank or a page break when it starts in lower case where the text
///   before did not end a sentence (pdftotext breaks pages mid-sentence).
/// - A bullet or number alone on a line takes the text after it, across a blank line.
/// - Lists nest by indentation and by glyph (a second glyph in a list marks nested items;
///   bullets under a numbered item belong to it). A list ends where its items change style
///   ("- 4.3 The first ..." after plain bullets starts a new list).
/// - Table rows merge when they wrap: a lower-case label continues the row above, and a row
///   whose first cells are empty adds to the cells above.
/// - A label followed by a line that is only a grade ("Overall effectiveness" … "Good") becomes
///   a table row; a label followed by "Grade 4 (Inadequate)" becomes a heading with that grade.
/// The builder never fails: what it cannot place becomes a paragraph.
struct TreeBuilder: Sendable {
    let grammar: Grammar
    static let maxListDepth = 8

    /// Words after which a line cannot end a sentence: the next line carries it on.
    static let joiningWords: Set<String> = [
        "and", "or", "of", "the", "a", "an", "to", "for", "in", "with", "on", "by", "from", "that", "which", "who",
        "their", "its", "is", "are", "as", "at", "into", "than", "this", "these", "be", "been", "has", "have",
    ]

    func build(_ tokens: [Token]) -> DocumentTree {
        var state = BuildState(builder: self)
        // By index: `for token in tokens` would copy every token (and retain its strings).
        for index in tokens.indices { state.consume(tokens[index]) }
        return state.finish()
    }

    func level(of token: Token) -> Int {
        switch token.headingSource {
        case .markdown: return max(1, token.headingLevel)
        case .numbered: return 1
        default: break
        }
        guard let key = Tokenizer(grammar: grammar).headingKey(token.text) else { return 2 }
        if grammar.serviceHeadings[key] != nil || grammar.serviceHeadings["the " + key] != nil { return 1 }
        if grammar.timescaleHeadings[key] != nil { return 3 }
        if let index = (grammar.sectionHeadings[key] ?? grammar.sectionHeadings["the " + key])?.first {
            return grammar.sections[index].level
        }
        return 2
    }
}

private struct BuildState {
    enum Open {
        case paragraph(Paragraph)
        case list(ListState)
        case table(Table)
    }

    struct ListState {
        struct Entry {
            var item: ListItem
            var depth: Int
            var indent: Int
        }

        private(set) var entries: [Entry]
        var firstHasGlyph: Bool
        var firstNumberKind: NumberKind
        var firstGlyph: String?
        var glyphDepths: [String: Int] = [:]
        /// The depth of the last entry at each indent, so that placing an item does not scan the list.
        private var depthAtIndent: [Int: Int] = [:]
        /// Entries that no later entry has indented as little as: indents strictly increase
        /// upwards, and the last entry indented less than any width is among them.
        private var shallower: [(indent: Int, depth: Int)] = []

        init(first: Entry, firstHasGlyph: Bool, firstNumberKind: NumberKind, firstGlyph: String?) {
            entries = []
            self.firstHasGlyph = firstHasGlyph
            self.firstNumberKind = firstNumberKind
            self.firstGlyph = firstGlyph
            append(first)
        }

        mutating func append(_ entry: Entry) {
            entries.append(entry)
            depthAtIndent[entry.indent] = entry.depth
            while let top = shallower.last, top.indent >= entry.indent { shallower.removeLast() }
            shallower.append((entry.indent, entry.depth))
        }

        /// Changes the last entry in place (its text grows; its indent and depth stay).
        mutating func updateLast(_ body: (inout Entry) -> Void) { body(&entries[entries.count - 1]) }

        /// Drops the last entry; the list must be closed after this (the indexes no longer match).
        mutating func removeLastBeforeClosing() { entries.removeLast() }

        /// The depth of the last entry indented exactly `indent`.
        func depth(atIndent indent: Int) -> Int? { depthAtIndent[indent] }

        /// The depth of the last entry indented less than `indent`.
        func depth(indentedLessThan indent: Int) -> Int? {
            var low = 0
            var high = shallower.count
            while low < high {
                let middle = (low + high) / 2
                if shallower[middle].indent < indent { low = middle + 1 } else { high = middle }
            }
            return low == 0 ? nil : shallower[low - 1].depth
        }
    }

    enum NumberKind: Equatable {
        /// `bare`: a number alone without a point ("2"), as footnote markers are printed.
        case none, integer, dotted, letter, bare

        init(_ number: String?) {
            guard let number else { self = .none; return }
            if Int(number) != nil { self = .integer } else if number.contains(".") { self = .dotted } else { self = .letter }
        }
    }

    /// Where the last grade went, so that its wrapped second line can follow it.
    enum GradeTarget {
        case headingOfCurrentSection
        case lastRowOfLastTable
    }

    let builder: TreeBuilder
    var stack: [Section] = [Section(heading: nil, level: 0)]
    var open: Open?
    var blankSince = false
    var pageSince = false
    var gradeTarget: GradeTarget?
    /// Whether the last line added to the open paragraph or item is longer than 60 characters.
    var lastLineIsLong = false
    var diagnostics: [Diagnostic] = []
    var reportedDepth = false

    init(builder: TreeBuilder) { self.builder = builder }

    mutating func consume(_ token: Token) {
        if token.pageBreak { pageSince = true }
        switch token.kind {
        case .blank:
            blankSince = true
            return
        case .furniture:
            return
        default:
            break
        }
        defer {
            blankSince = false
            pageSince = false
            lastLineIsLong = !token.text.hasAtMostCharacters(60)
        }
        if let grade = token.grade, handleGrade(token, grade) { return }
        gradeTarget = nil
        switch token.kind {
        case .heading:
            closeOpen()
            openSection(Heading(text: token.text, line: token.line, endLine: token.line + token.extraLines, number: token.number,
                                source: token.headingSource ?? .vocabulary, grade: nil),
                        level: builder.level(of: token))
        case .numbered where token.text.isEmpty && !blankSince && !pageSince && continuesOpenText:
            // "… when they reach the age of" / "17.": a number that ends a wrapped sentence.
            var text = token
            text.text = token.bareNumber ? (token.number ?? "") : (token.number ?? "") + "."
            addText(text)
        case .bullet, .numbered:
            addItem(token)
        case .tableRow:
            addRow(token)
        case .text:
            addText(token)
        case .blank, .furniture:
            break
        }
    }

    mutating func finish() -> DocumentTree {
        closeOpen()
        while stack.count > 1 { popSection() }
        return DocumentTree(root: stack[0], diagnostics: diagnostics)
    }

    // MARK: Sections

    mutating func openSection(_ heading: Heading, level: Int) {
        while stack.count > 1, stack[stack.count - 1].level >= level { popSection() }
        stack.append(Section(heading: heading, level: level))
    }

    mutating func popSection() {
        let section = stack.removeLast()
        stack[stack.count - 1].blocks.append(.section(section))
    }

    mutating func closeOpen() {
        guard let current = open else { return }
        open = nil
        switch current {
        case .paragraph(let paragraph): stack[stack.count - 1].blocks.append(.paragraph(paragraph))
        case .list(let list): stack[stack.count - 1].blocks.append(.list(ListBlock(items: nest(list.entries))))
        case .table(let table): stack[stack.count - 1].blocks.append(.table(table))
        }
    }

    // MARK: Text

    /// Whether the open paragraph or list item stops mid-sentence, so the next line continues
    /// it: its last line ends with a joining word, or is as long as wrapped prose ("Missing
    /// children" over "5." is a label, not a sentence that goes on).
    var continuesOpenText: Bool {
        let text: String
        switch open {
        case .paragraph(let paragraph)?: text = paragraph.text
        case .list(let list)?: text = list.entries.last?.item.text ?? ""
        default: return false
        }
        guard !text.isEmpty, !Self.endsSentence(text) else { return false }
        let lastWord = text.split(separator: " ").last.map { $0.lowercased() } ?? ""
        return TreeBuilder.joiningWords.contains(lastWord) || lastLineIsLong
    }


    static func startsLowercase(_ text: String) -> Bool {
        guard let first = text.first else { return false }
        return first.isLowercase
    }

    static func endsSentence(_ text: String) -> Bool {
        guard let last = text.last else { return false }
        return ".:;?!".contains(last) || last == "\u{201D}" || last == "\""
    }

    mutating func addText(_ token: Token) {
        let broken = blankSince || pageSince
        // The open block is taken out of `open` while it grows, so that it is its storage's only
        // owner and appending does not copy it (a copy per line is quadratic on long documents).
        // (`if case`, not `switch`: a switch keeps its subject, and so a second owner, alive.)
        if case .list(var list) = open {
            open = nil
            let last = list.entries.count - 1
            if list.entries[last].item.text.isEmpty || continues(list.entries[last].item.text, with: token, broken: broken) {
                list.updateLast { entry in
                    Self.append(token.text, to: &entry.item.text)
                    entry.item.endLine = token.line
                }
                open = .list(list)
                return
            }
            open = .list(list)
        } else if case .paragraph(var paragraph) = open {
            open = nil
            if continues(paragraph.text, with: token, broken: broken) {
                if !paragraph.text.isEmpty && !token.text.isEmpty {
                    paragraph.lineStarts.append(paragraph.text.utf8.count + 1)
                    paragraph.lineNumbers.append(token.line)
                }
                Self.append(token.text, to: &paragraph.text)
                paragraph.endLine = token.line
                open = .paragraph(paragraph)
                return
            }
            open = .paragraph(paragraph)
        }
        closeOpen()
        open = .paragraph(Paragraph(text: token.text, line: token.line, endLine: token.line))
    }

    /// Whether a text line continues the paragraph or item ending with `text`.
    func continues(_ text: String, with token: Token, broken: Bool) -> Bool {
        !broken || (Self.startsLowercase(token.text) && (pageSince || !Self.endsSentence(text)))
    }

    /// Joins `more` to `text` with a space (either may be empty), in place: a text that grows
    /// line by line must not be copied for each line.
    static func append(_ more: String, to text: inout String) {
        if text.isEmpty {
            text = more
        } else if !more.isEmpty {
            text += " "
            text += more
        }
    }

    // MARK: Lists

    mutating func addItem(_ token: Token) {
        let item = ListItem(text: token.text, line: token.line, endLine: token.line, bullet: token.bullet, number: token.number)
        let hasGlyph = token.bullet != nil
        let numberKind = token.bareNumber ? NumberKind.bare : NumberKind(token.number)
        if case .list(var list) = open {
            open = nil  // `list` is now its entries' only owner: appending does not copy them
            let depth = depthFor(token, in: &list)
            let sameStyle = hasGlyph == list.firstHasGlyph && numberKind == list.firstNumberKind
            if depth > 0 || sameStyle {
                if depth > TreeBuilder.maxListDepth && !reportedDepth {
                    reportedDepth = true
                    diagnostics.append(Diagnostic(severity: .warning, code: "tree.depth-limit",
                                                  message: "a list nests deeper than \(TreeBuilder.maxListDepth) levels; deeper items are kept at level \(TreeBuilder.maxListDepth)",
                                                  line: token.line))
                }
                list.append(.init(item: item, depth: min(depth, TreeBuilder.maxListDepth), indent: token.indent))
                open = .list(list)
                return
            }
            open = .list(list)
        }
        closeOpen()
        var list = ListState(first: .init(item: item, depth: 0, indent: token.indent), firstHasGlyph: hasGlyph,
                             firstNumberKind: numberKind, firstGlyph: token.bullet)
        if let glyph = token.bullet { list.glyphDepths[glyph] = 0 }
        open = .list(list)
    }

    /// How deep a new item sits in `list`: by indentation first, then by glyph.
    func depthFor(_ token: Token, in list: inout ListState) -> Int {
        let base = list.entries[0].indent
        let previous = list.entries[list.entries.count - 1]
        // A lost glyph's one leading space is where the glyph stood, not an indent: the item
        // is level with the list's own glyphs.
        if token.bullet == "", token.indent == 1, base == 0, list.firstHasGlyph { return 0 }
        if token.indent > base {
            // Deeper than an earlier item with a smaller indent; level with one with the same.
            if let same = list.depth(atIndent: token.indent) { return same }
            if token.indent > previous.indent { return previous.depth + 1 }
            return (list.depth(indentedLessThan: token.indent) ?? 0) + 1
        }
        if token.indent < base { return 0 }
        guard let glyph = token.bullet else { return 0 }
        if !list.firstHasGlyph {
            // Bullets under a numbered item belong to it, unless the bullet carries the next
            // number of the same kind ("4.6 …" then "- 4.7 …"): that continues the numbering.
            if list.firstNumberKind != .none && NumberKind(token.number) == list.firstNumberKind { return 0 }
            return 1
        }
        if let known = list.glyphDepths[glyph] { return known }
        let depth = previous.depth + 1
        list.glyphDepths[glyph] = depth
        return depth
    }

    /// Flat items with depths → nested items.
    func nest(_ entries: [ListState.Entry]) -> [ListItem] {
        var roots: [ListItem] = []
        var stack: [(ListItem, Int)] = []
        func closeTop() {
            let (item, _) = stack.removeLast()
            if stack.isEmpty { roots.append(item) } else { stack[stack.count - 1].0.children.append(item) }
        }
        for entry in entries {
            while let top = stack.last, top.1 >= entry.depth { closeTop() }
            stack.append((entry.item, entry.depth))
        }
        while !stack.isEmpty { closeTop() }
        return roots
    }

    // MARK: Tables

    mutating func addRow(_ token: Token) {
        let row = TableRow(cells: token.cells, line: token.line, endLine: token.line)
        if case .table(var table) = open, !table.vertical, let last = table.rows.indices.last {
            open = nil  // `table` is now its rows' only owner: appending does not copy them
            let previousCells = table.rows[last].cells.count  // (not the row: that would be a second owner of its cells)
            let cells = row.cells
            let firstFilled = cells.firstIndex(where: { !$0.isEmpty }) ?? 0
            if firstFilled == 0, cells.count >= 1, Self.startsLowercase(cells[0]),
               cells.dropFirst().allSatisfy(\.isEmpty), previousCells > 0 {
                // "and young people safe" continues the label above.
                Self.append(cells[0], to: &table.rows[last].cells[0])
                table.rows[last].endLine = token.line
                open = .table(table)
                return
            }
            if firstFilled > 0, firstFilled < previousCells {
                // A row whose first cells are empty adds to the cells above it.
                for (index, cell) in cells.enumerated() where !cell.isEmpty {
                    if index < table.rows[last].cells.count {
                        Self.append(cell, to: &table.rows[last].cells[index])
                    } else {
                        table.rows[last].cells.append(cell)
                    }
                }
                table.rows[last].endLine = token.line
                open = .table(table)
                return
            }
            table.rows.append(row)
            open = .table(table)
            return
        }
        closeOpen()
        open = .table(Table(rows: [row], vertical: false))
    }

    // MARK: Grades

    /// Places a grade line; false when it is not a grade here and should be read as text.
    mutating func handleGrade(_ token: Token, _ grade: Token.GradeMark) -> Bool {
        let text = GradeText(text: token.text, line: token.line, endLine: token.line)
        switch grade {
        case .continuation:
            switch gradeTarget {
            case .headingOfCurrentSection:
                stack[stack.count - 1].heading?.grade?.text += " " + token.text
                stack[stack.count - 1].heading?.grade?.endLine = token.line
                return true
            case .lastRowOfLastTable:
                guard lastBlockIsTable(withRows: true) else { return false }
                let block = stack[stack.count - 1].blocks.removeLast()
                guard case .table(var table) = consume block, let last = table.rows.indices.last else { return false }
                table.rows[last].cells[table.rows[last].cells.count - 1] += " " + token.text
                table.rows[last].endLine = token.line
                stack[stack.count - 1].blocks.append(.table(table))
                return true
            case nil:
                return false
            }
        case .bare:
            guard let (label, line) = takeLabel(maxWords: 30) else {
                // A heading just opened, with nothing under it, is the label.
                let section = stack[stack.count - 1]
                if open == nil, stack.count > 1, section.blocks.isEmpty, let heading = section.heading, heading.grade == nil {
                    stack.removeLast()
                    appendVerticalRow(TableRow(cells: [heading.text, token.text], line: heading.line, endLine: token.line))
                    return true
                }
                return false
            }
            appendVerticalRow(TableRow(cells: [label, token.text], line: line, endLine: token.line))
            return true
        case .numbered:
            if open == nil, stack.count > 1, stack[stack.count - 1].blocks.isEmpty, stack[stack.count - 1].heading?.grade == nil {
                stack[stack.count - 1].heading?.grade = text
                gradeTarget = .headingOfCurrentSection
                return true
            }
            guard case .paragraph(let paragraph)? = open, paragraph.endLine - paragraph.line <= 2,
                  paragraph.text.split(separator: " ").count <= 25, !Self.endsSentence(paragraph.text) else {
                return false
            }
            open = nil
            let level = max(2, stack[stack.count - 1].level)
            openSection(Heading(text: paragraph.text, line: paragraph.line, endLine: paragraph.endLine, number: nil,
                                source: .vocabulary, grade: text), level: level)
            gradeTarget = .headingOfCurrentSection
            return true
        }
    }

    /// Takes the open paragraph or last list item as the label of a grade laid out below it,
    /// when it is short and set apart from the grade by a blank line or page break.
    mutating func takeLabel(maxWords: Int) -> (String, Int)? {
        guard blankSince || pageSince else { return nil }
        switch open {
        case .paragraph(let paragraph)?:
            guard paragraph.endLine - paragraph.line <= 3, paragraph.text.split(separator: " ").count <= maxWords else { return nil }
            open = nil
            return (paragraph.text, paragraph.line)
        case .list(var list)?:
            // A footnote marker or page number alone ("1") between a label and its grade.
            while let last = list.entries.last, last.item.text.isEmpty, last.item.children.isEmpty, list.entries.count > 1,
                  let number = last.item.number, Int(number) != nil {
                list.removeLastBeforeClosing()  // (a copy: kept only if the label is taken, and then closed)
            }
            guard let last = list.entries.last, last.depth == 0, last.item.children.isEmpty,
                  !last.item.text.isEmpty, last.item.text.split(separator: " ").count <= maxWords else { return nil }
            open = nil
            list.removeLastBeforeClosing()
            open = list.entries.isEmpty ? nil : .list(list)
            closeOpen()
            return (last.item.text, last.item.line)
        default:
            return nil
        }
    }

    mutating func appendVerticalRow(_ row: TableRow) {
        closeOpen()
        if lastBlockIsTable(vertical: true) {
            // Taken out of the section, the table is its rows' only owner: appending does not copy them.
            let block = stack[stack.count - 1].blocks.removeLast()
            guard case .table(var table) = consume block else { return }
            table.rows.append(row)
            stack[stack.count - 1].blocks.append(.table(table))
        } else {
            stack[stack.count - 1].blocks.append(.table(Table(rows: [row], vertical: true)))
        }
        gradeTarget = .lastRowOfLastTable
    }

    /// Whether the current section's last block is a table (a vertical one, or one with rows).
    func lastBlockIsTable(vertical: Bool = false, withRows: Bool = false) -> Bool {
        guard case .table(let table)? = stack[stack.count - 1].blocks.last else { return false }
        return (!vertical || table.vertical) && (!withRows || !table.rows.isEmpty)
    }
}
