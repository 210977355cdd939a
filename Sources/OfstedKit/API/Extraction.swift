/// What `ofsted extract` finds in one document: the output contract, version 1.
///
/// Every field keeps its name and meaning across releases; see `output-contract.md` and the
/// JSON Schema in `Sources/OfstedKit/Output/extraction.schema.json`. Encode with `json()`;
/// read extraction JSON back with `Extraction(json:)`.
public struct Extraction: Sendable, Equatable {
    public static let schemaVersion = "1"

    public var parser: ParserInfo
    public var source: SourceInfo
    public var document: DocumentInfo
    public var judgements: [Judgement]
    public var areasForImprovement: [AreaForImprovement]
    public var diagnostics: [Diagnostic]

    public init(parser: ParserInfo, source: SourceInfo, document: DocumentInfo, judgements: [Judgement],
                areasForImprovement: [AreaForImprovement], diagnostics: [Diagnostic]) {
        self.parser = parser
        self.source = source
        self.document = document
        self.judgements = judgements
        self.areasForImprovement = areasForImprovement
        self.diagnostics = diagnostics
    }

    /// True when the input could not be read as a text document at all (a PDF, an image …).
    public var isUnreadable: Bool { diagnostics.contains { $0.severity == .error && $0.code.hasPrefix("decode.") } }
}

/// The kind of document: `document.kind`.
public enum DocumentKind: String, Sendable, CaseIterable, Hashable {
    case ofstedReport = "ofsted-report"
    case councilReport = "council-report"
    case unknown
}

public struct ParserInfo: Sendable, Equatable {
    public var name: String
    public var version: String
    public var grammar: String

    public init(name: String, version: String, grammar: String) {
        self.name = name
        self.version = version
        self.grammar = grammar
    }
}

public struct SourceInfo: Sendable, Equatable {
    /// The input's file name (no folders), or nil for standard input.
    public var file: String?
    public var bytes: Int
    public var sha256: String
    /// `utf-8`, `utf-16le`, `utf-16be` or `windows-1252`.
    public var encoding: String
    /// Whether the input began with a byte order mark.
    public var bom: Bool

    public init(file: String?, bytes: Int, sha256: String, encoding: String, bom: Bool) {
        self.file = file
        self.bytes = bytes
        self.sha256 = sha256
        self.encoding = encoding
        self.bom = bom
    }
}

public struct DocumentInfo: Sendable, Equatable {
    public var kind: DocumentKind
    /// `slac`, `lac`, `sif`, `ilacs` or `unknown`.
    public var framework: String
    public var title: String?
    public var localAuthority: String?
    public var inspection: InspectionDates?
    /// ISO date the report was published, where the text states it.
    public var published: String?
    public var leadInspector: String?

    public init(kind: DocumentKind, framework: String, title: String?, localAuthority: String?,
                inspection: InspectionDates?, published: String?, leadInspector: String?) {
        self.kind = kind
        self.framework = framework
        self.title = title
        self.localAuthority = localAuthority
        self.inspection = inspection
        self.published = published
        self.leadInspector = leadInspector
    }
}

public struct InspectionDates: Sendable, Equatable {
    public var start: String?
    public var end: String?
    /// The dates as written ("23 January – 3 February 2012").
    public var text: String?

    public init(start: String?, end: String?, text: String?) {
        self.start = start
        self.end = end
        self.text = text
    }
}

public struct Judgement: Sendable, Equatable {
    public var service: String
    public var area: String
    public var grade: String
    public var score: Int
    /// The area as the document names it.
    public var label: String
    /// The grade as the document writes it.
    public var gradeText: String
    /// `table`, `heading` or `prose`.
    public var origin: String
    public var line: Int

    public init(service: String, area: String, grade: String, score: Int, label: String, gradeText: String,
                origin: String, line: Int) {
        self.service = service
        self.area = area
        self.grade = grade
        self.score = score
        self.label = label
        self.gradeText = gradeText
        self.origin = origin
        self.line = line
    }
}

public struct AreaForImprovement: Sendable, Equatable {
    public var service: String
    public var timescale: String
    /// The item as written: wrapped lines joined with single spaces, bullet and number removed.
    public var text: String
    /// The item's number as the document gives it.
    public var number: ItemNumber?
    /// A council's status for the item, as written.
    public var status: String?
    public var themes: [String]
    public var line: Int
    public var endLine: Int

    public init(service: String, timescale: String, text: String, number: ItemNumber?, status: String?,
                themes: [String], line: Int, endLine: Int) {
        self.service = service
        self.timescale = timescale
        self.text = text
        self.number = number
        self.status = status
        self.themes = themes
        self.line = line
        self.endLine = endLine
    }
}

/// An item number: an integer ("8", "24.") or, when the document numbers otherwise, as written ("4.3", "ii").
public enum ItemNumber: Sendable, Equatable, Hashable, CustomStringConvertible {
    case integer(Int)
    case text(String)

    public init(_ written: String) {
        if let value = Int(written) { self = .integer(value) } else { self = .text(written) }
    }

    public var description: String {
        switch self {
        case .integer(let value): return String(value)
        case .text(let text): return text
        }
    }
}

public struct Diagnostic: Sendable, Equatable {
    public enum Severity: String, Sendable, CaseIterable {
        case error, warning, note
    }

    public var severity: Severity
    /// A stable dotted id such as `judgement.missing`.
    public var code: String
    public var message: String
    public var line: Int?

    public init(severity: Severity, code: String, message: String, line: Int?) {
        self.severity = severity
        self.code = code
        self.message = message
        self.line = line
    }
}
