// libFuzzer target over the whole extract pipeline: bytes → text → tokens → tree → extraction →
// JSON → extraction again. Built with the library's sources by `.ci/fuzz.sh` (not by SwiftPM).
//
// What counts as a finding: a crash (a trap, an out-of-bounds access under AddressSanitizer), a
// leak, a run longer than the script's -timeout, or a broken invariant below (which traps).
import Foundation
import OfstedKit

@_silgen_name("__lsan_disable") func lsanDisable()
@_silgen_name("__lsan_enable") func lsanEnable()

/// The repository's grammar, loaded once: `OFSTED_GRAMMAR` or the checkout's `Grammar/`.
let fuzzGrammar: Grammar = {
    let directory = ProcessInfo.processInfo.environment["OFSTED_GRAMMAR"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Grammar")
    do {
        return try Grammar.load(from: directory)
    } catch {
        fatalError("the fuzz target needs the grammar: \(error)")
    }
}()

/// Loads the grammar before the first input, so that its allocations (kept for the whole run)
/// are not taken for an input's leak.
@_cdecl("LLVMFuzzerInitialize")
public func extractFuzzInitialize(_ argc: UnsafeMutablePointer<Int32>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    // LeakSanitizer cannot follow the pointers Swift keeps in an enum's spare bits (`indirect`
    // cases, as in Pattern), so what lives for the whole run is allocated with it paused; every
    // input's allocations are still checked.
    lsanDisable()
    _ = fuzzGrammar.version
    lsanEnable()
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func extractFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    let extractor = Extractor(grammar: fuzzGrammar)
    let extraction = extractor.extract(bytes, fileName: "fuzz.txt")
    let json = extraction.json()
    // The JSON is complete, one object with a trailing newline, and reads back as the same extraction.
    precondition(json.first == UInt8(ascii: "{") && json.last == 0x0A, "contract JSON")
    guard let again = try? Extraction(json: json) else { preconditionFailure("the JSON reads back") }
    precondition(again == extraction, "the JSON round-trips")
    precondition(extraction.json(pretty: false).filter { $0 == 0x0A }.count == 1, "compact JSON is one line")
    // Every line number points into the input.
    let lines = max(1, bytes.count(where: { $0 == 0x0A || $0 == 0x0D }) + 1)
    for judgement in extraction.judgements { precondition((1...lines).contains(judgement.line), "judgement line") }
    for area in extraction.areasForImprovement {
        precondition(1 <= area.line && area.line <= area.endLine && area.endLine <= lines, "area lines")
    }
    // The debug dumps (`ofsted tokens`, `ofsted tree`) on a quarter of the inputs: they tokenize again.
    if bytes.count % 4 == 0 {
        _ = extractor.tokenDump(bytes)
        _ = extractor.treeDump(bytes)
    }
    return 0
}
