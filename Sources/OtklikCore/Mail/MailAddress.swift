/// An e-mail address as SMTP carries it (`local@domain`). Strict on purpose: the address goes into
/// `RCPT TO:<…>` and a header line, so a space, an angle bracket or a line break would let a typed value
/// inject commands or headers.
public struct MailAddress: Sendable, Equatable, CustomStringConvertible {
    public let address: String

    public init?(_ raw: String) {
        let s = raw.trimmed
        guard s.utf8.count <= 254, !s.isEmpty else { return nil }
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, let local = parts.first, let domain = parts.last,
              !local.isEmpty, local.utf8.count <= 64, domain.contains("."),
              !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..") else { return nil }
        let forbidden = Set(" \t\r\n<>()[],;:\\\"".unicodeScalars)
        guard !s.unicodeScalars.contains(where: { forbidden.contains($0) || $0.value < 0x20 || $0.value == 0x7F }) else { return nil }
        guard domain.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "." }) else { return nil }
        address = s
    }

    public var description: String { address }
}
