import Foundation
import OfstedKit

/// The `ofsted` command line: arguments in, exit status out.
///
/// Errors map to exit codes in one place (`CLIError.exitCode`): 64 for usage errors (with
/// `Usage:` and a hint on stderr), 1 for failures (a message naming the file), 0 for success.
public enum CLI {
    public static let version = Extractor.parserVersion

    /// Runs with the process's real arguments and standard streams, and exits.
    public static func main() -> Never {
        let io = StandardIO()
        Interrupts.install(io: io)
        let status = run(Array(CommandLine.arguments.dropFirst()), io: io)
        io.flush()
        exit(status)
    }

    /// Runs one command line and returns its exit status.
    public static func run(_ arguments: [String], io: any CLIIO) -> Int32 {
        do {
            try dispatch(arguments, io: io)
            return 0
        } catch let error as CLIError {
            error.report(to: io)
            return error.exitCode
        } catch {
            io.writeError("ofsted: error: \(error)\n")
            return 1
        }
    }

    /// Every command, in the order `--help` lists them.
    static let commands: [any Command.Type] = [ExtractCommand.self, CompareCommand.self, DiffCommand.self, TokensCommand.self, TreeCommand.self, GrammarCommand.self]

    static var overview: String {
        """
        ofsted \(version): read Ofsted reports on councils' children's services, and council papers that
        answer them, and extract their judgements and areas for improvement.

        Usage: ofsted <command> [options]

        Commands:
        \(commands.map { "  " + $0.name.padding(toLength: 10, withPad: " ", startingAt: 0) + $0.summary }.joined(separator: "\n"))

        Options:
          -h, --help     show help (also after a command: `ofsted extract --help`)
          --version      show the version

        """
    }

    static func dispatch(_ arguments: [String], io: any CLIIO) throws {
        guard let first = arguments.first else {
            throw CLIError.usage("no command given", command: nil)
        }
        switch first {
        case "-h", "--help", "help":
            io.write(overview)
        case "--version":
            io.write("ofsted \(version)\n")
        default:
            guard let command = commands.first(where: { $0.name == first }) else {
                throw CLIError.usage("unknown command '\(first)'", command: nil)
            }
            let rest = Array(arguments.dropFirst())
            if rest.contains("--help") || rest.contains("-h") {
                io.write(command.help)
                return
            }
            try command.run(rest, io: io)
        }
    }

    /// Loads `--grammar DIR`, or the bundled grammar.
    static func loadGrammar(_ directory: String?) throws -> Grammar {
        do {
            if let directory { return try Grammar.load(from: URL(fileURLWithPath: directory)) }
            return try Grammar.bundled()
        } catch let error as GrammarError {
            throw CLIError.failure(error.description)
        }
    }
}

/// A failure the CLI reports and maps to an exit status.
public enum CLIError: Error, Equatable {
    /// Bad arguments: exit 64, with usage.
    case usage(String, command: String?)
    /// Something failed: exit 1.
    case failure(String)
    /// Already reported; exit with this status.
    case exit(Int32)

    var exitCode: Int32 {
        switch self {
        case .usage: return 64
        case .failure: return 1
        case .exit(let code): return code
        }
    }

    func report(to io: any CLIIO) {
        switch self {
        case .usage(let message, let command):
            let help = command.map { "ofsted \($0) --help" } ?? "ofsted --help"
            let synopsis = command.flatMap { CLI.synopsis(of: $0) } ?? "ofsted <command> [options]"
            io.writeError("Error: \(message)\nUsage: \(synopsis)\n  See '\(help)'.\n")
        case .failure(let message):
            io.writeError("ofsted: error: \(message)\n")
        case .exit:
            break
        }
    }
}

/// A command of the CLI: its name, help, and what it does.
protocol Command {
    static var name: String { get }
    /// One line for `ofsted --help`.
    static var summary: String { get }
    /// The usage line shown with usage errors.
    static var synopsis: String { get }
    /// The full text of `ofsted NAME --help`.
    static var help: String { get }
    static func run(_ arguments: [String], io: any CLIIO) throws
}

extension CLI {
    static func synopsis(of name: String) -> String? { commands.first { $0.name == name }?.synopsis }
}

/// Simple option parsing shared by the commands.
struct Arguments {
    var positional: [String] = []
    var options: [String: String] = [:]
    var flags: Set<String> = []

    /// Parses `arguments`; `valued` options take the next argument. Unknown options are usage errors.
    init(_ arguments: [String], command: String, valued: Set<String>, flags known: Set<String>) throws {
        var index = 0
        var onlyPositional = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositional || argument == "-" || !argument.hasPrefix("-") {
                positional.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositional = true
                continue
            }
            var name = argument
            var inlineValue: String?
            if let equals = argument.firstIndex(of: "="), argument.hasPrefix("--") {
                name = String(argument[..<equals])
                inlineValue = String(argument[argument.index(after: equals)...])
            }
            if valued.contains(name) {
                if let inlineValue {
                    options[name] = inlineValue
                } else {
                    guard index < arguments.count else { throw CLIError.usage("\(name) needs a value", command: command) }
                    options[name] = arguments[index]
                    index += 1
                }
            } else if known.contains(name) {
                flags.insert(name)
            } else {
                throw CLIError.usage("unknown option '\(argument)'", command: command)
            }
        }
    }
}
