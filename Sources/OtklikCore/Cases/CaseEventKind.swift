/// The kinds of entries in a case's append-only history.
public enum CaseEventKind: String, CaseIterable, Sendable, Codable {
    case received
    case classified
    case updatedFromSource = "updated_from_source"

    public var title: String {
        switch self {
        case .received: "Поступило"
        case .classified: "Классифицировано"
        case .updatedFromSource: "Обновлено из источника"
        }
    }
}
