import Foundation

extension UUID {
    /// The same text as `uuidString` (upper-case, 8-4-4-4-12), without the printf-based formatting that
    /// Foundation uses on Linux: bulk intake writes six UUIDs a case as text (sqlite-kit's encoding).
    public var upperHexString: String {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        return withUnsafeBytes(of: uuid) { raw in
            String(unsafeUninitializedCapacity: 36) { out in
                var o = 0
                for (i, byte) in raw.enumerated() {
                    if i == 4 || i == 6 || i == 8 || i == 10 { out[o] = UInt8(ascii: "-"); o += 1 }
                    out[o] = hex[Int(byte >> 4)]; out[o + 1] = hex[Int(byte & 0x0F)]
                    o += 2
                }
                return 36
            }
        }
    }
}
