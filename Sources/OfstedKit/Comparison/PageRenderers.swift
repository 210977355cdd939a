/// Lays a `Page` out as aligned plain text, with ANSI colour when asked.
struct TextRenderer {
    let colour: Bool

    static let notStatedMark = "—"
    static let noCounterpartMark = "n/a"

    func render(_ page: Page) -> String {
        var out = bold(page.title) + "\n" + String(repeating: "=", count: page.title.count) + "\n"
        for block in page.blocks {
            switch block {
            case .heading(let text):
                out += "\n" + bold(text) + "\n" + String(repeating: "-", count: text.count) + "\n"
            case .subheading(let text):
                out += "\n" + bold(text) + "\n"
            case .paragraph(let text):
                out += "\n" + text + "\n"
            case .legend(let grades):
                let parts = grades.map { paint("\(Display.grade($0.grade)) (\($0.score))", .grade($0.grade)) }
                    + [paint("\(Self.notStatedMark) not stated", .notStated), paint("\(Self.noCounterpartMark) no counterpart", .noCounterpart)]
                out += "\n" + parts.joined(separator: "   ") + "\n"
            case .table(let table):
                out += "\n" + render(table)
            case .items(let items):
                out += "\n"
                for item in items {
                    out += "- " + (item.tone.map { paint(item.head, .tone($0)) } ?? item.head) + "\n"
                    for line in item.lines { out += "    \(line.label): \(line.text)\n" }
                }
            case .columns:
                break
            }
        }
        return out
    }

    private func render(_ table: Page.Table) -> String {
        let headers = table.shortHeaders ?? table.headers
        var widths = headers.map(\.count)
        for row in table.rows {
            for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.text.count) }
        }
        func line(_ cells: [(String, Page.Style)]) -> String {
            var parts: [String] = []
            for (index, (text, style)) in cells.enumerated() {
                let padding = String(repeating: " ", count: max(0, widths[index] - text.count))
                let painted = paint(text, style)
                parts.append(table.numeric.contains(index) ? padding + painted : painted + padding)
            }
            while let last = parts.last, last.allSatisfy({ $0 == " " }) { parts.removeLast() }
            var text = parts.joined(separator: "  ")
            while text.last == " " { text.removeLast() }
            return text + "\n"
        }
        let indent = table.groups.isEmpty ? "" : "  "
        if !indent.isEmpty { widths[0] += indent.count }
        var out = line(headers.map { ($0, .plain) })
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for (index, row) in table.rows.enumerated() {
            if let title = table.groups[index] { out += bold(title) + "\n" }
            out += line(row.enumerated().map { ($0.offset == 0 ? indent + $0.element.text : $0.element.text, $0.element.style) })
        }
        return out
    }

    private func bold(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

    private func paint(_ text: String, _ style: Page.Style) -> String {
        guard colour, !text.isEmpty else { return text }
        let code: String
        switch style {
        case .plain: return text
        case .grade(let grade):
            switch grade {
            case "outstanding": code = "1;32"
            case "good": code = "32"
            case "adequate", "requires-improvement": code = "33"
            case "inadequate": code = "1;31"
            default: return text
            }
        case .notStated, .noCounterpart: code = "2"
        case .tone(let tone):
            switch tone {
            case .good: code = "32"
            case .warn: code = "33"
            case .bad: code = "31"
            case .neutral: return text
            }
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }
}

/// Lays a `Page` out as CommonMark with pipe tables; report text is escaped so that it reads
/// as written and cannot become markup (or HTML, in renderers that pass it through).
struct MarkdownRenderer {
    func render(_ page: Page) -> String {
        var out = "# \(Self.escape(page.title))\n"
        for block in page.blocks {
            switch block {
            case .heading(let text): out += "\n## \(Self.escape(text))\n"
            case .subheading(let text): out += "\n### \(Self.escape(text))\n"
            case .paragraph(let text): out += "\n\(Self.escape(text))\n"
            case .legend(let grades):
                let parts = grades.map { "\(Display.grade($0.grade)) (\($0.score))" }
                    + ["\(TextRenderer.notStatedMark) not stated", "\(TextRenderer.noCounterpartMark) no counterpart"]
                out += "\nGrades: " + parts.map(Self.escape).joined(separator: " · ") + "\n"
            case .table(let table):
                out += "\n| " + table.headers.map(Self.escape).joined(separator: " | ") + " |\n"
                out += "|" + table.headers.indices.map { table.numeric.contains($0) ? "---:|" : "---|" }.joined() + "\n"
                for (index, row) in table.rows.enumerated() {
                    if let title = table.groups[index] {
                        out += "| **\(Self.escape(title))** |" + String(repeating: " |", count: max(0, table.headers.count - 1)) + "\n"
                    }
                    out += "| " + row.map { cell in
                        let text = Self.escape(cell.text)
                        if case .grade = cell.style, !text.isEmpty { return "**\(text)**" }
                        return text
                    }.joined(separator: " | ") + " |\n"
                }
            case .items(let items):
                out += "\n"
                for item in items {
                    out += "- \(Self.escape(item.head))\n"
                    for line in item.lines { out += "  - \(Self.escape(line.label)): \(Self.escape(line.text))\n" }
                }
            case .columns:
                break
            }
        }
        return out
    }

    /// Backslash-escapes what would make markup of report text: `\\ | < * [ ` &`, an `_` at a
    /// word's edge, and a line start that would open a block (`#`, `>`, `-`, `+`, `=`, `1.`).
    static func escape(_ text: String) -> String {
        let characters = Array(text)
        var out = ""
        for (index, character) in characters.enumerated() {
            switch character {
            case "\n", "\r", "\r\n", "\t": out.append(" ")
            case "\\", "|", "<", "*", "[", "`", "&": out += "\\" + String(character)
            case "_":
                let before = index > 0 ? characters[index - 1] : " "
                let after = index + 1 < characters.count ? characters[index + 1] : " "
                out += before.isLetter || before.isNumber ? (after.isLetter || after.isNumber ? "_" : "\\_") : "\\_"
            default: out.append(character)
            }
        }
        if let first = out.first, "#>-+=".contains(first) {
            out = "\\" + out
        } else if let dot = out.firstIndex(where: { !$0.isNumber }), dot != out.startIndex, out[dot] == "." || out[dot] == ")",
                  out.index(after: dot) == out.endIndex || out[out.index(after: dot)] == " " {
            out.insert("\\", at: dot)
        }
        return out
    }
}

/// Lays a `Page` out as one self-contained HTML page: inline CSS, no scripts, no external
/// assets (a Content-Security-Policy forbids them), every text escaped.
struct HTMLRenderer {
    func render(_ page: Page) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(Self.escape(page.title))</title>
            <style>\(Self.css)</style>
            </head>
            <body>
            <h1>\(Self.escape(page.title))</h1>

            """
        for block in page.blocks {
            switch block {
            case .heading(let text): out += "<h2>\(Self.escape(text))</h2>\n"
            case .subheading(let text): out += "<h3>\(Self.escape(text))</h3>\n"
            case .paragraph(let text): out += "<p>\(Self.escape(text))</p>\n"
            case .legend(let grades):
                out += "<ul class=\"legend\">\n"
                for grade in grades {
                    out += "<li><span class=\"swatch grade grade-\(Self.escape(grade.grade))\"></span>\(Self.escape(Display.grade(grade.grade))) (\(grade.score))</li>\n"
                }
                out += "<li><span class=\"swatch not-stated\"></span>\(TextRenderer.notStatedMark) not stated: the framework judges this, the document does not say</li>\n"
                out += "<li><span class=\"swatch no-counterpart\"></span>\(TextRenderer.noCounterpartMark) no counterpart: the document's framework has no such judgement</li>\n"
                out += "</ul>\n"
            case .table(let table):
                out += "<table class=\"\(Self.escape(table.kind))\">\n<thead><tr>"
                for (index, header) in table.headers.enumerated() {
                    out += "<th\(table.numeric.contains(index) ? " class=\"num\"" : "") scope=\"col\">\(Self.escape(header))</th>"
                }
                out += "</tr></thead>\n<tbody>\n"
                for (index, row) in table.rows.enumerated() {
                    if let title = table.groups[index] {
                        out += "<tr class=\"group\"><th colspan=\"\(table.headers.count)\" scope=\"rowgroup\">\(Self.escape(title))</th></tr>\n"
                    }
                    out += "<tr>"
                    for (index, cell) in row.enumerated() {
                        var classes: [String] = []
                        switch cell.style {
                        case .plain: break
                        case .grade(let grade): classes += ["grade", "grade-\(grade)"]
                        case .notStated: classes.append("not-stated")
                        case .noCounterpart: classes.append("no-counterpart")
                        case .tone(let tone): classes.append("tone-\(tone.rawValue)")
                        }
                        if table.numeric.contains(index) { classes.append("num") }
                        var attributes = classes.isEmpty ? "" : " class=\"\(Self.escape(classes.joined(separator: " ")))\""
                        for (name, value) in cell.data { attributes += " data-\(Self.escape(name))=\"\(Self.escape(value))\"" }
                        out += "<td\(attributes)>\(Self.escape(cell.text))</td>"
                    }
                    out += "</tr>\n"
                }
                out += "</tbody>\n</table>\n"
            case .items(let items):
                out += "<ul class=\"items\">\n"
                for item in items {
                    out += "<li\(item.tone.map { " class=\"tone-\($0.rawValue)\"" } ?? "")><span class=\"head\">\(Self.escape(item.head))</span>"
                    if !item.lines.isEmpty {
                        out += "<dl>"
                        for line in item.lines { out += "<dt>\(Self.escape(line.label))</dt><dd>\(Self.escape(line.text))</dd>" }
                        out += "</dl>"
                    }
                    out += "</li>\n"
                }
                out += "</ul>\n"
            case .columns(let columns):
                out += "<h2>\(Self.escape(columns.title))</h2>\n"
                out += "<table class=\"columns \(Self.escape(columns.kind))\">\n<thead><tr><th scope=\"col\"></th>"
                for header in columns.headers { out += "<th scope=\"col\">\(Self.escape(header))</th>" }
                out += "</tr></thead>\n<tbody>\n"
                for group in columns.groups {
                    out += "<tr><th scope=\"row\">\(Self.escape(group.title))</th>"
                    for items in group.columns {
                        if items.isEmpty {
                            out += "<td class=\"empty\">none</td>"
                        } else {
                            out += "<td><ol>" + items.map { "<li>\(Self.escape($0))</li>" }.joined() + "</ol></td>"
                        }
                    }
                    out += "</tr>\n"
                }
                out += "</tbody>\n</table>\n"
            }
        }
        out += "</body>\n</html>\n"
        return out
    }

    /// Escapes text for HTML element content and quoted attribute values.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static let css = """

        body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 2em; color: #1b1b1b; }
        h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; } h3 { font-size: 1em; }
        table { border-collapse: collapse; margin: 0.5em 0 1em; }
        th, td { border: 1px solid #c8c8c8; padding: 0.25em 0.6em; text-align: left; vertical-align: top; }
        thead th { background: #f0f0f0; } tr.group th { background: #fafafa; font-weight: 600; }
        td.num, th.num { text-align: right; }
        .grade-outstanding { background: #1b7f3b; color: #fff; }
        .grade-good { background: #9fd8a8; color: #10331a; }
        .grade-adequate, .grade-requires-improvement { background: #f6d36b; color: #3d2e00; }
        .grade-inadequate { background: #c9342f; color: #fff; }
        .not-stated { background: repeating-linear-gradient(45deg, #fff, #fff 4px, #eee 4px, #eee 8px); color: #666; }
        .no-counterpart { background: #e4e4e4; color: #888; }
        .tone-good { color: #14652e; } .tone-warn { color: #8a5a00; } .tone-bad { color: #a8231e; }
        td.tone-good { background: #e7f5ea; } td.tone-warn { background: #fdf3d9; } td.tone-bad { background: #fbe3e2; }
        ul.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 0.4em 1.4em; }
        .swatch { display: inline-block; width: 1.1em; height: 1.1em; border: 1px solid #999; margin-right: 0.35em; vertical-align: -0.2em; }
        ul.items > li { margin: 0.4em 0; } ul.items dl { margin: 0.2em 0 0 1em; }
        ul.items dt { font-weight: 600; float: left; clear: left; margin-right: 0.5em; } ul.items dd { margin: 0 0 0.2em 0; }
        table.columns td { min-width: 16em; max-width: 34em; } table.columns ol { margin: 0; padding-left: 1.4em; }
        td.empty { color: #888; }

        """
}
