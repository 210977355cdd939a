// SHA-256's compression function on the x86 SHA extensions (sha256rnds2, sha256msg1, sha256msg2),
// with SSSE3 for the byte swap and word alignment. This module is compiled with the `sha` and `ssse3`
// target features (see Package.swift), so nothing in it may run on a CPU without them: OfstedKit's
// `SHA256` checks CPUID first, and keeps the padding, the digest bytes and the portable fallback.
// Off x86_64 the module is empty.
#if arch(x86_64)
internal import _Builtin_intrinsics.intel

/// Runs SHA-256's compression over `count` consecutive 64-byte blocks at `blocks`, updating
/// `state`, the eight words H0…H7. Call only when the CPU has the SHA extensions and SSSE3.
@inline(never)
public func sha256Compress(state: UnsafeMutablePointer<UInt32>, blocks: UnsafeRawPointer, count: Int) {
    // The rounds instruction keeps the working variables as two vectors, lanes high to low:
    // ABEF and CDGH.
    let words = UnsafeMutableRawPointer(state)
    let dcba = lanes(words.loadUnaligned(as: Vector.self))
    let hgfe = lanes((words + 16).loadUnaligned(as: Vector.self))
    var abef = vector(SIMD4(hgfe[1], hgfe[0], dcba[1], dcba[0]))
    var cdgh = vector(SIMD4(hgfe[3], hgfe[2], dcba[3], dcba[2]))
    // Big-endian words: reverse the bytes within each 32-bit lane.
    let bigEndian = _mm_set_epi64x(0x0c0d_0e0f_0809_0a0b, 0x0405_0607_0001_0203)
    var block = blocks
    for _ in 0..<count {
        let abefBefore = abef, cdghBefore = cdgh
        // m0…m3 hold the schedule's words four at a time, reused in turn for W16…W63.
        var m0 = _mm_shuffle_epi8(block.loadUnaligned(as: Vector.self), bigEndian)
        var m1 = _mm_shuffle_epi8((block + 16).loadUnaligned(as: Vector.self), bigEndian)
        var m2 = _mm_shuffle_epi8((block + 32).loadUnaligned(as: Vector.self), bigEndian)
        var m3 = _mm_shuffle_epi8((block + 48).loadUnaligned(as: Vector.self), bigEndian)

        fourRounds(&abef, &cdgh, m0, 0xe9b5dba5, 0xb5c0fbcf, 0x71374491, 0x428a2f98)
        fourRounds(&abef, &cdgh, m1, 0xab1c5ed5, 0x923f82a4, 0x59f111f1, 0x3956c25b)
        m0 = _mm_sha256msg1_epu32(m0, m1)
        fourRounds(&abef, &cdgh, m2, 0x550c7dc3, 0x243185be, 0x12835b01, 0xd807aa98)
        m1 = _mm_sha256msg1_epu32(m1, m2)
        fourRounds(&abef, &cdgh, m3, 0xc19bf174, 0x9bdc06a7, 0x80deb1fe, 0x72be5d74)
        schedule(&m0, m2, m3); m2 = _mm_sha256msg1_epu32(m2, m3)
        fourRounds(&abef, &cdgh, m0, 0x240ca1cc, 0x0fc19dc6, 0xefbe4786, 0xe49b69c1)
        schedule(&m1, m3, m0); m3 = _mm_sha256msg1_epu32(m3, m0)
        fourRounds(&abef, &cdgh, m1, 0x76f988da, 0x5cb0a9dc, 0x4a7484aa, 0x2de92c6f)
        schedule(&m2, m0, m1); m0 = _mm_sha256msg1_epu32(m0, m1)
        fourRounds(&abef, &cdgh, m2, 0xbf597fc7, 0xb00327c8, 0xa831c66d, 0x983e5152)
        schedule(&m3, m1, m2); m1 = _mm_sha256msg1_epu32(m1, m2)
        fourRounds(&abef, &cdgh, m3, 0x14292967, 0x06ca6351, 0xd5a79147, 0xc6e00bf3)
        schedule(&m0, m2, m3); m2 = _mm_sha256msg1_epu32(m2, m3)
        fourRounds(&abef, &cdgh, m0, 0x53380d13, 0x4d2c6dfc, 0x2e1b2138, 0x27b70a85)
        schedule(&m1, m3, m0); m3 = _mm_sha256msg1_epu32(m3, m0)
        fourRounds(&abef, &cdgh, m1, 0x92722c85, 0x81c2c92e, 0x766a0abb, 0x650a7354)
        schedule(&m2, m0, m1); m0 = _mm_sha256msg1_epu32(m0, m1)
        fourRounds(&abef, &cdgh, m2, 0xc76c51a3, 0xc24b8b70, 0xa81a664b, 0xa2bfe8a1)
        schedule(&m3, m1, m2); m1 = _mm_sha256msg1_epu32(m1, m2)
        fourRounds(&abef, &cdgh, m3, 0x106aa070, 0xf40e3585, 0xd6990624, 0xd192e819)
        schedule(&m0, m2, m3); m2 = _mm_sha256msg1_epu32(m2, m3)
        fourRounds(&abef, &cdgh, m0, 0x34b0bcb5, 0x2748774c, 0x1e376c08, 0x19a4c116)
        schedule(&m1, m3, m0); m3 = _mm_sha256msg1_epu32(m3, m0)
        fourRounds(&abef, &cdgh, m1, 0x682e6ff3, 0x5b9cca4f, 0x4ed8aa4a, 0x391c0cb3)
        schedule(&m2, m0, m1)
        fourRounds(&abef, &cdgh, m2, 0x8cc70208, 0x84c87814, 0x78a5636f, 0x748f82ee)
        schedule(&m3, m1, m2)
        fourRounds(&abef, &cdgh, m3, 0xc67178f2, 0xbef9a3f7, 0xa4506ceb, 0x90befffa)

        abef = _mm_add_epi32(abef, abefBefore)
        cdgh = _mm_add_epi32(cdgh, cdghBefore)
        block += 64
    }
    let a = lanes(abef), c = lanes(cdgh)
    words.storeBytes(of: vector(SIMD4(a[3], a[2], c[3], c[2])), as: Vector.self)
    (words + 16).storeBytes(of: vector(SIMD4(a[1], a[0], c[1], c[0])), as: Vector.self)
}

/// `__m128i` as Swift imports it.
private typealias Vector = SIMD2<Int64>

@inline(__always) private func lanes(_ v: Vector) -> SIMD4<UInt32> { unsafeBitCast(v, to: SIMD4<UInt32>.self) }
@inline(__always) private func vector(_ v: SIMD4<UInt32>) -> Vector { unsafeBitCast(v, to: Vector.self) }

/// Four rounds on the message words `w` (lanes high to low: W[t+3]…W[t]) and the constants K[t+3]…K[t].
@inline(__always)
private func fourRounds(_ abef: inout Vector, _ cdgh: inout Vector, _ w: Vector,
                        _ k3: UInt32, _ k2: UInt32, _ k1: UInt32, _ k0: UInt32) {
    let wk = _mm_add_epi32(w, vector(SIMD4(k0, k1, k2, k3)))
    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk)
    abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_unpackhi_epi64(wk, wk))
}

/// Finishes W[t…t+3]: `next` holds what `sha256msg1` made of W[t-16…t-9] (W[t-16…t-13] plus their σ0
/// terms), to which this adds W[t-7…t-4], the middle of `before` (W[t-8…t-5]) and `last` (W[t-4…t-1]),
/// before `sha256msg2` adds the σ1 terms from `last`.
@inline(__always)
private func schedule(_ next: inout Vector, _ before: Vector, _ last: Vector) {
    let b = lanes(before), l = lanes(last)
    next = _mm_sha256msg2_epu32(_mm_add_epi32(next, vector(SIMD4(b[1], b[2], b[3], l[0]))), last)
}
#endif
