import Fluent
import Foundation
import OtklikCore

/// Starts and stops a case's clocks. A clock records met / missed at the moment it stops and is never
/// recomputed afterwards.
enum ClockStore {
    /// Starts one clock: the same row bulk intake writes.
    static func start(_ planned: PlannedClock, caseID: UUID, tenantID: UUID, on db: any Database) async throws {
        try await BulkInsert.run(on: db, table: "case_clocks", columns: columns,
                                 rows: [cells(planned, caseID: caseID, tenantID: tenantID)], rowsPerStatement: 1)
    }

    /// Row values, in `columns` order.
    static let columns = ["id", "tenant_id", "case_id", "kind", "rule", "started_at", "due_at", "original_due_at",
                          "remind_at", "escalation_level", "used_fallback", "stopped_at", "outcome"]

    /// - Parameter stopped: a clock that is already over when it is written (an import whose source
    ///   is past that step).
    static func cells(_ p: PlannedClock, caseID: UUID, tenantID: UUID, stopped: (at: Date, outcome: ClockOutcome)? = nil) -> [SQLCell] {
        [.uuid(TimeOrderedUUID.make(at: p.startedAt)), .uuid(tenantID), .uuid(caseID), .text(p.kind.rawValue), .text(p.rule),
         .date(p.startedAt), .date(p.due), .date(p.due), .date(stopped == nil ? p.remindAt : nil), .int(0), .bool(p.usedFallback),
         .date(stopped?.at), .text(stopped?.outcome.rawValue)]
    }

    /// The case's nearest deadline among open clocks that can be overdue (not the author's rating window).
    static func nextDue(_ clocks: [(CaseClockKind, Date)]) -> Date? {
        clocks.filter { $0.0.countsAsOverdue }.map(\.1).min()
    }

    static func nextDue(_ open: [CaseClock]) -> Date? {
        nextDue(open.compactMap { c in CaseClockKind(rawValue: c.kind).map { ($0, c.dueAt) } })
    }

    static func open(caseID: UUID, on db: any Database) async throws -> [CaseClock] {
        try await CaseClock.query(on: db).filter(\.$caseID == caseID).filter(\.$stoppedAt == nil).all()
    }

    /// Stops the open clocks of the given kinds; returns "kind" → outcome for the event's details.
    @discardableResult
    static func stop(_ kinds: Set<CaseClockKind>, of clocks: [CaseClock], at now: Date, cancelled: Bool = false,
                     on db: any Database) async throws -> [String: String] {
        var out: [String: String] = [:]
        for clock in clocks where clock.stoppedAt == nil {
            guard let kind = CaseClockKind(rawValue: clock.kind), kinds.contains(kind) else { continue }
            clock.stoppedAt = now
            let outcome: ClockOutcome = cancelled ? .cancelled : (now <= clock.dueAt || kind == .feedback ? .met : .missed)
            clock.outcome = outcome.rawValue
            clock.nextEscalationAt = nil
            try await clock.update(on: db)
            out["clock." + kind.rawValue] = outcome.rawValue
        }
        return out
    }
}
