/// Where an information risk is in its отработка (decree 001): detected → verification → response
/// prepared → published → monitoring → closed as «отработан», or escalated to the curator / the regional
/// centre at any active stage.
public enum RiskStatus: String, CaseIterable, Sendable, Codable {
    case detected, verification
    case responsePrepared = "response_prepared"
    case published, monitoring, closed, escalated

    public var title: String {
        switch self {
        case .detected: "выявлен"
        case .verification: "верификация"
        case .responsePrepared: "ответ подготовлен"
        case .published: "отработка опубликована"
        case .monitoring: "мониторинг реакции"
        case .closed: "отработан"
        case .escalated: "эскалирован"
        }
    }

    /// Still needs the centre's work (the board shows these).
    public var isActive: Bool { self != .closed }
    /// The first official reaction has been made: the reaction deadline is met.
    public var reacted: Bool { self == .published || self == .monitoring || self == .closed }
    /// The board's columns, in the order of the work.
    public static let board: [RiskStatus] = [.detected, .verification, .responsePrepared, .published, .monitoring, .escalated]
}

/// What a person does with a risk. Editing its description, linking cases and adding sources are not
/// stage changes and are allowed on any risk not yet closed.
public enum RiskAction: String, CaseIterable, Sendable {
    case startVerification = "start_verification"
    case prepareResponse = "prepare_response"
    case publish
    case addSnapshot = "add_snapshot"
    case changeCriticality = "change_criticality"
    case close
    case escalate
    case reopen

    public var title: String {
        switch self {
        case .startVerification: "Начать верификацию"
        case .prepareResponse: "Ответ подготовлен"
        case .publish: "Отработка опубликована"
        case .addSnapshot: "Замер реакции"
        case .changeCriticality: "Изменить критичность"
        case .close: "Закрыть как отработанный"
        case .escalate: "Эскалировать"
        case .reopen: "Вернуть в работу"
        }
    }

    /// The stage after the action, or nil when the action is not allowed at `status`.
    public func next(from status: RiskStatus) -> RiskStatus? {
        switch (self, status) {
        case (.startVerification, .detected): .verification
        case (.prepareResponse, .verification), (.prepareResponse, .responsePrepared), (.prepareResponse, .escalated): .responsePrepared
        case (.publish, .responsePrepared), (.publish, .escalated): .published
        // A further placement of the same response: the stage stays.
        case (.publish, .published), (.publish, .monitoring): status
        case (.addSnapshot, .published), (.addSnapshot, .monitoring): .monitoring
        case (.addSnapshot, .escalated): .escalated
        case (.changeCriticality, let s) where s.isActive: s
        case (.close, .published), (.close, .monitoring), (.close, .escalated): .closed
        case (.escalate, let s) where s.isActive && s != .escalated: .escalated
        case (.reopen, .closed): .monitoring
        default: nil
        }
    }

    /// Why the action is refused at `status`, worded for the officer.
    public func refusal(at status: RiskStatus) -> String {
        switch self {
        case .startVerification: "Верификацию начинают у только что выявленного риска (сейчас: «\(status.title)»)."
        case .prepareResponse: "Ответ готовят после верификации (сейчас: «\(status.title)»)."
        case .publish: "Опубликовать можно подготовленный ответ (сейчас: «\(status.title)»)."
        case .addSnapshot: "Реакцию замеряют после публикации отработки (сейчас: «\(status.title)»)."
        case .changeCriticality: "Критичность закрытого риска не меняют."
        case .close: "Закрыть как отработанный можно только после публикации отработки (сейчас: «\(status.title)»)."
        case .escalate: status == .escalated ? "Риск уже эскалирован." : "Закрытый риск не эскалируют: верните его в работу."
        case .reopen: "Вернуть в работу можно только закрытый риск."
        }
    }
}
