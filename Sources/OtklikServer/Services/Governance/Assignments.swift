import Fluent
import Foundation
import OtklikCore
import Vapor

/// Assignments under control (поручения): from a signed protocol, the weekly memo or the head; an
/// organisation executes (with co-executors), a control officer accepts the report; the deadline is the
/// end of a working day; extension needs a new working day and a reason; removal from control needs a
/// reason. Every step: history, audit, notices to the people concerned.
struct Assignments {
    let db: any Database
    let access: TenantAccess
    let now: Date
    var notifiers: [any Notifier] = [InAppNotifier()]

    static let notFound = "Поручение не найдено или недоступно вам."
    static let eventTitles = ["created": "Поставлено на контроль", "report": "Отчёт об исполнении", "accept": "Отчёт принят, снято с контроля",
                              "return": "Отчёт возвращён на доработку", "extend": "Срок продлён", "remove": "Снято с контроля без исполнения",
                              "reminded": "Напоминание: срок сегодня", "overdue": "Срок истёк", "escalated": "Эскалация"]
    static let sources = ["protocol": "протокол заседания МЦУ", "memo": "аналитическая записка", "head": "поручение главы"]

    struct DTO: Content {
        struct Event: Content { var kind: String; var title: String; var actor: String; var at: String; var comment: String?; var details: [String: String] }
        var id: UUID
        var number: Int
        var text: String
        var source: String
        var source_title: String
        var meeting: RiskDTO.Ref?
        var organisation: RiskDTO.Ref
        var executor: RiskDTO.Ref?
        var co_executors: [RiskDTO.Ref]
        var control: RiskDTO.Ref?
        var due_on: String
        var due_at: String
        var status: String
        var status_title: String
        var overdue: Bool
        var report_text: String?
        var extensions: Int
        var allowed_actions: [String]
        var events: [Event]
        var version: Int
    }

    func find(_ id: UUID) async throws -> AssignmentRecord {
        guard let a = try await access.assignments(on: db).filter(\.$id == id).first() else { throw Problem.notFound(Self.notFound) }
        return a
    }

    /// `filter`: open (default), overdue, week (due by the end of this week or overdue), closed, all.
    func list(_ filter: String) async throws -> [AssignmentRecord] {
        try await query(filter).sort(\.$dueAt).sort(\.$number).limit(1_000).all()
    }

    /// How many there are under `filter` (the dashboard's figures), without loading them.
    func count(_ filter: String) async throws -> Int { try await query(filter).count() }

    private func query(_ filter: String) throws -> QueryBuilder<AssignmentRecord> {
        let q = try access.assignments(on: db)
        switch filter {
        case "all": break
        case "closed": q.filter(\.$status ~~ [AssignmentStatus.done.rawValue, AssignmentStatus.removed.rawValue])
        case "overdue": q.filter(\.$status ~~ [AssignmentStatus.onControl.rawValue, AssignmentStatus.reported.rawValue]).filter(\.$dueAt <= now)
        case "week":
            let today = LocalDay(now, in: access.zone)
            let sunday = today.adding(days: 6 - today.weekdayFromMonday)
            q.filter(\.$status ~~ [AssignmentStatus.onControl.rawValue, AssignmentStatus.reported.rawValue]).filter(\.$dueOn <= sunday.iso)
        case "open": q.filter(\.$status ~~ [AssignmentStatus.onControl.rawValue, AssignmentStatus.reported.rawValue])
        default: throw Problem.validation([FieldIssue("filter", "ожидалось: open, week, overdue, closed, all")])
        }
        return q
    }

    /// Standalone assignment (from the memo or the head). Body: text, source, organisation_id,
    /// executor_user_id, co_executors, control_user_id, due_on.
    func create(_ body: [String: JSONValue]) async throws -> AssignmentRecord {
        try access.requireGoverning()
        var r = PayloadReader(body)
        let text = r.string("text", required: true, max: 4_000)
        let source = r.string("source", max: 20) ?? "head"
        if Self.sources[source] == nil || source == "protocol" {
            r.issues.append(FieldIssue("source", "источник: memo (аналитическая записка) или head (поручение главы); поручения по протоколу создаются подписанием протокола"))
        }
        let org = r.uuid("organisation_id")
        if org == nil && !r.issues.contains(where: { $0.field == "organisation_id" }) { r.issues.append(FieldIssue("organisation_id", "укажите организацию-исполнителя")) }
        let executor = r.uuid("executor_user_id"), control = r.uuid("control_user_id")
        let co = r.strings("co_executors", maxCount: 20, maxLength: 64)
        let due = r.day("due_on", required: true)
        if let due, due < LocalDay(now, in: access.zone) { r.issues.append(FieldIssue("due_on", "срок \(due.russian) уже прошёл")) }
        var dueAt: Date?
        if let due, !r.issues.contains(where: { $0.field == "due_on" }) {
            switch WorkingDeadline.due(due, schedule: try await TenantRegulation.schedule(tenantID: access.tenantID, on: db)) {
            case .success(let d): dueAt = d
            case .failure(let why): r.issues.append(FieldIssue("due_on", why.text))
            }
        }
        _ = try await ReferenceBooks.requireInTenant(Organisation.self, org, field: "organisation_id", what: "Организация", access: access, on: db, issues: &r.issues)
        for c in co {
            _ = try await ReferenceBooks.requireInTenant(Organisation.self, UUID(uuidString: c) ?? UUID(), field: "co_executors", what: "Организация-соисполнитель", access: access, on: db, issues: &r.issues)
        }
        try await ReferenceBooks.requireTenantUser(executor, field: "executor_user_id", access: access, on: db, issues: &r.issues)
        try await ReferenceBooks.requireTenantUser(control, field: "control_user_id", access: access, on: db, issues: &r.issues)
        try r.check()
        let deadline = dueAt!
        return try await db.transaction { tx in
            try await SQLiteWriteLock.acquire(tx)
            return try await make(text: text!, source: source, meetingID: nil, decisionID: nil, organisationID: org!, executorUserID: executor,
                                  coExecutors: co, controlUserID: control, dueOn: due!, dueAt: deadline, on: tx, note: Self.sources[source])
        }
    }

    /// Writes a new assignment (already checked) with its history, audit and notices.
    func make(text: String, source: String, meetingID: UUID?, decisionID: UUID?, organisationID: UUID, executorUserID: UUID?, coExecutors: [String],
              controlUserID: UUID?, dueOn: LocalDay, dueAt: Date, on tx: any Database, note: String?) async throws -> AssignmentRecord {
        let schedule = try await TenantRegulation.schedule(tenantID: access.tenantID, on: tx)
        let a = AssignmentRecord()
        a.id = TimeOrderedUUID.make(at: now)
        a.tenantID = access.tenantID
        a.number = try await TenantCounters.next("assignment", tenantID: access.tenantID, on: tx)
        a.source = source
        a.meetingID = meetingID
        a.decisionID = decisionID
        a.text = text
        a.organisationID = organisationID
        a.executorUserID = executorUserID
        a.coExecutorsJSON = JSONText.array(coExecutors)
        a.controlUserID = controlUserID ?? access.principal.userID
        a.dueOn = dueOn.iso
        a.dueAt = dueAt
        a.remindAt = WorkingDeadline.morning(dueOn, schedule: schedule)
        a.status = AssignmentStatus.onControl.rawValue
        a.extensions = 0
        a.escalationLevel = 0
        a.version = 1
        a.createdBy = access.principal.label
        a.createdAt = now
        a.updatedAt = now
        try await a.create(on: tx)
        try await event(a, "created", comment: note, details: ["due_on": dueOn.russian], on: tx)
        try await audit(a, "assignment.create", tx)
        try await notify(a, title: "Поручение № \(a.number): срок \(dueOn.russian)", body: text, on: tx)
        return a
    }

    func act(_ id: UUID, _ action: AssignmentAction, _ body: [String: JSONValue]) async throws -> AssignmentRecord {
        let current = try await find(id)
        let controls = access.governs || current.controlUserID == access.principal.userID
        let executes = access.visibleOrganisationIDs.map { $0.contains(current.organisationID) } ?? false
        switch action {
        case .report: guard controls || executes else { throw Problem.forbidden("Отчитываться по поручению может организация-исполнитель.") }
        default: guard controls else { throw Problem.forbidden("Это решает контролёр поручения или руководство МЦУ.") }
        }
        var r = PayloadReader(body)
        let version = r.int("version", range: 1...Int(Int32.max), required: true)
        guard let next = action.next(from: current.assignmentStatus) else {
            try r.check()
            throw Problem.conflict("Поручение № \(current.number) — «\(current.assignmentStatus.title)»: «\(action.title)» сейчас недоступно.")
        }
        var text: String?
        var newDue: (LocalDay, Date)?
        switch action {
        case .report:
            text = r.string("text", max: 8_000)
            if text == nil && !r.issues.contains(where: { $0.field == "text" }) { r.issues.append(FieldIssue("text", "опишите, что сделано")) }
        case .return, .remove:
            text = r.string("reason", max: 2_000)
            if text == nil && !r.issues.contains(where: { $0.field == "reason" }) { r.issues.append(FieldIssue("reason", "укажите причину")) }
        case .accept:
            text = r.string("comment", max: 2_000)
        case .extend:
            text = r.string("reason", max: 2_000)
            if text == nil && !r.issues.contains(where: { $0.field == "reason" }) { r.issues.append(FieldIssue("reason", "укажите причину продления")) }
            if let day = r.day("due_on", required: true) {
                if day.iso <= current.dueOn { r.issues.append(FieldIssue("due_on", "новый срок должен быть позже прежнего (\(LocalDay(current.dueOn)!.russian))")) }
                else {
                    switch WorkingDeadline.due(day, schedule: try await TenantRegulation.schedule(tenantID: access.tenantID, on: db)) {
                    case .success(let d): newDue = (day, d)
                    case .failure(let why): r.issues.append(FieldIssue("due_on", why.text))
                    }
                }
            }
        }
        try r.check()
        let chosen = (text, newDue)
        let schedule = try await TenantRegulation.schedule(tenantID: access.tenantID, on: db)
        return try await db.transaction { tx in
            try await SQLiteWriteLock.acquire(tx)
            guard let a = try await AssignmentRecord.find(id, on: tx) else { throw Problem.notFound(Self.notFound) }
            guard a.version == version else {
                throw Problem.conflict("Поручение № \(a.number) изменили, пока вы с ним работали. Обновите страницу и повторите.")
            }
            a.status = next.rawValue
            var details: [String: String] = [:]
            switch action {
            case .report: a.reportText = chosen.0; a.reportedAt = now
            case .accept, .remove: a.closedAt = now; a.nextEscalationAt = nil
            case .return: break
            case .extend:
                let (day, due) = chosen.1!
                details = ["from": LocalDay(a.dueOn)!.russian, "to": day.russian]
                a.dueOn = day.iso
                a.dueAt = due
                a.extensions += 1
                a.remindAt = WorkingDeadline.morning(day, schedule: schedule)
                a.remindedAt = nil
                a.overdueAt = nil
                a.escalationLevel = 0
                a.nextEscalationAt = nil
            }
            a.version += 1
            a.updatedAt = now
            try await a.update(on: tx)
            try await event(a, action.rawValue, comment: chosen.0, details: details, on: tx)
            try await audit(a, "assignment.\(action.rawValue)", tx)
            let title: String = switch action {
            case .report: "Поручение № \(a.number): отчёт об исполнении"
            case .accept: "Поручение № \(a.number) исполнено и снято с контроля"
            case .return: "Поручение № \(a.number): отчёт возвращён на доработку"
            case .extend: "Поручение № \(a.number): срок продлён до \(chosen.1!.0.russian)"
            case .remove: "Поручение № \(a.number) снято с контроля"
            }
            try await notify(a, title: title, body: chosen.0 ?? a.text, on: tx)
            return a
        }
    }

    func dto(_ a: AssignmentRecord) async throws -> DTO {
        func org(_ id: UUID) async throws -> RiskDTO.Ref { .init(id: id, name: try await Organisation.query(on: db).withDeleted().filter(\.$id == id).first()?.name ?? "—") }
        var co: [RiskDTO.Ref] = []
        for c in JSONText.decodeArray(a.coExecutorsJSON).compactMap(UUID.init(uuidString:)) { co.append(try await org(c)) }
        var meeting: MeetingRecord?
        if let id = a.meetingID { meeting = try await MeetingRecord.find(id, on: db) }
        let controls = access.governs || a.controlUserID == access.principal.userID
        let executes = access.visibleOrganisationIDs.map { $0.contains(a.organisationID) } ?? false
        let allowed = AssignmentAction.allCases.filter { act in
            act.next(from: a.assignmentStatus) != nil && (act == .report ? (controls || executes) : controls)
        }
        let events = try await AssignmentEventRecord.query(on: db).filter(\.$assignmentID == a.id!).sort(\.$occurredAt).sort(\.$id).all()
        return DTO(id: a.id!, number: a.number, text: a.text, source: a.source, source_title: Self.sources[a.source] ?? a.source,
                   meeting: meeting.map { RiskDTO.Ref(id: $0.id!, name: "Протокол № \($0.number) от \(LocalDay($0.startsAt, in: access.zone).russian)") },
                   organisation: try await org(a.organisationID), executor: try await RiskDTO.Ref.load(User.self, on: db, a.executorUserID) { $0.fullName }, co_executors: co,
                   control: try await RiskDTO.Ref.load(User.self, on: db, a.controlUserID) { $0.fullName }, due_on: a.dueOn, due_at: TimeText.formatRFC3339(a.dueAt), status: a.status,
                   status_title: a.assignmentStatus.title, overdue: a.assignmentStatus.isOpen && a.dueAt <= now, report_text: a.reportText,
                   extensions: a.extensions, allowed_actions: allowed.map(\.rawValue),
                   events: events.map { .init(kind: $0.kind, title: Self.eventTitles[$0.kind] ?? $0.kind, actor: $0.actorLabel, at: TimeText.formatRFC3339($0.occurredAt), comment: $0.comment,
                                              details: JSONText.decodeObject($0.detailsJSON)) },
                   version: a.version)
    }

    // MARK: helpers

    func event(_ a: AssignmentRecord, _ kind: String, comment: String?, details: [String: String], on tx: any Database) async throws {
        try await AssignmentEventRecord(a, kind: kind, actorUserID: access.principal.userID, actorLabel: access.principal.label, at: now,
                                        comment: comment, details: details).create(on: tx)
    }

    private func audit(_ a: AssignmentRecord, _ action: String, _ tx: any Database) async throws {
        try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: action, entity: "assignment", entityID: a.id!.uuidString,
                               after: ["number": String(a.number), "status": a.status, "due_on": a.dueOn, "version": String(a.version)])
    }

    /// The executor (or the organisation's head and executors), the control officer.
    func notify(_ a: AssignmentRecord, title: String, body: String, on tx: any Database, kind: NotificationKind = .assignment, extra: [UUID] = []) async throws {
        var users = Set(extra)
        if let e = a.executorUserID { users.insert(e) }
        else { users.formUnion(try await Recipients.users(tenantID: a.tenantID, roles: [.organisationHead], organisationID: a.organisationID, on: tx)) }
        if let c = a.controlUserID { users.insert(c) }
        users.remove(access.principal.userID ?? UUID())
        let notes = users.sorted { $0.uuidString < $1.uuidString }.map {
            var n = OutgoingNotification(tenantID: a.tenantID, userID: $0, kind: kind.rawValue, caseID: nil, title: title, body: String(body.prefix(2_000)),
                                         at: now, eventKey: "assignment/\(a.id!.uuidString)/\(a.version)/\(kind.rawValue)")
            n.assignmentID = a.id
            return n
        }
        for notifier in notifiers { try await notifier.deliver(notes, on: tx) }
    }
}
