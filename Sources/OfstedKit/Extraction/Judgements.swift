/// Finds judgements: area → grade, per service.
///
/// Three origins, in order of trust: a table (a row whose label is an area and whose cell is a
/// grade), a heading that carries a grade (`Being healthy` … `Grade 3 (Adequate)`, "The
/// experiences and progress of care leavers: good"), and a sentence that grades named areas
/// ("Economic well-being was graded as adequate"). The same judgement stated twice is one; a
/// table and a heading that disagree keep the table's grade and say so. In an Ofsted report,
/// prose only fills what tables and headings leave out.
struct JudgementExtractor: Sendable {
    let grammar: Grammar
    let facts: Facts

    struct Candidate {
        var judgement: Judgement
        var rank: Int  // 0 table, 1 heading, 2 prose
    }

    struct Result {
        var judgements: [Judgement]
        var diagnostics: [Diagnostic]
        /// "service/area" of areas the document says were not judged.
        var notJudged: Set<String>
    }

    func extract(_ events: [OutlineEvent]) -> Result {
        var walker = Walker(grammar: grammar, facts: facts)
        for event in events { walker.visit(event) }
        let (judgements, diagnostics) = resolve(walker.candidates)
        var notes: [Diagnostic] = []
        var notJudged: Set<String> = []
        for (service, area, label, line) in walker.notJudged where !notJudged.contains(service + "/" + area) {
            notJudged.insert(service + "/" + area)
            notes.append(Diagnostic(severity: .note, code: "judgement.not-judged",
                                    message: "\(service) \(area): the document says \"\(label)\" was not judged", line: line))
        }
        return Result(judgements: judgements, diagnostics: diagnostics + notes, notJudged: notJudged)
    }

    /// One judgement per (service, area): the most trusted statement, conflicts reported.
    private func resolve(_ candidates: [Candidate]) -> ([Judgement], [Diagnostic]) {
        var kept: [String: Candidate] = [:]
        var order: [String] = []
        var diagnostics: [Diagnostic] = []
        // The (service, area) pairs a table or heading states, looked up for each prose statement.
        let statedOutsideProse = Set(candidates.filter { $0.rank < 2 }.map { $0.judgement.service + "/" + $0.judgement.area })
        for candidate in candidates {
            let key = candidate.judgement.service + "/" + candidate.judgement.area
            guard let existing = kept[key] else {
                if candidate.rank == 2, facts.kind == .ofstedReport, statedOutsideProse.contains(key) {
                    continue
                }
                kept[key] = candidate
                order.append(key)
                continue
            }
            guard existing.judgement.grade != candidate.judgement.grade else {
                if candidate.rank < existing.rank { kept[key] = candidate }
                continue
            }
            if candidate.rank == 2 || existing.rank == 2 {
                // Prose that disagrees with a table or heading is commentary (an earlier
                // inspection, another service); the stated judgement stands.
                if candidate.rank < existing.rank { kept[key] = candidate }
                continue
            }
            let (winner, loser) = candidate.rank < existing.rank ? (candidate, existing) : (existing, candidate)
            kept[key] = winner
            let what = { (c: Candidate) in "\(c.judgement.origin) at line \(c.judgement.line) says \(c.judgement.gradeText)" }
            diagnostics.append(Diagnostic(
                severity: .warning, code: "judgement.conflict",
                message: "\(winner.judgement.service) \(winner.judgement.area): the \(what(winner)) but the \(what(loser)); kept the \(winner.judgement.origin)'s grade",
                line: loser.judgement.line))
        }
        let judgements = order.compactMap { kept[$0]?.judgement }
        return (sortedByFramework(judgements), diagnostics)
    }

    /// Judgements in the framework's order of services and areas, unknown ones after in document order.
    private func sortedByFramework(_ judgements: [Judgement]) -> [Judgement] {
        let serviceOrder = grammar.tables.serviceOrder
        let areaOrder = grammar.tables.areaOrder
        let frameworkOrder = grammar.framework(facts.framework).flatMap { grammar.tables.judgedOrder[$0.id] } ?? [:]
        return judgements.enumerated().sorted { a, b in
            let ka = frameworkOrder[a.element.service + "/" + a.element.area] ?? Int.max
            let kb = frameworkOrder[b.element.service + "/" + b.element.area] ?? Int.max
            if ka != kb { return ka < kb }
            let sa = serviceOrder[a.element.service] ?? Int.max, sb = serviceOrder[b.element.service] ?? Int.max
            if sa != sb { return sa < sb }
            let aa = areaOrder[a.element.area] ?? Int.max, ab = areaOrder[b.element.area] ?? Int.max
            if aa != ab { return aa < ab }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// `judgement.missing` for each area the framework judges that an Ofsted report does not state.
    func missing(_ judgements: [Judgement], notJudged: Set<String>) -> [Diagnostic] {
        guard facts.kind == .ofstedReport, let framework = grammar.framework(facts.framework) else { return [] }
        let found = Set(judgements.map { $0.service + "/" + $0.area })
        let servicesPresent = facts.servicesWithHeadings.union(judgements.map(\.service))
        var diagnostics: [Diagnostic] = []
        for judged in framework.judges where judged.applies(on: facts.inspection?.start) {
            if judged.ifServicePresent && !servicesPresent.contains(judged.service) { continue }
            let key = judged.service + "/" + judged.area
            if found.contains(key) || notJudged.contains(key) { continue }
            let covered = framework.splits.contains { split in
                (split.whole == judged.area && split.parts.allSatisfy { found.contains(judged.service + "/" + $0) })
                    || (split.parts.contains(judged.area) && found.contains(judged.service + "/" + split.whole))
            }
            if covered { continue }
            let area = grammar.area(judged.area)?.label ?? judged.area
            let service = grammar.service(judged.service)?.label ?? judged.service
            diagnostics.append(Diagnostic(
                severity: .warning, code: "judgement.missing",
                message: "the \(framework.id) framework judges \(judged.service) \(judged.area) (\(service): \(area)) but the document does not state it",
                line: nil))
        }
        return diagnostics
    }
}

/// Walks the outline collecting judgement candidates, with the service context of each.
private struct Walker {
    let grammar: Grammar
    let facts: Facts
    let framework: FrameworkDefinition?
    let headingMatcher: PatternMatcher
    let proseMatcher: PatternMatcher
    let gradeCells: [Pattern]
    let headingPatterns: [JudgementPattern]
    let prosePatterns: [JudgementPattern]
    var candidates: [JudgementExtractor.Candidate] = []
    /// Areas a table or heading says were not judged: service, area, label, line.
    var notJudged: [(String, String, String, Int)] = []
    /// Heading patterns that name their own area (headline statements): also found at the end
    /// of a longer sentence ("Inspection date: … The overall judgement is good.").
    let headlinePatterns: [JudgementPattern]
    /// What each of the patterns above needs (see `PatternPrefilter`), by pattern and match line:
    /// a text that lacks it is not lexed for them.
    let prefilter: PatternPrefilter
    let headingRequirements: [[PatternPrefilter.Requirements]]
    let proseRequirements: [[PatternPrefilter.Requirements]]
    let headlineRequirements: [[PatternPrefilter.Requirements]]
    /// The words a heading (or headline) pattern's match may end with (see `KindPatterns`).
    let headingLast: WordChoice?
    let headlineLast: WordChoice?
    /// The meanings of the headings enclosing the current position.
    var stack: [HeadingMeaning] = []
    /// Whether a heading has named one of the framework's services yet.
    var seenServiceHeading = false
    /// Whether the document has a heading for a service other than the framework's first.
    let laterServiceHeading: Bool

    init(grammar: Grammar, facts: Facts) {
        self.grammar = grammar
        self.facts = facts
        framework = grammar.framework(facts.framework)
        headingMatcher = grammar.matcher(allServiceAliases: true)
        proseMatcher = grammar.matcher(allServiceAliases: false)
        gradeCells = grammar.tables.gradeCells
        let patterns = grammar.tables.patternsByKind[facts.kind]!
        headingPatterns = patterns.heading
        prosePatterns = patterns.prose
        headlinePatterns = patterns.headline
        prefilter = grammar.prefilters.judgementPatterns
        headingRequirements = patterns.headingRequirements
        headingLast = patterns.headingLast
        headlineLast = patterns.headlineLast
        proseRequirements = patterns.proseRequirements
        headlineRequirements = patterns.headlineRequirements
        if let framework, framework.services.count > 1 {
            laterServiceHeading = facts.servicesWithHeadings.contains { $0 != framework.services[0] && framework.services.contains($0) }
        } else {
            laterServiceHeading = false
        }
    }

    /// Whether one of the patterns whose requirements these are may match a text that meets `found`.
    static func mayMatch(_ requirements: [[PatternPrefilter.Requirements]], _ found: PatternPrefilter.Requirements) -> Bool {
        requirements.contains { $0.contains { $0 & ~found == 0 } }
    }

    /// Inside the contents, the grade legend, or an account of earlier inspections.
    var inIgnoredSection: Bool {
        stack.contains { $0.role == .contents || $0.role == .legend || $0.role == .history }
    }

    /// The service given by the nearest enclosing service heading.
    /// The service given by the nearest enclosing heading that names one of the framework's services.
    var headingService: String? {
        stack.last(where: { meaning in meaning.service.map { framework?.services.contains($0) ?? true } ?? false })?.service
    }

    mutating func visit(_ event: OutlineEvent) {
        switch event {
        case .enter(let heading, let meaning):
            stack.append(meaning)
            if let service = meaning.service, framework?.services.contains(service) ?? true { seenServiceHeading = true }
            if !inIgnoredSection { gradedHeading(heading) }
        case .leave:
            stack.removeLast()
        case .paragraph(let paragraph):
            guard !inIgnoredSection else { return }
            // Every statement below has a grade word: a paragraph without one has none.
            let found = paragraph.masks.judgement
            guard found & prefilter.gradeWord != 0 else { return }
            text(paragraph.text, line: paragraph.line, found: found)
            // A line that is wholly a graded statement, inside a paragraph of cover lines
            // ("Inspection date: …" / "The overall judgement is inadequate" / "There are …").
            // A statement wrapped over two lines counts too.
            if paragraph.lineStarts.count > 0 {
                let lines = paragraph.lines
                let numbers = [paragraph.line] + paragraph.lineNumbers
                // Each line is read once: two lines joined by a space hold what each does.
                var lineWords: [LineWords?] = Array(repeating: nil, count: lines.count)
                func wordsOf(line offset: Int) -> LineWords {
                    if let known = lineWords[offset] { return known }
                    let read = grammar.prefilters.lineWords(of: lines[offset])
                    lineWords[offset] = read
                    return read
                }
                // Character counts from bytes (`hasAtMostCharacters`): walking the characters of
                // every line of every graded paragraph cost more than the matching.
                for offset in lines.indices where lines[offset].hasAtMostCharacters(120) {
                    let first = wordsOf(line: offset)
                    if anchored(String(lines[offset]), line: numbers[offset], origin: "prose", rank: 2, found: first.masks.judgement, ends: first) { continue }
                    if offset + 1 < lines.count, lines[offset + 1].hasAtMostCharacters(60) {
                        let second = wordsOf(line: offset + 1)
                        anchored(lines[offset] + " " + lines[offset + 1], line: numbers[offset], origin: "prose", rank: 2,
                                 found: first.masks.judgement | second.masks.judgement, ends: second.last == WordHash.none ? first : second)
                    }
                }
            }
        case .list(let list):
            guard !inIgnoredSection else { return }
            // Items in document order (each before its nested items), from a stack: taking the
            // first of an array each time would make a long list quadratic.
            var items = Array(list.items.reversed())
            while let item = items.popLast() {
                text(item.text, line: item.line, inList: true, found: item.masks.judgement)
                items.append(contentsOf: item.children.reversed())
            }
        case .table(let table):
            if !inIgnoredSection { self.table(table) }
        }
    }

    // MARK: Sources

    mutating func gradedHeading(_ heading: Heading) {
        if let grade = heading.grade, isNotGraded(grade.text), let (area, service, label) = resolveLabel(heading.text) {
            noteNotJudged(area: area, boundService: service, label: label, line: heading.line)
            return
        }
        if let grade = heading.grade, let (gradeID, gradeText) = parseGrade(grade.text),
           let (area, service, label) = resolveLabel(heading.text) {
            add(area: area, boundService: service, grade: gradeID, gradeText: gradeText, label: label,
                origin: "heading", rank: 1, line: heading.line, sentenceService: nil)
            return
        }
        anchored(heading.text, line: heading.line, origin: "heading", rank: 1, found: heading.masks.judgement)
    }

    /// Whether a text with these words may be a whole match of patterns that end with one of
    /// `choice`: its last word (past closing punctuation, which trimming removes) is one, or it
    /// ends with a digit, which may be a footnote number trimming removes.
    func mayEnd(_ choice: WordChoice?, _ words: LineWords, _ text: some StringProtocol) -> Bool {
        guard let choice else { return true }
        if let last = text.utf8.withContiguousBytes({ $0.last }), last >= 0x30, last <= 0x39 { return true }
        return choice.contains(words.last, isDigits: words.lastIsDigits)
    }

    /// The requirements `text` meets (it is lexed for them).
    func found(_ text: some StringProtocol) -> PatternPrefilter.Requirements {
        grammar.prefilters.masks(of: text).judgement
    }

    /// `found` is what `text` meets of the patterns' requirements, when the caller knows.
    mutating func text(_ text: String, line: Int, inList: Bool = false, found known: PatternPrefilter.Requirements? = nil) {
        // Both the statement and the sentences below need a grade word, and most prose grades
        // nothing: rule it out on its bytes before cutting it up.
        guard !text.isEmpty else { return }
        let found = known ?? self.found(text)
        guard found & prefilter.gradeWord != 0, Self.mayMatch(headingRequirements, found) || Self.mayMatch(proseRequirements, found) else { return }
        // A short block that is wholly a graded statement is a heading in all but layout; one
        // that ends with a full stop, or is an item of a list, is a sentence and counts as prose.
        let sentenceLike = text.hasSuffix(".") || inList
        if text.hasAtMostSpaceSeparated(40), anchored(text, line: line, origin: sentenceLike ? "prose" : "heading", rank: sentenceLike ? 2 : 1, found: found) {
            return
        }
        let sentences = Sentences.split(text)
        // The service named at the start of the paragraph, read when a sentence grades something.
        var paragraphService: String??
        for (index, sentence) in sentences.enumerated() {
            // What the sentence's words are, from its bytes: what each kind of pattern needs.
            let read = grammar.prefilters.lineWords(of: sentence)
            let found = read.masks.judgement
            guard found & prefilter.gradeStart != 0 else { continue }
            let mayBeAnchored = sentences.count > 1 && Self.mayMatch(headingRequirements, found) && mayEnd(headingLast, read, sentence)
            let mayBeHeadline = Self.mayMatch(headlineRequirements, found) && mayEnd(headlineLast, read, sentence)
            let mayBeProse = Self.mayMatch(proseRequirements, found) && read.masks.has(WordClass.gradeAfterItsWord)
            guard mayBeAnchored || mayBeHeadline || mayBeProse else { continue }
            let words = Words(String(sentence))
            guard words.words.contains(where: { grammar.vocabulary.grades.mayStart(with: $0.id) }) else { continue }
            if paragraphService == nil {
                paragraphService = leadingService(index == 0 ? words : Words(String(sentences[0])))
            }
            if mayBeAnchored, anchored(String(sentence), line: line, origin: "prose", rank: 2, words: words, found: found, ends: read) { continue }
            if mayBeHeadline, headline(words, line: line, found: found) { continue }
            guard mayBeProse else { continue }
            let sentenceService = grammar.singleService(in: words, allowed: framework?.services) ?? paragraphService ?? nil
            var memo = MatchMemo(words)
            for (pattern, requirements) in zip(prosePatterns, proseRequirements) {
                for (element, required) in zip(pattern.patterns, requirements) where required & ~found == 0 {
                    for (bindings, _) in proseMatcher.search(element, words, memo: &memo) {
                        guard let grade = bindings.grade else { continue }
                        let gradeText = words.text(grade.range)
                        var areas = bindings.areas
                        if areas.isEmpty, let area = pattern.area {
                            areas = [AreaMention(id: area, service: nil, range: 0..<0)]
                        }
                        for area in areas {
                            let bound = area.service?.id ?? bindings.service?.id ?? pattern.service
                            add(area: area.id, boundService: bound, grade: grade.id, gradeText: gradeText,
                                label: area.range.isEmpty ? (grammar.area(area.id)?.label ?? area.id) : words.text(area.range),
                                origin: "prose", rank: 2, line: line, sentenceService: sentenceService)
                        }
                    }
                }
            }
        }
    }

    /// A service named at the start of a paragraph ("Services for Looked after Children the inspectors rated ...").
    func leadingService(_ words: Words) -> String? {
        guard words.count > 0 else { return nil }
        for start in [0, 1] where start < words.count {
            if let (id, _) = grammar.vocabulary.services.longest(in: words, at: start) { return id }
        }
        return nil
    }

    /// A headline statement that ends the sentence: "… The overall judgement is good."
    mutating func headline(_ words: Words, line: Int, found: PatternPrefilter.Requirements) -> Bool {
        guard Self.mayMatch(headlineRequirements, found), let last = words.words.last?.text else { return false }
        var memo = MatchMemo(words)
        for (pattern, requirements) in zip(headlinePatterns, headlineRequirements) {
            for (element, required) in zip(pattern.patterns, requirements) where required & ~found == 0 && mayEnd(element, with: last) {
                for start in 0..<words.count {
                    guard let (bindings, end) = headingMatcher.matchPrefix(element, words, at: start, memo: &memo), end == words.count,
                          let grade = bindings.grade, let area = pattern.area else { continue }
                    add(area: area, boundService: bindings.service?.id ?? pattern.service, grade: grade.id,
                        gradeText: words.text(grade.range), label: words.text(start..<grade.range.lowerBound),
                        origin: "prose", rank: 2, line: line, sentenceService: nil)
                    return true
                }
            }
        }
        return false
    }

    /// Whether a match of `pattern` may end with the word `last` (a necessary condition): its
    /// last element, when that is a word or a grade, says which words it ends with.
    func mayEnd(_ pattern: Pattern, with last: String) -> Bool {
        switch pattern.elements.last {
        case .word(let literal): return last == literal.text
        case .slot(.grade): return grammar.prefilters.gradePhraseLastWords.contains(last)
        default: return true
        }
    }

    /// Matches heading-origin patterns against the whole of `text`. `found` is what `text`
    /// meets of the patterns' requirements, when the caller knows.
    @discardableResult
    mutating func anchored(_ text: String, line: Int, origin: String, rank: Int, words lexed: Words? = nil,
                           found known: PatternPrefilter.Requirements? = nil, ends: LineWords? = nil) -> Bool {
        // Trimming below only removes words (or digits from the end of one), so what the whole
        // text lacks the trimmed text lacks too.
        let found = known ?? self.found(text)
        guard found & prefilter.gradeWord != 0, Self.mayMatch(headingRequirements, found) else { return false }
        // A heading pattern's match ends with one of a few words: most texts do not.
        guard mayEnd(headingLast, ends ?? grammar.prefilters.lineWords(of: text), text) else { return false }
        var markup: [String] = []
        var trimmed = Substring(LineClassifier.stripFootnote(text, markup: &markup))
        while let last = trimmed.last, ":;,-–".contains(last) || last == " " { trimmed = trimmed.dropLast() }
        // Nothing trimmed: the words of `text`, when the caller has them, are the words.
        let words = lexed.flatMap { trimmed.utf8.count == text.utf8.count ? $0 : nil } ?? Words(String(trimmed))
        guard words.count > 1, words.count <= 48,
              words.words.contains(where: { grammar.vocabulary.grades.mayStart(with: $0.id) || $0.id == CommonWords.grade }) else { return false }
        var memo = MatchMemo(words)
        for (pattern, requirements) in zip(headingPatterns, headingRequirements) {
            for (element, required) in zip(pattern.patterns, requirements) where required & ~found == 0 {
                guard let bindings = headingMatcher.matchWhole(element, words, memo: &memo) else { continue }
                if let required = pattern.service, let named = bindings.service?.id, named != required { continue }
                var gradeID = bindings.grade?.id
                var gradeText = bindings.grade.map { words.text($0.range) } ?? ""
                if gradeID == nil, let score = bindings.number, let grade = grammar.grade(score: score) {
                    gradeID = grade.id
                    gradeText = "Grade \(score)"
                }
                guard let grade = gradeID else { continue }
                let areas = bindings.areas.isEmpty && pattern.area != nil
                    ? [AreaMention(id: pattern.area!, service: nil, range: 0..<0)] : bindings.areas
                guard !areas.isEmpty else { continue }
                for area in areas {
                    let label = area.range.isEmpty ? (grammar.area(area.id)?.label ?? area.id) : words.text(area.range)
                    add(area: area.id, boundService: area.service?.id ?? bindings.service?.id ?? pattern.service,
                        grade: grade, gradeText: gradeText, label: label, origin: origin, rank: rank, line: line,
                        sentenceService: nil)
                }
                return true
            }
        }
        return false
    }

    mutating func table(_ table: Table) {
        var tableService: String?
        for row in table.rows {
            let cells = row.cells.filter { !$0.isEmpty }
            guard let labelCell = cells.first else { continue }
            // The grade each cell after the label states, read once (and in a loop, not a closure
            // that would copy the walker).
            var grades: [(String, String)?] = []
            for cell in cells.dropFirst() { grades.append(parseGrade(cell)) }
            // A row that names a service heads the rows below it.
            if cells.count == 1 || !grades.contains(where: { $0 != nil }) {
                if let key = Tokenizer(grammar: grammar).headingKey(labelCell),
                   let service = grammar.serviceHeadings[key] ?? grammar.serviceHeadings["the " + key] {
                    tableService = service
                    continue
                }
            }
            if cells.count >= 2, let last = cells.last, isNotGraded(last), let (area, service, label) = resolveLabel(labelCell) {
                noteNotJudged(area: area, boundService: service ?? tableService, label: label, line: row.line)
                continue
            }
            guard cells.count >= 2, let (grade, gradeText) = grades.last(where: { $0 != nil }) ?? nil else {
                // "Children and young people are safe and feel safe Grade 2 (Good)" in one cell.
                if cells.count == 1 { anchored(labelCell, line: row.line, origin: "table", rank: 0) }
                continue
            }
            guard let (area, service, label) = resolveLabel(labelCell) else { continue }
            add(area: area, boundService: service ?? tableService, grade: grade, gradeText: gradeText, label: label,
                origin: "table", rank: 0, line: row.line, sentenceService: nil)
        }
    }

    // MARK: Vocabulary

    func isNotGraded(_ text: String) -> Bool {
        grammar.notGradedPhrases.contains(Words.normalize(text).joined(separator: " "))
    }

    mutating func noteNotJudged(area: String, boundService: String?, label: String, line: Int) {
        if let service = resolveService(area: area, boundService: boundService, sentenceService: nil) {
            notJudged.append((service, area, label, line))
        }
    }

    /// The grade a cell or grade line states: "Good", "Grade 4 (inadequate)", "Inadequate Grade 4".
    func parseGrade(_ text: String) -> (String, String)? {
        let words = Words(text)
        guard words.count > 0, words.count <= 10 else { return nil }
        var memo = MatchMemo(words)
        for pattern in gradeCells {
            guard let bindings = headingMatcher.matchWhole(pattern, words, memo: &memo) else { continue }
            if let grade = bindings.grade { return (grade.id, words.text(grade.range)) }
            if let score = bindings.number, let grade = grammar.grade(score: score) { return (grade.id, text) }
        }
        return nil
    }

    /// The area (and the service a qualifier names) of a table label or heading, with the label as written.
    func resolveLabel(_ text: String) -> (String, String?, String)? {
        var markup: [String] = []
        let cleaned = LineClassifier.stripFootnote(text, markup: &markup)
        let words = Words(cleaned)
        guard words.count > 0, words.count <= 24 else { return nil }
        // Leading item numbers ("2.1 Adoption performance", "1.") are not part of the label.
        var start = 0
        while start < words.count, words[start].text.first?.isNumber == true || [".", ")", "(", "-"].contains(words[start].text) {
            start += 1
        }
        var end = words.count
        while end > start, [":", "-", ",", ";"].contains(words[end - 1].text) { end -= 1 }
        guard start < end else { return nil }
        let label = Words(words.text(start..<end))
        if let key = Tokenizer(grammar: grammar).headingKey(label.source), let area = grammar.areaLabels[key] {
            return (area, nil, label.source)
        }
        var memo = MatchMemo(label)
        for qualifier in grammar.vocabulary.qualifiers {
            if let bindings = headingMatcher.matchWhole(qualifier, label, memo: &memo), let area = bindings.areas.first {
                return (area.id, bindings.service?.id, label.source)
            }
        }
        if let area = scrambledLabel(label) { return (area, nil, label.source) }
        return nil
    }

    /// A label whose words pdftotext scattered ("2. Children looked" … "permanence", with "after
    /// and achieving" printed elsewhere): its words, in order, are part of exactly one area alias
    /// of the framework and cover at least half of it.
    func scrambledLabel(_ label: Words) -> String? {
        let words = label.words.map(\.text).filter { $0.unicodeScalars.first?.isWordCharacter == true && $0 != "the" }
        guard words.count >= 2 else { return nil }
        var found: Set<String> = []
        for entry in grammar.vocabulary.areas.entries {
            if let framework, !framework.judgesArea(entry.value) { continue }
            let alias = entry.words.filter { $0.unicodeScalars.first?.isWordCharacter == true }
            guard words.count * 2 >= alias.count, words.count < alias.count else { continue }
            var position = 0
            for word in alias where position < words.count && word == words[position] { position += 1 }
            if position == words.count { found.insert(entry.value) }
        }
        return found.count == 1 ? found.first : nil
    }

    /// The service of a judgement: what the text binds, the one service that judges the area,
    /// the sentence's, the enclosing heading's, the framework's first service before any service
    /// heading, the framework's default; nil when the framework does not judge the area there.
    func resolveService(area: String, boundService: String?, sentenceService: String?) -> String? {
        var service = boundService
        if service == nil, let framework {
            let judging = framework.services(judging: area)
            if judging.count == 1 { service = judging[0] }
        }
        if service == nil { service = sentenceService }
        if service == nil { service = headingService }
        if service == nil, let framework, laterServiceHeading, !seenServiceHeading { service = framework.services.first }
        if service == nil { service = facts.defaultService }
        let resolved = service ?? "unspecified"
        if let framework {
            if resolved != "unspecified" && !framework.judges(service: resolved, area: area) { return nil }
            if resolved == "unspecified" && !framework.judgesArea(area) { return nil }
        }
        return resolved
    }

    /// Keeps the candidate when the framework judges it.
    mutating func add(area: String, boundService: String?, grade: String, gradeText: String, label: String,
                      origin: String, rank: Int, line: Int, sentenceService: String?) {
        guard let definition = grammar.grade(grade),
              let service = resolveService(area: area, boundService: boundService, sentenceService: sentenceService) else { return }
        candidates.append(.init(
            judgement: Judgement(service: service, area: area, grade: grade, score: definition.score, label: label,
                                 gradeText: gradeText, origin: origin, line: line),
            rank: rank))
    }
}
