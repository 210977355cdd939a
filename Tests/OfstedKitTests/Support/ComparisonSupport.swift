import Foundation
import OfstedCLI
import OfstedKit
import XCTest

/// Documents and a captured command line for the comparison tests.
enum ComparisonFixtures {
    static let seeds = Repository.corpus.appendingPathComponent("seeds")
    static let fixtures = Repository.root.appendingPathComponent("Tests/Fixtures/comparison")
    static let goldens = Repository.root.appendingPathComponent("Tests/Goldens/comparison")

    /// The Lancashire Ofsted report (SLAC, 2012).
    static let lancashireReport = seeds.appendingPathComponent("002_6ba9ae1270c0c472.txt").path
    /// Lancashire's council update on the same inspection.
    static let lancashireUpdate = seeds.appendingPathComponent("000_2969fd53b7c8bbdd.txt").path
    /// Southwark's corporate parenting paper (SLAC, 2012).
    static let southwarkPaper = seeds.appendingPathComponent("003_86d55a5206a26a5c.txt").path
    /// A council paper whose texts try script, HTML and formula injection.
    static let hostile = fixtures.appendingPathComponent("hostile.json").path
    static let sif2016 = fixtures.appendingPathComponent("testshire-2016-sif.json").path
    static let ilacs2021 = fixtures.appendingPathComponent("testshire-2021-ilacs.json").path

    /// Reads a seed text (extracted) or a fixture (extraction JSON).
    static func extraction(_ path: String) throws -> Extraction {
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        if path.hasSuffix(".json") { return try Extraction(json: bytes) }
        return Repository.extractor.extract(bytes, fileName: path)
    }

    static func documents(_ paths: [String]) throws -> [ComparedDocument] {
        ComparedDocument.labelled(try paths.map(extraction), files: paths)
    }

    /// Runs `ofsted ARGUMENTS` in-process.
    static func run(_ arguments: [String], terminal: Bool = false, environment: [String: String] = [:])
        -> (status: Int32, output: String, error: String) {
        let io = ComparisonCLIIO(terminal: terminal, environment: environment)
        let status = CLI.run(arguments, io: io)
        return (status, io.output, io.error)
    }
}

/// Standard streams in memory, with a terminal and an environment of the test's choosing.
final class ComparisonCLIIO: CLIIO, @unchecked Sendable {
    private(set) var output = ""
    private(set) var error = ""
    let outputIsTerminal: Bool
    let environment: [String: String]
    var errorIsTerminal: Bool { false }

    init(terminal: Bool, environment: [String: String]) {
        outputIsTerminal = terminal
        self.environment = environment
    }

    func write(_ text: String) { output += text }
    func write(bytes: [UInt8]) { output += String(decoding: bytes, as: UTF8.self) }
    func writeError(_ text: String) { error += text }
    func readStandardInput() -> [UInt8] { [] }
}
