/// How a closed case ended. Decree 001 asks to grow «решено» against «разъяснено», so the type matters.
public enum CaseResult: String, CaseIterable, Sendable, Codable {
    case resolved, explained, rejected, forwarded, duplicate

    public var title: String {
        switch self {
        case .resolved: "Решено"
        case .explained: "Разъяснено"
        case .rejected: "Отклонено"
        case .forwarded: "Переадресовано"
        case .duplicate: "Дубликат"
        }
    }
}
