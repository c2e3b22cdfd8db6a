/// A municipality's working day, in minutes after local midnight. Default 08:00–17:00 (decree 003).
public struct WorkingHours: Sendable, Equatable, Codable {
    public var startMinute: Int
    public var endMinute: Int

    public static let standard = WorkingHours(startMinute: 8 * 60, endMinute: 17 * 60)

    public init(startMinute: Int, endMinute: Int) {
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Parses "08:00" style times; nil when the text is not HH:MM.
    public static func minute(of text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
              (0...23).contains(h), (0...59).contains(m) else { return nil }
        return h * 60 + m
    }

    public static func format(_ minute: Int) -> String {
        let h = minute / 60, m = minute % 60
        return "\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)"
    }

    public var startText: String { Self.format(startMinute) }
    public var endText: String { Self.format(endMinute) }
}
