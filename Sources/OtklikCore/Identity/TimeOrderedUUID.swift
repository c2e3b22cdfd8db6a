import Foundation

/// UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. New rows land at the end
/// of primary-key B-trees instead of at random pages, which keeps bulk intake fast on SQLite and
/// PostgreSQL alike, and ids sort by creation time.
public enum TimeOrderedUUID {
    /// Ids made in one process for the same millisecond keep their order of creation (RFC 9562 §6.2,
    /// method 1: a 26-bit counter across rand_a and the top of rand_b), so events written in one instant
    /// still sort as written. The counter is one sequence for the whole process rather than one per
    /// millisecond: ids for a recorded instant (an event's time, a test's frozen clock) interleave with ids
    /// for the present, and any per-instant memory can be forgotten in between. It wraps after 2^26 ids,
    /// which would reorder two ids of one millisecond only if 67 million others were made between them.
    public static func make(at date: Date = Date()) -> UUID {
        var rng = SystemRandomNumberGenerator()
        let c = Sequence.shared.next()
        var uuid = make(at: date, using: &rng).uuid
        uuid.6 = 0x70 | UInt8((c >> 22) & 0x0F)
        uuid.7 = UInt8((c >> 14) & 0xFF)
        uuid.8 = 0x80 | UInt8((c >> 8) & 0x3F)
        uuid.9 = UInt8(c & 0xFF)
        return UUID(uuid: uuid)
    }

    private final class Sequence: @unchecked Sendable {
        static let shared = Sequence()
        private let lock = NSLock()
        /// A random start below 2^20 leaves 60 million ids before the first wrap.
        private var value = UInt32.random(in: 0..<(1 << 20))

        func next() -> UInt32 {
            lock.lock(); defer { lock.unlock() }
            value = (value &+ 1) & 0x3FF_FFFF
            return value
        }
    }

    public static func make<R: RandomNumberGenerator>(at date: Date, using rng: inout R) -> UUID {
        let ms = UInt64(max(0, date.timeIntervalSince1970 * 1000))
        let random = rng.next()
        let random2 = rng.next()
        var b = [UInt8](repeating: 0, count: 16)
        for k in 0..<6 { b[k] = UInt8(truncatingIfNeeded: ms >> (8 * (5 - k))) }
        b[6] = 0x70 | UInt8(truncatingIfNeeded: random >> 60)        // version 7
        b[7] = UInt8(truncatingIfNeeded: random >> 52)
        b[8] = 0x80 | (UInt8(truncatingIfNeeded: random >> 44) & 0x3F) // RFC 4122 variant
        for k in 9..<16 { b[k] = UInt8(truncatingIfNeeded: random2 >> (8 * (k - 9))) }
        return UUID(uuid: (b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]))
    }
}
