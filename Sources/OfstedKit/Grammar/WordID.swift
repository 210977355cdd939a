/// A word's identity: a 64-bit hash of its normalized text (as `Words` lexes it).
///
/// Every place that knows a word's text can work out its id alone — the grammar when it loads,
/// the lexer from a line's bytes, a test from a literal — so ids need no shared table, and two
/// words are the same exactly when their ids are (a collision among the few thousand words of
/// the grammar and a document's is a chance of about one in 10^10).
typealias WordID = UInt64

enum WordHash {
    /// The id no word has: the hash of nothing.
    static let none: WordID = 0

    static let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The id of a normalized word given as its UTF-8 bytes.
    @inline(__always)
    static func id(_ bytes: UnsafeBufferPointer<UInt8>) -> WordID {
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return none }
        return id(UnsafeRawPointer(base), count: bytes.count, orMask: 0)
    }

    /// The id of the normalized word `text`.
    static func id(_ text: String) -> WordID {
        var text = text
        return text.withUTF8 { id($0) }
    }

    /// The id of `count` bytes at `base`, each OR-ed with `orMask`'s byte (`0x20` lowercases the
    /// ASCII letters of a word and changes nothing else a word's ASCII is made of): eight bytes
    /// at a time, the last group zero-padded, and the length mixed in.
    @inline(__always)
    static func id(_ base: UnsafeRawPointer, count: Int, orMask: UInt64) -> WordID {
        id(base, count: count, orMask: orMask, readable: count)
    }
}

extension WordHash {
    /// `id(base, count:, orMask:)` when `readable` bytes from `base` may be read (at least
    /// `count`): the last group is read as one 8-byte load when it can be, else byte by byte.
    @inline(__always)
    static func id(_ base: UnsafeRawPointer, count: Int, orMask: UInt64, readable: Int) -> WordID {
        var h = UInt64(truncatingIfNeeded: count) &* multiplier
        var offset = 0
        var remaining = count
        while remaining >= 8 {
            let chunk = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self) | orMask
            h = (h ^ UInt64(littleEndian: chunk)) &* multiplier
            h ^= h >> 29
            offset += 8
            remaining -= 8
        }
        if remaining > 0 {
            var chunk: UInt64
            if readable - offset >= 8 {
                chunk = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
            } else {
                chunk = 0
                for k in 0..<remaining {
                    chunk |= UInt64(base.load(fromByteOffset: offset + k, as: UInt8.self)) << UInt64(8 * k)
                }
            }
            let lane: UInt64 = (1 << UInt64(8 * remaining)) &- 1
            chunk = (chunk | orMask) & lane
            h = (h ^ chunk) &* multiplier
            h ^= h >> 29
        }
        h ^= h >> 32
        h = h &* 0xD6E8_FEB8_6659_FD93
        h ^= h >> 32
        return h == none ? 1 : h
    }
}

/// A set of word ids, or a map from ids to small values: open addressing on the id's own bits
/// (ids are hashes already), a power-of-two capacity at most half full.
struct WordTable<Value: Sendable>: Sendable {
    private var keys: [WordID]
    private var values: [Value]
    private var mask: Int
    private let empty: Value
    private(set) var count = 0

    /// A table whose lookups of missing ids give `empty`.
    init(empty: Value) {
        self.empty = empty
        keys = [WordID](repeating: WordHash.none, count: 8)
        values = [Value](repeating: empty, count: 8)
        mask = 7
    }

    /// The value of `id`, or `empty`.
    @inline(__always)
    subscript(id: WordID) -> Value {
        get {
            var slot = Int(truncatingIfNeeded: id) & mask
            while true {
                let key = keys[slot]
                if key == id { return values[slot] }
                if key == WordHash.none { return empty }
                slot = (slot + 1) & mask
            }
        }
    }

    func contains(_ id: WordID) -> Bool {
        var slot = Int(truncatingIfNeeded: id) & mask
        while true {
            let key = keys[slot]
            if key == id { return true }
            if key == WordHash.none { return false }
            slot = (slot + 1) & mask
        }
    }

    /// Sets the value of `id` (which is not `WordHash.none`).
    mutating func set(_ id: WordID, _ value: Value) {
        precondition(id != WordHash.none)
        if (count + 1) * 2 > keys.count { grow() }
        var slot = Int(truncatingIfNeeded: id) & mask
        while true {
            let key = keys[slot]
            if key == id {
                values[slot] = value
                return
            }
            if key == WordHash.none {
                keys[slot] = id
                values[slot] = value
                count += 1
                return
            }
            slot = (slot + 1) & mask
        }
    }

    /// Changes the value of `id` in place, starting from `empty` when it has none.
    mutating func update(_ id: WordID, _ body: (inout Value) -> Void) {
        var value = self[id]
        body(&value)
        set(id, value)
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values
        keys = [WordID](repeating: WordHash.none, count: oldKeys.count * 2)
        values = [Value](repeating: empty, count: oldKeys.count * 2)
        mask = keys.count - 1
        count = 0
        for (key, value) in zip(oldKeys, oldValues) where key != WordHash.none { set(key, value) }
    }

    /// Calls `body` with the keys and values in the table's own layout, for a hot loop to read
    /// without a copy: the slot of `id` starts at `id & mask` and runs on to an empty key.
    func withLayout<R>(_ body: (UnsafeBufferPointer<WordID>, UnsafeBufferPointer<Value>, Int) throws -> R) rethrows -> R {
        try keys.withUnsafeBufferPointer { keys in
            try values.withUnsafeBufferPointer { values in try body(keys, values, mask) }
        }
    }
}

extension WordTable where Value == Bool {
    /// A set of ids.
    init<S: Sequence>(ids: S) where S.Element == WordID {
        self.init(empty: false)
        for id in ids where id != WordHash.none { set(id, true) }
    }

    /// A set of the ids of normalized words.
    init<S: Sequence>(words: S) where S.Element == String {
        self.init(ids: words.map(WordHash.id))
    }
}

/// Ids of the words the code itself names (the grammar's words are the grammar's).
enum CommonWords {
    static let the = WordHash.id("the")
    static let and = Words.Punctuation.and
    static let grade = WordHash.id("grade")
    static let section = WordHash.id("section")
    static let between = WordHash.id("between")
    static let inspection = WordHash.id("inspection")
    static let re = WordHash.id("re")
    static let `is` = WordHash.id("is")
    static let are = WordHash.id("are")

    /// ",", ";" and "and": what separates the areas of a list ("… and … , …").
    @inline(__always)
    static func isAreaListSeparator(_ id: WordID) -> Bool {
        id == Words.Punctuation.comma || id == Words.Punctuation.semicolon || id == Words.Punctuation.and
    }
}
