/// The document as nested sections holding paragraphs, lists and tables, each with its lines.
struct DocumentTree: Sendable {
    var root: Section
    /// Problems met while building (a list nested too deep …).
    var diagnostics: [Diagnostic] = []
}

struct Section: Sendable {
    /// Nil for the document's root.
    var heading: Heading?
    var level: Int
    var blocks: [Block] = []
}

struct Heading: Sendable {
    var text: String
    var line: Int
    var endLine: Int
    var number: String?
    var source: Token.HeadingSource
    /// The grade on the line(s) after the heading ("Grade 1 (Outstanding)").
    var grade: GradeText?
    /// The vocabulary classes of its words (see `WordMasks`).
    var masks = WordMasks()
}

struct GradeText: Sendable {
    var text: String
    var line: Int
    var endLine: Int
}

indirect enum Block: Sendable {
    case section(Section)
    case paragraph(Paragraph)
    case list(ListBlock)
    case table(Table)
}

struct Paragraph: Sendable {
    var text: String
    var line: Int
    var endLine: Int
    /// UTF-8 offsets in `text` where the second and later lines begin, and those lines' numbers.
    var lineStarts: [Int] = []
    var lineNumbers: [Int] = []
    /// The vocabulary classes of its words: what it cannot hold, extraction need not look for.
    var masks = WordMasks()

    /// The paragraph's lines as they were before joining.
    var lines: [Substring] {
        guard !lineStarts.isEmpty else { return [text[...]] }
        let utf8 = text.utf8
        var result: [Substring] = []
        var start = utf8.startIndex
        for offset in lineStarts {
            let next = utf8.index(utf8.startIndex, offsetBy: offset)
            // The joining space sits just before the next line.
            result.append(text[start..<utf8.index(before: next)])
            start = next
        }
        result.append(text[start...])
        return result
    }
}

struct ListBlock: Sendable {
    var items: [ListItem]
}

struct ListItem: Sendable {
    var text: String
    var line: Int
    var endLine: Int
    var bullet: String?
    var number: String?
    var children: [ListItem] = []
    /// The vocabulary classes of the words of `text`.
    var masks = WordMasks()

    /// The item's text with its nested items' texts joined after it.
    var fullText: String {
        var parts = [text]
        var stack = children.reversed().map { $0 }
        while let child = stack.popLast() {
            if !child.text.isEmpty { parts.append(child.text) }
            stack.append(contentsOf: child.children.reversed())
        }
        return parts.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The last line of the item or of any nested item.
    var lastLine: Int {
        var last = endLine
        var stack = children
        while let child = stack.popLast() {
            last = max(last, child.endLine)
            stack.append(contentsOf: child.children)
        }
        return last
    }
}

struct Table: Sendable {
    var rows: [TableRow]
    /// Laid out one cell per line ("Overall effectiveness" … "Good") rather than with delimiters.
    var vertical: Bool
    /// The vocabulary classes of the words of its cells.
    var masks = WordMasks()
}

struct TableRow: Sendable {
    var cells: [String]
    var line: Int
    var endLine: Int
}

extension DocumentTree {
    /// A stable dump of the tree with line ranges, for `ofsted tree` and for people writing rules.
    func dump() -> String {
        var out = ""
        func range(_ line: Int, _ end: Int) -> String { line == end ? "@\(line)" : "@\(line)-\(end)" }
        func quote(_ text: String) -> String {
            let short = text.count > 100 ? String(text.prefix(100)) + "…" : text
            return "\"" + short.replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        func visit(_ section: Section, _ depth: Int) {
            let pad = String(repeating: "  ", count: depth)
            if let heading = section.heading {
                var line = "\(pad)\(range(heading.line, heading.endLine)) section[\(section.level)] \(quote(heading.text)) (\(heading.source.rawValue))"
                if let grade = heading.grade { line += " grade \(quote(grade.text)) @\(grade.line)" }
                out += line + "\n"
            } else {
                out += "document\n"
            }
            for block in section.blocks {
                let inner = String(repeating: "  ", count: depth + 1)
                switch block {
                case .section(let child):
                    visit(child, depth + 1)
                case .paragraph(let paragraph):
                    out += "\(inner)\(range(paragraph.line, paragraph.endLine)) paragraph \(quote(paragraph.text))\n"
                case .list(let list):
                    out += "\(inner)list (\(list.items.count) items)\n"
                    for entry in list.items { dumpItem(entry, depth + 2, into: &out, range: range, quote: quote) }
                case .table(let table):
                    out += "\(inner)table\(table.vertical ? " (vertical)" : "") (\(table.rows.count) rows)\n"
                    for row in table.rows {
                        out += "\(inner)  \(range(row.line, row.endLine)) row " + row.cells.map(quote).joined(separator: " | ") + "\n"
                    }
                }
            }
        }
        visit(root, 0)
        return out
    }

    private func dumpItem(_ item: ListItem, _ depth: Int, into out: inout String,
                          range: (Int, Int) -> String, quote: (String) -> String) {
        // Iterative, so a deeply nested list cannot exhaust the stack.
        var stack: [(ListItem, Int)] = [(item, depth)]
        while let (current, level) = stack.popLast() {
            let pad = String(repeating: "  ", count: level)
            var marker = ""
            if let bullet = current.bullet { marker += bullet.isEmpty ? "(lost bullet) " : "\(bullet) " }
            if let number = current.number { marker += "\(number). " }
            out += "\(pad)\(range(current.line, current.endLine)) item \(marker)\(quote(current.text))\n"
            stack.append(contentsOf: current.children.reversed().map { ($0, level + 1) })
        }
    }
}
