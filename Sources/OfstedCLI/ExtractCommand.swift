import Foundation
import OfstedKit

/// `ofsted extract FILE|- [-o FILE]`: one document's extraction as JSON.
enum ExtractCommand: Command {
    static let name = "extract"
    static let summary = "extract judgements and areas for improvement from a document as JSON"
    static let synopsis = "ofsted extract FILE|- [-o FILE] [--grammar DIR] [--compact]"
    static let help = """
        Usage: \(synopsis)

        Reads one document (a text file, or standard input for -) and prints its extraction as
        JSON: the document's kind, framework, local authority and dates, its judgements (area and
        grade, per service) and its areas for improvement grouped by timescale, with diagnostics.

        Options:
          -o, --output FILE  write the JSON to FILE (atomically: the old file or the new one, never
                             a part) instead of standard output; FILE may not be the input
          --grammar DIR      use the grammar in DIR instead of the bundled one
          --compact          write the JSON on one line
          -h, --help         show this help

        Exit status: 0 on success; 1 when the input cannot be read or is not text; 64 on usage errors.

        """

    static func run(_ arguments: [String], io: any CLIIO) throws {
        let args = try Arguments(arguments, command: name, valued: ["-o", "--output", "--grammar"], flags: ["--compact"])
        guard args.positional.count == 1 else {
            throw CLIError.usage(args.positional.isEmpty ? "no input file" : "extract takes one input file", command: name)
        }
        let input = args.positional[0]
        let output = args.options["-o"] ?? args.options["--output"]
        if let output, input != "-", InputFile.sameFile(input, output) {
            throw CLIError.failure("\(output): the output would overwrite the input; choose another file")
        }
        let grammar = try CLI.loadGrammar(args.options["--grammar"])
        let bytes = try InputFile.read(input, io: io)
        let extraction = Extractor(grammar: grammar).extract(bytes, fileName: input == "-" ? nil : input)
        if extraction.isUnreadable {
            let reason = extraction.diagnostics.first { $0.severity == .error }?.message ?? "unreadable"
            throw CLIError.failure("\(input == "-" ? "standard input" : input): \(reason)")
        }
        let json = extraction.json(pretty: !args.flags.contains("--compact"))
        if let output {
            try AtomicFile.write(json, to: output)
        } else {
            io.write(bytes: json)
        }
    }
}

/// `ofsted tokens FILE`: the token stream, for people writing grammar rules.
enum TokensCommand: Command {
    static let name = "tokens"
    static let summary = "print a document's tokens (one per line, with line numbers)"
    static let synopsis = "ofsted tokens FILE|- [--grammar DIR]"
    static let help = """
        Usage: \(synopsis)

        Prints each line of the document as the tokenizer classifies it: line number, kind
        (blank, text, heading, bullet, numbered, table-row, furniture), what marked it (bullet
        glyph, item number, heading source, grade), and its cleaned text or cells.

        """

    static func run(_ arguments: [String], io: any CLIIO) throws {
        let (extractor, bytes) = try DebugInput.load(arguments, command: name, io: io)
        io.write(extractor.tokenDump(bytes))
    }
}

/// `ofsted tree FILE`: the document tree.
enum TreeCommand: Command {
    static let name = "tree"
    static let summary = "print a document's tree of sections, paragraphs, lists and tables"
    static let synopsis = "ofsted tree FILE|- [--grammar DIR]"
    static let help = """
        Usage: \(synopsis)

        Prints the document tree with the lines each part spans (@12-14): sections (with their
        level and any grade their heading carries), paragraphs, lists with their items, tables
        with their rows.

        """

    static func run(_ arguments: [String], io: any CLIIO) throws {
        let (extractor, bytes) = try DebugInput.load(arguments, command: name, io: io)
        io.write(extractor.treeDump(bytes))
    }
}

enum DebugInput {
    static func load(_ arguments: [String], command: String, io: any CLIIO) throws -> (Extractor, [UInt8]) {
        let args = try Arguments(arguments, command: command, valued: ["--grammar"], flags: [])
        guard args.positional.count == 1 else { throw CLIError.usage("\(command) takes one input file", command: command) }
        let grammar = try CLI.loadGrammar(args.options["--grammar"])
        return (Extractor(grammar: grammar), try InputFile.read(args.positional[0], io: io))
    }
}

/// `ofsted grammar check [DIR]`.
enum GrammarCommand: Command {
    static let name = "grammar"
    static let summary = "check a grammar folder: ofsted grammar check [DIR]"
    static let synopsis = "ofsted grammar check [DIR]"
    static let help = """
        Usage: \(synopsis)

        Loads the grammar in DIR (default: the bundled one) and reports the first problem as
        FILE:LINE: error: MESSAGE, or a summary of what it holds. Exit status 0 when it loads,
        1 when it does not.

        """

    static func run(_ arguments: [String], io: any CLIIO) throws {
        let args = try Arguments(arguments, command: name, valued: [], flags: [])
        guard args.positional.first == "check", args.positional.count <= 2 else {
            throw CLIError.usage("expected 'check [DIR]'", command: name)
        }
        let directory = args.positional.count == 2 ? args.positional[1] : nil
        let grammar = try CLI.loadGrammar(directory)
        io.write("ok: \(grammar.summary)\n")
    }
}
