import Foundation

/// The figures of one benchmark run, printed as a table or as JSON.
struct Report {
    struct Row {
        let key: String
        let label: String
        let documents: Int
        let bytes: Int
        /// The fastest run.
        let seconds: Double
        let median: Double

        var megabytesPerSecond: Double { Double(bytes) / 1e6 / seconds }
        var documentsPerSecond: Double { Double(documents) / seconds }
    }

    /// One batch run in a fresh process.
    struct Memory {
        let documents: Int
        let bytes: Int
        let peak: Int
    }

    struct CLI {
        let inputBytes: Int
        let outputBytes: Int
        /// Seconds, sorted.
        let runs: [Double]
        /// Spawning `/bin/true`, sorted: what any process start costs here.
        let spawnFloor: [Double]

        var minimum: Double { runs[0] }
        var median: Double { runs[runs.count / 2] }
    }

    /// One core's time split by pipeline step.
    struct Stages {
        let label: String
        let documents: Int
        let bytes: Int
        let names: [String]
        let seconds: [Double]

        var total: Double { seconds.reduce(0, +) }
    }

    let workers: Int
    var rows: [Row] = []
    var stages: [Stages] = []
    var grammarLoad: Double = 0
    var costOverNewlines: Double = 0
    var memory: [Memory] = []
    var inProcessPeak = 0
    var cli: CLI?

    mutating func add(_ row: Row) { rows.append(row) }

    func row(_ key: String) -> Row? { rows.first { $0.key == key } }

    // MARK: Targets

    struct Target {
        let name: String
        let value: String
        let met: Bool?
    }

    var targets: [Target] {
        var out: [Target] = []
        if let one = row("large-1-core") {
            out.append(.init(name: "extraction ≥ 100 MB/s on one core", value: String(format: "%.1f MB/s", one.megabytesPerSecond),
                             met: one.megabytesPerSecond >= 100))
        }
        out.append(.init(name: "extraction ≤ 40 × the newline count", value: String(format: "%.0f ×", costOverNewlines),
                         met: costOverNewlines <= 40))
        if let batch = row("shared-batch-cli") ?? row("shared-batch-all-cores") {
            let how = batch.key == "shared-batch-cli" ? "ofsted extract --out-dir" : "in-process batch"
            out.append(.init(name: "481 shared reports in < 1 s (\(how))", value: String(format: "%.2f s", batch.seconds),
                             met: batch.seconds < 1))
        } else {
            out.append(.init(name: "481 shared reports in < 1 s", value: "not measured (no ../shared)", met: nil))
        }
        if let cli {
            out.append(.init(name: "CLI, 10 KB document, < 30 ms (median)", value: String(format: "%.1f ms", cli.median * 1000),
                             met: cli.median < 0.030))
        }
        if let full = memory.last, full.bytes > 0 {
            out.append(.init(name: "peak memory of the \(megabytes(full.bytes)) MB batch < 200 MB",
                             value: "\(megabytes(full.peak)) MB", met: full.peak < 200_000_000))
        }
        return out
    }

    // MARK: Machine

    static var cpuModel: String {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown CPU" }
        for line in info.split(separator: "\n") where line.hasPrefix("model name") {
            return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
        }
        return "unknown CPU"
    }

    static var system: String {
        var name = utsname()
        uname(&name)
        func text<T>(_ field: T) -> String {
            withUnsafeBytes(of: field) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
        }
        return "\(text(name.sysname)) \(text(name.release)) \(text(name.machine))"
    }

    // MARK: Rendering

    func table(options: Options) -> String {
        var out = "ofsted-benchmark: \(workers) cores (\(Self.cpuModel)), \(Self.system)\n"
        out += "MB = 10^6 bytes; times are the fastest of \(options.runs) runs (median in brackets)\n\n"
        let header = pad("measurement", 58) + lpad("docs", 7) + lpad("MB", 8) + lpad("seconds", 17) + lpad("MB/s", 9) + lpad("docs/s", 9)
        out += header + "\n" + String(repeating: "-", count: header.count) + "\n"
        for row in rows {
            let time = String(format: "%.3f (%.3f)", row.seconds, row.median)
            out += pad(row.label, 58) + lpad("\(row.documents)", 7) + lpad(String(format: "%.1f", Double(row.bytes) / 1e6), 8)
                + lpad(time, 17) + lpad(String(format: "%.1f", row.megabytesPerSecond), 9)
                + lpad(row.key.hasPrefix("newline") ? "" : String(format: "%.0f", row.documentsPerSecond), 9) + "\n"
        }
        out += "\n"
        out += String(format: "extraction costs %.1f × the newline count over the same bytes (one core)\n", costOverNewlines)
        out += String(format: "grammar load: %.1f ms\n", grammarLoad * 1000)
        if !memory.isEmpty {
            out += "peak resident memory of a batch on \(workers) cores, each in a fresh process:\n"
            for batch in memory {
                let what = batch.bytes == 0 ? "grammar loaded, no documents" : "\(batch.documents) docs, \(megabytes(batch.bytes)) MB"
                out += "  " + pad(what, 40) + lpad("\(megabytes(batch.peak)) MB", 10) + "\n"
            }
        }
        out += "peak resident memory of this process (the large corpus held in memory): \(megabytes(inProcessPeak)) MB\n"
        if let cli {
            out += String(format: "ofsted extract, %d-byte document, spawn to end of output: min %.1f ms, median %.1f ms (spawning /bin/true: median %.1f ms; %d runs)\n",
                          cli.inputBytes, cli.minimum * 1000, cli.median * 1000, cli.spawnFloor[cli.spawnFloor.count / 2] * 1000, cli.runs.count)
        }
        out += "\ntargets:\n"
        for target in targets {
            let verdict = target.met.map { $0 ? "met" : "NOT met" } ?? "-"
            out += "  " + pad(target.name, 52) + lpad(target.value, 16) + "  " + verdict + "\n"
        }
        return out
    }

    func stagesTable() -> String {
        var out = "ofsted-benchmark: \(workers) cores (\(Self.cpuModel)), \(Self.system)\n"
        out += "one core's time by pipeline step; MB/s is the step's own rate over the same bytes\n"
        for breakdown in stages {
            out += "\n\(breakdown.label): \(breakdown.documents) docs, \(megabytes(breakdown.bytes)) MB, "
                + String(format: "%.3f s, %.1f MB/s end to end\n", breakdown.total, Double(breakdown.bytes) / 1e6 / breakdown.total)
            for (name, seconds) in zip(breakdown.names, breakdown.seconds) {
                out += "  " + pad(name, 12) + lpad(String(format: "%.3f s", seconds), 10)
                    + lpad(String(format: "%.1f%%", seconds / breakdown.total * 100), 8)
                    + lpad(String(format: "%.0f MB/s", Double(breakdown.bytes) / 1e6 / seconds), 12) + "\n"
            }
        }
        return out
    }

    func json(options: Options) -> String {
        var root: [String: Any] = [
            "machine": ["cores": workers, "cpu": Self.cpuModel, "system": Self.system],
            "runs": options.runs,
            "grammarLoadSeconds": grammarLoad,
            "extractionCostOverNewlineCount": costOverNewlines,
            "inProcessPeakResidentBytes": inProcessPeak,
        ]
        var measurements: [String: Any] = [:]
        for row in rows {
            measurements[row.key] = [
                "label": row.label, "documents": row.documents, "bytes": row.bytes, "seconds": row.seconds,
                "medianSeconds": row.median, "megabytesPerSecond": row.megabytesPerSecond, "documentsPerSecond": row.documentsPerSecond,
            ]
        }
        root["throughput"] = measurements
        if !stages.isEmpty {
            root["stages"] = stages.map { breakdown -> [String: Any] in
                ["label": breakdown.label, "documents": breakdown.documents, "bytes": breakdown.bytes,
                 "seconds": Dictionary(uniqueKeysWithValues: zip(breakdown.names, breakdown.seconds))]
            }
        }
        root["batchPeakResident"] = memory.map { ["documents": $0.documents, "bytes": $0.bytes, "peakResidentBytes": $0.peak] }
        if let cli {
            root["cli"] = ["inputBytes": cli.inputBytes, "outputBytes": cli.outputBytes, "minSeconds": cli.minimum,
                           "medianSeconds": cli.median, "spawnFloorMedianSeconds": cli.spawnFloor[cli.spawnFloor.count / 2],
                           "runs": cli.runs.count]
        }
        root["targets"] = targets.map { target -> [String: Any] in
            ["target": target.name, "value": target.value, "met": target.met.map { $0 as Any } ?? NSNull()]
        }
        guard let data = try? JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys]) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private func megabytes(_ bytes: Int) -> String { String(format: "%.1f", Double(bytes) / 1e6) }
    private func pad(_ text: String, _ width: Int) -> String { text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count) }
    private func lpad(_ text: String, _ width: Int) -> String { text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text }
}

/// Runs a program to the end of its output, with `posix_spawn` (Foundation's `Process` adds
/// milliseconds of its own to every start).
enum Spawn {
    struct Result {
        let status: Int32
        let output: [UInt8]
        /// From just before the spawn to the end of output and exit.
        let seconds: Double
    }

    struct Failure: Error {
        let message: String
    }

    static func run(_ executable: URL, _ arguments: [String]) throws -> Result {
        var pipeEnds: [Int32] = [0, 0]
        guard pipe(&pipeEnds) == 0 else { throw Failure(message: "pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([executable.path] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }

        var status: Int32 = 0
        var output: [UInt8] = []
        let seconds = try Measure.seconds {
            var pid = pid_t()
            let spawned = posix_spawn(&pid, executable.path, &actions, nil, argv, environ)
            close(pipeEnds[1])
            guard spawned == 0 else {
                close(pipeEnds[0])
                throw Failure(message: "cannot start \(executable.path)")
            }
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(pipeEnds[0], $0.baseAddress, $0.count) }
                if count <= 0 { break }
                output.append(contentsOf: buffer[..<count])
            }
            close(pipeEnds[0])
            waitpid(pid, &status, 0)
        }
        let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return Result(status: exitStatus, output: output, seconds: seconds)
    }
}
