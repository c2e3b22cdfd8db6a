/// The kinds of risk a message's words can signal (decree 001: negative tone and socially dangerous topics
/// are what turns a message into a candidate information risk).
public enum RiskSignal: String, CaseIterable, Sendable, Codable {
    case negative
    case swearing
    case threat
    case dangerous

    public var title: String {
        switch self {
        case .negative: "Негативный тон"
        case .swearing: "Нецензурная брань"
        case .threat: "Угрозы и протестные действия"
        case .dangerous: "Социально опасная тема"
        }
    }

    /// Points per distinct matched entry, and the most a signal can add: one angry word is not a risk,
    /// a threat or a danger to life is one on its own.
    public var weight: Int {
        switch self {
        case .negative: 10
        case .swearing: 20
        case .threat: 40
        case .dangerous: 40
        }
    }

    public var cap: Int {
        switch self {
        case .negative: 30
        case .swearing: 30
        case .threat: 60
        case .dangerous: 60
        }
    }
}
