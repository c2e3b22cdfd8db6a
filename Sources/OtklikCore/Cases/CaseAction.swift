/// Everything a person (or the deadline monitor) can do to a case. Each is an event in its history.
public enum CaseAction: String, CaseIterable, Sendable, Codable {
    case takeInWork = "take_in_work"
    case firstResponse = "first_response"
    case assign
    case urgentRequest = "urgent_request"
    case intermediateAnswer = "intermediate_answer"
    case requestExtension = "request_extension"
    case approveExtension = "approve_extension"
    case rejectExtension = "reject_extension"
    case submitAnswer = "submit_answer"
    case returnForRework = "return_for_rework"
    case approve
    case publish
    case recordFeedback = "record_feedback"
    case acceptBySilence = "accept_by_silence"
    case reopen
    case forward
    case markDuplicate = "mark_duplicate"
    case close
    /// Category, block and territory corrected by the queue (the «Классифицировано» of the history).
    case classify
    /// The answer published on the cluster's main case, published on this member too («ответить всем в группе»).
    case publishClusterAnswer = "publish_cluster_answer"

    public var title: String {
        switch self {
        case .takeInWork: "Взять в работу"
        case .firstResponse: "Первичный ответ"
        case .assign: "Назначить исполнителя"
        case .urgentRequest: "Срочный запрос"
        case .intermediateAnswer: "Промежуточный ответ"
        case .requestExtension: "Запросить перенос срока"
        case .approveExtension: "Согласовать перенос срока"
        case .rejectExtension: "Отказать в переносе срока"
        case .submitAnswer: "Направить ответ на согласование"
        case .returnForRework: "Вернуть на доработку"
        case .approve: "Согласовать ответ"
        case .publish: "Опубликовать ответ"
        case .recordFeedback: "Внести оценку заявителя"
        case .acceptBySilence: "Ответ принят (заявитель не возразил)"
        case .reopen: "Повторное рассмотрение"
        case .forward: "Переадресовать по компетенции"
        case .markDuplicate: "Отметить как дубликат"
        case .close: "Закрыть"
        case .classify: "Изменить классификацию"
        case .publishClusterAnswer: "Опубликовать ответ основного обращения группы"
        }
    }

    /// The roles the decrees give the action. Channel operators and the МЦУ head run the queue
    /// (decree 003 §2.1–2.4); executors and their heads answer; the channel operator accepts or returns the
    /// executor's answer before publishing it (decree 003 §2.2: «ответственный… публикует ответ… вправе
    /// возвращать ответ на доработку»), as do the МЦУ head, curator and block leads; editors prepare and
    /// publish texts.
    public var roles: Set<Role> {
        let queue: Set<Role> = [.channelOperator, .mcuHead]
        let answering: Set<Role> = [.executor, .organisationHead]
        switch self {
        case .takeInWork, .assign, .urgentRequest, .approveExtension, .rejectExtension, .recordFeedback,
             .reopen, .forward, .markDuplicate, .close, .classify:
            return queue
        case .firstResponse, .publish, .publishClusterAnswer:
            return queue.union([.editor])
        case .intermediateAnswer, .requestExtension, .submitAnswer:
            return answering
        case .returnForRework:
            return queue.union([.editor, .curator, .blockLead])
        case .approve:
            return queue.union([.curator, .blockLead])
        case .acceptBySilence:
            return []   // the deadline monitor only
        }
    }
}
