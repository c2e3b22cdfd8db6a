import Fluent
import Foundation
import OtklikCore
import SQLKit

/// Brings cases that an export already created up to date with what the source says now: status,
/// planned and actual dates, rating, decision type, organisation and the kept columns. Each changed
/// case gets one «Обновлено из источника» event listing every change (old → new); clocks the source
/// is past stop as `SourceClockRule` says. Unchanged cases are not touched.
struct SourceSync {
    let db: any Database
    let tenantID: UUID
    let actor: IntakeActor
    let timeZone: TimeZone
    var now = Date()

    enum Outcome: Sendable, Equatable { case updated([String]), unchanged }

    func apply(_ items: [(caseID: UUID, state: SourceState)]) async throws -> [UUID: Outcome] {
        guard !items.isEmpty else { return [:] }
        return try await db.transaction { tx in
            try await SQLiteWriteLock.acquire(tx)
            var out: [UUID: Outcome] = [:]
            let ids = items.map(\.caseID)
            var records: [UUID: CaseRecord] = [:]
            var clocks: [UUID: [CaseClock]] = [:]
            for chunk in ids.chunked(500) {
                for r in try await CaseRecord.query(on: tx).filter(\.$tenantID == tenantID).filter(\.$id ~~ Array(chunk)).all() {
                    if let id = r.id { records[id] = r }
                }
                for c in try await CaseClock.query(on: tx).filter(\.$caseID ~~ Array(chunk)).filter(\.$stoppedAt == nil).all() {
                    clocks[c.caseID, default: []].append(c)
                }
            }
            for item in items {
                guard let record = records[item.caseID] else { continue }
                let changes = try await sync(record, item.state, open: clocks[item.caseID] ?? [], on: tx)
                out[item.caseID] = changes.isEmpty ? .unchanged : .updated(changes)
            }
            return out
        }
    }

    private func sync(_ c: CaseRecord, _ s: SourceState, open: [CaseClock], on db: any Database) async throws -> [String] {
        var changes: [String] = []
        var details: [String: String] = ["source": actor.source]
        func note(_ key: String, _ title: String, _ old: String?, _ new: String?) {
            changes.append("\(title): \(old ?? "—") → \(new ?? "—")")
            details[key] = "\(old ?? "") → \(new ?? "")"
        }
        func local(_ d: Date?) -> String? { d.map { TimeText.formatLocal($0, in: timeZone) } }

        if let raw = s.status, raw != c.sourceStatus {
            note("source_status", "Статус в источнике", c.sourceStatus, raw)
            c.sourceStatus = raw
        }
        if let mapped = s.mappedStatus, mapped.rawValue != c.status {
            note("status", "Статус", CaseStatus(rawValue: c.status)?.title ?? c.status, mapped.title)
            c.status = mapped.rawValue
            if mapped == .closed { c.closedAt = s.completedAt ?? now } else if c.closedAt != nil { c.closedAt = nil }
        } else if s.isClosed, let done = s.completedAt, c.closedAt != done {
            note("closed_at", "Дата завершения", local(c.closedAt), local(done))
            c.closedAt = done
        }
        if let planned = s.plannedAt, planned != c.sourceDeadline {
            note("source_deadline", "Плановая дата завершения", local(c.sourceDeadline), local(planned))
            c.sourceDeadline = planned
            // The final-answer clock that follows the source's deadline moves with it.
            for clock in open where clock.kind == CaseClockKind.finalAnswer.rawValue && clock.rule == "source_deadline" {
                clock.dueAt = planned
                clock.overdueAt = nil
                try await clock.update(on: db)
            }
        }
        if let rating = s.rating, rating != c.feedbackRating {
            note("feedback_rating", "Оценка автора", c.feedbackRating.map(String.init), String(rating))
            c.feedbackRating = rating
        }
        if let result = s.result, result.rawValue != c.result {
            note("result", "Тип решения", c.result.flatMap { CaseResult(rawValue: $0)?.title }, result.title)
            c.result = result.rawValue
        }
        if let ref = s.organisationRef, let org = UUID(uuidString: ref), org != c.organisationID {
            note("organisation_id", "Организация", c.organisationID?.uuidString, ref)
            c.organisationID = org
        }
        let fields = SourceFields.json(s.fields)
        if let fields, fields != c.sourceFieldsJSON {
            let old = Dictionary(SourceFields.decode(c.sourceFieldsJSON), uniquingKeysWith: { a, _ in a })
            for (header, value) in s.fields where old[header] != value && !changes.contains(where: { $0.hasPrefix(header + ":") }) {
                changes.append("\(header): \(old[header] ?? "—") → \(value)")
            }
            if changes.isEmpty { changes.append("Данные источника обновлены") }
            c.sourceFieldsJSON = fields
        }
        guard !changes.isEmpty else { return [] }

        var stillOpen: [CaseClock] = []
        for clock in open {
            guard let kind = CaseClockKind(rawValue: clock.kind),
                  let stop = SourceClockRule.stop(kind, due: clock.dueAt, state: s, now: now) else { stillOpen.append(clock); continue }
            clock.stoppedAt = stop.at
            clock.outcome = stop.outcome.rawValue
            clock.nextEscalationAt = nil
            try await clock.update(on: db)
            details["clock." + kind.rawValue] = stop.outcome.rawValue
        }
        c.nextDueAt = ClockStore.nextDue(stillOpen)
        c.version += 1
        c.updatedAt = now
        try await c.update(on: db)
        try await CaseEvent(tenantID: tenantID, caseID: c.id!, kind: CaseEventKind.updatedFromSource.rawValue,
                            actorUserID: actor.userID, actorLabel: actor.label, at: now,
                            comment: String(changes.joined(separator: "; ").prefix(4_000)), details: details).create(on: db)
        return changes
    }
}
