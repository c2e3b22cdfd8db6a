/// The kinds of entries in a case's append-only history besides the lifecycle actions (whose events carry
/// the action's raw value as their kind): intake, and what the deadline monitor does on its own.
public enum CaseEventKind: String, CaseIterable, Sendable, Codable {
    case received
    case classified
    /// An auto-rule filled fields of a new case.
    case autoRule = "auto_rule"
    /// The risk lexicon found threats, dangers or strong negativity in the text.
    case riskSignal = "risk_signal"
    /// The message was found to be one problem with earlier ones (a cluster of similar messages).
    case similarFound = "similar_found"
    /// Linked to or taken out of a cluster by a person; the cluster's main case changed.
    case clusterChanged = "cluster_changed"
    /// The main case's published answer was given to a case merged into it as a duplicate.
    case answerShared = "answer_shared"
    case updatedFromSource = "updated_from_source"
    case clockStopped = "clock_stopped"
    case overdue
    case reminded
    case escalated
    case regulationChanged = "regulation_changed"
    /// The published answer reached the author where they wrote (the Telegram chat…), or failed to.
    case answerDelivered = "answer_delivered"
    case answerNotDelivered = "answer_not_delivered"

    public var title: String {
        switch self {
        case .received: "Поступило"
        case .classified: "Классифицировано"
        case .autoRule: "Автоправило"
        case .riskSignal: "Сигналы риска"
        case .similarFound: "Найдено похожее обращение"
        case .clusterChanged: "Группа похожих обращений"
        case .answerShared: "Ответ по основному обращению"
        case .updatedFromSource: "Обновлено из источника"
        case .clockStopped: "Срок остановлен"
        case .overdue: "Срок нарушен"
        case .reminded: "Напоминание"
        case .escalated: "Эскалация"
        case .regulationChanged: "Изменён регламент"
        case .answerDelivered: "Ответ доставлен заявителю"
        case .answerNotDelivered: "Ответ не доставлен заявителю"
        }
    }
}
