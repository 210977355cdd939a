import Foundation
@_spi(Benchmark) import OfstedKit

// ofsted-benchmark: how fast extraction runs, against the floor of a plain newline count.
//
//     swift run -c release ofsted-benchmark            # the table
//     swift run -c release ofsted-benchmark --json     # the same figures, machine-readable
//
// Build it in release mode: a debug build measures the compiler's checks, not the parser.

let usage = """
    Usage: ofsted-benchmark [--json] [--megabytes N] [--runs N] [--no-cli] [--no-shared] [--no-rss] [--stages-only]

    Measures, in this process unless said otherwise:
      - end-to-end extraction (decode, tokenize, tree, extract, JSON) of every Corpus/ document,
        and of a large corpus built in memory from them (default 52.4 MB, every copy varied),
        on one core and on all cores: MB/s (10^6 bytes) and documents/s;
      - a plain newline count over the same bytes, the floor, and how many times it extraction costs;
      - ../shared/corpus/reports, when the checkout has it beside it, read, extracted and written
        as JSON to a temporary folder on all cores, as a batch run would;
      - the peak resident memory of batches of growing size, each in a fresh process;
      - `ofsted extract` on a 10 KB document, from spawning the process to the end of its output.

    Options:
      --json          print the figures as JSON instead of a table
      --megabytes N   size of the large corpus in MB (default 52.43, i.e. 50 MiB)
      --runs N        timed runs of each throughput measurement; the fastest counts (default 3)
      --no-cli        skip timing the CLI;   --no-shared  skip ../shared;   --no-rss  skip the memory runs
      --stages-only   only the breakdown of one core's time by pipeline step (decode, sha256, tokens,
                      tree, facts, outline, judgements, areas, counts, json), over the large corpus
                      and ../shared/corpus/reports

    """

struct Options {
    var json = false
    var megabytes = 52.43
    var runs = 3
    var cli = true
    var shared = true
    var rss = true
    var stagesOnly = false
    /// Internal: run one memory batch of this many bytes and print the peak RSS.
    var rssChild: Int?

    init(_ arguments: [String]) {
        var index = 0
        func value() -> String {
            index += 1
            guard index < arguments.count else { fail("\(arguments[index - 1]) needs a value") }
            return arguments[index]
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--json": json = true
            case "--megabytes": megabytes = Double(value()) ?? { fail("--megabytes needs a number") }()
            case "--runs": runs = Int(value()) ?? { fail("--runs needs a number") }()
            case "--no-cli": cli = false
            case "--no-shared": shared = false
            case "--no-rss": rss = false
            case "--stages-only": stagesOnly = true
            case "--rss-child": rssChild = Int(value()) ?? { fail("--rss-child needs a byte count") }()
            case "-h", "--help":
                print(usage, terminator: "")
                exit(0)
            default: fail("unknown argument '\(arguments[index])'")
            }
            index += 1
        }
    }
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("ofsted-benchmark: \(message)\n\(usage)".utf8))
    exit(64)
}

let options = Options(Array(CommandLine.arguments.dropFirst()))
let workers = ProcessInfo.processInfo.activeProcessorCount

let grammar: Grammar
do {
    grammar = try Grammar.bundled()
} catch {
    fail("cannot load the grammar: \(error)")
}
let extractor = Extractor(grammar: grammar)
let corpus: [Document]
do {
    corpus = try Workload.corpus()
} catch {
    fail("cannot read Corpus/: \(error)")
}
guard !corpus.isEmpty else { fail("no documents in \(Workload.checkout.path)/Corpus") }

if let bytes = options.rssChild {
    // A batch in a fresh process: documents built one at a time, as a batch run reads files,
    // extracted on all cores; the peak resident memory is what the batch needed.
    let plan = Workload.Plan(sources: corpus, atLeast: bytes)
    let count = bytes == 0 ? 0 : plan.count
    _ = Measure.parallel(workers: workers, count: count) { Work.extract(plan.document($0), with: extractor) }
    print(Measure.peakResidentBytes())
    exit(0)
}

var report = Report(workers: workers)

/// One core's time on `documents` split by pipeline step: each document extracted once with the
/// steps timed, then its JSON written.
@MainActor
func stageBreakdown(_ label: String, _ count: Int, _ document: (Int) -> Document) -> Report.Stages {
    var seconds = [Double](repeating: 0, count: Extractor.stages.count + 1)
    var bytes = 0
    for index in 0..<count {
        let doc = document(index)
        bytes += doc.bytes.count
        let (extraction, times) = extractor.stageTimes(doc.bytes, fileName: doc.name)
        for (k, time) in times.enumerated() {
            seconds[k] += Double(time.components.seconds) + Double(time.components.attoseconds) / 1e18
        }
        var size = 0
        seconds[Extractor.stages.count] += Measure.seconds { size = extraction.json().count }
        sink &+= size
    }
    return Report.Stages(label: label, documents: count, bytes: bytes, names: Extractor.stages + ["json"], seconds: seconds)
}

if options.stagesOnly {
    let plan = Workload.Plan(sources: corpus, atLeast: Int(options.megabytes * 1_000_000))
    _ = stageBreakdown("warm-up", min(plan.count, 50), plan.document)
    report.stages.append(stageBreakdown("\(plan.count) varied copies of Corpus/", plan.count, plan.document))
    if options.shared, let folder = Workload.sharedReportsFolder(), let shared = try? Workload.textFiles(in: folder) {
        report.stages.append(stageBreakdown("../shared reports", shared.count) { shared[$0] })
    }
    print(options.json ? report.json(options: options) : report.stagesTable(), terminator: "")
    exit(0)
}

// Grammar loading, which every CLI run pays once.
report.grammarLoad = Measure.best(of: 5) { _ = try? Grammar.bundled() }.best

// Corpus/: every document, in rounds, on one core.
let corpusBytes = corpus.reduce(0) { $0 + $1.bytes.count }
let rounds = max(1, 5_000_000 / corpusBytes)
var sink = 0
let corpusTime = Measure.best(of: options.runs) {
    for _ in 0..<rounds { for document in corpus { sink &+= Work.extract(document, with: extractor) } }
}
report.add(.init(key: "corpus-1-core", label: "Corpus/ (\(corpus.count) docs) × \(rounds) rounds, 1 core",
                 documents: corpus.count * rounds, bytes: corpusBytes * rounds, seconds: corpusTime.best, median: corpusTime.median))

// The large corpus, built in memory.
let plan = Workload.Plan(sources: corpus, atLeast: Int(options.megabytes * 1_000_000))
let documents = (0..<plan.count).map(plan.document)
let largeLabel = "\(plan.count) varied copies of Corpus/"
let oneCore = Measure.best(of: options.runs) {
    for document in documents { sink &+= Work.extract(document, with: extractor) }
}
report.add(.init(key: "large-1-core", label: "\(largeLabel), 1 core", documents: plan.count, bytes: plan.totalBytes,
                 seconds: oneCore.best, median: oneCore.median))
let allCores = Measure.best(of: options.runs) {
    sink &+= Measure.parallel(workers: workers, count: documents.count) { Work.extract(documents[$0], with: extractor) }
}
report.add(.init(key: "large-all-cores", label: "\(largeLabel), \(workers) cores", documents: plan.count,
                 bytes: plan.totalBytes, seconds: allCores.best, median: allCores.median))
let newlines = Measure.best(of: max(5, options.runs)) {
    for document in documents { sink &+= Work.countNewlines(document.bytes) }
}
report.add(.init(key: "newline-count-1-core", label: "newline count, same bytes, 1 core", documents: plan.count,
                 bytes: plan.totalBytes, seconds: newlines.best, median: newlines.median))
report.costOverNewlines = oneCore.best / newlines.best

// The shared reports as a batch: read, extract, write the JSON, on all cores.
if options.shared, let folder = Workload.sharedReportsFolder() {
    let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
        .filter { $0.hasSuffix(".txt") }.sorted().map { folder.appendingPathComponent($0) }
    let outFolder = FileManager.default.temporaryDirectory.appendingPathComponent("ofsted-benchmark-\(getpid())")
    try? FileManager.default.createDirectory(at: outFolder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: outFolder) }
    var bytes = 0
    for file in files { bytes += (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? 0 }
    let batch = Measure.best(of: options.runs) {
        sink &+= Measure.parallel(workers: workers, count: files.count) { index in
            guard let data = FileManager.default.contents(atPath: files[index].path) else { return 0 }
            let json = extractor.extract(Array(data), fileName: files[index].lastPathComponent).json()
            let out = outFolder.appendingPathComponent(files[index].deletingPathExtension().lastPathComponent + ".json")
            return FileManager.default.createFile(atPath: out.path, contents: Data(json)) ? json.count : 0
        }
    }
    report.add(.init(key: "shared-batch-all-cores", label: "../shared reports: read, extract, write JSON, \(workers) cores",
                     documents: files.count, bytes: bytes, seconds: batch.best, median: batch.median))
    // The same as the CLI runs it: `ofsted extract FOLDER --out-dir DIR`, from spawning the
    // process to its exit, grammar loading and the syncing of every file written included.
    if let me = Bundle.main.executableURL {
        let cli = me.deletingLastPathComponent().appendingPathComponent("ofsted")
        let cliOut = outFolder.appendingPathComponent("cli")
        var times: [Double] = []
        for _ in 0..<max(1, options.runs) {
            guard let run = try? Spawn.run(cli, ["extract", folder.path, "--out-dir", cliOut.path, "--jobs", String(workers)]),
                  run.status == 0 else { break }
            times.append(run.seconds)
        }
        if !times.isEmpty {
            times.sort()
            report.add(.init(key: "shared-batch-cli", label: "../shared reports: `ofsted extract … --out-dir`, \(workers) cores",
                             documents: files.count, bytes: bytes, seconds: times[0], median: times[times.count / 2]))
        }
    }
}

// Peak memory of batches of growing size, each in a fresh process.
if options.rss, let me = Bundle.main.executableURL {
    for fraction in [0.0, 0.125, 0.25, 0.5, 1.0] {
        let bytes = Int(Double(plan.totalBytes) * fraction)
        if let output = try? Spawn.run(me, ["--rss-child", String(bytes)]).output,
           let peak = Int(String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) {
            let documents = bytes == 0 ? 0 : Workload.Plan(sources: corpus, atLeast: bytes).count
            report.memory.append(.init(documents: documents, bytes: bytes, peak: peak))
        }
    }
}
report.inProcessPeak = Measure.peakResidentBytes()

// The CLI on a 10 KB document, from spawn to the end of its output, grammar loading included.
if options.cli, let me = Bundle.main.executableURL {
    let cli = me.deletingLastPathComponent().appendingPathComponent("ofsted")
    let source = corpus.max { $0.bytes.count < $1.bytes.count }!
    let small = Workload.prefix(of: source, bytes: 10_240)
    let input = FileManager.default.temporaryDirectory.appendingPathComponent("ofsted-benchmark-\(getpid()).txt")
    if FileManager.default.isExecutableFile(atPath: cli.path), (try? Data(small).write(to: input)) != nil {
        defer { try? FileManager.default.removeItem(at: input) }
        var spawnOnly: [Double] = []
        var runs: [Double] = []
        var outputBytes = 0
        for round in 0..<22 {
            let floor = try? Spawn.run(URL(fileURLWithPath: "/bin/true"), [])
            let run = try? Spawn.run(cli, ["extract", input.path])
            guard round >= 2, let floor, let run, run.status == 0 else { continue }  // two warm-ups
            spawnOnly.append(floor.seconds)
            runs.append(run.seconds)
            outputBytes = run.output.count
        }
        if !runs.isEmpty {
            report.cli = .init(inputBytes: small.count, outputBytes: outputBytes, runs: runs.sorted(), spawnFloor: spawnOnly.sorted())
        }
    }
}

if sink == 42 { print("") }  // keeps the measured work from being optimized away
print(options.json ? report.json(options: options) : report.table(options: options), terminator: "")
