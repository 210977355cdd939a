import Foundation

extension Extraction {
    /// The extraction as contract JSON: keys in the contract's order, nulls written, a trailing newline.
    public func json(pretty: Bool = true) -> [UInt8] {
        var w = JSONWriter(pretty: pretty)
        w.beginObject()
        w.string("schemaVersion", Extraction.schemaVersion)
        w.beginObject("parser")
        w.string("name", parser.name)
        w.string("version", parser.version)
        w.string("grammar", parser.grammar)
        w.endObject()
        w.beginObject("source")
        w.string("file", source.file)
        w.int("bytes", source.bytes)
        w.string("sha256", source.sha256)
        w.string("encoding", source.encoding)
        w.bool("bom", source.bom)
        w.endObject()
        w.beginObject("document")
        w.string("kind", document.kind.rawValue)
        w.string("framework", document.framework)
        w.string("title", document.title)
        w.string("localAuthority", document.localAuthority)
        w.inspection(document.inspection)
        w.string("published", document.published)
        w.string("leadInspector", document.leadInspector)
        w.endObject()
        w.beginArray("judgements")
        for judgement in judgements {
            w.beginObject()
            w.string("service", judgement.service)
            w.string("area", judgement.area)
            w.string("grade", judgement.grade)
            w.int("score", judgement.score)
            w.string("label", judgement.label)
            w.string("gradeText", judgement.gradeText)
            w.string("origin", judgement.origin)
            w.int("line", judgement.line)
            w.endObject()
        }
        w.endArray()
        w.beginArray("areasForImprovement")
        for area in areasForImprovement {
            w.beginObject()
            w.string("service", area.service)
            w.string("timescale", area.timescale)
            w.string("text", area.text)
            switch area.number {
            case .integer(let value)?: w.int("number", value)
            case .text(let text)?: w.string("number", text)
            case nil: w.null("number")
            }
            w.string("status", area.status)
            w.beginArray("themes")
            for theme in area.themes { w.string(nil, theme) }
            w.endArray()
            w.int("line", area.line)
            w.int("endLine", area.endLine)
            w.endObject()
        }
        w.endArray()
        w.beginArray("diagnostics")
        for diagnostic in diagnostics {
            w.beginObject()
            w.string("severity", diagnostic.severity.rawValue)
            w.string("code", diagnostic.code)
            w.string("message", diagnostic.message)
            w.int("line", diagnostic.line)
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.finished()
    }

    /// Reads extraction JSON written by `json()` (or by another tool that follows the contract).
    public init(json data: [UInt8]) throws(ExtractionReadError) {
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: Data(data))
        } catch {
            throw ExtractionReadError("not JSON: \(error.localizedDescription)")
        }
        guard let root = parsed as? [String: Any] else { throw ExtractionReadError("not a JSON object") }
        guard let schema = root["schemaVersion"] as? String else { throw ExtractionReadError("no schemaVersion") }
        guard schema == Extraction.schemaVersion else {
            throw ExtractionReadError("schemaVersion \(schema) is not the version this ofsted reads (\(Extraction.schemaVersion))")
        }
        func dictionary(_ value: Any?, _ name: String) throws(ExtractionReadError) -> [String: Any] {
            guard let dictionary = value as? [String: Any] else { throw ExtractionReadError("\(name) is not an object") }
            return dictionary
        }
        func array(_ value: Any?, _ name: String) throws(ExtractionReadError) -> [[String: Any]] {
            guard let list = value as? [Any] else { throw ExtractionReadError("\(name) is not an array") }
            var out: [[String: Any]] = []
            for element in list {
                guard let dictionary = element as? [String: Any] else { throw ExtractionReadError("an element of \(name) is not an object") }
                out.append(dictionary)
            }
            return out
        }
        func string(_ dictionary: [String: Any], _ key: String, in name: String) throws(ExtractionReadError) -> String {
            guard let value = dictionary[key] as? String else { throw ExtractionReadError("\(name).\(key) is missing or not a string") }
            return value
        }
        func int(_ dictionary: [String: Any], _ key: String) -> Int? {
            (dictionary[key] as? NSNumber)?.intValue
        }

        let parser = try dictionary(root["parser"], "parser")
        let source = try dictionary(root["source"], "source")
        let document = try dictionary(root["document"], "document")
        let kindText = try string(document, "kind", in: "document")
        guard let kind = DocumentKind(rawValue: kindText) else { throw ExtractionReadError("document.kind \(kindText) is unknown") }
        var inspection: InspectionDates?
        if let dates = document["inspection"] as? [String: Any] {
            inspection = InspectionDates(start: dates["start"] as? String, end: dates["end"] as? String, text: dates["text"] as? String)
        }
        var judgements: [Judgement] = []
        for j in try array(root["judgements"] ?? [Any](), "judgements") {
            judgements.append(Judgement(
                service: try string(j, "service", in: "judgement"), area: try string(j, "area", in: "judgement"),
                grade: try string(j, "grade", in: "judgement"), score: int(j, "score") ?? 0,
                label: j["label"] as? String ?? "", gradeText: j["gradeText"] as? String ?? "",
                origin: j["origin"] as? String ?? "table", line: int(j, "line") ?? 0))
        }
        var areas: [AreaForImprovement] = []
        for a in try array(root["areasForImprovement"] ?? [Any](), "areasForImprovement") {
            var number: ItemNumber?
            if let value = a["number"] as? String { number = .text(value) } else if let value = int(a, "number") { number = .integer(value) }
            areas.append(AreaForImprovement(
                service: try string(a, "service", in: "area"), timescale: try string(a, "timescale", in: "area"),
                text: try string(a, "text", in: "area"), number: number, status: a["status"] as? String,
                themes: a["themes"] as? [String] ?? [], line: int(a, "line") ?? 0, endLine: int(a, "endLine") ?? int(a, "line") ?? 0))
        }
        var diagnostics: [Diagnostic] = []
        for d in try array(root["diagnostics"] ?? [Any](), "diagnostics") {
            diagnostics.append(Diagnostic(severity: Diagnostic.Severity(rawValue: d["severity"] as? String ?? "") ?? .note,
                                          code: d["code"] as? String ?? "", message: d["message"] as? String ?? "",
                                          line: int(d, "line")))
        }
        self.init(
            parser: ParserInfo(name: parser["name"] as? String ?? "", version: parser["version"] as? String ?? "",
                               grammar: parser["grammar"] as? String ?? ""),
            source: SourceInfo(file: source["file"] as? String, bytes: int(source, "bytes") ?? 0,
                               sha256: source["sha256"] as? String ?? "", encoding: source["encoding"] as? String ?? "utf-8",
                               bom: source["bom"] as? Bool ?? false),
            document: DocumentInfo(kind: kind, framework: document["framework"] as? String ?? "unknown",
                                   title: document["title"] as? String, localAuthority: document["localAuthority"] as? String,
                                   inspection: inspection, published: document["published"] as? String,
                                   leadInspector: document["leadInspector"] as? String),
            judgements: judgements, areasForImprovement: areas, diagnostics: diagnostics)
    }
}

extension JSONWriter {
    /// `"inspection": {"start", "end", "text"}`, or null.
    mutating func inspection(_ dates: InspectionDates?) {
        guard let dates else { return null("inspection") }
        beginObject("inspection")
        string("start", dates.start)
        string("end", dates.end)
        string("text", dates.text)
        endObject()
    }
}

/// Extraction JSON that cannot be read.
public struct ExtractionReadError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
