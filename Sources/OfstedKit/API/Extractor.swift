/// Reads one document and extracts its judgements, areas for improvement and facts.
///
/// The pipeline: bytes → `SourceText` (decoded lines) → tokens → document tree → extraction.
/// Content never makes it throw: what it cannot read becomes a diagnostic.
///
///     let extractor = Extractor(grammar: try Grammar.bundled())
///     let extraction = extractor.extract(Array(data), fileName: "2013-08-16_norfolk.txt")
///     print(extraction.json())
public struct Extractor: Sendable {
    public static let parserName = "ofsted"
    public static let parserVersion = "0.1.0"

    public let grammar: Grammar

    public init(grammar: Grammar) {
        self.grammar = grammar
    }

    /// Extracts from the bytes of one document; `fileName` goes into `source.file` only.
    public func extract(_ bytes: [UInt8], fileName: String?) -> Extraction {
        extract(bytes, fileName: fileName, stage: { _ in })
    }

    /// The pipeline's steps, in order, as `stageTimes` reports them.
    @_spi(Benchmark) public static let stages = ["decode", "sha256", "tokens", "tree", "facts", "outline", "judgements", "areas", "counts"]

    /// Extracts `bytes` and says how long each step took (`stages`, in order), for the
    /// benchmark's breakdown of where the time goes.
    @_spi(Benchmark) public func stageTimes(_ bytes: [UInt8], fileName: String?) -> (Extraction, [Duration]) {
        let clock = ContinuousClock()
        var times: [Duration] = []
        var last = clock.now
        let extraction = extract(bytes, fileName: fileName, stage: { _ in
            let now = clock.now
            times.append(now - last)
            last = now
        })
        return (extraction, times)
    }

    /// `extract`, calling `stage` with each step's name as it ends.
    private func extract(_ bytes: [UInt8], fileName: String?, stage: (String) -> Void) -> Extraction {
        let source = SourceText(bytes: bytes)
        stage("decode")
        var diagnostics: [Diagnostic] = []
        let sourceInfo = SourceInfo(file: fileName.map { name in String(name.split(separator: "/").last ?? Substring(name)) },
                                    bytes: bytes.count, sha256: SHA256.hex(bytes), encoding: source.encoding.rawValue,
                                    bom: source.hadBOM)
        stage("sha256")
        let parser = ParserInfo(name: Self.parserName, version: Self.parserVersion,
                                grammar: "\(grammar.version)+\(grammar.digest.prefix(12))")
        if let notText = source.notText {
            diagnostics.append(Diagnostic(severity: .error, code: "decode.not-text", message: "not a text document: \(notText)", line: nil))
            return Extraction(parser: parser, source: sourceInfo,
                              document: DocumentInfo(kind: .unknown, framework: "unknown", title: nil, localAuthority: nil,
                                                     inspection: nil, published: nil, leadInspector: nil),
                              judgements: [], areasForImprovement: [], diagnostics: diagnostics)
        }
        switch source.encoding {
        case .windows1252:
            diagnostics.append(Diagnostic(severity: .note, code: "decode.windows-1252",
                                          message: "\(source.replacements) byte(s) were not UTF-8 and were read as Windows-1252", line: nil))
        case .utf16LE, .utf16BE:
            diagnostics.append(Diagnostic(severity: .note, code: "decode.utf-16", message: "decoded from \(source.encoding.rawValue)", line: nil))
            if source.replacements > 0 {
                diagnostics.append(Diagnostic(severity: .warning, code: "decode.replaced",
                                              message: "\(source.replacements) malformed UTF-16 unit(s) were replaced with U+FFFD", line: nil))
            }
        case .utf8:
            break
        }

        let tokens = Tokenizer(grammar: grammar).tokenize(source)
        stage("tokens")
        if !tokens.tokens.contains(where: \.isContent) {
            diagnostics.append(Diagnostic(severity: .warning, code: "document.empty", message: "the document has no text", line: nil))
        }
        let tree = TreeBuilder(grammar: grammar).build(tokens)
        stage("tree")
        diagnostics += tree.diagnostics
        let facts = FactExtractor(grammar: grammar).extract(source: source, tokens: tokens)
        diagnostics += facts.diagnostics
        stage("facts")
        let events = Outline(grammar: grammar, kind: facts.kind).events(tree)
        stage("outline")

        let judgementExtractor = JudgementExtractor(grammar: grammar, facts: facts)
        let judged = judgementExtractor.extract(events)
        let judgements = judged.judgements
        diagnostics += judged.diagnostics
        diagnostics += judgementExtractor.missing(judgements, notJudged: judged.notJudged)
        stage("judgements")

        let areas = AreaExtractor(grammar: grammar, facts: facts).extract(events)
        stage("areas")
        let counts = CountChecker(grammar: grammar, facts: facts)
        diagnostics += counts.check(counts.statements(events), against: areas)
        if facts.kind == .ofstedReport && areas.isEmpty {
            diagnostics.append(Diagnostic(severity: .warning, code: "areas.none", message: "no areas for improvement were found", line: nil))
        }
        stage("counts")

        return Extraction(
            parser: parser, source: sourceInfo,
            document: DocumentInfo(kind: facts.kind, framework: facts.framework, title: facts.title,
                                   localAuthority: facts.authority, inspection: facts.inspection,
                                   published: facts.published, leadInspector: facts.leadInspector),
            judgements: judgements, areasForImprovement: areas, diagnostics: diagnostics)
    }

    /// The token stream with line numbers, for people writing grammar rules (`ofsted tokens`).
    public func tokenDump(_ bytes: [UInt8]) -> String {
        let source = SourceText(bytes: bytes)
        if let notText = source.notText { return "not a text document: \(notText)\n" }
        var out = ""
        for token in Tokenizer(grammar: grammar).tokenize(source).views {
            var line = "\(token.line)\t\(token.kind.rawValue)"
            if token.pageBreak { line += " [page]" }
            if let level = token.headingSource { line += " (\(level.rawValue)\(token.headingLevel > 0 ? " \(token.headingLevel)" : ""))" }
            if let bullet = token.bullet { line += " bullet=\(bullet.isEmpty ? "lost" : bullet)" }
            if let number = token.number { line += " number=\(number)" }
            if let grade = token.grade { line += " grade=\(grade.rawValue)" }
            if !token.markup.isEmpty { line += " markup=\(token.markup.joined(separator: ","))" }
            if token.kind == .tableRow {
                line += "\t" + token.cells.map { "[\($0)]" }.joined(separator: " ")
            } else if !token.text.isEmpty {
                line += "\t" + token.text
            }
            out += line + "\n"
        }
        return out
    }

    /// The document tree with line numbers (`ofsted tree`).
    public func treeDump(_ bytes: [UInt8]) -> String {
        let source = SourceText(bytes: bytes)
        if let notText = source.notText { return "not a text document: \(notText)\n" }
        let tokens = Tokenizer(grammar: grammar).tokenize(source)
        return TreeBuilder(grammar: grammar).build(tokens).dump()
    }
}
