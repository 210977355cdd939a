/// The judgement grid: rows are (service, area) in the frameworks' order, columns documents.
///
/// Rows come from the `judges:` lines of the documents' frameworks (frameworks.rules, oldest
/// framework first) and are shared across frameworks only where `comparison.rules` says so. A
/// cell holds the document's grade, or says why there is none: `not-stated` (the document's
/// framework judges this row at the document's date but the document does not say) or
/// `no-counterpart` (its framework has no such judgement then). Nothing is filled in.
struct Grid: Sendable {
    struct Row: Sendable {
        /// A stable id: the `same` record's id, or `FRAMEWORK SERVICE AREA`, or `SERVICE AREA`
        /// for a judgement no framework on the grid knows.
        let id: String
        let service: String
        let area: String
        /// The frameworks whose judgement this row is, oldest first.
        let frameworks: [String]
        let label: String
        let serviceLabel: String
        var cells: [Cell]
    }

    struct Cell: Sendable {
        enum State: String, Sendable {
            case graded
            case notStated = "not-stated"
            case noCounterpart = "no-counterpart"
        }

        var state: State
        var judgement: Judgement?
        /// The baseline's score minus this grade's score (positive: better than the first
        /// document), when both are graded; nil for the first document.
        var step: Int?
    }

    var rows: [Row]
    var notes: [String]

    /// Lines up the judgements of `documents` (in column order; the first is the baseline).
    init(_ documents: [Extraction], grammar: Grammar) {
        let rules = grammar.comparison
        // Every candidate row, in framework and judges order.
        struct Candidate {
            let id: String
            let members: [ComparisonRules.Judged]
            let label: String?
        }
        var candidates: [Candidate] = []
        var rowOfMember: [ComparisonRules.Judged: Int] = [:]
        for framework in grammar.frameworks {
            for judged in framework.judges {
                let member = ComparisonRules.Judged(framework: framework.id, service: judged.service, area: judged.area)
                if rowOfMember[member] != nil { continue }
                if let same = rules.row(of: member) {
                    for other in same.members { rowOfMember[other] = candidates.count }
                    candidates.append(Candidate(id: same.id, members: same.members, label: same.label))
                } else {
                    rowOfMember[member] = candidates.count
                    candidates.append(Candidate(id: "\(framework.id) \(judged.service) \(judged.area)", members: [member], label: nil))
                }
            }
        }

        // Place every judgement: its framework's row, else the first row with its service and
        // area, else a row of its own.
        var adHoc: [(key: String, service: String, area: String)] = []  // first-seen order
        var placements: [[String: Judgement]] = Array(repeating: [:], count: documents.count)
        var notes: [String] = []
        for (column, document) in documents.enumerated() {
            let framework = document.document.framework
            for judgement in document.judgements {
                let own = ComparisonRules.Judged(framework: framework, service: judgement.service, area: judgement.area)
                let key: String
                if let index = rowOfMember[own] ?? candidates.firstIndex(where: { candidate in
                    candidate.members.contains { $0.service == judgement.service && $0.area == judgement.area }
                }) {
                    key = candidates[index].id
                } else {
                    key = "\(judgement.service) \(judgement.area)"
                    if !adHoc.contains(where: { $0.key == key }) { adHoc.append((key, judgement.service, judgement.area)) }
                }
                if placements[column][key] == nil {
                    placements[column][key] = judgement
                } else {
                    notes.append("document \(column + 1) states \(judgement.service) \(judgement.area) more than once; the first is shown (line \(placements[column][key]!.line))")
                }
            }
        }

        func label(area: String) -> String { grammar.area(area)?.label ?? area }
        func label(service: String) -> String { grammar.service(service)?.label ?? service }
        func dateOf(_ document: Extraction) -> String? { document.document.inspection?.start }

        func cell(_ column: Int, key: String, members: [ComparisonRules.Judged], area: String) -> Cell {
            if let judgement = placements[column][key] { return Cell(state: .graded, judgement: judgement) }
            let document = documents[column]
            guard let framework = grammar.framework(document.document.framework) else { return Cell(state: .notStated) }
            let judged: Bool
            if members.isEmpty {
                judged = framework.judges.contains { $0.area == area && $0.applies(on: dateOf(document)) }
            } else {
                judged = members.contains { member in
                    member.framework == framework.id
                        && framework.judges.contains { $0.service == member.service && $0.area == member.area && $0.applies(on: dateOf(document)) }
                }
            }
            return Cell(state: judged ? .notStated : .noCounterpart)
        }

        var rows: [Row] = []
        for candidate in candidates {
            let cells = documents.indices.map { cell($0, key: candidate.id, members: candidate.members, area: candidate.members[0].area) }
            // A row no document's framework judges, and no document states, is not shown.
            if cells.allSatisfy({ $0.state == .noCounterpart }) { continue }
            if cells.allSatisfy({ $0.state != .graded }) {
                let frameworks = Set(candidate.members.map(\.framework))
                if !documents.contains(where: { frameworks.contains($0.document.framework) }) { continue }
            }
            let first = candidate.members[0]
            rows.append(Row(id: candidate.id, service: first.service, area: first.area,
                            frameworks: candidate.members.map(\.framework),
                            label: candidate.label ?? label(area: first.area), serviceLabel: label(service: first.service),
                            cells: cells))
        }
        let serviceOrder = grammar.services.map(\.id)
        let areaOrder = grammar.areas.map(\.id)
        func rank(_ id: String, in order: [String]) -> Int { order.firstIndex(of: id) ?? order.count }
        let sortedAdHoc = adHoc.sorted { a, b in
            (rank(a.service, in: serviceOrder), a.service, rank(a.area, in: areaOrder), a.area)
                < (rank(b.service, in: serviceOrder), b.service, rank(b.area, in: areaOrder), b.area)
        }
        for (key, service, area) in sortedAdHoc {
            rows.append(Row(id: key, service: service, area: area, frameworks: [], label: label(area: area),
                            serviceLabel: label(service: service),
                            cells: documents.indices.map { cell($0, key: key, members: [], area: area) }))
        }

        // Rows of one service together, in the order the services first appear; within a
        // service, the frameworks' order, then judgements no framework on the grid has.
        var services: [String] = []
        for row in rows where !services.contains(row.service) { services.append(row.service) }
        rows = services.flatMap { service in rows.filter { $0.service == service } }

        // Steps against the first document.
        for index in rows.indices {
            guard let base = rows[index].cells.first?.judgement else { continue }
            for column in rows[index].cells.indices.dropFirst() {
                if let judgement = rows[index].cells[column].judgement, base.score > 0, judgement.score > 0 {
                    rows[index].cells[column].step = base.score - judgement.score
                }
            }
        }

        // Why look-alike rows stay apart, where documents of two of their frameworks meet.
        let rowFrameworks: [String: Set<String>] = Dictionary(uniqueKeysWithValues: candidates.map { ($0.id, Set($0.members.map(\.framework))) })
        let documentFrameworks = Set(documents.map(\.document.framework))
        for distinct in rules.distinct {
            let rowIDs = distinct.members.compactMap { rowOfMember[$0].map { candidates[$0].id } }
            var pairs = false
            for a in rowIDs {
                for b in rowIDs where a != b {
                    let left = rowFrameworks[a, default: []].intersection(documentFrameworks)
                    let right = rowFrameworks[b, default: []].intersection(documentFrameworks)
                    if left.contains(where: { x in right.contains { $0 != x } }) { pairs = true }
                }
            }
            if pairs { notes.append(distinct.reason) }
        }
        let unknownColumns = documents.indices.filter { grammar.framework(documents[$0].document.framework) == nil }.map { String($0 + 1) }
        if !unknownColumns.isEmpty {
            notes.append("The framework of document\(unknownColumns.count > 1 ? "s" : "") \(unknownColumns.joined(separator: ", ")) is unknown: "
                         + "its judgements are placed by service and area, and an empty cell there means only that the document does not say.")
        }
        self.rows = rows
        self.notes = notes
    }

    /// The rows where document `column` and the first document are both graded and differ.
    func differences(from column: Int) -> [(row: Row, old: Judgement, new: Judgement, step: Int)] {
        rows.compactMap { row in
            guard let old = row.cells[0].judgement, let new = row.cells[column].judgement,
                  old.grade != new.grade || old.score != new.score else { return nil }
            return (row, old, new, old.score - new.score)
        }
    }
}
