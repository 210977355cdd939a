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
/// The builder never fails: what it cannot place becomes a paragraph. It decides from what the
/// tokens already say of their texts (first and last characters, length, last word); a block's
/// text is put together once, when the block is complete.
struct TreeBuilder: Sendable {
    let grammar: Grammar
    static let maxListDepth = 8

    /// Words after which a line cannot end a sentence: the next line carries it on.
    static var joiningWords: Set<String> { TextShape.joiningWords }

    func build(_ stream: TokenStream) -> DocumentTree {
        var state = BuildState(builder: self, stream: stream)
        for index in stream.tokens.indices { state.consume(index) }
        return state.finish()
    }

    func level(of heading: String, source: Token.HeadingSource?, markdownLevel: Int) -> Int {
        switch source {
        case .markdown: return max(1, markdownLevel)
        case .numbered: return 1
        default: break
        }
        guard let key = Tokenizer(grammar: grammar).headingKey(heading) else { return 2 }
        if grammar.serviceHeadings[key] != nil || grammar.serviceHeadings["the " + key] != nil { return 1 }
        if grammar.timescaleHeadings[key] != nil { return 3 }
        if let index = (grammar.sectionHeadings[key] ?? grammar.sectionHeadings["the " + key])?.first {
            return grammar.sections[index].level
        }
        return 2
    }
}

/// A text being put together from lines: the texts joined with single spaces (empty ones
/// skipped), and what the builder asks of the whole.
private struct GrowingText {
    /// The non-empty texts, in order.
    var parts: [TextRange] = []
    /// A text made by the builder rather than taken from a token (a number that ends a
    /// sentence), after the parts it follows: (position in `parts`, text).
    var made: [(Int, String)] = []
    /// The shape of the last non-empty text.
    var last: TextShape?
    /// Pieces between spaces, over all the texts.
    var pieces = 0
    /// Bytes so far, joining spaces included.
    var length = 0
    var masks = WordMasks()

    var isEmpty: Bool { length == 0 }

    init() {}

    init(_ token: Token) {
        append(token)
    }

    mutating func append(_ token: Token) {
        masks.formUnion(token.words.masks)
        guard !token.text.isEmpty else { return }
        if length > 0 { length += 1 }
        length += Int(token.text.count)
        parts.append(token.text)
        last = token.shape
        pieces += Int(token.shape.pieces)
    }

    /// Appends a text the builder made, with its shape and masks.
    mutating func append(made text: String, shape: TextShape, masks textMasks: WordMasks) {
        masks.formUnion(textMasks)
        guard !text.isEmpty else { return }
        if length > 0 { length += 1 }
        length += text.utf8.count
        made.append((parts.count, text))
        last = shape
        pieces += Int(shape.pieces)
    }

    /// Whether the text ends a sentence (`BuildState.endsSentence`).
    var endsSentence: Bool {
        guard let last else { return false }
        return last.endsWith(anyOf: ".:;?!\"") || last.endsWithClosingQuote
    }

    /// The text as a string.
    func string(_ stream: TokenStream) -> String {
        guard length > 0 else { return "" }
        return stream.store.withUnsafeBufferPointer { store in
            String(unsafeUninitializedCapacity: length) { out in
                // (Plain loops, not functions nested over the counters: those cost an access
                // check at every use.)
                var n = 0
                var madeIndex = 0
                for position in 0...parts.count {
                    while madeIndex < made.count, made[madeIndex].0 <= position {
                        var text = made[madeIndex].1
                        let at = n
                        n = text.withUTF8 { Self.put($0, into: out, at: at) }
                        madeIndex += 1
                    }
                    if position < parts.count { n = Self.put(UnsafeBufferPointer(rebasing: store[parts[position].range]), into: out, at: n) }
                }
                return n
            }
        }
    }

    /// Writes a space (unless at the start) and `bytes` into `out` at `start`; returns where
    /// the writing ended. The bytes are copied as a block: they are whole texts, so valid where
    /// they were.
    @inline(__always)
    private static func put(_ bytes: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        var n = start
        if n > 0 {
            out[n] = 0x20
            n += 1
        }
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return n }
        precondition(n + bytes.count <= out.count)
        (out.baseAddress.unsafelyUnwrapped + n).initialize(from: base, count: bytes.count)
        return n + bytes.count
    }
}

private struct BuildState {
    /// A paragraph being built.
    struct OpenParagraph {
        var text: GrowingText
        var line: Int
        var endLine: Int
        var lineStarts: [Int] = []
        var lineNumbers: [Int] = []
    }

    /// A list item being built.
    struct OpenItem {
        var text: GrowingText
        var line: Int
        var endLine: Int
        var bullet: String?
        var number: String?
    }

    enum Open {
        case paragraph(OpenParagraph)
        case list(ListState)
        case table(Table)
    }

    struct ListState {
        struct Entry {
            var item: OpenItem
            var depth: Int
            var indent: Int
        }

        private(set) var entries: [Entry]
        var firstHasGlyph: Bool
        var firstNumberKind: NumberKind
        var firstGlyph: Token.Bullet?
        var glyphDepths: [Token.Bullet: Int] = [:]
        /// The depth of the last entry at each indent, so that placing an item does not scan the list.
        private var depthAtIndent: [Int: Int] = [:]
        /// Entries that no later entry has indented as little as: indents strictly increase
        /// upwards, and the last entry indented less than any width is among them.
        private var shallower: [(indent: Int, depth: Int)] = []

        init(first: Entry, firstHasGlyph: Bool, firstNumberKind: NumberKind, firstGlyph: Token.Bullet?) {
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
    let stream: TokenStream
    var stack: [Section] = [Section(heading: nil, level: 0)]
    var open: Open?
    var blankSince = false
    var pageSince = false
    var gradeTarget: GradeTarget?
    /// Whether the last line added to the open paragraph or item is longer than 60 characters.
    var lastLineIsLong = false
    var diagnostics: [Diagnostic] = []
    var reportedDepth = false

    init(builder: TreeBuilder, stream: TokenStream) {
        self.builder = builder
        self.stream = stream
    }

    mutating func consume(_ index: Int) {
        let token = stream.tokens[index]
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
            lastLineIsLong = !token.shape.hasAtMostCharacters(60)
        }
        if let grade = token.grade, handleGrade(index, grade) { return }
        gradeTarget = nil
        switch token.kind {
        case .heading:
            closeOpen()
            let text = stream.text(index)
            var heading = Heading(text: text, line: token.line, endLine: token.line + token.extraLines,
                                  number: stream.number(index), source: token.headingSource ?? .vocabulary, grade: nil)
            heading.masks = token.words.masks
            openSection(heading, level: builder.level(of: text, source: token.headingSource, markdownLevel: token.headingLevel))
        case .numbered where token.text.isEmpty && !blankSince && !pageSince && continuesOpenText:
            // "… when they reach the age of" / "17.": a number that ends a wrapped sentence.
            let number = stream.number(index) ?? ""
            let text = token.bareNumber ? number : number + "."
            addText(token, made: text)
        case .bullet, .numbered:
            addItem(index)
        case .tableRow:
            addRow(index)
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
        case .paragraph(let paragraph): stack[stack.count - 1].blocks.append(.paragraph(finished(paragraph)))
        case .list(let list): stack[stack.count - 1].blocks.append(.list(ListBlock(items: nest(list.entries))))
        case .table(let table): stack[stack.count - 1].blocks.append(.table(table))
        }
    }

    func finished(_ paragraph: OpenParagraph) -> Paragraph {
        var done = Paragraph(text: paragraph.text.string(stream), line: paragraph.line, endLine: paragraph.endLine,
                             lineStarts: paragraph.lineStarts, lineNumbers: paragraph.lineNumbers)
        done.masks = paragraph.text.masks
        return done
    }

    func finished(_ item: OpenItem) -> ListItem {
        var done = ListItem(text: item.text.string(stream), line: item.line, endLine: item.endLine, bullet: item.bullet, number: item.number)
        done.masks = item.text.masks
        return done
    }

    // MARK: Text

    /// Whether the open paragraph or list item stops mid-sentence, so the next line continues
    /// it: its last line ends with a joining word, or is as long as wrapped prose ("Missing
    /// children" over "5." is a label, not a sentence that goes on).
    var continuesOpenText: Bool {
        let text: GrowingText
        switch open {
        case .paragraph(let paragraph)?: text = paragraph.text
        case .list(let list)?: text = list.entries.last?.item.text ?? GrowingText()
        default: return false
        }
        guard !text.isEmpty, !text.endsSentence, let last = text.last else { return false }
        return last.endsWithJoiningWord || lastLineIsLong
    }

    mutating func addText(_ token: Token, made: String? = nil) {
        let broken = blankSince || pageSince
        // The text a made number adds: its shape and words.
        var madeShape = TextShape()
        var madeMasks = WordMasks()
        if let made {
            madeShape = Array(made.utf8).withUnsafeBufferPointer { TextShape($0) }
            madeMasks = builder.grammar.prefilters.masks(of: made)
        }
        let startsLowercase = made == nil ? token.shape.first.isLowercase : madeShape.first.isLowercase
        func grow(_ text: inout GrowingText) {
            if let made { text.append(made: made, shape: madeShape, masks: madeMasks) } else { text.append(token) }
        }
        let adds = made.map { !$0.isEmpty } ?? !token.text.isEmpty
        // The open block is taken out of `open` while it grows, so that it is its storage's only
        // owner and appending does not copy it.
        if case .list(var list) = open {
            open = nil
            let last = list.entries.count - 1
            if list.entries[last].item.text.isEmpty || continues(list.entries[last].item.text, startsLowercase, broken: broken) {
                list.updateLast { entry in
                    grow(&entry.item.text)
                    entry.item.endLine = token.line
                }
                open = .list(list)
                return
            }
            open = .list(list)
        } else if case .paragraph(var paragraph) = open {
            open = nil
            if continues(paragraph.text, startsLowercase, broken: broken) {
                if !paragraph.text.isEmpty && adds {
                    paragraph.lineStarts.append(paragraph.text.length + 1)
                    paragraph.lineNumbers.append(token.line)
                }
                grow(&paragraph.text)
                paragraph.endLine = token.line
                open = .paragraph(paragraph)
                return
            }
            open = .paragraph(paragraph)
        }
        closeOpen()
        var text = GrowingText()
        grow(&text)
        open = .paragraph(OpenParagraph(text: text, line: token.line, endLine: token.line))
    }

    /// Whether a text line continues the paragraph or item `text`.
    func continues(_ text: GrowingText, _ startsLowercase: Bool, broken: Bool) -> Bool {
        !broken || (startsLowercase && (pageSince || !text.endsSentence))
    }

    static func startsLowercase(_ text: String) -> Bool {
        guard let first = text.first else { return false }
        return first.isLowercase
    }

    static func endsSentence(_ text: String) -> Bool {
        guard let last = text.last else { return false }
        return ".:;?!".contains(last) || last == "\u{201D}" || last == "\""
    }

    /// Joins `more` to `text` with a space (either may be empty), in place.
    static func append(_ more: String, to text: inout String) {
        if text.isEmpty {
            text = more
        } else if !more.isEmpty {
            text += " "
            text += more
        }
    }

    // MARK: Lists

    mutating func addItem(_ index: Int) {
        let token = stream.tokens[index]
        let number = stream.number(index)
        let item = OpenItem(text: GrowingText(token), line: token.line, endLine: token.line, bullet: token.bullet?.text, number: number)
        let hasGlyph = token.bullet != nil
        let numberKind = token.bareNumber ? NumberKind.bare : NumberKind(number)
        if case .list(var list) = open {
            open = nil  // `list` is now its entries' only owner: appending does not copy them
            let depth = depthFor(token, number: number, in: &list)
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
    func depthFor(_ token: Token, number: String?, in list: inout ListState) -> Int {
        let base = list.entries[0].indent
        let previous = list.entries[list.entries.count - 1]
        // A lost glyph's one leading space is where the glyph stood, not an indent: the item
        // is level with the list's own glyphs.
        if token.bullet == .lost, token.indent == 1, base == 0, list.firstHasGlyph { return 0 }
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
            if list.firstNumberKind != .none && NumberKind(number) == list.firstNumberKind { return 0 }
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
            stack.append((finished(entry.item), entry.depth))
        }
        while !stack.isEmpty { closeTop() }
        return roots
    }

    // MARK: Tables

    mutating func addRow(_ index: Int) {
        let token = stream.tokens[index]
        let row = TableRow(cells: stream.cellTexts(index), line: token.line, endLine: token.line)
        if case .table(var table) = open, !table.vertical, let last = table.rows.indices.last {
            open = nil  // `table` is now its rows' only owner: appending does not copy them
            table.masks.formUnion(token.words.masks)
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
        open = .table(Table(rows: [row], vertical: false, masks: token.words.masks))
    }

    // MARK: Grades

    /// Places a grade line; false when it is not a grade here and should be read as text.
    mutating func handleGrade(_ index: Int, _ grade: Token.GradeMark) -> Bool {
        let token = stream.tokens[index]
        let tokenText = stream.text(index)
        let text = GradeText(text: tokenText, line: token.line, endLine: token.line)
        switch grade {
        case .continuation:
            switch gradeTarget {
            case .headingOfCurrentSection:
                stack[stack.count - 1].heading?.grade?.text += " " + tokenText
                stack[stack.count - 1].heading?.grade?.endLine = token.line
                return true
            case .lastRowOfLastTable:
                guard lastBlockIsTable(withRows: true) else { return false }
                let block = stack[stack.count - 1].blocks.removeLast()
                guard case .table(var table) = consume block, let last = table.rows.indices.last else { return false }
                table.rows[last].cells[table.rows[last].cells.count - 1] += " " + tokenText
                table.rows[last].endLine = token.line
                table.masks.formUnion(token.words.masks)
                stack[stack.count - 1].blocks.append(.table(table))
                return true
            case nil:
                return false
            }
        case .bare:
            guard let (label, line, masks) = takeLabel(maxWords: 30) else {
                // A heading just opened, with nothing under it, is the label.
                let section = stack[stack.count - 1]
                if open == nil, stack.count > 1, section.blocks.isEmpty, let heading = section.heading, heading.grade == nil {
                    stack.removeLast()
                    appendVerticalRow(TableRow(cells: [heading.text, tokenText], line: heading.line, endLine: token.line),
                                      masks: heading.masks.union(token.words.masks))
                    return true
                }
                return false
            }
            appendVerticalRow(TableRow(cells: [label, tokenText], line: line, endLine: token.line), masks: masks.union(token.words.masks))
            return true
        case .numbered:
            if open == nil, stack.count > 1, stack[stack.count - 1].blocks.isEmpty, stack[stack.count - 1].heading?.grade == nil {
                stack[stack.count - 1].heading?.grade = text
                stack[stack.count - 1].heading?.masks.formUnion(token.words.masks)
                gradeTarget = .headingOfCurrentSection
                return true
            }
            guard case .paragraph(let paragraph)? = open, paragraph.endLine - paragraph.line <= 2,
                  paragraph.text.pieces <= 25, !paragraph.text.endsSentence else {
                return false
            }
            open = nil
            let level = max(2, stack[stack.count - 1].level)
            var heading = Heading(text: paragraph.text.string(stream), line: paragraph.line, endLine: paragraph.endLine, number: nil,
                                  source: .vocabulary, grade: text)
            heading.masks = paragraph.text.masks.union(token.words.masks)
            openSection(heading, level: level)
            gradeTarget = .headingOfCurrentSection
            return true
        }
    }

    /// Takes the open paragraph or last list item as the label of a grade laid out below it,
    /// when it is short and set apart from the grade by a blank line or page break.
    mutating func takeLabel(maxWords: Int) -> (String, Int, WordMasks)? {
        guard blankSince || pageSince else { return nil }
        switch open {
        case .paragraph(let paragraph)?:
            guard paragraph.endLine - paragraph.line <= 3, paragraph.text.pieces <= maxWords else { return nil }
            open = nil
            return (paragraph.text.string(stream), paragraph.line, paragraph.text.masks)
        case .list(var list)?:
            // A footnote marker or page number alone ("1") between a label and its grade.
            // (Entries are flat until the list closes: none has nested items yet.)
            while let last = list.entries.last, last.item.text.isEmpty, list.entries.count > 1,
                  let number = last.item.number, Int(number) != nil {
                list.removeLastBeforeClosing()  // (a copy: kept only if the label is taken, and then closed)
            }
            guard let last = list.entries.last, last.depth == 0, !last.item.text.isEmpty,
                  last.item.text.pieces <= maxWords else { return nil }
            open = nil
            list.removeLastBeforeClosing()
            open = list.entries.isEmpty ? nil : .list(list)
            closeOpen()
            return (last.item.text.string(stream), last.item.line, last.item.text.masks)
        default:
            return nil
        }
    }

    mutating func appendVerticalRow(_ row: TableRow, masks: WordMasks) {
        closeOpen()
        if lastBlockIsTable(vertical: true) {
            // Taken out of the section, the table is its rows' only owner: appending does not copy them.
            let block = stack[stack.count - 1].blocks.removeLast()
            guard case .table(var table) = consume block else { return }
            table.rows.append(row)
            table.masks.formUnion(masks)
            stack[stack.count - 1].blocks.append(.table(table))
        } else {
            stack[stack.count - 1].blocks.append(.table(Table(rows: [row], vertical: true, masks: masks)))
        }
        gradeTarget = .lastRowOfLastTable
    }

    /// Whether the current section's last block is a table (a vertical one, or one with rows).
    func lastBlockIsTable(vertical: Bool = false, withRows: Bool = false) -> Bool {
        guard case .table(let table)? = stack[stack.count - 1].blocks.last else { return false }
        return (!vertical || table.vertical) && (!withRows || !table.rows.isEmpty)
    }
}
