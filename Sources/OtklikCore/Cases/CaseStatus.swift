/// Where a case stands in its processing. Intake creates `new`; the lifecycle engine moves it on.
public enum CaseStatus: String, CaseIterable, Sendable, Codable {
    case new
    case inWork = "in_work"
    case assigned
    case onReview = "on_review"
    case returned
    case approved
    case published
    case awaitingFeedback = "awaiting_feedback"
    case reopened
    case closed

    public var title: String {
        switch self {
        case .new: "Новое"
        case .inWork: "В работе"
        case .assigned: "Назначено исполнителю"
        case .onReview: "Ответ на согласовании"
        case .returned: "Возвращено на доработку"
        case .approved: "Ответ согласован"
        case .published: "Ответ опубликован"
        case .awaitingFeedback: "Ожидает оценки"
        case .reopened: "Повторное рассмотрение"
        case .closed: "Закрыто"
        }
    }
}
