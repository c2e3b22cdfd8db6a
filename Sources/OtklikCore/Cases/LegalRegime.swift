/// Which rules apply to a case: a message (сообщение, outside 59-ФЗ) or an appeal under Federal Law 59-ФЗ.
public enum LegalRegime: String, CaseIterable, Sendable, Codable {
    case message
    case appeal59FZ = "appeal_59fz"

    public var title: String {
        switch self {
        case .message: "Сообщение"
        case .appeal59FZ: "Обращение по 59-ФЗ"
        }
    }
}
