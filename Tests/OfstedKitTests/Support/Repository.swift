import Foundation
import OfstedKit
import XCTest

/// Paths into the repository checkout the tests were compiled from, and the repository's grammar.
enum Repository {
    /// Tests/OfstedKitTests/Support/Repository.swift → the checkout's root.
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let grammarDirectory = root.appendingPathComponent("Grammar")
    static let corpus = root.appendingPathComponent("Corpus")
    static let schema = root.appendingPathComponent("Sources/OfstedKit/Output/extraction.schema.json")
    /// `../shared` beside the checkout, when it is there (CI has it; the suite does not need it).
    static let shared = root.deletingLastPathComponent().appendingPathComponent("shared")

    /// The repository's grammar, loaded once.
    static let grammar: Grammar = {
        do {
            return try Grammar.load(from: grammarDirectory)
        } catch {
            fatalError("the repository grammar does not load: \(error)")
        }
    }()

    static let extractor = Extractor(grammar: grammar)

    /// Extracts from inline text.
    static func extract(_ text: String, fileName: String? = "inline.txt") -> Extraction {
        extractor.extract(Array(text.utf8), fileName: fileName)
    }

    /// Every corpus case: the `.txt` files under `Corpus/`, sorted.
    static func corpusCases() -> [URL] {
        guard let enumerator = FileManager.default.enumerator(at: corpus, includingPropertiesForKeys: nil) else { return [] }
        return enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "txt" }.sorted { $0.path < $1.path }
    }

    /// Whether goldens should be re-recorded (`RECORD=1 swift test`).
    static var recording: Bool { ProcessInfo.processInfo.environment["RECORD"] == "1" }
}
