/// Reads the rule files of a grammar, checks them, and indexes their vocabulary.
///
/// Every record kind and field is checked: unknown kinds and keys, references to ids that do
/// not exist, an alias claimed by two grades, a malformed pattern — each is a `GrammarError`
/// at the line that says it. Nothing is applied until everything has loaded.
struct GrammarLoader {
    static let supportedFormat = 1
    static let requiredFiles = ["manifest", "grades", "services", "areas", "frameworks", "sections", "timescales",
                                "judgements", "counts", "facts", "layout", "authorities", "themes", "comparison"]

    let files: [String: String]
    let directory: String

    private func path(_ name: String) -> String { directory.isEmpty ? "\(name).rules" : "\(directory)/\(name).rules" }

    private func parse(_ name: String) throws(GrammarError) -> RuleFile {
        guard let text = files["\(name).rules"] else {
            throw GrammarError(file: path(name), line: 0, message: "the grammar has no \(name).rules")
        }
        let file = try RuleFile.parse(text, name: path(name))
        if file.records.isEmpty {
            throw GrammarError(file: file.name, line: 1, message: "the file has no records; is it cut short?")
        }
        return file
    }

    /// The ids the output contract fixes, which a grammar must define (a file cut short at a
    /// record's end is still well-formed; a missing id is how it shows).
    static let contractGrades = ["outstanding", "good", "adequate", "requires-improvement", "inadequate"]
    static let contractServices = ["safeguarding", "looked-after-children", "local-authority", "lscb", "unspecified"]
    static let contractFrameworks = ["slac", "lac", "sif", "ilacs"]
    static let contractAreas = [
        "overall-effectiveness", "capacity-for-improvement", "safe-and-feel-safe", "quality-of-provision", "health-contribution",
        "ambition-and-prioritisation", "leadership-and-management", "performance-management-and-quality-assurance",
        "partnership-working", "equality-and-diversity", "being-healthy", "staying-safe", "enjoying-and-achieving",
        "making-a-positive-contribution", "economic-well-being", "outcomes", "help-and-protection", "looked-after-and-permanence",
        "adoption-performance", "care-leavers", "leadership-management-and-governance", "leaders-impact",
        "children-in-care-and-care-leavers", "children-in-care",
    ]

    private func require(_ ids: [String], in defined: [String], kind: String, file: RuleFile) throws(GrammarError) {
        for id in ids where !defined.contains(id) {
            throw GrammarError(file: file.name, line: file.lastLine, message: "the contract's \(kind) \(id) is missing; is the file cut short?")
        }
    }

    func load() throws(GrammarError) -> Grammar {
        for name in files.keys where name.hasSuffix(".rules") {
            let stem = String(name.dropLast(".rules".count))
            if !Self.requiredFiles.contains(stem) {
                throw GrammarError(file: path(stem), line: 0,
                                   message: "unknown rule file; a grammar has \(Self.requiredFiles.map { "\($0).rules" }.joined(separator: ", "))")
            }
        }
        let parsed = try Dictionary(uniqueKeysWithValues: Self.requiredFiles.map { name throws(GrammarError) in (name, try parse(name)) })
        let manifest = parsed["manifest"]!

        // manifest
        guard let grammarRecord = manifest.records.first(where: { $0.kind == "grammar" }) else {
            throw GrammarError(file: manifest.name, line: 1, message: "manifest.rules needs a `grammar` record with `version` and `format`")
        }
        try check(manifest, kinds: ["grammar": ["version", "format"]])
        if let second = manifest.records.dropFirst().first {
            throw GrammarError(file: manifest.name, line: second.line, message: "manifest.rules has one `grammar` record")
        }
        let version = try single(grammarRecord, "version", in: manifest)
        let formatField = try singleField(grammarRecord, "format", in: manifest)
        guard let format = Int(formatField.value) else {
            throw GrammarError(file: manifest.name, line: formatField.line, message: "format must be a number")
        }
        if format > Self.supportedFormat {
            throw GrammarError(file: manifest.name, line: formatField.line,
                               message: "grammar format \(format) is newer than this ofsted reads (format \(Self.supportedFormat)); upgrade ofsted")
        }

        var vocabulary = Vocabulary()

        // grades
        let gradesFile = parsed["grades"]!
        try check(gradesFile, kinds: ["grade": ["score", "alias"], "ungraded": ["alias"]])
        var grades: [GradeDefinition] = []
        var gradePhrases: [String: String] = [:]
        var gradeAliasLines: [String: (String, Int)] = [:]
        var notGradedPhrases: Set<String> = []
        for record in gradesFile.records where record.kind == "ungraded" {
            for alias in record.values("alias") {
                let key = Words.normalize(alias.value).joined(separator: " ")
                notGradedPhrases.insert(key)
            }
        }
        for record in gradesFile.records where record.kind == "grade" {
            try unique(record, among: grades.map(\.id), in: gradesFile)
            let scoreField = try singleField(record, "score", in: gradesFile)
            guard let score = Int(scoreField.value), (1...4).contains(score) else {
                throw GrammarError(file: gradesFile.name, line: scoreField.line, message: "a score is 1, 2, 3 or 4")
            }
            let aliases = record.values("alias")
            guard !aliases.isEmpty else {
                throw GrammarError(file: gradesFile.name, line: record.line, message: "grade \(record.id) has no alias")
            }
            for alias in aliases {
                let words = Words.normalize(alias.value)
                let key = words.joined(separator: " ")
                if let (other, line) = gradeAliasLines[key], other != record.id {
                    throw GrammarError(file: gradesFile.name, line: alias.line,
                                       message: "the alias \"\(alias.value)\" is already grade \(other) (line \(line)); an alias names one grade")
                }
                if notGradedPhrases.contains(key) {
                    throw GrammarError(file: gradesFile.name, line: alias.line, message: "\"\(alias.value)\" is both a grade and an ungraded phrase")
                }
                gradeAliasLines[key] = (record.id, alias.line)
                gradePhrases[key] = record.id
                vocabulary.grades.insert(words, record.id)
            }
            grades.append(GradeDefinition(id: record.id, score: score, aliases: aliases.map(\.value)))
        }
        try require(Self.contractGrades, in: grades.map(\.id), kind: "grade", file: gradesFile)

        // timescales
        let timescalesFile = parsed["timescales"]!
        try check(timescalesFile, kinds: ["timescale": ["alias"]])
        var timescales: [String] = []
        var timescaleHeadings: [String: String] = [:]
        for record in timescalesFile.records {
            try unique(record, among: timescales, in: timescalesFile)
            timescales.append(record.id)
            for alias in record.values("alias") {
                let words = Words.normalize(alias.value)
                let key = words.joined(separator: " ")
                if let other = timescaleHeadings[key], other != record.id {
                    throw GrammarError(file: timescalesFile.name, line: alias.line, message: "the alias \"\(alias.value)\" is already timescale \(other)")
                }
                if let grade = gradePhrases[key] {
                    throw GrammarError(file: timescalesFile.name, line: alias.line, message: "the alias \"\(alias.value)\" is already grade \(grade)")
                }
                timescaleHeadings[key] = record.id
                vocabulary.timescales.insert(words, record.id)
            }
        }
        for required in ["immediately", "within-3-months", "within-6-months", "unspecified"] where !timescales.contains(required) {
            throw GrammarError(file: timescalesFile.name, line: 1, message: "the contract's timescale \(required) is missing")
        }

        // services
        let servicesFile = parsed["services"]!
        try check(servicesFile, kinds: ["service": ["label", "alias", "heading-alias"]])
        var services: [ServiceDefinition] = []
        var serviceHeadings: [String: String] = [:]
        for record in servicesFile.records {
            try unique(record, among: services.map(\.id), in: servicesFile)
            let label = try optional(record, "label", in: servicesFile) ?? record.id
            for (field, trusted) in record.values("alias").map({ ($0, true) }) + record.values("heading-alias").map({ ($0, false) }) {
                let words = Words.normalize(field.value)
                let key = words.joined(separator: " ")
                if let other = serviceHeadings[key], other != record.id {
                    throw GrammarError(file: servicesFile.name, line: field.line, message: "the alias \"\(field.value)\" is already service \(other)")
                }
                if let other = gradePhrases[key].map({ "grade \($0)" }) ?? timescaleHeadings[key].map({ "timescale \($0)" }) {
                    throw GrammarError(file: servicesFile.name, line: field.line, message: "the alias \"\(field.value)\" is already \(other)")
                }
                serviceHeadings[key] = record.id
                vocabulary.allServices.insert(words, record.id)
                if trusted { vocabulary.services.insert(words, record.id) }
            }
            services.append(ServiceDefinition(id: record.id, label: label))
        }
        try require(Self.contractServices, in: services.map(\.id), kind: "service", file: servicesFile)

        // areas
        let areasFile = parsed["areas"]!
        try check(areasFile, kinds: ["area": ["label", "alias"]])
        var areas: [AreaDefinition] = []
        var areaLabels: [String: String] = [:]
        for record in areasFile.records {
            try unique(record, among: areas.map(\.id), in: areasFile)
            let label = try optional(record, "label", in: areasFile) ?? record.id
            let aliases = record.values("alias")
            guard !aliases.isEmpty else {
                throw GrammarError(file: areasFile.name, line: record.line, message: "area \(record.id) has no alias")
            }
            for alias in aliases {
                var words = Words.normalize(alias.value)
                if words.first == "the" { words.removeFirst() }
                let key = words.joined(separator: " ")
                if let other = areaLabels[key], other != record.id {
                    throw GrammarError(file: areasFile.name, line: alias.line, message: "the alias \"\(alias.value)\" is already area \(other)")
                }
                if let other = gradePhrases[key].map({ "grade \($0)" }) ?? timescaleHeadings[key].map({ "timescale \($0)" })
                    ?? (serviceHeadings[key] ?? serviceHeadings["the " + key]).map({ "service \($0)" }) {
                    throw GrammarError(file: areasFile.name, line: alias.line, message: "the alias \"\(alias.value)\" is already \(other)")
                }
                areaLabels[key] = record.id
                vocabulary.areas.insert(words, record.id)
            }
            areas.append(AreaDefinition(id: record.id, label: label))
        }
        try require(Self.contractAreas, in: areas.map(\.id), kind: "area", file: areasFile)

        // frameworks
        let frameworksFile = parsed["frameworks"]!
        try check(frameworksFile, kinds: ["framework": ["name", "title", "service-title", "signal", "service", "default-service", "judges", "split"]])
        var frameworks: [FrameworkDefinition] = []
        let serviceIDs = Set(services.map(\.id))
        let areaIDs = Set(areas.map(\.id))
        for record in frameworksFile.records {
            try unique(record, among: frameworks.map(\.id), in: frameworksFile)
            var judges: [FrameworkDefinition.Judged] = []
            for field in record.values("judges") {
                let parts = field.value.split(separator: " ").map(String.init)
                guard parts.count >= 2 else {
                    throw GrammarError(file: frameworksFile.name, line: field.line, message: "judges: expects SERVICE AREA [from DATE] [until DATE] [if-service-present]")
                }
                guard serviceIDs.contains(parts[0]) else {
                    throw GrammarError(file: frameworksFile.name, line: field.line, message: "unknown service \(parts[0])")
                }
                guard areaIDs.contains(parts[1]) else {
                    throw GrammarError(file: frameworksFile.name, line: field.line, message: "unknown area \(parts[1])")
                }
                var from: String?
                var until: String?
                var ifPresent = false
                var index = 2
                while index < parts.count {
                    switch parts[index] {
                    case "from", "until":
                        guard index + 1 < parts.count, isISODate(parts[index + 1]) else {
                            throw GrammarError(file: frameworksFile.name, line: field.line, message: "\(parts[index]) needs a date YYYY-MM-DD")
                        }
                        if parts[index] == "from" { from = parts[index + 1] } else { until = parts[index + 1] }
                        index += 2
                    case "if-service-present":
                        ifPresent = true
                        index += 1
                    default:
                        throw GrammarError(file: frameworksFile.name, line: field.line, message: "unexpected `\(parts[index])` in judges:")
                    }
                }
                judges.append(.init(service: parts[0], area: parts[1], from: from, until: until, ifServicePresent: ifPresent))
            }
            var splits: [FrameworkDefinition.Split] = []
            for field in record.values("split") {
                let sides = field.value.split(separator: "=").map { $0.trimmingCharacters(in: " ") }
                let parts = sides.count == 2 ? sides[1].split(separator: "+").map { $0.trimmingCharacters(in: " ") } : []
                guard sides.count == 2, parts.count >= 2, ([sides[0]] + parts).allSatisfy(areaIDs.contains) else {
                    throw GrammarError(file: frameworksFile.name, line: field.line, message: "split: expects AREA = AREA + AREA with known areas")
                }
                splits.append(.init(whole: sides[0], parts: parts))
            }
            var serviceTitles: [(service: String, words: [String])] = []
            for field in record.values("service-title") {
                let parts = field.value.split(separator: " ", maxSplits: 1).map(String.init)
                guard parts.count == 2, serviceIDs.contains(parts[0]) else {
                    throw GrammarError(file: frameworksFile.name, line: field.line, message: "service-title: expects SERVICE phrase with a known service")
                }
                serviceTitles.append((parts[0], Words.normalize(parts[1])))
            }
            let frameworkServices = record.values("service").map(\.value)
            for field in record.values("service") + record.values("default-service") where !serviceIDs.contains(field.value) {
                throw GrammarError(file: frameworksFile.name, line: field.line, message: "unknown service \(field.value)")
            }
            frameworks.append(FrameworkDefinition(
                id: record.id,
                name: try optional(record, "name", in: frameworksFile) ?? record.id,
                titles: record.values("title").map { Words.normalize($0.value) },
                serviceTitles: serviceTitles,
                signals: record.values("signal").map { Words.normalize($0.value) },
                services: frameworkServices,
                defaultService: try optional(record, "default-service", in: frameworksFile),
                judges: judges,
                splits: splits))
        }

        try require(Self.contractFrameworks, in: frameworks.map(\.id), kind: "framework", file: frameworksFile)

        // sections
        let sectionsFile = parsed["sections"]!
        try check(sectionsFile, kinds: ["section": ["role", "timescale", "kinds", "level", "heading"], "columns": ["status"],
                                        "wording": ["verb", "modal"]])
        var sections: [SectionDefinition] = []
        var sectionHeadings: [String: [Int]] = [:]
        var statusColumns: Set<String> = []
        for record in sectionsFile.records where record.kind == "columns" {
            for field in record.values("status") { statusColumns.insert(Words.normalize(field.value).joined(separator: " ")) }
        }
        var recommendationVerbs: Set<String> = []
        var recommendationModals: [[String]] = []
        for record in sectionsFile.records where record.kind == "wording" {
            for field in record.values("verb") { recommendationVerbs.formUnion(Words.normalize(field.value).prefix(1)) }
            for field in record.values("modal") { recommendationModals.append(Words.normalize(field.value)) }
        }
        for record in sectionsFile.records where record.kind == "section" {
            try unique(record, among: sections.map(\.id), in: sectionsFile)
            let roleField = try singleField(record, "role", in: sectionsFile)
            guard let role = SectionDefinition.Role(rawValue: roleField.value) else {
                throw GrammarError(file: sectionsFile.name, line: roleField.line,
                                   message: "unknown role \(roleField.value); roles are \(SectionDefinition.Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            var timescale: String?
            if let field = record.values("timescale").first {
                guard timescales.contains(field.value) else {
                    throw GrammarError(file: sectionsFile.name, line: field.line, message: "unknown timescale \(field.value)")
                }
                timescale = field.value
            }
            let kinds = try kindSet(record, in: sectionsFile)
            var level = 2
            if let field = record.values("level").first {
                guard let value = Int(field.value), (1...6).contains(value) else {
                    throw GrammarError(file: sectionsFile.name, line: field.line, message: "level is 1 to 6")
                }
                level = value
            }
            let index = sections.count
            sections.append(SectionDefinition(id: record.id, role: role, timescale: timescale, kinds: kinds, level: level))
            for heading in record.values("heading") {
                let key = Words.normalize(heading.value).joined(separator: " ")
                for other in sectionHeadings[key, default: []] where other != index {
                    let otherKinds = sections[other].kinds
                    let overlap = kinds == nil && otherKinds == nil
                        || (kinds != nil && otherKinds != nil && !kinds!.isDisjoint(with: otherKinds!))
                    if overlap {
                        throw GrammarError(file: sectionsFile.name, line: heading.line,
                                           message: "the heading \"\(heading.value)\" is already section \(sections[other].id) for the same kinds of document")
                    }
                }
                if !sectionHeadings[key, default: []].contains(index) { sectionHeadings[key, default: []].append(index) }
            }
        }

        // judgements
        let judgementsFile = parsed["judgements"]!
        try check(judgementsFile, kinds: ["pattern": ["origin", "area", "service", "kinds", "match"]])
        var judgementPatterns: [JudgementPattern] = []
        for record in judgementsFile.records {
            try unique(record, among: judgementPatterns.map(\.id), in: judgementsFile)
            let originField = try singleField(record, "origin", in: judgementsFile)
            guard let origin = JudgementPattern.Origin(rawValue: originField.value) else {
                throw GrammarError(file: judgementsFile.name, line: originField.line,
                                   message: "unknown origin \(originField.value); origins are \(JudgementPattern.Origin.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let area = try optional(record, "area", in: judgementsFile)
            if let area, !areaIDs.contains(area) {
                throw GrammarError(file: judgementsFile.name, line: record.values("area")[0].line, message: "unknown area \(area)")
            }
            let service = try optional(record, "service", in: judgementsFile)
            if let service, !serviceIDs.contains(service) {
                throw GrammarError(file: judgementsFile.name, line: record.values("service")[0].line, message: "unknown service \(service)")
            }
            var patterns: [Pattern] = []
            for field in record.values("match") {
                let pattern = try Pattern(field.value, file: judgementsFile.name, line: field.line)
                let slots = pattern.slots
                let problem: String?
                switch origin {
                case .label:
                    problem = slots.contains(.area) && slots.contains(.service) ? nil : "a label pattern has {area} and {service}"
                case .grade:
                    problem = slots.contains(.grade) || slots.contains(.number) ? nil : "a grade pattern has {grade} or {number}"
                case .heading, .prose:
                    problem = !slots.contains(.grade) && !slots.contains(.number) ? "a judgement pattern has {grade} (or a {number} that is a grade's score)"
                        : (slots.contains(.area) || slots.contains(.areas) || area != nil) ? nil
                        : "a judgement pattern has {area}, {areas} or an `area:` field"
                }
                if let problem {
                    throw GrammarError(file: judgementsFile.name, line: field.line, message: problem)
                }
                patterns.append(pattern)
            }
            guard !patterns.isEmpty else {
                throw GrammarError(file: judgementsFile.name, line: record.line, message: "pattern \(record.id) has no match line")
            }
            judgementPatterns.append(JudgementPattern(id: record.id, origin: origin, area: area, service: service,
                                                      kinds: try kindSet(record, in: judgementsFile), patterns: patterns))
        }
        vocabulary.qualifiers = judgementPatterns.filter { $0.origin == .label }.flatMap(\.patterns)

        // counts
        let countsFile = parsed["counts"]!
        try check(countsFile, kinds: ["number": ["word"], "noun": ["word", "timescale"], "count": ["match", "value"], "reference": ["match"]])
        var countPatterns: [(pattern: Pattern, value: Int?)] = []
        var referencePatterns: [Pattern] = []
        var nounTimescales: [String: String] = [:]
        var numberWords: [String: Int] = [:]
        for record in countsFile.records {
            switch record.kind {
            case "number":
                guard let value = Int(record.id), value >= 0 else {
                    throw GrammarError(file: countsFile.name, line: record.line, message: "a number record's id is its value")
                }
                for field in record.values("word") {
                    let words = Words.normalize(field.value)
                    let key = words.joined(separator: " ")
                    if let other = numberWords[key], other != value {
                        throw GrammarError(file: countsFile.name, line: field.line, message: "\"\(field.value)\" is already the number \(other)")
                    }
                    numberWords[key] = value
                    vocabulary.numbers.insert(words, value)
                }
            case "noun":
                if let field = record.values("timescale").first {
                    guard timescales.contains(field.value) else {
                        throw GrammarError(file: countsFile.name, line: field.line, message: "unknown timescale \(field.value)")
                    }
                    if let other = nounTimescales[record.id], other != field.value {
                        throw GrammarError(file: countsFile.name, line: field.line, message: "noun \(record.id) already has timescale \(other)")
                    }
                    nounTimescales[record.id] = field.value
                }
                for field in record.values("word") { vocabulary.nouns.insert(Words.normalize(field.value), record.id) }
            case "count":
                var value: Int?
                if let field = record.values("value").first {
                    guard let number = Int(field.value), number >= 0 else {
                        throw GrammarError(file: countsFile.name, line: field.line, message: "value: expects a number")
                    }
                    value = number
                }
                for field in record.values("match") {
                    let pattern = try Pattern(field.value, file: countsFile.name, line: field.line)
                    guard pattern.slots.contains(.count) || value != nil, pattern.slots.contains(.improvements) else {
                        throw GrammarError(file: countsFile.name, line: field.line,
                                           message: "a count pattern has {improvements} and {count} (or its record a `value:`)")
                    }
                    countPatterns.append((pattern, value))
                }
            default: // reference
                for field in record.values("match") {
                    let pattern = try Pattern(field.value, file: countsFile.name, line: field.line)
                    guard pattern.slots.contains(.number) else {
                        throw GrammarError(file: countsFile.name, line: field.line, message: "a reference pattern has {number}")
                    }
                    referencePatterns.append(pattern)
                }
            }
        }

        // facts
        let factsFile = parsed["facts"]!
        try check(factsFile, kinds: ["fact": ["label", "lead", "near"], "kind": ["signal", "cover-signal", "framework-title"]])
        var facts: [String: FactDefinition] = [:]
        var kindSignals: [KindSignals] = []
        for record in factsFile.records {
            if record.kind == "fact" {
                guard facts[record.id] == nil else {
                    throw GrammarError(file: factsFile.name, line: record.line, message: "fact \(record.id) is defined twice")
                }
                guard ["inspection-dates", "published", "lead-inspector"].contains(record.id) else {
                    throw GrammarError(file: factsFile.name, line: record.line, message: "unknown fact \(record.id); facts are inspection-dates, published, lead-inspector")
                }
                facts[record.id] = FactDefinition(labels: record.values("label").map { Words.normalize($0.value) },
                                                  leads: record.values("lead").map { Words.normalize($0.value) },
                                                  near: record.values("near").map { $0.value.lowercased() })
            } else {
                guard let kind = DocumentKind(rawValue: record.id), kind != .unknown else {
                    throw GrammarError(file: factsFile.name, line: record.line, message: "unknown document kind \(record.id)")
                }
                guard !kindSignals.contains(where: { $0.kind == kind }) else {
                    throw GrammarError(file: factsFile.name, line: record.line, message: "kind \(record.id) is defined twice")
                }
                var signals: [KindSignals.Signal] = []
                for field in record.values("signal") + record.values("cover-signal") {
                    let parts = field.value.split(separator: " ", maxSplits: 1)
                    guard parts.count == 2, let weight = Int(parts[0]), weight > 0 else {
                        throw GrammarError(file: factsFile.name, line: field.line, message: "\(field.key): expects `WEIGHT phrase`")
                    }
                    signals.append(.init(weight: weight, words: Words.normalize(String(parts[1])), coverOnly: field.key == "cover-signal"))
                }
                var titleWeight = 0
                if let field = try optional(record, "framework-title", in: factsFile) {
                    guard let weight = Int(field), weight > 0 else {
                        throw GrammarError(file: factsFile.name, line: record.values("framework-title")[0].line, message: "framework-title: expects a weight")
                    }
                    titleWeight = weight
                }
                kindSignals.append(KindSignals(kind: kind, signals: signals, frameworkTitleWeight: titleWeight))
            }
        }
        for required in ["inspection-dates", "published", "lead-inspector"] where facts[required] == nil {
            throw GrammarError(file: factsFile.name, line: 1, message: "the fact \(required) is missing")
        }

        // layout
        let layoutFile = parsed["layout"]!
        try check(layoutFile, kinds: ["bullets": ["bullet"], "furniture": ["line", "starts"]])
        var bullets: Set<Unicode.Scalar> = []
        var furnitureLines: Set<String> = []
        var furniturePrefixes: [[String]] = []
        for record in layoutFile.records {
            for field in record.values("bullet") {
                guard let scalar = glyph(field.value) else {
                    throw GrammarError(file: layoutFile.name, line: field.line, message: "a bullet is one character or U+XXXX")
                }
                bullets.insert(scalar)
            }
            for field in record.values("line") { furnitureLines.insert(Words.normalize(field.value).joined(separator: " ")) }
            for field in record.values("starts") { furniturePrefixes.append(Words.normalize(field.value)) }
        }

        // authorities
        let authoritiesFile = parsed["authorities"]!
        try check(authoritiesFile, kinds: ["authority": ["name", "alias"], "forms": ["suffix", "prefix", "pattern"]])
        var authorities = AuthorityVocabulary()
        var authorityForms: [String: String] = [:]
        for record in authoritiesFile.records {
            if record.kind == "forms" {
                authorities.suffixes += record.values("suffix").map { Words.normalize($0.value) }
                authorities.prefixes += record.values("prefix").map { Words.normalize($0.value) }
                for field in record.values("pattern") {
                    let pattern = try Pattern(field.value, file: authoritiesFile.name, line: field.line)
                    guard pattern.slots.contains(.text) else {
                        throw GrammarError(file: authoritiesFile.name, line: field.line, message: "an authority pattern has {text} where the name goes")
                    }
                    authorities.patterns.append(pattern)
                }
                continue
            }
            guard authorities.names[record.id] == nil else {
                throw GrammarError(file: authoritiesFile.name, line: record.line, message: "authority \(record.id) is defined twice")
            }
            let name = try single(record, "name", in: authoritiesFile)
            authorities.names[record.id] = name
            for field in try [singleField(record, "name", in: authoritiesFile)] + record.values("alias") {
                let words = Words.normalize(field.value)
                let key = words.joined(separator: " ")
                if let other = authorityForms[key], other != record.id {
                    throw GrammarError(file: authoritiesFile.name, line: field.line, message: "\"\(field.value)\" already names authority \(other)")
                }
                authorityForms[key] = record.id
                authorities.index.insert(words, record.id)
            }
        }

        // themes
        let themesFile = parsed["themes"]!
        try check(themesFile, kinds: ["theme": ["label", "keyword"]])
        var themes: [ThemeDefinition] = []
        var themeIndex = PhraseIndex<Int>()
        for record in themesFile.records {
            try unique(record, among: themes.map(\.id), in: themesFile)
            let label = try optional(record, "label", in: themesFile) ?? record.id
            for field in record.values("keyword") { themeIndex.insert(Words.normalize(field.value), themes.count) }
            themes.append(ThemeDefinition(id: record.id, label: label))
        }

        var digestInput: [UInt8] = []
        for name in files.keys.sorted() {
            digestInput += Array(name.utf8) + [0] + Array(files[name]!.utf8) + [0]
        }
        return Grammar(
            version: version, digest: SHA256.hex(digestInput),
            grades: grades, services: services, areas: areas, frameworks: frameworks, sections: sections,
            timescales: timescales, judgementPatterns: judgementPatterns, countPatterns: countPatterns,
            nounTimescales: nounTimescales, facts: facts, kindSignals: kindSignals, bullets: bullets,
            furnitureLines: furnitureLines, furniturePrefixes: furniturePrefixes, authorities: authorities,
            themes: themes, referencePatterns: referencePatterns, vocabulary: vocabulary,
            sectionHeadings: sectionHeadings, serviceHeadings: serviceHeadings, timescaleHeadings: timescaleHeadings,
            areaLabels: areaLabels, gradePhrases: gradePhrases, notGradedPhrases: notGradedPhrases,
            statusColumns: statusColumns, recommendationVerbs: recommendationVerbs, recommendationModals: recommendationModals,
            themeIndex: themeIndex)
    }

    // MARK: Checks

    /// Every record's kind is one of `kinds`, and every field key is one its kind allows.
    private func check(_ file: RuleFile, kinds: [String: Set<String>]) throws(GrammarError) {
        for record in file.records {
            guard let keys = kinds[record.kind] else {
                throw GrammarError(file: file.name, line: record.line,
                                   message: "unknown record kind `\(record.kind)`; this file has \(kinds.keys.sorted().joined(separator: ", "))")
            }
            for field in record.fields where !keys.contains(field.key) {
                throw GrammarError(file: file.name, line: field.line,
                                   message: "`\(field.key)` is not a field of \(record.kind); its fields are \(keys.sorted().joined(separator: ", "))")
            }
        }
    }

    private func unique(_ record: RuleFile.Record, among ids: [String], in file: RuleFile) throws(GrammarError) {
        if ids.contains(record.id) {
            throw GrammarError(file: file.name, line: record.line, message: "\(record.kind) \(record.id) is defined twice")
        }
    }

    private func singleField(_ record: RuleFile.Record, _ key: String, in file: RuleFile) throws(GrammarError) -> RuleFile.Field {
        let values = record.values(key)
        guard values.count == 1 else {
            throw GrammarError(file: file.name, line: values.count > 1 ? values[1].line : record.line,
                               message: values.isEmpty ? "\(record.kind) \(record.id) needs `\(key):`" : "`\(key):` may appear once")
        }
        return values[0]
    }

    private func single(_ record: RuleFile.Record, _ key: String, in file: RuleFile) throws(GrammarError) -> String {
        try singleField(record, key, in: file).value
    }

    private func optional(_ record: RuleFile.Record, _ key: String, in file: RuleFile) throws(GrammarError) -> String? {
        let values = record.values(key)
        if values.count > 1 {
            throw GrammarError(file: file.name, line: values[1].line, message: "`\(key):` may appear once")
        }
        return values.first?.value
    }

    private func kindSet(_ record: RuleFile.Record, in file: RuleFile) throws(GrammarError) -> Set<DocumentKind>? {
        guard let field = record.values("kinds").first else { return nil }
        var kinds: Set<DocumentKind> = []
        for word in field.value.split(separator: " ") {
            guard let kind = DocumentKind(rawValue: String(word)) else {
                throw GrammarError(file: file.name, line: field.line, message: "unknown document kind \(word)")
            }
            kinds.insert(kind)
        }
        return kinds
    }

    private func glyph(_ text: String) -> Unicode.Scalar? {
        if text.hasPrefix("U+"), let value = UInt32(text.dropFirst(2), radix: 16) { return Unicode.Scalar(value) }
        let scalars = text.unicodeScalars
        return scalars.count == 1 ? scalars.first : nil
    }

    private func isISODate(_ text: String) -> Bool {
        let parts = text.split(separator: "-")
        return parts.count == 3 && parts[0].count == 4 && parts[1].count == 2 && parts[2].count == 2
            && parts.allSatisfy { $0.allSatisfy(\.isNumber) }
    }
}
