import Foundation

/// One SMTP server reply: a three-digit code and its text lines (`250-…` continues, `250 …` ends).
public struct SMTPReply: Sendable, Equatable {
    public var code: Int
    public var lines: [String]

    public init(code: Int, lines: [String]) { self.code = code; self.lines = lines }

    public var isPositive: Bool { (200..<400).contains(code) }
    /// 4xx: try again later; 5xx: the server will never take this.
    public var isPermanentFailure: Bool { (500..<600).contains(code) }
    public var text: String { lines.joined(separator: " ") }

    /// The keywords an EHLO reply announces (first line is the greeting): `STARTTLS`, `AUTH PLAIN LOGIN`…
    public var extensions: [String: [String]] {
        var out: [String: [String]] = [:]
        for line in lines.dropFirst() {
            let words = line.split(separator: " ").map(String.init)
            guard let key = words.first?.uppercased() else { continue }
            out[key] = words.dropFirst().map { $0.uppercased() }
        }
        return out
    }

    public enum LineError: Error, Equatable, Sendable { case malformed(String) }

    /// Collects reply lines; returns the reply when `line` was its last one.
    public struct Assembler: Sendable {
        private var code: Int?
        private var lines: [String] = []
        public init() {}

        public mutating func add(_ raw: String) throws(LineError) -> SMTPReply? {
            let line = raw.hasSuffix("\r") ? String(raw.dropLast()) : raw
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let value = Int(String(decoding: bytes[0..<3], as: UTF8.self)), (200...599).contains(value),
                  bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-") else {
                throw .malformed(String(line.prefix(80)))
            }
            if let code, code != value { throw .malformed(String(line.prefix(80))) }
            code = value
            lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            guard bytes.count == 3 || bytes[3] == UInt8(ascii: " ") else { return nil }
            defer { self.code = nil; lines = [] }
            return SMTPReply(code: value, lines: lines)
        }
    }
}

/// The credentials of `AUTH PLAIN` (RFC 4616) and of `AUTH LOGIN`'s two answers, in base64.
public enum SMTPAuth {
    public static func plain(user: String, password: String) -> String {
        Data(([0] + Array(user.utf8) + [0] + Array(password.utf8))).base64EncodedString()
    }

    public static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
}
