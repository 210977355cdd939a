import Foundation
import OfstedKit

/// `ofsted compare [DOC…]`: documents side by side.
enum CompareCommand: Command {
    static let name = "compare"
    static let summary = "compare documents: judgement grid, areas for improvement, themes"
    static let synopsis = "ofsted compare [DOC…] [--format FORMAT] [--threshold X] [-o FILE] [--grammar DIR]"
    static let help = """
        Usage: \(synopsis)

        Sets two or more documents side by side. A DOC is an Ofsted report or council paper as
        text (extracted on the fly), an extraction JSON file (`ofsted extract`), or a folder of
        them (.txt and .json files, sub-folders included; a text wins over its own extraction).
        With no DOC, compares the bundled seed documents in Corpus/seeds.

        Each document is labelled by its local authority and date (the inspection's first day,
        else the publication date), with the file name when the authority is unknown.

        Shows:
          - the judgement grid: a row per (service, area) in the frameworks' order, a column per
            document; grades with their signed step from the first document (+1: one grade
            better); "—" where the framework judges the area but the document does not say;
            "n/a" where the document's framework has no such judgement (rows line up across
            frameworks as Grammar/comparison.rules says);
          - each document's areas for improvement counted by service and timescale;
          - the themes of the areas, counted per document;
          - for every pair of documents, the areas that say nearly the same thing, with both
            texts, and each document's areas that no other document shares.

        Options:
          --format FORMAT  text (default; aligned tables, coloured on a terminal unless NO_COLOR
                           is set), markdown, json, csv (one row per document and area, safe
                           against formula injection) or html (one self-contained page)
          --threshold X    how alike two areas for improvement must be to count as saying
                           nearly the same thing: the Dice coefficient of their word bigrams
                           (pairs of adjacent words, case and punctuation aside), from 0 to 1;
                           default \(Comparison.defaultThreshold)
          -o, --output FILE  write to FILE (atomically) instead of standard output
          --grammar DIR    use the grammar in DIR instead of the bundled one
          -h, --help       show this help

        Exit status: 0 on success; 1 when a document cannot be read; 64 on usage errors.

        """

    static func run(_ arguments: [String], io: any CLIIO) throws {
        let args = try Arguments(arguments, command: name, valued: ComparisonInputs.Options.valued, flags: [])
        let options = try ComparisonInputs.Options(args, command: name)
        var positional = args.positional
        if positional.isEmpty {
            guard let seeds = ComparisonInputs.defaultDocuments() else {
                throw CLIError.usage("no documents given, and no Corpus/seeds folder to compare by default", command: name)
            }
            positional = [seeds]
        }
        let paths = try ComparisonInputs.expand(positional)
        guard paths.count >= 2 else {
            throw CLIError.usage("compare needs two or more documents; \(positional.joined(separator: " ")) \(paths.count == 1 ? "is one" : "holds none")",
                                 command: name)
        }
        let grammar = try CLI.loadGrammar(options.grammar)
        let documents = try ComparisonInputs.load(paths, grammar: grammar, io: io)
        let comparison = Comparison(documents, grammar: grammar, threshold: options.threshold)
        try options.write(comparison.render(options.format, colour: options.colour(io)), inputs: paths, io: io)
    }
}

/// `ofsted diff OLD NEW`: two documents, the way an analyst compares them.
enum DiffCommand: Command {
    static let name = "diff"
    static let summary = "diff two documents: grade changes, areas carried over, a paper's fidelity"
    static let synopsis = "ofsted diff OLD NEW [--format FORMAT] [--threshold X] [-o FILE] [--grammar DIR]"
    static let help = """
        Usage: \(synopsis)

        Compares two documents (text, extraction JSON, or a folder holding exactly two):
          - the same local authority, different inspections: per row of the judgement grid the
            grade change in signed steps (Good → Outstanding is +1 improved, Good → Inadequate
            is -2 declined), and the areas for improvement carried over, new, or gone;
          - an Ofsted report and a council paper about the same inspection (same authority and
            first day): a fidelity check. Each of the report's areas for improvement is
            reproduced, reworded (both texts shown), moved to another service or timescale,
            unplaced (the paper gives no service or timescale) or omitted; each judgement the
            paper repeats is correct or wrong; each count of areas the paper states and gets
            wrong is checked against the report (for example "nine" where the report has four);
          - otherwise, the two documents side by side as `ofsted compare` shows them.

        Options:
          --format FORMAT  text (default), markdown, json, csv or html, as for compare
          --threshold X    word-bigram similarity (0 to 1) at which two areas count as the
                           same area reworded; default \(Comparison.defaultThreshold)
          -o, --output FILE  write to FILE (atomically) instead of standard output
          --grammar DIR    use the grammar in DIR instead of the bundled one
          -h, --help       show this help

        Exit status, as diff(1): 0 when nothing differs, 1 when something does, 2 on trouble
        (a usage error, or a document that cannot be read).

        """

    static func run(_ arguments: [String], io: any CLIIO) throws {
        do {
            let args = try Arguments(arguments, command: name, valued: ComparisonInputs.Options.valued, flags: [])
            let options = try ComparisonInputs.Options(args, command: name)
            guard !args.positional.isEmpty else { throw CLIError.usage("diff needs two documents, OLD and NEW", command: name) }
            let paths = try ComparisonInputs.expand(args.positional)
            guard paths.count == 2 else {
                throw CLIError.usage("diff compares two documents; \(args.positional.joined(separator: " ")) "
                                     + "\(paths.count == 1 ? "is one" : "are \(paths.count)")", command: name)
            }
            let grammar = try CLI.loadGrammar(options.grammar)
            let documents = try ComparisonInputs.load(paths, grammar: grammar, io: io)
            let diff = DocumentDiff(old: documents[0], new: documents[1], grammar: grammar, threshold: options.threshold)
            try options.write(diff.render(options.format, colour: options.colour(io)), inputs: paths, io: io)
            if diff.hasDifferences { throw CLIError.exit(1) }
        } catch CLIError.exit(let code) {
            throw CLIError.exit(code)
        } catch let error as CLIError {
            error.report(to: io)
            throw CLIError.exit(2)
        } catch {
            io.writeError("ofsted: error: \(error)\n")
            throw CLIError.exit(2)
        }
    }
}
