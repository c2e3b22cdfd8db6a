/// What kind of publication or contact a case came as.
public enum PublicationKind: String, CaseIterable, Sendable, Codable {
    case post, comment
    case directMessage = "direct_message"
    case form, call, letter, visit, other

    public var title: String {
        switch self {
        case .post: "Пост"
        case .comment: "Комментарий"
        case .directMessage: "Личное сообщение"
        case .form: "Форма"
        case .call: "Звонок"
        case .letter: "Письмо"
        case .visit: "Личный приём"
        case .other: "Другое"
        }
    }
}
