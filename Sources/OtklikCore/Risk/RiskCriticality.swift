/// How dangerous an information risk is (decree 001): it decides who is involved and how fast the first
/// official reaction must follow.
public enum RiskCriticality: String, CaseIterable, Sendable, Codable, Comparable {
    case low, medium, high, critical

    public var title: String {
        switch self {
        case .low: "низкая"
        case .medium: "средняя"
        case .high: "высокая"
        case .critical: "критическая"
        }
    }

    /// A mark readable in a chat at a glance.
    public var mark: String {
        switch self {
        case .low: "🟢"
        case .medium: "🟡"
        case .high: "🟠"
        case .critical: "🔴"
        }
    }

    /// REGULATIONS.md: first reaction within 4 / 2 / 1 / 0.5 working hours; critical runs in daily time
    /// (a critical story at night does not wait for the morning).
    public var defaultReaction: ClockRule {
        switch self {
        case .low: .workingHours(minutes: 240)
        case .medium: .workingHours(minutes: 120)
        case .high: .workingHours(minutes: 60)
        case .critical: .daily(minutes: 30)
        }
    }

    private var rank: Int { Self.allCases.firstIndex(of: self)! }
    public static func < (a: Self, b: Self) -> Bool { a.rank < b.rank }

    /// Reads «high» or «высокая».
    public init?(text: String) {
        let t = text.trimmed.lowercased()
        guard let found = Self.allCases.first(where: { $0.rawValue == t || $0.title == t }) else { return nil }
        self = found
    }
}
