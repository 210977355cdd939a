import Dispatch
import Foundation
import OfstedKit

/// Clocks, resource usage and the parallel runner.
enum Measure {
    /// Seconds of wall time that `body` takes.
    static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let clock = ContinuousClock()
        let elapsed = try clock.measure(body)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// The fastest and the median of `runs` timings of `body`.
    static func best(of runs: Int, _ body: () throws -> Void) rethrows -> (best: Double, median: Double) {
        var times: [Double] = []
        for _ in 0..<max(1, runs) { times.append(try seconds(body)) }
        times.sort()
        return (times[0], times[times.count / 2])
    }

    /// The process's peak resident set size in bytes.
    ///
    /// On Linux this is `VmHWM` from `/proc/self/status`, the high-water mark of this process's
    /// own address space: `ru_maxrss` is kept across `exec`, so a process spawned by a large one
    /// would report its parent's peak (every batch then seemed to take what the benchmark held).
    /// Elsewhere it is `ru_maxrss` (bytes on macOS).
    static func peakResidentBytes() -> Int {
        #if os(Linux)
        if let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
           let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
           let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "") {
            return kilobytes * 1024
        }
        var usage = rusage()
        getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
        return Int(usage.ru_maxrss) * 1024
        #else
        var usage = rusage()
        getrusage(RUSAGE_SELF, &usage)
        return Int(usage.ru_maxrss)
        #endif
    }

    /// Runs `body(index)` for every index below `count` on `workers` threads, each taking the
    /// next index when it is done with one, and returns the sum of what the calls return.
    static func parallel(workers: Int, count: Int, _ body: @Sendable (Int) -> Int) -> Int {
        let state = SharedCounter()
        DispatchQueue.concurrentPerform(iterations: max(1, workers)) { _ in
            var sum = 0
            while let index = state.next(below: count) { sum &+= body(index) }
            state.add(sum)
        }
        return state.total
    }
}

/// The next index to take and the running total, behind a lock.
private final class SharedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var nextIndex = 0
    private(set) var total = 0

    func next(below count: Int) -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard nextIndex < count else { return nil }
        nextIndex += 1
        return nextIndex - 1
    }

    func add(_ value: Int) {
        lock.lock()
        total &+= value
        lock.unlock()
    }
}

/// The work measured: full extraction of one document, and the floor it is compared with.
enum Work {
    /// Decode, tokenize, build the tree, extract, encode the JSON: what `ofsted extract` does
    /// between reading the file and writing the output. Returns the JSON's size.
    static func extract(_ document: Document, with extractor: Extractor) -> Int {
        extractor.extract(document.bytes, fileName: document.name).json().count
    }

    /// The floor: a plain loop counting newlines over the same bytes.
    @inline(never)
    static func countNewlines(_ bytes: [UInt8]) -> Int {
        var count = 0
        for byte in bytes where byte == 0x0A { count += 1 }
        return count
    }
}
