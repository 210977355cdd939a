#if arch(x86_64)
internal import OfstedSHA256
internal import _Builtin_intrinsics.intel.cpuid
#endif

/// SHA-256 (FIPS 180-4), for `source.sha256` and the grammar digest.
///
/// Foundation on Linux has no CryptoKit, and the project takes no third-party packages, so this is
/// the algorithm over a byte buffer: the compression function runs on the x86 SHA extensions when
/// CPUID says the CPU has them (the OfstedSHA256 module), and otherwise in portable Swift; the
/// padding and the digest are here for both. Neither copies the input nor allocates per block.
enum SHA256 {
    /// Which compression function runs. The results are the same; only the speed differs.
    enum Engine: Sendable {
        /// Portable Swift, for any CPU.
        case portable
        /// The x86 SHA extensions with SSSE3; only where `best` is this.
        case shaExtensions

        /// The fastest this CPU has, decided once.
        static let best: Engine = cpuHasSHAExtensions() ? .shaExtensions : .portable
    }

    /// The digest of `bytes` as 64 lowercase hex digits.
    static func hex<C: Collection>(_ bytes: C, engine: Engine = .best) -> String where C.Element == UInt8 {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in hash(bytes, engine: engine) {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The 32-byte digest of `bytes`; arrays and other contiguous storage are read in place.
    static func hash<C: Collection>(_ bytes: C, engine: Engine = .best) -> [UInt8] where C.Element == UInt8 {
        if let digest = bytes.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0), engine) }) {
            return digest
        }
        return Array(bytes).withUnsafeBytes { hash($0, engine) }
    }

    private static func hash(_ message: UnsafeRawBufferPointer, _ engine: Engine) -> [UInt8] {
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 8) { state in
            let h = state.baseAddress!
            h[0] = 0x6a09e667; h[1] = 0xbb67ae85; h[2] = 0x3c6ef372; h[3] = 0xa54ff53a
            h[4] = 0x510e527f; h[5] = 0x9b05688c; h[6] = 0x1f83d9ab; h[7] = 0x5be0cd19
            let fullBlocks = message.count / 64
            if fullBlocks > 0 { compress(h, message.baseAddress!, fullBlocks, engine) }
            // The padded tail: the rest of the message, 0x80, zeros, the length in bits; one block,
            // or two when the rest leaves no room for the length.
            withUnsafeTemporaryAllocation(byteCount: 128, alignment: 16) { tail in
                let rest = message.count - fullBlocks * 64
                let tailLength = rest < 56 ? 64 : 128
                tail.copyMemory(from: UnsafeRawBufferPointer(rebasing: message[(fullBlocks * 64)...]))
                tail[rest] = 0x80
                for i in (rest + 1)..<(tailLength - 8) { tail[i] = 0 }
                tail.storeBytes(of: (UInt64(message.count) &* 8).bigEndian, toByteOffset: tailLength - 8, as: UInt64.self)
                compress(h, UnsafeRawPointer(tail.baseAddress!), tailLength / 64, engine)
            }
            var out: [UInt8] = []
            out.reserveCapacity(32)
            for word in state {
                out.append(UInt8(truncatingIfNeeded: word >> 24))
                out.append(UInt8(truncatingIfNeeded: word >> 16))
                out.append(UInt8(truncatingIfNeeded: word >> 8))
                out.append(UInt8(truncatingIfNeeded: word))
            }
            return out
        }
    }

    /// Runs the compression function over `count` 64-byte blocks at `blocks`, updating `h`.
    private static func compress(_ h: UnsafeMutablePointer<UInt32>, _ blocks: UnsafeRawPointer, _ count: Int,
                                 _ engine: Engine) {
        switch engine {
        case .shaExtensions:
            #if arch(x86_64)
            // The module is compiled for these instructions: anywhere else it would fault.
            precondition(Engine.best == .shaExtensions, "this CPU has no SHA extensions")
            sha256Compress(state: h, blocks: blocks, count: count)
            #else
            preconditionFailure("the SHA extensions are x86 only")
            #endif
        case .portable:
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                k.withUnsafeBufferPointer { k in
                    for block in 0..<count { portableCompress(h, blocks + block * 64, w.baseAddress!, k.baseAddress!) }
                }
            }
        }
    }

    /// CPUID: leaf 7 EBX bit 29 is SHA, leaf 1 ECX bit 9 SSSE3 — the two features OfstedSHA256 is
    /// compiled with. (The SHA extensions use the XMM registers, which every x86_64 OS saves.)
    private static func cpuHasSHAExtensions() -> Bool {
        #if arch(x86_64)
        var eax: UInt32 = 0, ebx: UInt32 = 0, ecx: UInt32 = 0, edx: UInt32 = 0
        guard __get_cpuid(1, &eax, &ebx, &ecx, &edx) != 0, ecx & (1 << 9) != 0 else { return false }
        guard __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) != 0, ebx & (1 << 29) != 0 else { return false }
        return true
        #else
        return false
        #endif
    }

    // MARK: Portable

    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    /// One block in portable Swift: `w` is room for the 64-word schedule, `k` the round constants.
    @inline(__always)
    private static func portableCompress(_ h: UnsafeMutablePointer<UInt32>, _ block: UnsafeRawPointer,
                                         _ w: UnsafeMutablePointer<UInt32>, _ k: UnsafePointer<UInt32>) {
        for t in 0..<16 {
            w[t] = UInt32(bigEndian: block.loadUnaligned(fromByteOffset: t * 4, as: UInt32.self))
        }
        for t in 16..<64 {
            let a = w[t - 15], b = w[t - 2]
            let s0 = (a >> 7 | a << 25) ^ (a >> 18 | a << 14) ^ (a >> 3)
            let s1 = (b >> 17 | b << 15) ^ (b >> 19 | b << 13) ^ (b >> 10)
            w[t] = w[t - 16] &+ s0 &+ w[t - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
        // Eight rounds at a time, the working variables changing roles instead of places.
        var t = 0
        while t < 64 {
            step(a, b, c, &d, e, f, g, &hh, k[t] &+ w[t])
            step(hh, a, b, &c, d, e, f, &g, k[t + 1] &+ w[t + 1])
            step(g, hh, a, &b, c, d, e, &f, k[t + 2] &+ w[t + 2])
            step(f, g, hh, &a, b, c, d, &e, k[t + 3] &+ w[t + 3])
            step(e, f, g, &hh, a, b, c, &d, k[t + 4] &+ w[t + 4])
            step(d, e, f, &g, hh, a, b, &c, k[t + 5] &+ w[t + 5])
            step(c, d, e, &f, g, hh, a, &b, k[t + 6] &+ w[t + 6])
            step(b, c, d, &e, f, g, hh, &a, k[t + 7] &+ w[t + 7])
            t += 8
        }
        h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d
        h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
    }

    /// One round (a "step"): `d` and `h` take the new values the rotation would give `e` and `a`.
    @inline(__always)
    private static func step(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                             _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32) {
        let s1 = (e >> 6 | e << 26) ^ (e >> 11 | e << 21) ^ (e >> 25 | e << 7)
        let ch = (e & f) ^ (~e & g)
        let t1 = h &+ s1 &+ ch &+ kw
        let s0 = (a >> 2 | a << 30) ^ (a >> 13 | a << 19) ^ (a >> 22 | a << 10)
        let maj = (a & b) ^ (a & c) ^ (b & c)
        d = d &+ t1
        h = t1 &+ s0 &+ maj
    }
}
