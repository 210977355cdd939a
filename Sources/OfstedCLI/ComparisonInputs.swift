import Foundation
import OfstedKit

/// The documents `compare` and `diff` are given: extraction JSON files, texts to extract on the
/// fly, and folders of either.
///
/// A file is read as extraction JSON when its name ends in `.json` or its first character is
/// `{`, else as a document to extract. A folder contributes its `.txt` and `.json` files, sub-
/// folders included, in path order, hidden files skipped; where a folder holds a text and its
/// extraction side by side (`X.txt` and `X.json` or `X.expected.json`), the text is used, so a
/// document counts once and is read with the current grammar.
enum ComparisonInputs {
    /// The paths `arguments` name, folders expanded.
    static func expand(_ arguments: [String]) throws -> [String] {
        var paths: [String] = []
        var standardInput = false
        for argument in arguments {
            if argument == "-" {
                if standardInput { throw CLIError.failure("standard input (-) can be read once only") }
                standardInput = true
                paths.append(argument)
                continue
            }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: argument, isDirectory: &isDirectory) else {
                throw CLIError.failure("\(argument): no such file or folder")
            }
            if isDirectory.boolValue {
                let found = try folder(argument)
                if found.isEmpty { throw CLIError.failure("\(argument): the folder has no .txt or .json documents") }
                paths += found
            } else {
                paths.append(argument)
            }
        }
        return paths
    }

    /// The documents of a folder and its sub-folders.
    static func folder(_ path: String) throws -> [String] {
        let base = URL(fileURLWithPath: path)
        guard let enumerator = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey],
                                                              options: [.skipsHiddenFiles]) else {
            throw CLIError.failure("\(path): cannot read the folder")
        }
        var byStem: [String: [String]] = [:]
        for case let url as URL in enumerator {
            let name = url.lastPathComponent
            let lower = name.lowercased()
            guard lower.hasSuffix(".txt") || lower.hasSuffix(".json"),
                  (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            let relative = String(url.path.dropFirst(base.path.count).drop { $0 == "/" })
            let file = path.hasSuffix("/") ? path + relative : path + "/" + relative
            let stem = String(file.dropLast(lower.hasSuffix(".expected.json") ? 14 : lower.hasSuffix(".json") ? 5 : 4))
            byStem[stem, default: []].append(file)
        }
        return byStem.keys.sorted().map { stem in
            let files = byStem[stem]!.sorted()
            return files.first { $0.lowercased().hasSuffix(".txt") } ?? files[0]
        }
    }

    /// Reads every path as a labelled document.
    static func load(_ paths: [String], grammar: Grammar, io: any CLIIO) throws -> [ComparedDocument] {
        let extractor = Extractor(grammar: grammar)
        var extractions: [Extraction] = []
        for path in paths {
            let bytes = try InputFile.read(path, io: io)
            let name = path == "-" ? "standard input" : path
            if path.lowercased().hasSuffix(".json") || firstCharacter(bytes) == UInt8(ascii: "{") {
                do {
                    extractions.append(try Extraction(json: bytes))
                } catch {
                    throw CLIError.failure("\(name): not extraction JSON: \(error.description)")
                }
                continue
            }
            let extraction = extractor.extract(bytes, fileName: path == "-" ? nil : path)
            if extraction.isUnreadable {
                let reason = extraction.diagnostics.first { $0.severity == .error }?.message ?? "unreadable"
                throw CLIError.failure("\(name): \(reason)")
            }
            extractions.append(extraction)
        }
        return ComparedDocument.labelled(extractions, files: paths.map { $0 == "-" ? nil : $0 })
    }

    private static func firstCharacter(_ bytes: [UInt8]) -> UInt8? {
        var rest = bytes[...]
        if rest.starts(with: [0xEF, 0xBB, 0xBF]) { rest = rest.dropFirst(3) }
        return rest.first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
    }

    /// The bundled seed documents `ofsted compare` compares when given none: `Corpus/seeds` in
    /// the working folder, else in the checkout this program was built from.
    static func defaultDocuments() -> String? {
        let local = "Corpus/seeds"
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: local, isDirectory: &isDirectory), isDirectory.boolValue { return local }
        // Sources/OfstedCLI/ComparisonInputs.swift → the checkout's root.
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let seeds = checkout.appendingPathComponent("Corpus/seeds").path
        if FileManager.default.fileExists(atPath: seeds, isDirectory: &isDirectory), isDirectory.boolValue { return seeds }
        return nil
    }

    /// `--format`, `--threshold`, `-o` and `--grammar`, shared by both commands.
    struct Options {
        var format: ComparisonFormat = .text
        var threshold = Comparison.defaultThreshold
        var output: String?
        var grammar: String?

        static let valued: Set<String> = ["--format", "--threshold", "-o", "--output", "--grammar"]

        init(_ args: Arguments, command: String) throws {
            if let value = args.options["--format"] {
                guard let format = ComparisonFormat(rawValue: value) else {
                    throw CLIError.usage("unknown format '\(value)'; formats are \(ComparisonFormat.allCases.map(\.rawValue).joined(separator: ", "))",
                                         command: command)
                }
                self.format = format
            }
            if let value = args.options["--threshold"] {
                guard let threshold = Double(value), threshold >= 0, threshold <= 1 else {
                    throw CLIError.usage("--threshold takes a number from 0 to 1, not '\(value)'", command: command)
                }
                self.threshold = threshold
            }
            output = args.options["-o"] ?? args.options["--output"]
            grammar = args.options["--grammar"]
        }

        /// Colour only for text on a terminal, and never when NO_COLOR is set.
        func colour(_ io: any CLIIO) -> Bool {
            format == .text && output == nil && io.outputIsTerminal && io.environment["NO_COLOR"] == nil
        }

        func write(_ text: String, inputs: [String], io: any CLIIO) throws {
            guard let output else {
                io.write(text)
                return
            }
            if let input = inputs.first(where: { $0 != "-" && InputFile.sameFile($0, output) }) {
                throw CLIError.failure("\(output): the output would overwrite the input \(input); choose another file")
            }
            try AtomicFile.write(Array(text.utf8), to: output)
        }
    }
}
