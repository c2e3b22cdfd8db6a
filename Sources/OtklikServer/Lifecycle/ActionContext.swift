import Fluent
import Foundation
import OtklikCore

/// One action being applied: reads its input, changes the case, its clocks and answers, and collects the
/// event's details and the notifications. Any thrown problem rolls the whole action back.
struct ActionContext {
    let action: CaseAction
    let record: CaseRecord
    var payload: PayloadReader
    let actor: ActionActor
    let now: Date
    let regulation: TenantRegulation
    let openClocks: [CaseClock]
    let db: any Database

    /// False when nobody listens (bulk work without notifiers): recipients are not even looked up.
    var notify = true
    var comment: String?
    var details: [String: String] = [:]
    var notifications: [OutgoingNotification] = []

    var profile: RegulationProfile { regulation.profile(of: record) }
    var schedule: WorkSchedule { regulation.schedule }
    var caseID: UUID { record.id! }

    mutating func run() async throws {
        comment = payload.string("comment", max: 5_000)
        let from = record.caseStatus
        try await effects()
        // Single-outcome transitions come from the core's state machine; the rest were set by the effects.
        if let target = Lifecycle.target(action, from: from) { record.status = target.rawValue }
    }

    private mutating func effects() async throws {
        switch action {
        case .takeInWork:
            try payload.check()
            try await stop([.takeInWork])

        case .firstResponse:
            let text = payload.string("text", required: true, max: 10_000)
            try payload.check()
            details["text"] = text
            record.firstResponseAt = now
            try await stop([.firstResponse, .takeInWork])

        case .assign:
            try await assign()

        case .urgentRequest:
            let text = payload.string("text", required: true, max: 5_000)
            let due = payload.date("deadline", required: true)
            try payload.check()
            guard let due, due > now else { throw Problem.validation([FieldIssue("deadline", "срок срочного запроса уже прошёл")]) }
            try await stop([.urgent], cancelled: true)
            try await start(ClockPlanner.fixed(.urgent, due: due, rule: "set_by_operator", at: now, schedule: schedule,
                                               reminderMinutes: min(profile.reminderMinutes, 30), everyHourCounts: true))
            record.urgent = true
            details["text"] = text
            details["deadline"] = TimeText.formatRFC3339(due)
            try await notifyOrganisation(kind: "urgent_request", title: "Срочный запрос по обращению №\(record.number)",
                                         body: "\(text ?? "") Срок: \(localTime(due)).")

        case .intermediateAnswer:
            let text = payload.string("text", required: true, max: 10_000)
            try payload.check()
            details["text"] = text
            try await stop([.urgent])

        case .requestExtension:
            try requestExtension()
            try await notifyQueue(kind: "extension_requested", title: "Запрошен перенос срока по обращению №\(record.number)",
                                  body: details["reason"] ?? "")

        case .approveExtension:
            try await approveExtension()

        case .rejectExtension:
            guard comment != nil else { throw Problem.validation([FieldIssue("comment", "укажите причину отказа")]) }
            try payload.check()
            details["request"] = record.extensionRequestJSON
            record.extensionRequestJSON = nil
            try await notifyOrganisation(kind: "extension_rejected", title: "Отказано в переносе срока по обращению №\(record.number)",
                                         body: comment ?? "")

        case .submitAnswer:
            try await submitAnswer()

        case .returnForRework:
            guard comment != nil else { throw Problem.validation([FieldIssue("comment", "укажите, что доработать")]) }
            try payload.check()
            let answer = try await latestAnswer(states: [.submitted, .approved])
            answer.state = CaseAnswer.State.returned.rawValue
            answer.reviewComment = comment
            answer.reviewerLabel = actor.label
            answer.reviewedAt = now
            try await answer.update(on: db)
            record.returnCount += 1
            details["answer_version"] = String(answer.version)
            // The executor reworks against the deadline they had; a past one is overdue at once.
            if let last = try await CaseClock.query(on: db).filter(\.$caseID == caseID)
                .filter(\.$kind == CaseClockKind.executor.rawValue).sort(\.$startedAt, .descending).first() {
                try await start(ClockPlanner.fixed(.executor, due: last.dueAt, rule: last.rule, at: now, schedule: schedule,
                                                   reminderMinutes: profile.reminderMinutes))
            }
            try await notifyOrganisation(kind: "returned", title: "Ответ по обращению №\(record.number) возвращён на доработку",
                                         body: comment ?? "")

        case .approve:
            try payload.check()
            let answer = try await latestAnswer(states: [.submitted])
            answer.state = CaseAnswer.State.approved.rawValue
            answer.reviewerLabel = actor.label
            answer.reviewedAt = now
            answer.reviewComment = comment
            try await answer.update(on: db)
            details["answer_version"] = String(answer.version)

        case .publish:
            let url = payload.string("url", max: 2_000)
            try payload.check()
            let answer = try await latestAnswer(states: [.approved])
            answer.state = CaseAnswer.State.published.rawValue
            try await answer.update(on: db)
            details["answer_version"] = String(answer.version)
            if let url { details["url"] = url }
            try await published(answer, stopping: [.finalAnswer, .firstResponse, .takeInWork, .forward])
            let shared = try await ClusterAnswers.shareWithDuplicates(of: record, answer: answer, actor: actor, now: now, on: db)
            if shared > 0 { details["notice"] = "Ответ передан и по \(shared) обращениям, объединённым с этим как дубликаты." }

        case .publishClusterAnswer:
            try payload.check()
            let answer = try await ClusterAnswers.copyMainAnswer(to: record, actor: actor, now: now, on: db)
            details["answer_version"] = String(answer.version)
            details["notice"] = "Опубликован ответ основного обращения группы №\(answer.sourceNumber)."
            try await published(answer.record, stopping: [.finalAnswer, .firstResponse, .takeInWork, .forward, .executor, .urgent])

        case .recordFeedback:
            let rating = payload.int("rating", range: 1...5, message: "оценка заявителя — целое число от 1 до 5")
            let text = payload.string("text", max: 5_000) ?? comment
            if rating == nil && text == nil && payload.issues.isEmpty {
                payload.issues.append(FieldIssue("rating", "укажите оценку от 1 до 5 и/или комментарий заявителя"))
            }
            try payload.check()
            record.feedbackRating = rating
            record.feedbackComment = text
            if let rating { details["rating"] = String(rating) }
            if let text { details["feedback"] = text }
            try await stop([.feedback])
            let next = Lifecycle.afterFeedback(rating: rating, hasComment: text != nil)
            if next == .reopened { try await reopen(reason: "отрицательная оценка или комментарий заявителя") }
            else { close() }

        case .acceptBySilence:
            try await stop([.feedback])
            record.acceptedBySilence = profile.silenceAccepts
            details["accepted"] = profile.silenceAccepts ? "silence" : "window_ended"
            close()

        case .reopen:
            guard comment != nil else { throw Problem.validation([FieldIssue("comment", "укажите причину повторного рассмотрения")]) }
            try payload.check()
            try await stop([.feedback])
            try await reopen(reason: comment!)

        case .forward:
            let to = payload.string("to", required: true, max: 500)
            try payload.check()
            try await stop([.forward])
            try await stop(Set(CaseClockKind.allCases), cancelled: true)
            record.forwardedTo = to
            record.result = CaseResult.forwarded.rawValue
            details["to"] = to
            if record.legalRegime == LegalRegime.appeal59FZ.rawValue {
                details["notice"] = "Заявитель уведомлён о переадресации обращения в «\(to!)» (59-ФЗ, ст. 8 ч. 3)."
            }
            close()

        case .markDuplicate:
            let ref = payload.string("duplicate_of", required: true, max: 64)
            try payload.check()
            let original = try await findCase(ref!)
            try await stop(Set(CaseClockKind.allCases), cancelled: true)
            record.duplicateOfID = original.id
            record.result = CaseResult.duplicate.rawValue
            details["duplicate_of"] = String(original.number)
            close()

        case .classify:
            try await classify()

        case .close:
            let result = payload.oneOf("result", CaseResult.self)
            try payload.check()
            let allowed = Lifecycle.closingResults(from: record.caseStatus)
            let chosen = result ?? record.result.flatMap(CaseResult.init(rawValue:))
            guard let chosen, allowed.contains(chosen) else {
                throw Problem.validation([FieldIssue("result", "при закрытии из статуса «\(record.caseStatus.title)» допустимо: "
                    + allowed.map(\.title).sorted().joined(separator: ", "))])
            }
            try await stop([.feedback])
            try await stop(Set(CaseClockKind.allCases), cancelled: true)
            record.result = chosen.rawValue
            details["result"] = chosen.rawValue
            close()
        }
    }

    // MARK: - Actions with more to check

    private mutating func assign() async throws {
        let orgID = payload.uuid("organisation_id") ?? record.organisationID
        let executorID = payload.uuid("executor_id")
        let deadline = payload.date("deadline")
        if orgID == nil { payload.issues.append(FieldIssue("organisation_id", "укажите ответственную организацию")) }
        try payload.check()
        // Archived (soft-deleted) organisations are not found here: nothing new goes to them.
        guard let orgID, let org = try await Organisation.query(on: db).filter(\.$tenantID == record.tenantID)
            .filter(\.$id == orgID).first() else {
            throw Problem.validation([FieldIssue("organisation_id", "организация не найдена в этом муниципальном образовании")])
        }
        // A head of an organisation only picks the executor of a case already routed to them.
        if !actor.queueRole && orgID != record.organisationID {
            throw Problem.forbidden("Руководитель организации назначает исполнителя только внутри своей организации.")
        }
        if let executorID {
            let ok = try await RoleAssignment.query(on: db).filter(\.$tenantID == record.tenantID)
                .filter(\.$userID == executorID).filter(\.$organisationID == orgID)
                .filter(\.$role ~~ [Role.executor.rawValue, Role.organisationHead.rawValue]).count() > 0
            guard ok else { throw Problem.validation([FieldIssue("executor_id", "этот пользователь не исполнитель выбранной организации")]) }
        }
        let p = profile
        let finalDue = openClocks.first { $0.kind == CaseClockKind.finalAnswer.rawValue }?.dueAt
        let bound = ClockPlanner.assignmentBound(p, now: now, finalDue: finalDue, schedule: schedule)
        let due: Date
        if let deadline {
            guard deadline > now else { throw Problem.validation([FieldIssue("deadline", "срок уже прошёл")]) }
            if let bound, deadline > bound {
                throw Problem.validation([FieldIssue("deadline", "срок позже, чем позволяет регламент канала: не позднее \(localTime(bound))")])
            }
            due = deadline
        } else if let existing = openClocks.first(where: { $0.kind == CaseClockKind.executor.rawValue }), !actor.queueRole {
            due = existing.dueAt
        } else if p.finalFromAssignment, let rule = p.finalAnswer {
            due = schedule.deadline(rule, from: now).due
        } else if let finalDue {
            due = finalDue
        } else if let rule = p.finalAnswer {
            due = schedule.deadline(rule, from: now).due
        } else if let bound {
            due = bound
        } else {
            throw Problem.validation([FieldIssue("deadline", "у канала нет срока ответа по умолчанию: укажите срок")])
        }
        try await stop([.takeInWork])
        try await stop([.forward], cancelled: true)
        try await stop([.executor], cancelled: true)
        try await start(ClockPlanner.fixed(.executor, due: due, rule: deadline == nil ? "regulation" : "set_by_operator", at: now,
                                           schedule: schedule, reminderMinutes: p.reminderMinutes))
        if p.finalFromAssignment && finalDue == nil {
            try await start(ClockPlanner.fixed(.finalAnswer, due: due, rule: "set_by_operator", at: now, schedule: schedule,
                                               reminderMinutes: p.reminderMinutes))
        }
        record.organisationID = orgID
        record.executorID = executorID
        details["organisation_id"] = orgID.uuidString
        details["organisation"] = org.name
        if let executorID { details["executor_id"] = executorID.uuidString }
        details["deadline"] = TimeText.formatRFC3339(due)
        try await notifyOrganisation(kind: "assigned", title: "Обращение №\(record.number) назначено вам",
                                     body: "Срок ответа: \(localTime(due)).")
    }

    /// Sets the fields present in the payload; an empty or null value clears one. Each id must name a
    /// reference of this municipality.
    private mutating func classify() async throws {
        var changed: [(String, UUID?)] = []
        for key in ["category_id", "block_id", "territory_id"] where payload.has(key) {
            changed.append((key, payload.uuid(key)))
        }
        if changed.isEmpty {
            payload.issues.append(FieldIssue("category_id", "укажите категорию, блок или территорию"))
        }
        try payload.check()
        for (key, id) in changed {
            var name = "—"
            if let id {
                let found: String? = switch key {
                case "category_id": try await Rubric.query(on: db).filter(\.$tenantID == record.tenantID).filter(\.$id == id).first()?.name
                case "block_id": try await ThematicBlock.query(on: db).filter(\.$tenantID == record.tenantID).filter(\.$id == id).first()?.name
                default: try await Territory.query(on: db).filter(\.$tenantID == record.tenantID).filter(\.$id == id).first()?.name
                }
                guard let found else {
                    throw Problem.validation([FieldIssue(key, "не найдено в справочниках этого муниципального образования")])
                }
                name = found
            }
            switch key {
            case "category_id": record.categoryID = id
            case "block_id": record.blockID = id
            default: record.territoryID = id
            }
            details[String(key.dropLast(3))] = name
        }
    }

    private mutating func requestExtension() throws {
        let p = profile
        let days = payload.int("days", range: 1...365, required: true)
        let reason = payload.string("reason", required: true, max: 2_000)
        if let days, let max = p.maxExtensionDays, days > max {
            payload.issues.append(FieldIssue("days", "перенос возможен не более чем на \(RussianPlural.count(max, one: "день", few: "дня", many: "дней"))"))
        }
        if let max = p.maxExtensions, record.extensionsUsed >= max {
            throw Problem.conflict(record.legalRegime == LegalRegime.appeal59FZ.rawValue
                ? "Срок рассмотрения обращения по 59-ФЗ продлевается только один раз; продление уже было."
                : "Исчерпан лимит переносов срока по регламенту канала (\(max)).")
        }
        try payload.check()
        record.extensionRequestJSON = JSONText.object(["days": String(days!), "reason": reason!, "by": actor.label])
        details["days"] = String(days!)
        details["reason"] = reason
    }

    private mutating func approveExtension() async throws {
        try payload.check()
        let request = JSONText.decodeObject(record.extensionRequestJSON ?? "{}")
        let days = Int(request["days"] ?? "") ?? 0
        var moved: [String] = []
        for clock in openClocks where [CaseClockKind.finalAnswer.rawValue, CaseClockKind.executor.rawValue].contains(clock.kind) {
            let old = clock.dueAt
            clock.dueAt = schedule.deadline(.calendarDays(days), from: old).due
            clock.rule = "extended"
            clock.remindAt = schedule.instant(profile.reminderMinutes, workingMinutesBefore: clock.dueAt)
            clock.remindedAt = nil
            // A decision moved the deadline: the monitor judges the new one afresh.
            clock.overdueAt = nil
            clock.escalationLevel = 0
            clock.nextEscalationAt = nil
            try await clock.update(on: db)
            details["clock.\(clock.kind).old_due"] = TimeText.formatRFC3339(old)
            details["clock.\(clock.kind).new_due"] = TimeText.formatRFC3339(clock.dueAt)
            moved.append(localTime(clock.dueAt))
        }
        details["days"] = String(days)
        if let reason = request["reason"] { details["reason"] = reason }
        if record.legalRegime == LegalRegime.appeal59FZ.rawValue, let newDue = moved.first {
            details["notice"] = "Заявитель уведомлён: срок рассмотрения обращения продлён до \(newDue) (59-ФЗ, ст. 12 ч. 2)."
        }
        record.extensionsUsed += 1
        record.extensionRequestJSON = nil
        try await notifyOrganisation(kind: "extension_approved", title: "Перенос срока по обращению №\(record.number) согласован",
                                     body: moved.first.map { "Новый срок: \($0)." } ?? "")
    }

    private mutating func submitAnswer() async throws {
        let text = payload.string("text", required: true, max: 20_000)
        let result = payload.oneOf("result", CaseResult.self) ?? .resolved
        let attachments = payload.strings("attachments", maxCount: 20, maxLength: 2_000)
        if ![CaseResult.resolved, .explained].contains(result) {
            payload.issues.append(FieldIssue("result", "ответ по существу — «Решено» или «Разъяснено»"))
        }
        try payload.check()
        let last = try await CaseAnswer.query(on: db).filter(\.$caseID == caseID).sort(\.$version, .descending).first()
        let answer = CaseAnswer(tenantID: record.tenantID, caseID: caseID, version: (last?.version ?? 0) + 1, text: text!,
                                result: result.rawValue, attachmentsJSON: JSONText.array(attachments),
                                authorUserID: actor.userID, authorLabel: actor.label, at: now, state: .submitted)
        try await answer.create(on: db)
        try await stop([.executor, .urgent])
        details["answer_version"] = String(answer.version)
        details["result"] = result.rawValue
        try await notifyQueue(kind: "answer_submitted", title: "Ответ по обращению №\(record.number) ждёт согласования",
                              body: String(text!.prefix(200)))
    }

    // MARK: - Helpers

    /// What publication does to the case, whoever wrote the answer: its result, the clocks it meets, and
    /// the author's window for a rating where the channel has one.
    private mutating func published(_ answer: CaseAnswer, stopping kinds: Set<CaseClockKind>) async throws {
        record.result = answer.result
        try await stop(kinds)
        if record.firstResponseAt == nil { record.firstResponseAt = now }
        let window = profile.feedbackWindow
        record.status = Lifecycle.afterPublish(feedbackWindow: window != nil).rawValue
        if let window {
            try await start(ClockPlanner.start(.feedback, rule: window, at: now, schedule: schedule, reminderMinutes: 0))
        }
    }

    private mutating func reopen(reason: String) async throws {
        record.reopenCount += 1
        record.status = CaseStatus.reopened.rawValue
        record.result = nil
        record.closedAt = nil
        record.acceptedBySilence = false
        details["reopen_count"] = String(record.reopenCount)
        let p = profile
        // Повторное рассмотрение runs a new term of the channel (or the operator sets one when assigning).
        if !p.finalFromAssignment, let rule = p.finalAnswer {
            try await stop([.finalAnswer], cancelled: true)
            try await start(ClockPlanner.start(.finalAnswer, rule: rule, at: now, schedule: schedule, reminderMinutes: p.reminderMinutes))
        }
        try await notifyQueue(kind: "reopened", title: "Обращение №\(record.number) на повторном рассмотрении", body: reason)
    }

    private mutating func close() {
        record.status = CaseStatus.closed.rawValue
        record.closedAt = now
    }

    private mutating func stop(_ kinds: Set<CaseClockKind>, cancelled: Bool = false) async throws {
        let stopped = try await ClockStore.stop(kinds, of: openClocks, at: now, cancelled: cancelled, on: db)
        details.merge(stopped) { a, _ in a }
    }

    private func start(_ planned: PlannedClock) async throws {
        try await ClockStore.start(planned, caseID: caseID, tenantID: record.tenantID, on: db)
    }

    private func latestAnswer(states: Set<CaseAnswer.State>) async throws -> CaseAnswer {
        guard let answer = try await CaseAnswer.query(on: db).filter(\.$caseID == caseID).sort(\.$version, .descending).first(),
              let state = CaseAnswer.State(rawValue: answer.state), states.contains(state) else {
            throw Problem.conflict("У обращения нет ответа в нужном состоянии для действия «\(action.title)».")
        }
        return answer
    }

    private func findCase(_ ref: String) async throws -> CaseRecord {
        let found = try await CaseReference.find(ref, field: "duplicate_of", unreadable: "укажите номер или идентификатор обращения",
                                                 in: CaseRecord.query(on: db).filter(\.$tenantID == record.tenantID))
        guard found.id != record.id else {
            throw Problem.validation([FieldIssue("duplicate_of", "обращение не может быть дубликатом самого себя")])
        }
        return found
    }

    func localTime(_ date: Date) -> String {
        TimeText.formatLocal(date, in: schedule.zone)
    }

    /// The executor if one is named, else the organisation's executors and head.
    private mutating func notifyOrganisation(kind: String, title: String, body: String) async throws {
        guard notify else { return }
        add(try await Recipients.answering(record, on: db), kind: kind, title: title, body: body)
    }

    private mutating func notifyQueue(kind: String, title: String, body: String) async throws {
        guard notify else { return }
        add(try await Recipients.users(tenantID: record.tenantID, roles: [.channelOperator], on: db), kind: kind, title: title, body: body)
    }

    private mutating func add(_ users: [UUID], kind: String, title: String, body: String) {
        // The case's version before this action: unique per action, even for two actions in one millisecond.
        let stamp = "v\(record.version)"
        for user in users where user != actor.userID {
            notifications.append(OutgoingNotification(tenantID: record.tenantID, userID: user, kind: kind, caseID: caseID,
                                                      title: title, body: body,
                                                      at: now, eventKey: "\(caseID.uuidString)/\(kind)/\(stamp)"))
        }
    }
}
