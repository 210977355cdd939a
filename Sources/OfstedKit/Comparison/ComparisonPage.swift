extension Comparison {
    /// The comparison in `format`; `colour` adds ANSI colour to the text format (for a terminal).
    public func render(_ format: ComparisonFormat, colour: Bool = false) -> String {
        switch format {
        case .text: return TextRenderer(colour: colour).render(page())
        case .markdown: return MarkdownRenderer().render(page())
        case .html: return HTMLRenderer().render(page())
        case .json: return String(decoding: json(), as: UTF8.self)
        case .csv: return csv()
        }
    }

    /// "[2]": how tables and lists refer to a document.
    static func key(_ index: Int) -> String { "[\(index + 1)]" }

    func keyed(_ index: Int) -> String { "\(Self.key(index)) \(documents[index].label)" }

    func page() -> Page {
        var page = Page(title: "Comparison of \(documents.count) documents")
        page.blocks.append(.paragraph("Areas for improvement count as saying nearly the same thing when their word-bigram similarity is at least \(Display.similarity(threshold))."))
        page.blocks += documentBlocks()
        page.blocks += gridBlocks(change: nil)
        if documents.count == 2 {
            page.blocks.append(.heading("Grade differences"))
            let differences = grid.differences(from: 1)
            if differences.isEmpty {
                let both = grid.rows.contains { $0.cells[0].judgement != nil && $0.cells[1].judgement != nil }
                page.blocks.append(.paragraph(both ? "No row graded in both documents differs." : "No row is graded in both documents."))
            } else {
                page.blocks.append(.items(differences.map { difference in
                    Page.Item(head: "\(difference.row.serviceLabel) · \(difference.row.label): "
                              + "\(Display.grade(difference.old.grade)) → \(Display.grade(difference.new.grade)) "
                              + "(\(Display.step(difference.step)) \(Self.comparative(difference.step)))",
                              tone: Self.tone(difference.step))
                }))
            }
        } else if documents.count > 2 {
            page.blocks.append(.heading("Grade differences"))
            var items: [Page.Item] = []
            for row in grid.rows {
                let graded = row.cells.enumerated().compactMap { column, cell in cell.judgement.map { (column, $0) } }
                let grades = graded.map(\.1.grade).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
                guard grades.count > 1 else { continue }
                let ordered = grades.sorted { a, b in
                    let x = graded.first { $0.1.grade == a }!.1.score, y = graded.first { $0.1.grade == b }!.1.score
                    return (x, a) < (y, b)
                }
                let parts = ordered.map { grade in
                    "\(Display.grade(grade)) in " + graded.filter { $0.1.grade == grade }.map { Self.key($0.0) }.joined(separator: ", ")
                }
                let scores = graded.map(\.1.score)
                let spread = (scores.max() ?? 0) - (scores.min() ?? 0)
                items.append(Page.Item(head: "\(row.serviceLabel) · \(row.label): \(parts.joined(separator: "; ")) "
                                       + "(\(spread) step\(spread == 1 ? "" : "s") apart)"))
            }
            page.blocks.append(items.isEmpty ? .paragraph("No row is graded differently by two documents.") : .items(items))
        }
        page.blocks += areaCountBlocks()
        page.blocks.append(.columns(sideBySide()))
        page.blocks += themeBlocks()
        page.blocks += similarBlocks(title: "Areas that say nearly the same thing")
        page.blocks.append(.heading("Areas no other document shares"))
        for index in documents.indices {
            let areas = documents[index].extraction.areasForImprovement
            page.blocks.append(.subheading("\(keyed(index)): \(unshared[index].count) of \(areas.count)"))
            if !unshared[index].isEmpty {
                page.blocks.append(.items(unshared[index].map { Page.Item(head: "\(placement(areas[$0])): \(areas[$0].text)") }))
            }
        }
        return page
    }

    static func comparative(_ step: Int) -> String { step > 0 ? "better" : step < 0 ? "worse" : "same score" }
    static func tone(_ step: Int) -> Page.Tone { step > 0 ? .good : step < 0 ? .bad : .neutral }

    func placement(_ area: AreaForImprovement) -> String {
        "\(Display.service(area.service, grammar: grammar)), \(Display.timescale(area.timescale))"
    }

    func documentBlocks() -> [Page.Block] {
        var table = Page.Table(kind: "documents",
                               headers: ["#", "Document", "File", "Kind", "Framework", "Inspection", "Published", "Judgements", "Areas"],
                               rows: [], numeric: [7, 8])
        for (index, document) in documents.enumerated() {
            let info = document.extraction.document
            let dates = info.inspection.map { [$0.start, $0.end].compactMap { $0 }.joined(separator: " to ") }
            table.rows.append([
                Page.Cell(Self.key(index)), Page.Cell(document.label), Page.Cell(document.file ?? "standard input"),
                Page.Cell(Display.kind(info.kind)), Page.Cell(info.framework),
                Page.Cell(dates.flatMap { $0.isEmpty ? info.inspection?.text : $0 } ?? ""),
                Page.Cell(info.published ?? ""),
                Page.Cell(String(document.extraction.judgements.count)), Page.Cell(String(document.extraction.areasForImprovement.count)),
            ])
        }
        return [.heading("Documents"), .table(table)]
    }

    /// The grid; `change` adds a last column describing each row's change between two documents.
    func gridBlocks(change: ((Grid.Row) -> Page.Cell)?) -> [Page.Block] {
        var table = Page.Table(kind: "grid", headers: ["Area"] + documents.map(\.label),
                               shortHeaders: ["Area"] + documents.indices.map(Self.key), rows: [])
        if change != nil {
            table.headers.append("Change")
            table.shortHeaders?.append("Change")
        }
        var service: String?
        for row in grid.rows {
            if row.service != service {
                table.groups[table.rows.count] = row.serviceLabel
                service = row.service
            }
            var cells = [Page.Cell(row.label, data: [("service", row.service), ("area", row.area)])]
            for (column, cell) in row.cells.enumerated() {
                var data = [("service", row.service), ("area", row.area), ("document", String(column + 1)), ("state", cell.state.rawValue)]
                switch cell.state {
                case .graded:
                    let judgement = cell.judgement!
                    data.append(("grade", judgement.grade))
                    var text = Display.grade(judgement.grade)
                    if change == nil, let step = cell.step, step != 0 { text += " (\(Display.step(step)))" }
                    cells.append(Page.Cell(text, style: .grade(judgement.grade), data: data))
                case .notStated:
                    cells.append(Page.Cell(TextRenderer.notStatedMark, style: .notStated, data: data))
                case .noCounterpart:
                    cells.append(Page.Cell(TextRenderer.noCounterpartMark, style: .noCounterpart, data: data))
                }
            }
            if let change { cells.append(change(row)) }
            table.rows.append(cells)
        }
        var blocks: [Page.Block] = [.heading("Judgements")]
        if grid.rows.isEmpty {
            blocks.append(.paragraph("No document states a judgement, and no framework is known to line one up."))
            return blocks
        }
        blocks.append(.legend(grammar.grades.map { ($0.id, $0.score) }))
        blocks.append(.table(table))
        blocks += grid.notes.map { Page.Block.paragraph($0) }
        return blocks
    }

    func areaCountBlocks() -> [Page.Block] {
        var blocks: [Page.Block] = [.heading("Areas for improvement by service and timescale")]
        guard !areaCounts.isEmpty else {
            blocks.append(.paragraph("No document lists an area for improvement."))
            return blocks
        }
        var table = Page.Table(kind: "counts", headers: ["Timescale"] + documents.map(\.label),
                               shortHeaders: ["Timescale"] + documents.indices.map(Self.key), rows: [],
                               numeric: Set(1...documents.count))
        var service: String?
        for count in areaCounts {
            if count.service != service {
                table.groups[table.rows.count] = Display.service(count.service, grammar: grammar)
                service = count.service
            }
            table.rows.append([Page.Cell(Display.timescale(count.timescale), data: [("service", count.service), ("timescale", count.timescale)])]
                              + count.counts.map { Page.Cell(String($0)) })
        }
        table.groups[table.rows.count] = "All services"
        table.rows.append([Page.Cell("Total")] + documents.map { Page.Cell(String($0.extraction.areasForImprovement.count)) })
        blocks.append(.table(table))
        return blocks
    }

    func sideBySide() -> Page.Columns {
        Page.Columns(title: "Areas for improvement side by side", kind: "areas", headers: documents.map(\.label), groups: areaCounts.map { count in
            (title: placementTitle(service: count.service, timescale: count.timescale),
             columns: documents.map { document in
                document.extraction.areasForImprovement.filter { $0.service == count.service && $0.timescale == count.timescale }.map(\.text)
             })
        })
    }

    func placementTitle(service: String, timescale: String) -> String {
        "\(Display.service(service, grammar: grammar)): \(Display.timescale(timescale))"
    }

    func themeBlocks() -> [Page.Block] {
        var blocks: [Page.Block] = [.heading("Themes")]
        guard !themes.isEmpty else {
            blocks.append(.paragraph("No area for improvement is tagged with a theme."))
            return blocks
        }
        let table = Page.Table(kind: "themes", headers: ["Theme"] + documents.map(\.label),
                               shortHeaders: ["Theme"] + documents.indices.map(Self.key),
                               rows: themes.map { theme in
                                   [Page.Cell(theme.label, data: [("theme", theme.id)])] + theme.counts.map { Page.Cell(String($0)) }
                               },
                               numeric: Set(1...documents.count))
        blocks.append(.paragraph("How many of each document's areas for improvement mention each theme (an area can have several)."))
        blocks.append(.table(table))
        return blocks
    }

    func similarBlocks(title: String) -> [Page.Block] {
        var blocks: [Page.Block] = [.heading("\(title) (similarity at least \(Display.similarity(threshold)))")]
        for pair in pairs {
            let left = documents[pair.left].extraction.areasForImprovement, right = documents[pair.right].extraction.areasForImprovement
            if pair.matches.isEmpty { continue }
            blocks.append(.subheading("\(keyed(pair.left)) and \(keyed(pair.right)): \(pair.matches.count)"))
            blocks.append(.items(pair.matches.map { match in
                let (a, b) = (left[match.left], right[match.right])
                let same = AreaMatcher.sameWords(a.text, b.text)
                var item = Page.Item(head: "\(Display.similarity(match.similarity))\(same ? " (same words)" : "")")
                if a.text == b.text {
                    let places = placement(a) == placement(b) ? "\(Self.key(pair.left)) and \(Self.key(pair.right)) \(placement(a))"
                        : "\(Self.key(pair.left)) \(placement(a)); \(Self.key(pair.right)) \(placement(b))"
                    item.lines.append((places, a.text))
                } else {
                    item.lines.append(("\(Self.key(pair.left)) \(placement(a))", a.text))
                    item.lines.append(("\(Self.key(pair.right)) \(placement(b))", b.text))
                }
                return item
            }))
        }
        let none = pairs.filter(\.matches.isEmpty)
        if !none.isEmpty {
            blocks.append(.paragraph(documents.count == 2 ? "The two documents have no such areas."
                                     : "No such areas in: " + none.map { "\(Self.key($0.left)) and \(Self.key($0.right))" }.joined(separator: "; ") + "."))
        }
        return blocks
    }
}
