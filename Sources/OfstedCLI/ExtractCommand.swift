import Foundation
import OfstedKit

/// `ofsted extract`: one document's extraction as JSON, or a batch of documents.
///
/// With one input and neither `--out-dir` nor `--jsonl` it prints that document's JSON (or
/// writes it with `-o`). Several inputs, folders, `--out-dir` or `--jsonl` make a batch: see
/// `BatchPlan` for which files count and how outputs are named, and `BatchRunner` for how they
/// are run.
enum ExtractCommand: Command {
    static let name = "extract"
    static let summary = "extract judgements and areas for improvement from documents as JSON"
    static let synopsis = """
        ofsted extract FILE|- [-o FILE] [--grammar DIR] [--compact] [--max-size MB]
               ofsted extract FILE|FOLDER... (--out-dir DIR | --jsonl) [--jobs N] [--grammar DIR] [--compact] [--max-size MB]
        """
    static let help = """
        Usage: \(synopsis)

        Reads one document (a text file, or standard input for -) and prints its extraction as
        JSON: the document's kind, framework, local authority and dates, its judgements (area and
        grade, per service) and its areas for improvement grouped by timescale, with diagnostics.

        Batch mode, with several inputs, a folder, --out-dir or --jsonl, extracts many documents in
        parallel. A folder contributes its *.txt, *.text, *.md and *.markdown files at any depth
        (not hidden ones), sorted by path; named files count whatever their name. Results come in
        that order whatever the scheduling. One bad document never stops the batch: it is reported
        at the end, with the counts "N ok, M with warnings, K failed". On a terminal, a progress
        line shows documents done, rate and time left.

        Options:
          -o, --output FILE  write the JSON to FILE (atomically: the old file or the new one, never
                             a part) instead of standard output; FILE may not be the input
          --out-dir DIR      batch: write NAME.json for each document NAME.txt into DIR (created if
                             needed), atomically; names shared by several documents become
                             NAME-2.json, NAME-3.json …; a failed document leaves any old NAME.json
          --jsonl            batch: write each document's JSON on one line of standard output;
                             failed documents have no line
          -j, --jobs N       batch: documents extracted at once (default: the number of cores)
          --max-size MB      refuse documents larger than MB megabytes (default \(InputLimits.defaultMegabytes));
                             documents of over \(InputLimits.defaultMaxLines) lines are refused too
          --grammar DIR      use the grammar in DIR instead of the bundled one
          --compact          write the JSON on one line
          -h, --help         show this help

        Exit status: 0 when every document was extracted; 1 when one could not be read, is not
        text or is too large (the message names it), or an output could not be written; 64 on
        usage errors; 130 when interrupted (unfinished outputs are removed).

        """

    static func run(_ arguments: [String], io: any CLIIO) throws {
        let args = try Arguments(arguments, command: name,
                                 valued: ["-o", "--output", "--grammar", "--out-dir", "-j", "--jobs", "--max-size"],
                                 flags: ["--compact", "--jsonl"])
        var limits = InputLimits()
        if let text = args.options["--max-size"] {
            guard let megabytes = Int(text), (1...4096).contains(megabytes) else {
                throw CLIError.usage("--max-size takes a number of megabytes from 1 to 4096", command: name)
            }
            limits.maxBytes = megabytes << 20
        }
        let outDir = args.options["--out-dir"]
        let lines = args.flags.contains("--jsonl")
        if outDir != nil || lines || args.positional.count > 1 {
            try runBatch(args, outDir: outDir, lines: lines, limits: limits, io: io)
            return
        }
        for option in ["-j", "--jobs"] where args.options[option] != nil {
            throw CLIError.usage("\(option) is for batches (--out-dir or --jsonl)", command: name)
        }
        guard args.positional.count == 1 else { throw CLIError.usage("no input file", command: name) }
        let input = args.positional[0]
        let output = args.options["-o"] ?? args.options["--output"]
        if let output, input != "-", InputFile.sameFile(input, output) {
            throw CLIError.failure("\(output): the output would overwrite the input; choose another file")
        }
        let grammar = try CLI.loadGrammar(args.options["--grammar"])
        let shownName = input == "-" ? "standard input" : input
        let bytes: [UInt8]
        switch DocumentReader.read(input, limits: limits, io: io) {
        case .success(let read): bytes = read
        case .failure(let failure) where failure.reason == "is a directory":
            throw CLIError.failure("\(input): is a directory; to extract the documents in a folder, add --out-dir DIR or --jsonl")
        case .failure(let failure): throw CLIError.failure("\(shownName): \(failure.reason)")
        }
        if let problem = limits.problem(with: bytes) { throw CLIError.failure("\(shownName): \(problem)") }
        let extraction = Extractor(grammar: grammar).extract(bytes, fileName: input == "-" ? nil : input)
        if extraction.isUnreadable {
            let reason = extraction.diagnostics.first { $0.severity == .error }?.message ?? "unreadable"
            throw CLIError.failure("\(shownName): \(reason)")
        }
        let json = extraction.json(pretty: !args.flags.contains("--compact"))
        if let output {
            try AtomicFile.write(json, to: output)
        } else {
            io.write(bytes: json)
        }
    }

    /// Several documents: checks the command line and the output folder, plans, runs, reports.
    static func runBatch(_ args: Arguments, outDir: String?, lines: Bool, limits: InputLimits, io: any CLIIO) throws {
        if outDir != nil && lines { throw CLIError.usage("choose one of --out-dir and --jsonl", command: name) }
        if args.options["-o"] != nil || args.options["--output"] != nil {
            throw CLIError.usage("-o writes one document; for several, use --out-dir DIR or --jsonl", command: name)
        }
        guard outDir != nil || lines else {
            throw CLIError.usage("several inputs need --out-dir DIR (a JSON file each) or --jsonl (a line each)", command: name)
        }
        guard !args.positional.isEmpty else { throw CLIError.usage("no input file or folder", command: name) }
        if args.positional.contains("-") {
            throw CLIError.usage("standard input (-) cannot be part of a batch; extract it on its own", command: name)
        }
        var options = BatchRunner.Options(destination: .lines, pretty: !args.flags.contains("--compact"), limits: limits)
        if let text = args.options["-j"] ?? args.options["--jobs"] {
            guard let jobs = Int(text), (1...256).contains(jobs) else {
                throw CLIError.usage("--jobs takes a number from 1 to 256", command: name)
            }
            options.jobs = jobs
        }
        let grammar = try CLI.loadGrammar(args.options["--grammar"])
        let plan = BatchPlan(inputs: args.positional)
        if let outDir {
            try prepareOutputFolder(outDir, for: plan)
            options.destination = .folder(outDir)
        }
        let summary = BatchRunner(plan: plan, extractor: Extractor(grammar: grammar), options: options, io: io).run()
        if !summary.failures.isEmpty { throw CLIError.exit(1) }
    }

    /// Creates the output folder if needed, clears temporary files dead runs left in it, and
    /// refuses a batch in which an output would replace one of the inputs.
    static func prepareOutputFolder(_ folder: String, for plan: BatchPlan) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw CLIError.failure("\(folder): not a folder; --out-dir needs a folder") }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw CLIError.failure("\(folder): cannot create the output folder: \(error.localizedDescription)")
            }
        }
        let inputs = Set(plan.documents.compactMap { $0.problem == nil ? FileIdentity($0.path) : nil })
        for document in plan.documents where document.problem == nil {
            let output = (folder as NSString).appendingPathComponent(document.outputName)
            if let identity = FileIdentity(output), inputs.contains(identity) {
                throw CLIError.failure("\(output): the output would overwrite an input; choose another --out-dir")
            }
        }
        AtomicFile.removeStale(in: folder)
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
        let path = args.positional[0]
        switch DocumentReader.read(path, limits: InputLimits(), io: io) {
        case .success(let bytes): return (Extractor(grammar: grammar), bytes)
        case .failure(let failure): throw CLIError.failure("\(path == "-" ? "standard input" : path): \(failure.reason)")
        }
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
