import Foundation

/// UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. New rows land at the end
/// of primary-key B-trees instead of at random pages, which keeps bulk intake fast on SQLite and
/// PostgreSQL alike, and ids sort by creation time.
public enum TimeOrderedUUID {
    public static func make(at date: Date = Date()) -> UUID {
        var rng = SystemRandomNumberGenerator()
        return make(at: date, using: &rng)
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
