/// What a notification is about. Stored as its raw value in the inbox and the outbox.
public enum NotificationKind: String, Sendable, CaseIterable {
    case assigned, returned, reminder, overdue, escalation
    case urgentRequest = "urgent_request"
    case answerSubmitted = "answer_submitted"
    case extensionRequested = "extension_requested"
    case extensionApproved = "extension_approved"
    case extensionRejected = "extension_rejected"
    case reopened
    /// The weekly memo is ready (to the head, the curator and the МЦУ head).
    case memo
    /// A letter or post the administrator sends to check the connector.
    case test
    /// An auto-rule asked to tell these roles of a new case.
    case autoRule = "auto_rule"
    /// A new case whose text signals an information risk (to the risk officers and the МЦУ head).
    case riskCandidate = "risk_candidate"
    /// An information risk registered, changed, published, closed (to the risk officers, the МЦУ head,
    /// the responsible organisation's head).
    case risk
    /// A risk's first reaction is near its deadline, late, or escalated.
    case riskDeadline = "risk_deadline"
    /// A recurring threat's season is near: prepare a preventive campaign.
    case season
    /// An assignment of the centre: given, reported, accepted, returned, extended, removed.
    case assignment
    /// An assignment's deadline is today, passed, or escalated.
    case assignmentDeadline = "assignment_deadline"

    public var title: String {
        switch self {
        case .assigned: "назначение"
        case .returned: "возврат"
        case .reminder: "напоминание"
        case .overdue: "просрочка"
        case .escalation: "эскалация"
        case .urgentRequest: "срочный запрос"
        case .answerSubmitted: "ответ на согласовании"
        case .extensionRequested: "перенос срока"
        case .extensionApproved: "перенос согласован"
        case .extensionRejected: "отказ в переносе"
        case .reopened: "повторное рассмотрение"
        case .memo: "аналитическая записка"
        case .test: "проверка"
        case .autoRule: "автоправило"
        case .riskCandidate: "кандидат в инфориски"
        case .risk: "информационный риск"
        case .riskDeadline: "срок по инфориску"
        case .season: "сезонная угроза"
        case .assignment: "поручение"
        case .assignmentDeadline: "срок поручения"
        }
    }

    /// What the operators' alert chat hears of by default: deadlines and what waits for the МЦУ itself,
    /// not the executors' routine (assignments, returns, extension answers).
    public static let operatorAlerts: [NotificationKind] = [
        .reminder, .overdue, .escalation, .urgentRequest, .answerSubmitted, .extensionRequested, .reopened,
    ]

    /// Parses «overdue, escalation»; nil names the first unknown word.
    public static func parseList(_ raw: String) -> Result<[NotificationKind], UnknownKind> {
        var out: [NotificationKind] = []
        for word in raw.split(separator: ",").map({ String($0).trimmed }) where !word.isEmpty {
            guard let kind = NotificationKind(rawValue: word) else { return .failure(UnknownKind(word: word)) }
            if !out.contains(kind) { out.append(kind) }
        }
        return .success(out)
    }

    public struct UnknownKind: Error, Sendable, Equatable { public var word: String }
}
