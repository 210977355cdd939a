extension DocumentDiff {
    /// The diff in `format`; `colour` adds ANSI colour to the text format (for a terminal).
    public func render(_ format: ComparisonFormat, colour: Bool = false) -> String {
        switch format {
        case .text: return TextRenderer(colour: colour).render(page())
        case .markdown: return MarkdownRenderer().render(page())
        case .html: return HTMLRenderer().render(page())
        case .json: return String(decoding: json(), as: UTF8.self)
        case .csv: return csv()
        }
    }

    /// What a row's grades say between OLD and NEW: signed step and its word, or which side lacks it.
    struct RowChange {
        let text: String
        let tone: Page.Tone
        let step: Int?
        let word: String
    }

    func change(_ row: Grid.Row) -> RowChange {
        let (a, b) = (row.cells[0], row.cells[1])
        switch (a.judgement, b.judgement) {
        case let (x?, y?):
            let step = x.score - y.score
            let word = mode == .inspections
                ? (step > 0 ? "improved" : step < 0 ? "declined" : "unchanged")
                : Comparison.comparative(step)
            let text = step == 0 ? (x.grade == y.grade ? word : "\(word) (\(Display.grade(x.grade)) and \(Display.grade(y.grade)) share a score)")
                : "\(Display.step(step)) \(word)"
            return RowChange(text: text, tone: step == 0 ? .neutral : Comparison.tone(step), step: step,
                             word: word.replacingOccurrences(of: " ", with: "-"))
        case (_?, nil):
            let word = b.state == .noCounterpart ? "no-counterpart-in-new" : "not-stated-in-new"
            return RowChange(text: b.state == .noCounterpart ? "no counterpart in [2]" : "not stated in [2]", tone: .warn, step: nil, word: word)
        case (nil, _?):
            let word = a.state == .noCounterpart ? "no-counterpart-in-old" : "not-stated-in-old"
            return RowChange(text: a.state == .noCounterpart ? "no counterpart in [1]" : "not stated in [1]", tone: .warn, step: nil, word: word)
        case (nil, nil):
            return RowChange(text: "", tone: .neutral, step: nil, word: "neither")
        }
    }

    func page() -> Page {
        var page = Page(title: "Diff of \(old.label) and \(new.label)")
        page.blocks.append(.paragraph(reason))
        page.blocks += comparison.documentBlocks()
        if let fidelity {
            page.blocks += fidelityBlocks(fidelity)
            page.blocks.append(.columns(comparison.sideBySide()))
            return page
        }
        page.blocks += comparison.gridBlocks { row in
            let change = self.change(row)
            return Page.Cell(change.text, style: .tone(change.tone), data: [("change", change.word)] + (change.step.map { [("step", String($0))] } ?? []))
        }
        let changes = comparison.grid.rows.map(change)
        let graded = changes.filter { $0.step != nil }
        if !comparison.grid.rows.isEmpty {
            let better = graded.filter { $0.step! > 0 }.count, worse = graded.filter { $0.step! < 0 }.count
            let oneSided = changes.filter { $0.step == nil && $0.word != "neither" }.count
            let words = mode == .inspections ? ("improved", "declined", "unchanged") : ("better in [2]", "worse in [2]", "the same score")
            page.blocks.append(.paragraph("Of \(graded.count) row\(graded.count == 1 ? "" : "s") graded in both: \(better) \(words.0), "
                                          + "\(worse) \(words.1), \(graded.count - better - worse) \(words.2); "
                                          + "\(oneSided) row\(oneSided == 1 ? " is" : "s are") graded in one document only."))
        }

        let oldAreas = old.extraction.areasForImprovement, newAreas = new.extraction.areasForImprovement
        let matchedOld = Set(matches.map(\.left)), matchedNew = Set(matches.map(\.right))
        let gone = oldAreas.indices.filter { !matchedOld.contains($0) }
        let added = newAreas.indices.filter { !matchedNew.contains($0) }
        let titles = mode == .inspections
            ? ("Carried over", "New in [2]", "Gone since [1]")
            : ("In both", "Only in [2]", "Only in [1]")
        page.blocks.append(.heading("Areas for improvement (similarity at least \(Display.similarity(threshold)))"))
        page.blocks.append(.subheading("\(titles.0): \(matches.count)"))
        if !matches.isEmpty {
            page.blocks.append(.items(matches.map { match in
                let (a, b) = (oldAreas[match.left], newAreas[match.right])
                var notes: [String] = [AreaMatcher.sameWords(a.text, b.text) ? "same words" : "reworded"]
                if a.service != b.service || a.timescale != b.timescale {
                    notes.append("moved from \(comparison.placement(a)) to \(comparison.placement(b))")
                }
                let tone: Page.Tone = notes == ["same words"] ? .good : .warn
                let lines: [(label: String, text: String)] = notes == ["same words"] && a.text == b.text
                    ? [("[1] and [2] \(comparison.placement(a))", a.text)]
                    : [("[1] \(comparison.placement(a))", a.text), ("[2] \(comparison.placement(b))", b.text)]
                return Page.Item(head: "\(Display.similarity(match.similarity)) \(notes.joined(separator: "; "))", tone: tone, lines: lines)
            }))
        }
        page.blocks.append(.subheading("\(titles.1): \(added.count)"))
        if !added.isEmpty {
            page.blocks.append(.items(added.map { Page.Item(head: "\(comparison.placement(newAreas[$0])): \(newAreas[$0].text)", tone: .warn) }))
        }
        page.blocks.append(.subheading("\(titles.2): \(gone.count)"))
        if !gone.isEmpty {
            page.blocks.append(.items(gone.map { Page.Item(head: "\(comparison.placement(oldAreas[$0])): \(oldAreas[$0].text)", tone: .warn) }))
        }
        page.blocks.append(.columns(comparison.sideBySide()))
        return page
    }

    func fidelityBlocks(_ fidelity: Fidelity) -> [Page.Block] {
        let report = fidelity.reportIsOld ? old : new, paper = fidelity.reportIsOld ? new : old
        let reportKey = fidelity.reportIsOld ? "[1]" : "[2]", paperKey = fidelity.reportIsOld ? "[2]" : "[1]"
        let reportAreas = report.extraction.areasForImprovement, paperAreas = paper.extraction.areasForImprovement
        var blocks: [Page.Block] = [.heading("Summary")]
        let wrong = fidelity.judgements.filter { $0.status != .correct }.count
        let disagreeing = fidelity.counts.filter { !$0.agrees }.count
        blocks.append(.items([
            Page.Item(head: "Areas for improvement: of the report's \(reportAreas.count), \(fidelity.count(.reproduced)) reproduced, "
                      + "\(fidelity.count(.reworded)) reworded, \(fidelity.count(.moved)) moved, \(fidelity.count(.unplaced)) without the report's "
                      + "service or timescale, \(fidelity.count(.omitted)) omitted; \(fidelity.paperOnly.count) in the paper only.",
                      tone: fidelity.areas.allSatisfy { $0.status == .reproduced } && fidelity.paperOnly.isEmpty ? .good : .bad),
            Page.Item(head: "Judgements: the paper repeats \(fidelity.judgements.count) of the report's "
                      + "\(report.extraction.judgements.count), \(wrong) of them wrongly or not in the report.",
                      tone: wrong == 0 ? .good : .bad),
            Page.Item(head: "Stated counts: \(disagreeing) of \(fidelity.counts.count) disagree with the report.",
                      tone: disagreeing == 0 ? .good : .bad),
        ]))

        blocks.append(.heading("Areas for improvement (similarity at least \(Display.similarity(threshold)))"))
        if reportAreas.isEmpty { blocks.append(.paragraph("The report lists no area for improvement.")) }
        var placement: String?
        var items: [Page.Item] = []
        for area in fidelity.areas {
            let r = reportAreas[area.report]
            if comparison.placement(r) != placement {
                if !items.isEmpty { blocks.append(.items(items)) }
                items = []
                placement = comparison.placement(r)
                blocks.append(.subheading("\(reportKey) \(placement!)"))
            }
            var head = area.status.rawValue
            var lines: [(label: String, text: String)] = []
            if let index = area.paper {
                let p = paperAreas[index]
                if !area.verbatim && area.status != .reworded { head += ", reworded" }
                if !area.verbatim { head += " (\(Display.similarity(area.similarity ?? 0)))" }
                if area.status == .moved || area.status == .unplaced || !area.verbatim {
                    lines.append(("\(paperKey) \(comparison.placement(p))", p.text))
                }
            }
            let tone: Page.Tone = area.status == .reproduced ? .good : area.status == .omitted ? .bad : .warn
            items.append(Page.Item(head: "\(head): \(r.text)", tone: tone, lines: lines))
        }
        if !items.isEmpty { blocks.append(.items(items)) }
        blocks.append(.subheading("In the paper only: \(fidelity.paperOnly.count)"))
        if !fidelity.paperOnly.isEmpty {
            blocks.append(.items(fidelity.paperOnly.map { index in
                Page.Item(head: "\(comparison.placement(paperAreas[index])): \(paperAreas[index].text)", tone: .warn)
            }))
        }

        blocks.append(.heading("Judgements"))
        if fidelity.judgements.isEmpty {
            blocks.append(.paragraph("The paper repeats none of the report's \(report.extraction.judgements.count) judgements."))
        } else {
            var table = Page.Table(kind: "judgements", headers: ["Area", "Report \(reportKey)", "Paper \(paperKey)", "Check"], rows: [])
            var service: String?
            for check in fidelity.judgements {
                if check.paper.service != service {
                    table.groups[table.rows.count] = Display.service(check.paper.service, grammar: comparison.grammar)
                    service = check.paper.service
                }
                let reportCell = check.report.map { Page.Cell(Display.grade($0.grade), style: .grade($0.grade)) }
                    ?? Page.Cell(TextRenderer.notStatedMark, style: .notStated)
                table.rows.append([
                    Page.Cell(Display.area(check.paper.area, grammar: comparison.grammar), data: [("service", check.paper.service), ("area", check.paper.area)]),
                    reportCell,
                    Page.Cell(Display.grade(check.paper.grade), style: .grade(check.paper.grade)),
                    Page.Cell(check.status == .notInReport ? "not in the report" : check.status.rawValue,
                              style: .tone(check.status == .correct ? .good : .bad), data: [("check", check.status.rawValue)]),
                ])
            }
            blocks.append(.table(table))
            if !fidelity.notRepeated.isEmpty {
                blocks.append(.paragraph("The paper does not repeat \(fidelity.notRepeated.count) of the report's judgements."))
            }
        }

        blocks.append(.heading("Stated counts"))
        if fidelity.counts.isEmpty {
            blocks.append(.paragraph("The paper states no count of areas for improvement that differs from its own list, so there is none to check."))
        } else {
            blocks.append(.items(fidelity.counts.map { check in
                let scope = [check.stated.service.map { Display.service($0, grammar: comparison.grammar) },
                             check.stated.timescale.map(Display.timescale)].compactMap { $0 }
                let where_ = scope.isEmpty ? "in all" : scope.joined(separator: ", ")
                return Page.Item(
                    head: check.agrees ? "agrees: the paper states \(check.stated.count) (\(where_)), the report lists \(check.report)"
                        : "disagrees: the paper states \(check.stated.count) (\(where_)), the report lists \(check.report)",
                    tone: check.agrees ? .good : .bad,
                    lines: [("\(paperKey) line \(check.stated.line.map(String.init) ?? "?")", "\"\(check.stated.quote)\""),
                            ("\(paperKey) itself lists", String(check.stated.listed))])
            }))
        }
        return blocks
    }
}
