/// Which judgements of different frameworks line up in the comparison grid: `comparison.rules`.
///
/// A `same` record joins judgements of several frameworks into one row of the grid; a
/// `distinct` record names judgements that look alike but are different questions, with the
/// reason the comparison prints when documents of two of their frameworks meet. Both are
/// checked against `frameworks.rules` when the grammar loads: a framework must judge every
/// (service, area) a record names, or the record is an error at its line.
struct ComparisonRules: Sendable {
    /// One framework's judgement: a `judged:` line.
    struct Judged: Sendable, Hashable {
        let framework: String
        let service: String
        let area: String
    }

    /// A row shared by several frameworks.
    struct Same: Sendable {
        let id: String
        let label: String?
        let members: [Judged]
    }

    /// Look-alike judgements that stay apart, and why.
    struct Distinct: Sendable {
        let id: String
        let members: [Judged]
        let reason: String
    }

    var same: [Same] = []
    var distinct: [Distinct] = []

    static let fileName = "comparison"

    /// Reads and checks `comparison.rules` from the grammar's files against the loaded `grammar`.
    static func load(files: [String: String], directory: String, grammar: Grammar) throws(GrammarError) -> ComparisonRules {
        let path = directory.isEmpty ? "\(fileName).rules" : "\(directory)/\(fileName).rules"
        guard let text = files["\(fileName).rules"] else {
            throw GrammarError(file: path, line: 0, message: "the grammar has no \(fileName).rules")
        }
        let file = try RuleFile.parse(text, name: path)
        var rules = ComparisonRules()
        var joined: [Judged: String] = [:]
        var ids: Set<String> = []

        func judged(_ field: RuleFile.Field) throws(GrammarError) -> Judged {
            let parts = field.value.split(separator: " ").map(String.init)
            guard parts.count == 3 else {
                throw GrammarError(file: path, line: field.line, message: "judged: expects FRAMEWORK SERVICE AREA")
            }
            guard let framework = grammar.framework(parts[0]) else {
                throw GrammarError(file: path, line: field.line,
                                   message: "unknown framework \(parts[0]); frameworks are \(grammar.frameworks.map(\.id).joined(separator: ", "))")
            }
            guard grammar.service(parts[1]) != nil else {
                throw GrammarError(file: path, line: field.line, message: "unknown service \(parts[1])")
            }
            guard grammar.area(parts[2]) != nil else {
                throw GrammarError(file: path, line: field.line, message: "unknown area \(parts[2])")
            }
            guard framework.judges(service: parts[1], area: parts[2]) else {
                throw GrammarError(file: path, line: field.line,
                                   message: "\(parts[0]) does not judge \(parts[1]) \(parts[2]) (see its judges: lines in frameworks.rules)")
            }
            return Judged(framework: parts[0], service: parts[1], area: parts[2])
        }

        for record in file.records {
            let allowed: Set<String>
            switch record.kind {
            case "same": allowed = ["label", "judged"]
            case "distinct": allowed = ["judged", "reason"]
            default:
                throw GrammarError(file: path, line: record.line, message: "unknown record kind `\(record.kind)`; this file has distinct, same")
            }
            for field in record.fields where !allowed.contains(field.key) {
                throw GrammarError(file: path, line: field.line,
                                   message: "`\(field.key)` is not a field of \(record.kind); its fields are \(allowed.sorted().joined(separator: ", "))")
            }
            guard ids.insert("\(record.kind) \(record.id)").inserted else {
                throw GrammarError(file: path, line: record.line, message: "\(record.kind) \(record.id) is defined twice")
            }
            var members: [Judged] = []
            for field in record.values("judged") {
                let member = try judged(field)
                if members.contains(member) {
                    throw GrammarError(file: path, line: field.line, message: "\(field.value) is listed twice")
                }
                if record.kind == "same" {
                    if members.contains(where: { $0.framework == member.framework }) {
                        throw GrammarError(file: path, line: field.line,
                                           message: "a framework has one judgement in a row; \(member.framework) is already in same \(record.id)")
                    }
                    if let other = joined[member] {
                        throw GrammarError(file: path, line: field.line, message: "\(field.value) is already in same \(other)")
                    }
                    joined[member] = record.id
                }
                members.append(member)
            }
            guard members.count >= 2 else {
                throw GrammarError(file: path, line: record.line, message: "\(record.kind) \(record.id) needs two or more judged: lines")
            }
            if record.kind == "same" {
                let labels = record.values("label")
                if labels.count > 1 {
                    throw GrammarError(file: path, line: labels[1].line, message: "`label:` may appear once")
                }
                rules.same.append(Same(id: record.id, label: labels.first?.value, members: members))
            } else {
                let reasons = record.values("reason")
                guard reasons.count == 1 else {
                    throw GrammarError(file: path, line: reasons.count > 1 ? reasons[1].line : record.line,
                                       message: reasons.isEmpty ? "distinct \(record.id) needs `reason:`" : "`reason:` may appear once")
                }
                rules.distinct.append(Distinct(id: record.id, members: members, reason: reasons[0].value))
            }
        }
        // A distinct record whose judgements all share one row would contradict a same record.
        for record in rules.distinct {
            let rows = Set(record.members.map { joined[$0] ?? "\($0.framework) \($0.service) \($0.area)" })
            if rows.count < 2 {
                let line = file.records.first { $0.kind == "distinct" && $0.id == record.id }?.line ?? 0
                throw GrammarError(file: path, line: line, message: "distinct \(record.id) names judgements that a same record joins into one row")
            }
        }
        return rules
    }

    /// The `same` record that holds `judged`, if any.
    func row(of judged: Judged) -> Same? {
        same.first { $0.members.contains(judged) }
    }
}
