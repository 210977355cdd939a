import Foundation

/// What a batch will do: its documents in order, each with its output name, and the problems
/// found before anything is read.
///
/// - A file named on the command line is a document whatever its name. A folder contributes its
///   documents: the regular files, at any depth, named `*.txt`, `*.text`, `*.md` or `*.markdown`
///   (any case), skipping hidden files and folders and not following links to folders. Links to
///   files are followed.
/// - Order: the arguments' order, each folder's documents sorted by path (byte order). A file
///   reached twice (named and inside a folder, or through a link) is done once, at its first place.
/// - Output names (`--out-dir`): the file name without its extension, made safe (no `/` or control
///   characters, no leading dot, at most 200 bytes), plus `.json`. When several documents would
///   share a name (`a/report.txt` and `b/report.md`; names are compared ignoring case), the first
///   keeps it and the next get `report-2.json`, `report-3.json` …, skipping names another
///   document has. Every output is therefore directly inside the output folder.
struct BatchPlan {
    /// One entry of the batch: a document to extract, or an input that yields none (missing,
    /// unreadable, a folder without documents), reported as failed in its place.
    struct Document: Equatable {
        /// The path as given or found (a folder's path joined with the file's path inside it).
        let path: String
        /// The output file name, without a folder: `report.json`; empty for a problem.
        var outputName: String = ""
        /// Why this input yields no document, when it does not.
        var problem: String? = nil
    }

    static let documentExtensions: Set<String> = ["txt", "text", "md", "markdown"]

    /// Documents and problems, in command-line order.
    private(set) var documents: [Document] = []

    init(inputs: [String]) {
        var seen: Set<FileIdentity> = []
        for input in inputs {
            var info = stat()
            guard stat(input, &info) == 0 else {
                documents.append(Document(path: input, problem: DocumentReader.Failure(errno: errno).reason))
                continue
            }
            guard info.st_mode & S_IFMT == S_IFDIR else {
                if seen.insert(FileIdentity(info)).inserted { documents.append(Document(path: input)) }
                continue
            }
            var found: [String] = []
            var problems: [Document] = []
            Self.walk(input, into: &found, problems: &problems)
            documents += problems
            if found.isEmpty && problems.isEmpty {
                documents.append(Document(path: input, problem: "no documents in this folder (*.txt, *.text, *.md, *.markdown)"))
            }
            for path in found.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                if let identity = FileIdentity(path), !seen.insert(identity).inserted { continue }
                documents.append(Document(path: path))
            }
        }
        assignOutputNames()
    }

    /// The documents under `folder`, unsorted; folders that cannot be listed become problems.
    private static func walk(_ folder: String, into found: inout [String], problems: inout [Document]) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            problems.append(Document(path: folder, problem: "cannot list this folder: \(Self.reason(error))"))
            return
        }
        for name in names where !name.hasPrefix(".") {
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR:
                walk(path, into: &found, problems: &problems)
            case S_IFREG, S_IFLNK:
                let ext = (name as NSString).pathExtension.lowercased()
                guard documentExtensions.contains(ext) else { continue }
                if info.st_mode & S_IFMT == S_IFLNK {
                    // A link counts when it leads to a regular file (a link to a folder is not followed).
                    var target = stat()
                    guard stat(path, &target) == 0, target.st_mode & S_IFMT == S_IFREG else { continue }
                }
                found.append(path)
            default:
                continue  // pipes, sockets, devices: never read from a folder
            }
        }
    }

    private static func reason(_ error: Error) -> String {
        let code = (error as NSError).userInfo[NSUnderlyingErrorKey].flatMap { ($0 as? NSError)?.code } ?? (error as NSError).code
        switch code {
        case Int(EACCES), Int(EPERM), NSFileReadNoPermissionError: return "permission denied"
        default: return (error as NSError).localizedDescription
        }
    }

    // MARK: Output names

    /// A file name, without its extension, that is safe as an output name.
    static func safeStem(of path: String) -> String {
        var name = String(path.split(separator: "/", omittingEmptySubsequences: true).last ?? "")
        if let dot = name.lastIndex(of: "."), dot != name.startIndex {
            name = String(name[..<dot])
        }
        var safe = String(String.UnicodeScalarView(name.unicodeScalars.map { scalar in
            scalar.value < 0x20 || scalar.value == 0x7F || scalar == "/" || scalar == "\\" ? "_" : scalar
        }))
        while safe.hasPrefix(".") { safe.removeFirst() }
        while safe.utf8.count > 200 { safe.removeLast() }
        return safe.isEmpty ? "document" : safe
    }

    private mutating func assignOutputNames() {
        let stems = documents.map { Self.safeStem(of: $0.path) }
        let taken = Set(zip(documents, stems).filter { $0.0.problem == nil }.map { $0.1.lowercased() })
        var used: Set<String> = []
        for index in documents.indices where documents[index].problem == nil {
            let stem = stems[index]
            var name = stem
            if used.contains(stem.lowercased()) {
                var counter = 2
                repeat {
                    name = "\(stem)-\(counter)"
                    counter += 1
                } while used.contains(name.lowercased()) || taken.contains(name.lowercased())
            }
            used.insert(name.lowercased())
            documents[index].outputName = name + ".json"
        }
    }
}

/// A file's device and inode: two paths to one file have the same.
struct FileIdentity: Hashable {
    let device: UInt64
    let inode: UInt64

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    init?(_ path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }
}
