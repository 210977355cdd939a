@testable import OfstedKit

/// Runs single pipeline steps on small inline texts, with the repository's grammar.
enum Inline {
    /// The decoded lines of `text` (as UTF-8 bytes).
    static func source(_ text: String) -> SourceText { SourceText(bytes: Array(text.utf8)) }

    /// The token stream of `text`.
    static func stream(_ text: String) -> TokenStream {
        Tokenizer(grammar: Repository.grammar).tokenize(source(text))
    }

    /// The tokens of `text`, with their texts as strings.
    static func tokens(_ text: String) -> [TokenView] {
        stream(text).views
    }

    /// The token on 1-based `line` of `text`.
    static func token(_ text: String, line: Int) -> TokenView {
        tokens(text)[line - 1]
    }

    /// The document tree of `text`.
    static func tree(_ text: String) -> DocumentTree {
        TreeBuilder(grammar: Repository.grammar).build(stream(text))
    }

    /// The facts (kind, framework, authority, dates …) of `text`.
    static func facts(_ text: String) -> Facts {
        let source = source(text)
        return FactExtractor(grammar: Repository.grammar).extract(source: source, tokens: Tokenizer(grammar: Repository.grammar).tokenize(source))
    }
}

extension Section {
    /// Every block of this section and of the sections inside it, in document order (sections themselves excluded).
    var allBlocks: [Block] {
        var out: [Block] = []
        for block in blocks {
            if case .section(let child) = block { out += child.allBlocks } else { out.append(block) }
        }
        return out
    }

    /// This section's subsections at any depth, in document order.
    var allSections: [Section] {
        var out: [Section] = []
        for block in blocks {
            if case .section(let child) = block { out += [child] + child.allSections }
        }
        return out
    }

    var paragraphs: [Paragraph] { allBlocks.compactMap { if case .paragraph(let p) = $0 { p } else { nil } } }
    var lists: [ListBlock] { allBlocks.compactMap { if case .list(let l) = $0 { l } else { nil } } }
    var tables: [Table] { allBlocks.compactMap { if case .table(let t) = $0 { t } else { nil } } }
}

extension Extraction {
    /// The codes of the diagnostics, in order.
    var diagnosticCodes: [String] { diagnostics.map(\.code) }

    /// Judgements as "service/area=grade" strings, for compact assertions.
    var judgementKeys: [String] { judgements.map { "\($0.service)/\($0.area)=\($0.grade)" } }
}
