/// The clocks a case can run. Each starts at an event, stops at another and records met / missed.
public enum CaseClockKind: String, CaseIterable, Sendable, Codable {
    case takeInWork = "take_in_work"        // stops when the case is taken in work (or routed)
    case firstResponse = "first_response"   // stops at the first response to the author
    case forward                            // 59-ФЗ: forward to the competent body within 7 days
    case executor                           // the term given to the executor; stops at the submitted answer
    case urgent                             // an urgent request; stops at an intermediate or full answer
    case finalAnswer = "final_answer"       // the regulation's term; stops when the answer is published
    case feedback                           // the author's window after publication; silence → accepted

    public var title: String {
        switch self {
        case .takeInWork: "Взять в работу"
        case .firstResponse: "Первичный ответ"
        case .forward: "Переадресация по компетенции"
        case .executor: "Срок исполнителя"
        case .urgent: "Срочный запрос"
        case .finalAnswer: "Окончательный ответ"
        case .feedback: "Ожидание оценки"
        }
    }

    /// The feedback window is the author's time, not ours: passing it is not an overdue.
    public var countsAsOverdue: Bool { self != .feedback }
}

/// How a stopped clock ended.
public enum ClockOutcome: String, Sendable, Codable {
    case met, missed
    /// Stopped by something that made it moot (reassignment, forwarding, duplicate): neither met nor missed.
    case cancelled

    public var title: String {
        switch self {
        case .met: "Срок соблюдён"
        case .missed: "Срок нарушен"
        case .cancelled: "Снят"
        }
    }
}
