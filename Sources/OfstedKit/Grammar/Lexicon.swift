/// Words numbered and found by their bytes, without making a `String`: the grammar's words get
/// small ids once, and a line's word is looked up from the line's own bytes.
///
/// Sets of words the passes over every line ask about (the first words of headings, of
/// boilerplate, of grade phrases) become `WordIDSet`s: a membership test is a hash of a few
/// bytes and an array read, where a `Set<String>` needed a string made, hashed with SipHash and
/// compared.
struct Lexicon: Sendable {
    /// Id 0: a word the lexicon does not have.
    static let unknown: Int32 = 0

    /// The words' bytes end to end; word `id` is `bytes[starts[id]..<starts[id + 1]]` (id 0 is empty).
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0, 0]
    /// Open addressing: each slot holds an id, or 0 when empty; the capacity is a power of two.
    private var slots = [Int32](repeating: 0, count: 64)
    private var hashes: [UInt32] = [0]

    /// How many ids there are, including 0.
    var count: Int { starts.count - 1 }

    init() {}

    /// The id of `word` (as `Words` normalizes it), added if new.
    @discardableResult
    mutating func insert(_ word: String) -> Int32 {
        let known = id(word)
        if known != Self.unknown || word.isEmpty { return known }
        if (count + 1) * 2 > slots.count { grow() }
        let id = Int32(count)
        bytes += word.utf8
        starts.append(bytes.count)
        let hash = Self.hash(Array(word.utf8)[...])
        hashes.append(hash)
        place(id, hash)
        return id
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        for id in 1..<count { place(Int32(id), hashes[id]) }
    }

    private mutating func place(_ id: Int32, _ hash: UInt32) {
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = id
    }

    /// The id of `word`, or `unknown`.
    func id(_ word: String) -> Int32 {
        var word = word
        return word.withUTF8 { id(exactly: $0) }
    }

    /// The id of the word whose bytes are exactly `word`.
    func id(exactly word: UnsafeBufferPointer<UInt8>) -> Int32 {
        guard !word.isEmpty else { return Self.unknown }
        return find(Self.hash(word)) { candidate in
            guard candidate.count == word.count else { return false }
            var k = candidate.startIndex
            for i in 0..<word.count {
                if candidate[k] != word[i] { return false }
                k += 1
            }
            return true
        }
    }

    /// The id of an ASCII word given with any case: `bytes[range]` lowercased.
    func id(lowercasingASCII bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int32 {
        guard !range.isEmpty else { return Self.unknown }
        var hash: UInt32 = 2_166_136_261
        for i in range { hash = (hash ^ UInt32(Self.lowercased(bytes[i]))) &* 16_777_619 }
        return find(hash) { candidate in
            guard candidate.count == range.count else { return false }
            var k = candidate.startIndex
            for i in range {
                if candidate[k] != Self.lowercased(bytes[i]) { return false }
                k += 1
            }
            return true
        }
    }

    /// The word of an id.
    func word(_ id: Int32) -> String {
        String(decoding: bytes[starts[Int(id)]..<starts[Int(id) + 1]], as: UTF8.self)
    }

    private func find(_ hash: UInt32, _ matches: (ArraySlice<UInt8>) -> Bool) -> Int32 {
        let mask = slots.count - 1
        var slot = Int(hash) & mask
        while true {
            let id = slots[slot]
            if id == 0 { return Self.unknown }
            if hashes[Int(id)] == hash, matches(bytes[starts[Int(id)]..<starts[Int(id) + 1]]) { return id }
            slot = (slot + 1) & mask
        }
    }

    /// FNV-1a over the bytes.
    private static func hash<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
        var hash: UInt32 = 2_166_136_261
        for byte in bytes { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return hash
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 { byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte }
}

/// A set of a lexicon's words, by id.
struct WordIDSet: Sendable {
    private var members: [Bool] = []

    init() {}

    /// The words of `words` (each added to `lexicon` if new).
    init<S: Sequence>(_ words: S, lexicon: inout Lexicon) where S.Element == String {
        var ids: [Int32] = []
        for word in words { ids.append(lexicon.insert(word)) }
        members = [Bool](repeating: false, count: lexicon.count)
        for id in ids where id != Lexicon.unknown { members[Int(id)] = true }
    }

    func contains(_ id: Int32) -> Bool {
        Int(id) < members.count && id > 0 && members[Int(id)]
    }
}
