/// Entries of a risk's history.
public enum RiskEventKind: String, CaseIterable, Sendable {
    case created, edited, comment
    case sourceAdded = "source_added"
    case caseLinked = "case_linked"
    case caseUnlinked = "case_unlinked"
    case verificationStarted = "verification_started"
    case responsePrepared = "response_prepared"
    case published, snapshot
    case criticalityChanged = "criticality_changed"
    case closed, escalated, reopened
    case reminded, overdue
    case escalatedByMonitor = "escalated_by_monitor"

    public var title: String {
        switch self {
        case .created: "Риск зарегистрирован"
        case .edited: "Карточка изменена"
        case .comment: "Комментарий"
        case .sourceAdded: "Добавлены публикации"
        case .caseLinked: "Связано обращение"
        case .caseUnlinked: "Обращение отвязано"
        case .verificationStarted: "Начата верификация"
        case .responsePrepared: "Ответ подготовлен"
        case .published: "Отработка опубликована"
        case .snapshot: "Замер реакции"
        case .criticalityChanged: "Изменена критичность"
        case .closed: "Риск отработан"
        case .escalated: "Риск эскалирован"
        case .reopened: "Возвращён в работу"
        case .reminded: "Напоминание о сроке реакции"
        case .overdue: "Просрочена первая реакция"
        case .escalatedByMonitor: "Эскалация по сроку"
        }
    }
}

/// To whom a risk is escalated (decree 001, decree 004: the curator; the regional centre, ЦУР).
public enum RiskEscalationTarget: String, CaseIterable, Sendable {
    case curator
    case regionalCentre = "regional_centre"

    public var title: String {
        switch self {
        case .curator: "куратору МЦУ"
        case .regionalCentre: "в ЦУР региона"
        }
    }
}
