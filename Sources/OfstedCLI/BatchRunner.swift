import Foundation
import OfstedKit

/// Runs a batch: documents are extracted on a pool of workers, one per core, and their results
/// delivered in the plan's order, so that output never depends on scheduling.
///
/// Workers take documents in order and may run at most `window` documents ahead of the first
/// one not yet delivered; a finished document waits in a small reorder buffer until those before
/// it are delivered. Memory is therefore bounded by the workers' documents in flight plus at
/// most `window` results, whatever the batch's size. One document's failure (unreadable, not
/// text, too large, cannot be written) is recorded and the batch goes on.
///
/// For a folder, writing a result (which waits for the disk: each file is synced before it is
/// renamed into place) is left to writer threads of its own, so that a worker hands its JSON
/// over and goes on to the next document rather than waiting for the disk.
final class BatchRunner: @unchecked Sendable {
    enum Destination: Equatable {
        /// One `NAME.json` per document in this folder, written atomically.
        case folder(String)
        /// One compact JSON line per document on standard output.
        case lines
    }

    struct Options {
        var destination: Destination
        var pretty = true
        var jobs = ProcessInfo.processInfo.activeProcessorCount
        var limits = InputLimits()
    }

    /// What became of one document.
    enum Outcome {
        /// Extracted (and written, for a folder); `line` is the JSON line for `.lines`.
        case extracted(warnings: Bool, line: [UInt8]?)
        /// Not extracted: a one-line message naming the document.
        case failed(String)
    }

    /// The tally at the end.
    struct Summary: Equatable {
        var ok = 0
        var withWarnings = 0
        var failures: [String] = []
        var total: Int { ok + withWarnings + failures.count }
    }

    let plan: BatchPlan
    let extractor: Extractor
    let options: Options
    let io: any CLIIO

    private let condition = NSCondition()
    private var next = 0
    private var delivered = 0
    private var finished: [Int: Outcome] = [:]
    /// Results waiting for a writer, with their documents' indexes.
    private var toWrite: [(index: Int, write: PendingWrite)] = []
    private var summary = Summary()
    private let window: Int
    private let started = ContinuousClock.now
    private var lastDrawn: ContinuousClock.Instant?

    init(plan: BatchPlan, extractor: Extractor, options: Options, io: any CLIIO) {
        self.plan = plan
        self.extractor = extractor
        self.options = options
        self.io = io
        window = max(2, options.jobs * 4)
    }

    /// Extracts every document and returns the tally; the summary is written to standard error.
    func run() -> Summary {
        // Threads of our own rather than Dispatch's pool, so that --jobs N means N at once.
        let workers = max(1, min(options.jobs, plan.documents.count))
        let finished = DispatchGroup()
        if case .folder = options.destination {
            for _ in 0..<workers {
                finished.enter()
                let thread = Thread { [self] in
                    write()
                    finished.leave()
                }
                thread.start()
            }
        }
        for _ in 1..<workers {
            finished.enter()
            let thread = Thread { [self] in
                work()
                finished.leave()
            }
            thread.stackSize = 16 << 20
            thread.start()
        }
        work()
        finished.wait()
        if lastDrawn != nil { io.writeError("\r\u{1B}[K") }
        io.writeError(report())
        return summary
    }

    private func work() {
        while true {
            condition.lock()
            while next < plan.documents.count && next >= delivered + window { condition.wait() }
            guard next < plan.documents.count else {
                condition.unlock()
                return
            }
            let index = next
            next += 1
            condition.unlock()

            switch extract(plan.documents[index]) {
            case .done(let outcome):
                record(outcome, of: index)
            case .write(let pending):
                condition.lock()
                toWrite.append((index, pending))
                condition.broadcast()
                condition.unlock()
            }
        }
    }

    /// A writer: writes results handed over by the workers until every document is delivered.
    private func write() {
        while true {
            condition.lock()
            while toWrite.isEmpty && delivered < plan.documents.count { condition.wait() }
            guard !toWrite.isEmpty else {
                condition.unlock()
                return
            }
            let job = toWrite.removeFirst()
            condition.unlock()
            record(Self.write(job.write, for: plan.documents[job.index]), of: job.index)
        }
    }

    /// Notes document `index`'s outcome and delivers every outcome now ready, in order.
    private func record(_ outcome: Outcome, of index: Int) {
        condition.lock()
        finished[index] = outcome
        while let ready = finished.removeValue(forKey: delivered) {
            deliver(ready)
            delivered += 1
        }
        condition.broadcast()
        condition.unlock()
    }

    /// A document's JSON, to be written to the output path.
    struct PendingWrite {
        var json: [UInt8]
        var output: String
        var warnings: Bool
    }

    /// What `extract` leaves to do for a document.
    enum Step {
        case done(Outcome)
        case write(PendingWrite)
    }

    /// Reads and extracts one document: its outcome, or for a folder the JSON to write.
    func extract(_ document: BatchPlan.Document) -> Step {
        if let problem = document.problem { return .done(.failed("\(document.path): \(problem)")) }
        let bytes: [UInt8]
        switch DocumentReader.read(document.path, limits: options.limits, io: io) {
        case .failure(let failure): return .done(.failed("\(document.path): \(failure.reason)"))
        case .success(let read): bytes = read
        }
        if let problem = options.limits.problem(with: bytes) { return .done(.failed("\(document.path): \(problem)")) }
        let extraction = extractor.extract(bytes, fileName: document.path)
        if extraction.isUnreadable {
            let reason = extraction.diagnostics.first { $0.severity == .error }?.message ?? "unreadable"
            return .done(.failed("\(document.path): \(reason)"))
        }
        let warnings = extraction.diagnostics.contains { $0.severity != .note }
        switch options.destination {
        case .lines:
            return .done(.extracted(warnings: warnings, line: extraction.json(pretty: false)))
        case .folder(let folder):
            let output = folder.hasSuffix("/") ? folder + document.outputName : folder + "/" + document.outputName
            return .write(PendingWrite(json: extraction.json(pretty: options.pretty), output: output, warnings: warnings))
        }
    }

    /// Writes a document's JSON to `output` atomically, unless something other than a file is there.
    static func write(_ pending: PendingWrite, for document: BatchPlan.Document) -> Outcome {
        let output = pending.output
        var info = stat()
        if lstat(output, &info) == 0 {
            switch info.st_mode & S_IFMT {
            case S_IFREG: break
            case S_IFLNK: return .failed("\(document.path): \(output) is a symbolic link; it was not replaced")
            default: return .failed("\(document.path): \(output) exists and is not a file; it was not replaced")
            }
        }
        do {
            try AtomicFile.write(pending.json, to: output)
        } catch let error as CLIError {
            if case .failure(let message) = error { return .failed("\(document.path): \(message)") }
            return .failed("\(document.path): cannot write \(output)")
        } catch {
            return .failed("\(document.path): cannot write \(output): \(error)")
        }
        return .extracted(warnings: pending.warnings, line: nil)
    }

    /// Called in order, under the lock.
    private func deliver(_ outcome: Outcome) {
        switch outcome {
        case .extracted(let warnings, let line):
            if warnings { summary.withWarnings += 1 } else { summary.ok += 1 }
            if let line { io.write(bytes: line) }
        case .failed(let message):
            summary.failures.append(message)
        }
        drawProgress()
    }

    // MARK: Progress and summary

    /// A progress line on a terminal, at most ten times a second: done/total, rate, time left.
    private func drawProgress() {
        guard io.errorIsTerminal else { return }
        let now = ContinuousClock.now
        let done = summary.total
        if let lastDrawn, now - lastDrawn < .milliseconds(100), done < plan.documents.count { return }
        lastDrawn = now
        let elapsed = Self.seconds(now - started)
        let rate = elapsed > 0 ? Double(done) / elapsed : 0
        var line = "\r\u{1B}[Kofsted: \(done)/\(plan.documents.count) documents"
        if !summary.failures.isEmpty { line += ", \(summary.failures.count) failed" }
        if rate > 0 {
            line += ", \(rate >= 10 ? String(Int(rate)) : String(format: "%.1f", rate))/s"
            line += ", about \(Self.clock(Double(plan.documents.count - done) / rate)) left"
        }
        io.writeError(line)
    }

    /// "N ok, M with warnings, K failed", then each failed document with its reason.
    func report() -> String {
        let elapsed = Self.seconds(ContinuousClock.now - started)
        var text = "ofsted: \(summary.total) document\(summary.total == 1 ? "" : "s") in \(String(format: "%.1f", elapsed)) s: "
            + "\(summary.ok) ok, \(summary.withWarnings) with warnings, \(summary.failures.count) failed\n"
        for failure in summary.failures { text += "  failed: \(failure)\n" }
        return text
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        return total >= 3600 ? "\(total / 3600)h\(String(format: "%02d", total / 60 % 60))m" : "\(total / 60):\(String(format: "%02d", total % 60))"
    }
}
