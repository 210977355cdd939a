/// The JSON of `ofsted compare` and `ofsted diff` (format version 1), documented in the README.
///
/// Ids (service, area, grade, timescale, kind, framework, theme) are the extraction contract's;
/// documents are numbered from 1 in the order given; an area for improvement is referred to by
/// its `item`, its 1-based position in its document's `areasForImprovement`. Keys keep their
/// order; absent values are `null`.
extension Comparison {
    static let formatVersion = "1"

    public func json() -> [UInt8] {
        var w = JSONWriter(pretty: true)
        w.beginObject()
        header(&w, format: "ofsted-compare")
        documentsJSON(&w)
        gridJSON(&w, change: nil)
        w.beginArray("areaCounts")
        for count in areaCounts {
            w.beginObject()
            w.string("service", count.service)
            w.string("timescale", count.timescale)
            w.beginArray("counts")
            for value in count.counts { w.int(nil, value) }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.beginArray("themes")
        for theme in themes {
            w.beginObject()
            w.string("theme", theme.id)
            w.string("label", theme.label)
            w.beginArray("counts")
            for value in theme.counts { w.int(nil, value) }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.beginArray("similar")
        for pair in pairs {
            w.beginObject()
            w.beginArray("documents")
            w.int(nil, pair.left + 1)
            w.int(nil, pair.right + 1)
            w.endArray()
            w.beginArray("matches")
            for match in pair.matches {
                let a = documents[pair.left].extraction.areasForImprovement[match.left]
                let b = documents[pair.right].extraction.areasForImprovement[match.right]
                w.beginObject()
                w.double("similarity", Self.rounded(match.similarity))
                w.bool("sameWords", AreaMatcher.sameWords(a.text, b.text))
                w.beginArray("areas")
                Self.areaJSON(&w, nil, a, item: match.left, document: pair.left)
                Self.areaJSON(&w, nil, b, item: match.right, document: pair.right)
                w.endArray()
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.beginArray("unshared")
        for (index, items) in unshared.enumerated() {
            w.beginObject()
            w.int("document", index + 1)
            w.beginArray("areas")
            for item in items { Self.areaJSON(&w, nil, documents[index].extraction.areasForImprovement[item], item: item, document: nil) }
            w.endArray()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        return w.finished()
    }

    static func rounded(_ value: Double) -> Double { (value * 100).rounded() / 100 }

    func header(_ w: inout JSONWriter, format: String) {
        w.string("format", format)
        w.string("formatVersion", Self.formatVersion)
        w.beginObject("parser")
        w.string("name", Extractor.parserName)
        w.string("version", Extractor.parserVersion)
        w.string("grammar", grammar.version)
        w.endObject()
        w.double("threshold", threshold)
        w.string("similarity", "dice-word-bigrams")
    }

    func documentsJSON(_ w: inout JSONWriter) {
        w.beginArray("documents")
        for (index, document) in documents.enumerated() {
            let info = document.extraction.document
            w.beginObject()
            w.int("index", index + 1)
            w.string("label", document.label)
            w.string("file", document.file)
            w.string("sha256", document.extraction.source.sha256)
            w.string("kind", info.kind.rawValue)
            w.string("framework", info.framework)
            w.string("localAuthority", info.localAuthority)
            w.inspection(info.inspection)
            w.string("published", info.published)
            w.int("judgements", document.extraction.judgements.count)
            w.int("areasForImprovement", document.extraction.areasForImprovement.count)
            w.endObject()
        }
        w.endArray()
    }

    func gridJSON(_ w: inout JSONWriter, change: ((Grid.Row) -> (word: String, step: Int?))?) {
        w.beginArray("grid")
        for row in grid.rows {
            w.beginObject()
            w.string("row", row.id)
            w.string("service", row.service)
            w.string("area", row.area)
            w.string("label", row.label)
            w.string("serviceLabel", row.serviceLabel)
            w.beginArray("frameworks")
            for framework in row.frameworks { w.string(nil, framework) }
            w.endArray()
            w.beginArray("cells")
            for (column, cell) in row.cells.enumerated() {
                w.beginObject()
                w.int("document", column + 1)
                w.string("state", cell.state.rawValue)
                w.string("grade", cell.judgement?.grade)
                w.int("score", cell.judgement?.score)
                w.string("gradeText", cell.judgement?.gradeText)
                w.string("judgedService", cell.judgement?.service)
                w.string("judgedArea", cell.judgement?.area)
                w.int("line", cell.judgement?.line)
                if change == nil { w.int("step", cell.step) }
                w.endObject()
            }
            w.endArray()
            if let change {
                let value = change(row)
                w.string("change", value.word)
                w.int("step", value.step)
            }
            w.endObject()
        }
        w.endArray()
        w.beginArray("notes")
        for note in grid.notes { w.string(nil, note) }
        w.endArray()
    }

    static func areaJSON(_ w: inout JSONWriter, _ key: String?, _ area: AreaForImprovement?, item: Int?, document: Int?) {
        guard let area, let item else {
            w.null(key)
            return
        }
        w.beginObject(key)
        if let document { w.int("document", document + 1) }
        w.int("item", item + 1)
        w.string("service", area.service)
        w.string("timescale", area.timescale)
        w.string("text", area.text)
        switch area.number {
        case .integer(let value)?: w.int("number", value)
        case .text(let text)?: w.string("number", text)
        case nil: w.null("number")
        }
        w.beginArray("themes")
        for theme in area.themes { w.string(nil, theme) }
        w.endArray()
        w.int("line", area.line)
        w.endObject()
    }
}

extension DocumentDiff {
    public func json() -> [UInt8] {
        var w = JSONWriter(pretty: true)
        w.beginObject()
        comparison.header(&w, format: "ofsted-diff")
        w.string("mode", mode.rawValue)
        w.string("reason", reason)
        w.bool("differences", hasDifferences)
        comparison.documentsJSON(&w)
        comparison.gridJSON(&w) { row in
            let change = self.change(row)
            return (change.word, change.step)
        }
        let oldAreas = old.extraction.areasForImprovement, newAreas = new.extraction.areasForImprovement
        if fidelity == nil {
            w.beginObject("areas")
            w.beginArray("matched")
            for match in matches {
                let (a, b) = (oldAreas[match.left], newAreas[match.right])
                w.beginObject()
                w.double("similarity", Comparison.rounded(match.similarity))
                w.bool("sameWords", AreaMatcher.sameWords(a.text, b.text))
                w.bool("moved", a.service != b.service || a.timescale != b.timescale)
                Comparison.areaJSON(&w, "old", a, item: match.left, document: nil)
                Comparison.areaJSON(&w, "new", b, item: match.right, document: nil)
                w.endObject()
            }
            w.endArray()
            let matchedOld = Set(matches.map(\.left)), matchedNew = Set(matches.map(\.right))
            w.beginArray("new")
            for index in newAreas.indices where !matchedNew.contains(index) { Comparison.areaJSON(&w, nil, newAreas[index], item: index, document: nil) }
            w.endArray()
            w.beginArray("gone")
            for index in oldAreas.indices where !matchedOld.contains(index) { Comparison.areaJSON(&w, nil, oldAreas[index], item: index, document: nil) }
            w.endArray()
            w.endObject()
            w.null("fidelity")
        } else if let fidelity {
            w.null("areas")
            let reportAreas = fidelity.reportIsOld ? oldAreas : newAreas, paperAreas = fidelity.reportIsOld ? newAreas : oldAreas
            w.beginObject("fidelity")
            w.int("report", fidelity.reportIsOld ? 1 : 2)
            w.int("paper", fidelity.reportIsOld ? 2 : 1)
            w.beginArray("areas")
            for area in fidelity.areas {
                w.beginObject()
                w.string("status", area.status.rawValue)
                w.bool("verbatim", area.verbatim)
                w.string("service", area.paper == nil ? nil : area.service.rawValue)
                w.string("timescale", area.paper == nil ? nil : area.timescale.rawValue)
                if let similarity = area.similarity { w.double("similarity", Comparison.rounded(similarity)) } else { w.null("similarity") }
                Comparison.areaJSON(&w, "report", reportAreas[area.report], item: area.report, document: nil)
                Comparison.areaJSON(&w, "paper", area.paper.map { paperAreas[$0] }, item: area.paper, document: nil)
                w.endObject()
            }
            w.endArray()
            w.beginArray("paperOnly")
            for index in fidelity.paperOnly { Comparison.areaJSON(&w, nil, paperAreas[index], item: index, document: nil) }
            w.endArray()
            w.beginArray("judgements")
            for check in fidelity.judgements {
                w.beginObject()
                w.string("service", check.paper.service)
                w.string("area", check.paper.area)
                w.string("status", check.status.rawValue)
                w.string("report", check.report?.grade)
                w.string("paper", check.paper.grade)
                w.int("paperLine", check.paper.line)
                w.endObject()
            }
            w.endArray()
            w.beginArray("notRepeated")
            for judgement in fidelity.notRepeated {
                w.beginObject()
                w.string("service", judgement.service)
                w.string("area", judgement.area)
                w.string("grade", judgement.grade)
                w.endObject()
            }
            w.endArray()
            w.beginArray("counts")
            for check in fidelity.counts {
                w.beginObject()
                w.int("stated", check.stated.count)
                w.string("service", check.stated.service)
                w.string("timescale", check.stated.timescale)
                w.string("text", check.stated.quote)
                w.int("line", check.stated.line)
                w.int("paperLists", check.stated.listed)
                w.int("reportLists", check.report)
                w.bool("agrees", check.agrees)
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
        w.endObject()
        return w.finished()
    }
}
