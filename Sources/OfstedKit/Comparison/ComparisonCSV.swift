/// CSV for spreadsheets: RFC 4180 (CRLF line ends; a field with a comma, quote or line break
/// is quoted, quotes doubled), and inert against formula injection.
///
/// A spreadsheet runs a cell that begins with `=`, `+`, `-` or `@` (and, in some, a tab or
/// carriage return) as a formula; report text and file names are not to be trusted that far, so
/// such a cell gets a leading `'`, which spreadsheets show as text. A plain number ("-2", a step
/// down) is left alone: it is a number, not a formula.
enum CSV {
    static func row(_ fields: [String]) -> String {
        fields.map(field).joined(separator: ",") + "\r\n"
    }

    static func field(_ value: String) -> String {
        var text = value
        if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first), !isNumber(text) {
            text = "'" + text
        }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }

    /// `-2`, `3`, `0.75`: an optional minus, digits, an optional fraction.
    static func isNumber(_ text: String) -> Bool {
        var scalars = Substring(text).unicodeScalars[...]
        if scalars.first == "-" { scalars = scalars.dropFirst() }
        let parts = String(scalars).split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.unicodeScalars.allSatisfy { $0.properties.numericType != nil && $0.isASCII } }
    }
}

extension Comparison {
    static let csvHeader = ["document", "label", "file", "kind", "framework", "local_authority", "inspection_start",
                            "record", "service", "area", "area_label", "timescale", "state", "grade", "score",
                            "step_from_first", "text", "themes", "similar_in", "line"]

    /// One row per document and grid row (`record` judgement), then one per document and area
    /// for improvement (`record` area-for-improvement).
    public func csv() -> String {
        var out = CSV.row(Self.csvHeader)
        var similarIn: [[Set<Int>]] = documents.map { Array(repeating: [], count: $0.extraction.areasForImprovement.count) }
        for pair in pairs {
            for match in pair.matches {
                similarIn[pair.left][match.left].insert(pair.right + 1)
                similarIn[pair.right][match.right].insert(pair.left + 1)
            }
        }
        for (index, document) in documents.enumerated() {
            let info = document.extraction.document
            let lead = [String(index + 1), document.label, document.file ?? "", info.kind.rawValue, info.framework,
                        info.localAuthority ?? "", info.inspection?.start ?? ""]
            for row in grid.rows {
                let cell = row.cells[index]
                out += CSV.row(lead + ["judgement", row.service, row.area, row.label, "", cell.state.rawValue,
                                       cell.judgement?.grade ?? "", cell.judgement.map { String($0.score) } ?? "",
                                       cell.step.map(String.init) ?? "", cell.judgement?.gradeText ?? "", "", "",
                                       cell.judgement.map { String($0.line) } ?? ""])
            }
            for (item, area) in document.extraction.areasForImprovement.enumerated() {
                out += CSV.row(lead + ["area-for-improvement", area.service, "", "", area.timescale, "", "", "", "", area.text,
                                       area.themes.joined(separator: ";"),
                                       similarIn[index][item].sorted().map(String.init).joined(separator: ";"), String(area.line)])
            }
        }
        return out
    }
}

extension DocumentDiff {
    static let csvHeader = ["section", "status", "service", "area", "area_label", "timescale", "old_grade", "new_grade", "step",
                            "old_text", "new_text", "similarity", "old_line", "new_line", "stated_count", "report_count", "detail"]

    /// One row per grid row (`judgement`), per area for improvement (`area-for-improvement`) and,
    /// for a fidelity check, per stated count (`stated-count`); `old` and `new` are the
    /// documents in the order given.
    public func csv() -> String {
        var out = CSV.row(Self.csvHeader)
        let oldAreas = old.extraction.areasForImprovement, newAreas = new.extraction.areasForImprovement
        func similarity(_ value: Double?) -> String { value.map(Display.similarity) ?? "" }
        for row in comparison.grid.rows {
            let (a, b) = (row.cells[0].judgement, row.cells[1].judgement)
            let status: String
            if let fidelity {
                let paper = fidelity.reportIsOld ? b : a, report = fidelity.reportIsOld ? a : b
                status = paper == nil ? "not-repeated" : report == nil ? "not-in-report" : report!.grade == paper!.grade ? "correct" : "wrong"
            } else {
                status = change(row).word
            }
            out += CSV.row(["judgement", status, row.service, row.area, row.label, "", a?.grade ?? "", b?.grade ?? "",
                            change(row).step.map(String.init) ?? "", a?.gradeText ?? "", b?.gradeText ?? "", "",
                            a.map { String($0.line) } ?? "", b.map { String($0.line) } ?? "", "", "", ""])
        }
        func areaRow(_ status: String, _ x: AreaForImprovement?, _ y: AreaForImprovement?, _ value: Double?, _ detail: String) -> String {
            let placed = x ?? y!
            return CSV.row(["area-for-improvement", status, placed.service, "", "", placed.timescale, "", "", "",
                            x?.text ?? "", y?.text ?? "", similarity(value), x.map { String($0.line) } ?? "", y.map { String($0.line) } ?? "",
                            "", "", detail])
        }
        func moved(_ x: AreaForImprovement, _ y: AreaForImprovement) -> String {
            x.service == y.service && x.timescale == y.timescale ? "" : "\(y.service) \(y.timescale)"
        }
        if let fidelity {
            let reportAreas = fidelity.reportIsOld ? oldAreas : newAreas, paperAreas = fidelity.reportIsOld ? newAreas : oldAreas
            for area in fidelity.areas {
                let report = reportAreas[area.report], paper = area.paper.map { paperAreas[$0] }
                let detail = paper.map { moved(report, $0) } ?? ""
                out += fidelity.reportIsOld ? areaRow(area.status.rawValue, report, paper, area.similarity, detail)
                    : areaRow(area.status.rawValue, paper, report, area.similarity, detail)
            }
            for index in fidelity.paperOnly {
                out += fidelity.reportIsOld ? areaRow("paper-only", nil, paperAreas[index], nil, "")
                    : areaRow("paper-only", paperAreas[index], nil, nil, "")
            }
            for check in fidelity.counts {
                out += CSV.row(["stated-count", check.agrees ? "agrees" : "disagrees", check.stated.service ?? "", "", "",
                                check.stated.timescale ?? "", "", "", "", "", "", "", "", "", String(check.stated.count), String(check.report),
                                check.stated.quote])
            }
        } else {
            let words = mode == .inspections ? ("carried-over", "new", "gone") : ("in-both", "only-new", "only-old")
            for match in matches {
                let (a, b) = (oldAreas[match.left], newAreas[match.right])
                out += areaRow(words.0, a, b, match.similarity, moved(a, b))
            }
            let matchedOld = Set(matches.map(\.left)), matchedNew = Set(matches.map(\.right))
            for index in newAreas.indices where !matchedNew.contains(index) { out += areaRow(words.1, nil, newAreas[index], nil, "") }
            for index in oldAreas.indices where !matchedOld.contains(index) { out += areaRow(words.2, oldAreas[index], nil, nil, "") }
        }
        return out
    }
}
