import Foundation

/// A document to extract: its name and bytes.
struct Document: Sendable {
    let name: String
    let bytes: [UInt8]
}

/// Where the benchmark finds its inputs: the checkout's `Corpus/` (always there) and, when the
/// checkout sits beside `../shared`, the 481 real reports.
enum Workload {
    /// The checkout this file was compiled from: Sources/ofsted-benchmark/Workload.swift → ../../..
    static let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Every `Corpus/**/*.txt`, in path order.
    static func corpus() throws -> [Document] {
        try textFiles(in: checkout.appendingPathComponent("Corpus"))
    }

    /// `../shared/corpus/reports/*.txt` beside the checkout, or nil when it is not there.
    static func sharedReportsFolder() -> URL? {
        let folder = checkout.deletingLastPathComponent().appendingPathComponent("shared/corpus/reports")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
        return folder
    }

    static func textFiles(in folder: URL) throws -> [Document] {
        guard let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        var urls: [URL] = []
        for case let url as URL in enumerator where url.pathExtension == "txt" { urls.append(url) }
        return try urls.sorted { $0.path < $1.path }.map { url in
            Document(name: url.lastPathComponent, bytes: Array(try Data(contentsOf: url)))
        }
    }

    /// A plan for a large corpus of at least `bytes` bytes: copy `k` of source `k % count`,
    /// varied by `variant(of:copy:)`. Variants keep their source's size, so the plan knows every
    /// document's size before any is built.
    struct Plan: Sendable {
        let sources: [Document]
        let count: Int
        let totalBytes: Int

        init(sources: [Document], atLeast bytes: Int) {
            self.sources = sources
            var count = 0
            var total = 0
            while total < bytes {
                total += sources[count % sources.count].bytes.count
                count += 1
            }
            self.count = count
            self.totalBytes = total
        }

        /// Document `index` of the plan, built on demand.
        func document(_ index: Int) -> Document {
            let source = sources[index % sources.count]
            let copy = index / sources.count
            return Document(name: "copy\(copy)-\(source.name)", bytes: Workload.variant(of: source.bytes, copy: copy))
        }
    }

    /// Copy `copy` of a document: copy 0 is the document itself; later copies change every digit
    /// by an amount that depends on the copy and the line (dates, page and paragraph numbers,
    /// "Grade 2" all change), so that no two copies are the same bytes and none can be served
    /// from anything cached. The size and the line structure stay as they were.
    static func variant(of bytes: [UInt8], copy: Int) -> [UInt8] {
        guard copy > 0 else { return bytes }
        var out = bytes
        var line = 0
        var shift = mix(copy, line)
        for i in out.indices {
            let byte = out[i]
            if byte == 0x0A {
                line += 1
                shift = mix(copy, line)
            } else if byte >= 0x30 && byte <= 0x39 {
                out[i] = 0x30 + UInt8((Int(byte - 0x30) + shift) % 10)
            }
        }
        return out
    }

    /// A digit shift from 0 to 9 for a copy and line, well spread.
    private static func mix(_ copy: Int, _ line: Int) -> Int {
        var x = UInt64(truncatingIfNeeded: copy) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: line) &* 0xC2B2_AE3D_27D4_EB4F
        x ^= x >> 29
        x = x &* 0xBF58_476D_1CE4_E5B9
        x ^= x >> 32
        return Int(x % 10)
    }

    /// About `bytes` bytes of a document, cut at a line end: the "10 KB document" of the CLI test.
    static func prefix(of document: Document, bytes: Int) -> [UInt8] {
        guard document.bytes.count > bytes else { return document.bytes }
        var end = bytes
        while end > 0, document.bytes[end - 1] != 0x0A { end -= 1 }
        return Array(document.bytes[..<end])
    }
}
