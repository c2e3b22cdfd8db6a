import Foundation

/// A plain-text letter in UTF-8, rendered as RFC 5322 + MIME: headers in ASCII (Russian words as RFC 2047
/// encoded-words), the body in base64 so that no line of it can be mistaken for SMTP's end-of-data.
public struct MailMessage: Sendable, Equatable {
    public var from: MailAddress
    public var fromName: String
    public var to: MailAddress
    public var subject: String
    public var body: String
    public var date: Date
    /// `<id@domain>` without the brackets; unique per letter so that mail clients thread correctly.
    public var messageID: String

    public init(from: MailAddress, fromName: String, to: MailAddress, subject: String, body: String, date: Date, messageID: String) {
        self.from = from; self.fromName = fromName; self.to = to; self.subject = subject; self.body = body
        self.date = date; self.messageID = messageID
    }

    /// The letter as it goes after `DATA`, CRLF line ends, without the terminating dot line.
    public func rendered() -> String {
        var lines: [String] = []
        let name = fromName.trimmed
        lines.append("From: " + (name.isEmpty ? from.address : "\(Self.encodedWord(name)) <\(from.address)>"))
        lines.append("To: <\(to.address)>")
        lines.append("Subject: " + Self.encodedWord(subject.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")))
        lines.append("Date: " + Self.rfc5322Date(date))
        lines.append("Message-ID: <\(messageID)>")
        lines.append("MIME-Version: 1.0")
        lines.append("Content-Type: text/plain; charset=utf-8")
        lines.append("Content-Transfer-Encoding: base64")
        lines.append("Auto-Submitted: auto-generated")
        lines.append("")
        let normalised = body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\n", with: "\r\n")
        let encoded = Data(normalised.utf8).base64EncodedString()
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// ASCII text stays as it is; anything else becomes `=?utf-8?B?…?=` words of at most 75 characters,
    /// split on character boundaries (a Cyrillic letter is never cut in half).
    public static func encodedWord(_ text: String) -> String {
        if text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7F }) { return text }
        var words: [String] = []
        var chunk = ""
        // 36 bytes of UTF-8 → 48 base64 characters + 12 of framing = 60: with «Subject: » the line stays under 78.
        for ch in text {
            if chunk.utf8.count + String(ch).utf8.count > 36 {
                words.append(chunk); chunk = ""
            }
            chunk.append(ch)
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?utf-8?B?" + Data($0.utf8).base64EncodedString() + "?=" }.joined(separator: "\r\n ")
    }

    /// `Mon, 12 Jan 2026 09:00:00 +0000` — always in UTC; mail clients show it in the reader's zone.
    public static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ v: Int?) -> String { let v = v ?? 0; return v < 10 ? "0\(v)" : "\(v)" }
        return "\(days[(c.weekday ?? 1) - 1]), \(c.day ?? 1) \(months[(c.month ?? 1) - 1]) \(c.year ?? 1970) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) +0000"
    }

    /// The DATA section as sent: dot-stuffed (RFC 5321 §4.5.2) and closed by the lone dot line.
    public static func dataSection(_ rendered: String) -> String {
        let stuffed = rendered.split(separator: "\r\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(".") ? "." + $0 : String($0) }.joined(separator: "\r\n")
        return (stuffed.hasSuffix("\r\n") ? stuffed : stuffed + "\r\n") + ".\r\n"
    }
}
