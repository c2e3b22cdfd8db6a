/// The facts about a case that decide which actions make sense now.
public struct LifecycleState: Sendable, Equatable {
    public var status: CaseStatus
    public var hasOrganisation: Bool
    public var firstResponseGiven: Bool
    public var extensionPending: Bool
    public var extensionsUsed: Int
    /// A member, not the main case, of a cluster of similar messages.
    public var clusterMember: Bool

    public init(status: CaseStatus, hasOrganisation: Bool = false, firstResponseGiven: Bool = false,
                extensionPending: Bool = false, extensionsUsed: Int = 0, clusterMember: Bool = false) {
        self.clusterMember = clusterMember
        self.status = status
        self.hasOrganisation = hasOrganisation
        self.firstResponseGiven = firstResponseGiven
        self.extensionPending = extensionPending
        self.extensionsUsed = extensionsUsed
    }
}

/// Why an action cannot happen: a conflict with the case's state (409) or a role without the right (403).
public enum LifecycleRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    case notNow(action: CaseAction, status: CaseStatus, hint: String?)
    case roleMayNot(action: CaseAction)

    public var description: String {
        switch self {
        case .notNow(let a, let s, let hint):
            "Действие «\(a.title)» невозможно, когда обращение в статусе «\(s.title)»" + (hint.map { ": \($0)" } ?? ".")
        case .roleMayNot(let a):
            "Действие «\(a.title)» выполняют: " + a.roles.map(\.title).sorted().joined(separator: ", ") + "."
        }
    }
}

/// The state machine of a case (decree 003 §2.1–2.4):
/// new → in work → assigned → answer on review → (returned ↺) → approved → published / awaiting feedback
/// → closed, and reopened (повторное рассмотрение) from an answer the author or a moderator rejected.
public enum Lifecycle {
    static let open: Set<CaseStatus> = [.new, .inWork, .assigned, .returned, .reopened]
    static let answered: Set<CaseStatus> = [.published, .awaitingFeedback]

    /// The statuses an action may start from, and a hint for the user when it may not.
    static func from(_ action: CaseAction) -> (Set<CaseStatus>, String?) {
        switch action {
        case .takeInWork: ([.new, .reopened], "взять в работу можно новое обращение или обращение на повторном рассмотрении")
        case .firstResponse: (open, "первичный ответ даётся до ответа по существу")
        case .assign: (open, "назначить исполнителя можно до того, как ответ отправлен на согласование")
        case .urgentRequest, .intermediateAnswer, .requestExtension:
            ([.assigned, .returned, .reopened], "обращение должно быть у исполнителя")
        case .approveExtension, .rejectExtension: (open.union([.onReview]), nil)
        case .submitAnswer: ([.assigned, .returned, .reopened], "ответ направляет исполнитель назначенного обращения")
        case .returnForRework: ([.onReview, .approved], "вернуть можно ответ на согласовании или согласованный, но не опубликованный")
        case .approve: ([.onReview], "согласовать можно ответ, направленный на согласование")
        case .publish: ([.approved], "опубликовать можно только согласованный ответ")
        case .recordFeedback: (answered, "оценка вносится после публикации ответа")
        case .acceptBySilence: ([.awaitingFeedback], nil)
        case .reopen: (answered.union([.closed]), "на повторное рассмотрение возвращается обращение с опубликованным ответом")
        case .forward, .markDuplicate: (open.union([.onReview]), "обращение уже закрыто или по нему готов ответ")
        case .close: (Set(CaseStatus.allCases).subtracting([.closed]), "обращение уже закрыто")
        case .classify: (Set(CaseStatus.allCases).subtracting([.closed]), "классификацию закрытого обращения не меняют")
        case .publishClusterAnswer: (open.union([.onReview, .approved]), "ответ по обращению уже опубликован или оно закрыто")
        }
    }

    /// nil when `action` may happen in `state`; otherwise the reason (status conflicts only; roles apart).
    public static func refusal(_ action: CaseAction, in state: LifecycleState) -> LifecycleRefusal? {
        let (allowed, hint) = from(action)
        guard allowed.contains(state.status) else { return .notNow(action: action, status: state.status, hint: hint) }
        switch action {
        case .firstResponse where state.firstResponseGiven:
            return .notNow(action: action, status: state.status, hint: "первичный ответ уже дан")
        case .submitAnswer where !state.hasOrganisation, .urgentRequest where !state.hasOrganisation:
            return .notNow(action: action, status: state.status, hint: "сначала назначьте ответственную организацию")
        case .requestExtension where state.extensionPending:
            return .notNow(action: action, status: state.status, hint: "запрос на перенос срока уже ждёт решения")
        case .approveExtension where !state.extensionPending, .rejectExtension where !state.extensionPending:
            return .notNow(action: action, status: state.status, hint: "нет запроса на перенос срока")
        case .publishClusterAnswer where !state.clusterMember:
            return .notNow(action: action, status: state.status, hint: "обращение не входит в группу похожих или само является основным")
        default:
            return nil
        }
    }

    /// The status after an action that has a single outcome; nil for those that keep the status or
    /// depend on their input (publish, feedback, close).
    public static func target(_ action: CaseAction, from status: CaseStatus) -> CaseStatus? {
        switch action {
        case .takeInWork: .inWork
        case .firstResponse: status == .new ? .inWork : nil
        // Reassigning a returned answer keeps it «returned»: the new executor still owes the rework.
        case .assign: status == .returned ? nil : .assigned
        case .submitAnswer: .onReview
        case .returnForRework: .returned
        case .approve: .approved
        case .acceptBySilence, .forward, .markDuplicate, .close: .closed
        case .reopen: .reopened
        case .publish, .publishClusterAnswer, .recordFeedback, .urgentRequest, .intermediateAnswer, .requestExtension,
             .approveExtension, .rejectExtension, .classify: nil
        }
    }

    /// After publication: the author's window when the profile has one, else the answer stands as published
    /// until the operator closes the case with its result.
    public static func afterPublish(feedbackWindow: Bool) -> CaseStatus {
        feedbackWindow ? .awaitingFeedback : .published
    }

    /// The author's reaction: a rating of 4–5 accepts the answer; 1–3, or a comment without a rating (an
    /// objection in «Инцидент Менеджмент»), sends the case back for повторное рассмотрение.
    public static func afterFeedback(rating: Int?, hasComment: Bool) -> CaseStatus {
        if let rating { return rating >= 4 ? .closed : .reopened }
        return hasComment ? .reopened : .closed
    }

    /// Results a person may choose when closing from a status.
    public static func closingResults(from status: CaseStatus) -> Set<CaseResult> {
        answered.contains(status) ? [.resolved, .explained] : [.rejected]
    }
}
