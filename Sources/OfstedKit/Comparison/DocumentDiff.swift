/// Two documents compared the way an analyst would: what changed between two inspections of a
/// council, or how faithfully a council paper repeats the Ofsted report it summarises.
///
/// The mode follows from the documents:
/// - `inspections`: the same local authority, different inspections (first days differ): per
///   row the grade change in signed steps, and areas for improvement carried over, new or gone;
/// - `fidelity`: an Ofsted report and a council paper on the same authority and inspection
///   (same first day): each of the report's areas reproduced, reworded, moved or omitted, each
///   judgement the paper repeats copied correctly or not, and stated counts that disagree;
/// - `alignment`: anything else (other authorities, or dates missing), as `Comparison`.
///
///     let diff = DocumentDiff(old: report, new: paper, grammar: grammar)
///     print(diff.render(.text)); exit(diff.hasDifferences ? 1 : 0)
public struct DocumentDiff: Sendable {
    public enum Mode: String, Sendable {
        case inspections, fidelity, alignment
    }

    public let mode: Mode
    public let old: ComparedDocument
    public let new: ComparedDocument
    public var threshold: Double { comparison.threshold }
    /// Why this mode (for example, why two documents of one authority are only aligned).
    public let reason: String

    let comparison: Comparison
    /// inspections and alignment: the OLD document's areas matched with NEW's.
    let matches: [AreaMatcher.Match]
    let fidelity: Fidelity?

    /// Whether anything differs; `ofsted diff` exits 1 when it does.
    public var hasDifferences: Bool {
        if let fidelity { return fidelity.hasDifferences }
        let grid = comparison.grid
        for row in grid.rows {
            let (a, b) = (row.cells[0], row.cells[1])
            if (a.judgement == nil) != (b.judgement == nil) { return true }
            if let x = a.judgement, let y = b.judgement, x.grade != y.grade { return true }
        }
        let oldAreas = old.extraction.areasForImprovement, newAreas = new.extraction.areasForImprovement
        if matches.count != oldAreas.count || matches.count != newAreas.count { return true }
        return matches.contains { match in
            let (x, y) = (oldAreas[match.left], newAreas[match.right])
            return !AreaMatcher.sameWords(x.text, y.text) || x.service != y.service || x.timescale != y.timescale
        }
    }

    public init(old: ComparedDocument, new: ComparedDocument, grammar: Grammar, threshold: Double = Comparison.defaultThreshold) {
        self.old = old
        self.new = new
        comparison = Comparison([old, new], grammar: grammar, threshold: threshold)
        let a = old.extraction.document, b = new.extraction.document
        let sameAuthority = a.localAuthority != nil && a.localAuthority?.lowercased() == b.localAuthority?.lowercased()
        let startA = a.inspection?.start, startB = b.inspection?.start
        let kinds: Set<DocumentKind> = [a.kind, b.kind]
        if sameAuthority, let startA, let startB, startA != startB {
            mode = .inspections
            reason = "Both documents are about \(a.localAuthority!), on inspections that began on \(startA) and \(startB)."
                + (startA > startB ? " The first is the later inspection, so the changes read backwards in time." : "")
        } else if sameAuthority, let startA, startA == startB, kinds == [.ofstedReport, .councilReport] {
            mode = .fidelity
            reason = "An Ofsted report and a council paper about the same inspection of \(a.localAuthority!) (beginning \(startA)): "
                + "how faithfully the paper repeats the report."
        } else {
            mode = .alignment
            if !sameAuthority {
                let names = [a.localAuthority ?? "an unknown authority", b.localAuthority ?? "an unknown authority"]
                reason = names[0] == names[1] ? "The documents' local authorities are not known, so they are only set side by side."
                    : "The documents are about different authorities (\(names[0]), \(names[1])), so they are set side by side."
            } else if startA == nil || startB == nil {
                reason = "Both documents are about \(a.localAuthority!), but the inspection's first day is not known for "
                    + (startA == nil && startB == nil ? "either" : startA == nil ? "the first" : "the second")
                    + ", so they are only set side by side."
            } else {
                reason = "Both documents are about the same inspection of \(a.localAuthority!) and are of the same kind, so they are set side by side."
            }
        }
        if mode == .fidelity {
            let reportIsOld = a.kind == .ofstedReport
            fidelity = Fidelity(report: reportIsOld ? old.extraction : new.extraction,
                                paper: reportIsOld ? new.extraction : old.extraction,
                                reportIsOld: reportIsOld, grid: comparison.grid, grammar: grammar, threshold: threshold)
            matches = []
        } else {
            fidelity = nil
            matches = comparison.pairs.first?.matches ?? []
        }
    }
}

/// How faithfully a council paper repeats an Ofsted report on the same inspection.
struct Fidelity: Sendable {
    /// One of the report's areas for improvement, as the paper has it.
    struct Area: Sendable {
        enum Status: String, Sendable {
            /// The same words, placed under the same service and timescale.
            case reproduced
            /// Similar words (similarity at or above the threshold), placed alike.
            case reworded
            /// Under another service or timescale than the report's.
            case moved
            /// The paper does not say the service or timescale the report gives.
            case unplaced
            /// No area of the paper says nearly the same thing.
            case omitted
        }

        enum Placement: String, Sendable {
            case same, moved, unstated
        }

        let report: Int
        let paper: Int?
        let similarity: Double?
        let verbatim: Bool
        let service: Placement
        let timescale: Placement
        let status: Status
    }

    struct JudgementCheck: Sendable {
        enum Status: String, Sendable {
            case correct, wrong
            case notInReport = "not-in-report"
        }

        let paper: Judgement
        let report: Judgement?
        let status: Status
    }

    struct CountCheck: Sendable {
        let stated: StatedCount
        /// The report's number of areas in the statement's scope.
        let report: Int
        var agrees: Bool { stated.count == report }
    }

    let reportIsOld: Bool
    let areas: [Area]
    /// Indices of the paper's areas that match none of the report's.
    let paperOnly: [Int]
    let judgements: [JudgementCheck]
    /// The report's judgements the paper does not repeat.
    let notRepeated: [Judgement]
    let counts: [CountCheck]

    var hasDifferences: Bool {
        areas.contains { $0.status != .reproduced } || !paperOnly.isEmpty
            || judgements.contains { $0.status != .correct } || counts.contains { !$0.agrees }
    }

    func count(_ status: Area.Status) -> Int { areas.filter { $0.status == status }.count }

    init(report: Extraction, paper: Extraction, reportIsOld: Bool, grid: Grid, grammar: Grammar, threshold: Double) {
        self.reportIsOld = reportIsOld
        let reportAreas = report.areasForImprovement, paperAreas = paper.areasForImprovement
        let matches = AreaMatcher(threshold: threshold).match(reportAreas, paperAreas)
        func placement(_ reportValue: String, _ paperValue: String) -> Area.Placement {
            if reportValue == paperValue { return .same }
            return paperValue == "unspecified" ? .unstated : .moved
        }
        areas = reportAreas.indices.map { index in
            guard let match = matches.first(where: { $0.left == index }) else {
                return Area(report: index, paper: nil, similarity: nil, verbatim: false, service: .same, timescale: .same, status: .omitted)
            }
            let (r, p) = (reportAreas[index], paperAreas[match.right])
            let verbatim = AreaMatcher.sameWords(r.text, p.text)
            let service = placement(r.service, p.service), timescale = placement(r.timescale, p.timescale)
            let status: Area.Status = service == .moved || timescale == .moved ? .moved
                : service == .unstated || timescale == .unstated ? .unplaced
                : verbatim ? .reproduced : .reworded
            return Area(report: index, paper: match.right, similarity: match.similarity, verbatim: verbatim,
                        service: service, timescale: timescale, status: status)
        }
        let matchedPaper = Set(matches.map(\.right))
        paperOnly = paperAreas.indices.filter { !matchedPaper.contains($0) }

        // Judgements, row by row of the grid the two documents share.
        let reportColumn = reportIsOld ? 0 : 1, paperColumn = 1 - reportColumn
        var checks: [JudgementCheck] = []
        var notRepeated: [Judgement] = []
        for row in grid.rows {
            let reportJudgement = row.cells[reportColumn].judgement
            if let paperJudgement = row.cells[paperColumn].judgement {
                let status: JudgementCheck.Status = reportJudgement == nil ? .notInReport
                    : reportJudgement!.grade == paperJudgement.grade ? .correct : .wrong
                checks.append(JudgementCheck(paper: paperJudgement, report: reportJudgement, status: status))
            } else if let reportJudgement {
                notRepeated.append(reportJudgement)
            }
        }
        judgements = checks
        self.notRepeated = notRepeated
        counts = StatedCount.all(in: paper, grammar: grammar).map { CountCheck(stated: $0, report: $0.count(in: reportAreas)) }
    }
}
