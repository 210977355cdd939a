// libFuzzer target over the grammar loader: the input replaces one rule file of the repository's
// grammar (its first byte chooses which; the rest is the file's text), the loader either loads
// the grammar or throws a `GrammarError` naming a line of that file, and a grammar that loads
// extracts a small document. Built with the library's sources by `.ci/fuzz.sh`.
import Foundation
import OfstedKit

@_silgen_name("__lsan_disable") func lsanDisable()
@_silgen_name("__lsan_enable") func lsanEnable()

let ruleFileNames = ["manifest", "grades", "services", "areas", "frameworks", "sections", "timescales",
                     "judgements", "counts", "facts", "layout", "authorities", "themes", "comparison"].map { $0 + ".rules" }

/// The repository's rule files: `OFSTED_GRAMMAR` or the checkout's `Grammar/`.
let repositoryRuleFiles: [String: String] = {
    let directory = ProcessInfo.processInfo.environment["OFSTED_GRAMMAR"].map { URL(fileURLWithPath: $0) }
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Grammar")
    var files: [String: String] = [:]
    for name in ruleFileNames {
        guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else {
            fatalError("the fuzz target needs \(name) in \(directory.path)")
        }
        files[name] = text
    }
    return files
}()

let sampleDocument: [UInt8] = Array("""
    Inspection of children's social care services
    Lancashire County Council
    Inspection dates: 23 January to 3 February 2012
    Lead inspector: Gary Lamb HMI

    Judgement\tGrade
    Overall effectiveness\tGood
    The experiences and progress of children who need help and protection\tRequires improvement to be good
    Leadership and management\tInadequate

    Areas for improvement
    Immediately:
    - ensure that all children in care have an up-to-date plan
    Within three months:
    1. improve the timeliness of initial health assessments
    2. review the quality of supervision

    Economic well-being was graded as adequate.

    """.utf8)

/// Reads the rule files before the first input.
@_cdecl("LLVMFuzzerInitialize")
public func grammarFuzzInitialize(_ argc: UnsafeMutablePointer<Int32>?, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32 {
    // LeakSanitizer cannot follow the pointers Swift keeps in an enum's spare bits (`indirect`
    // cases, as in Pattern), so what lives for the whole run is allocated with it paused; every
    // input's allocations are still checked.
    lsanDisable()
    _ = repositoryRuleFiles.count
    lsanEnable()
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func grammarFuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    guard size > 0, let data else { return 0 }
    let name = ruleFileNames[Int(data[0]) % ruleFileNames.count]
    var files = repositoryRuleFiles
    files[name] = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    do {
        let grammar = try Grammar.load(files: files, directory: "Grammar")
        _ = grammar.summary
        let extraction = Extractor(grammar: grammar).extract(sampleDocument, fileName: "sample.txt")
        precondition(extraction.json().last == 0x0A, "contract JSON")
    } catch {
        // A rejection names a rule file and, unless the whole file is at fault, a line in it.
        precondition(error.file.hasPrefix("Grammar/") && error.file.hasSuffix(".rules"), "\(error)")
        precondition(error.line >= 0, "\(error)")
        if error.file == "Grammar/\(name)" {
            let lineCount = files[name]!.split(omittingEmptySubsequences: false, whereSeparator: { $0.isNewline }).count
            precondition(error.line <= max(1, lineCount), "\(error) is past the end of the file")
        }
    }
    return 0
}
