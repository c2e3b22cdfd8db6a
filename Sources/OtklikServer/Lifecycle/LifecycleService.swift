import Fluent
import Foundation
import OtklikCore
import SQLKit

/// Performs lifecycle actions on cases: checks the role, the optimistic version and the state machine,
/// applies the action's effects (status, clocks, answers, notifications), and writes one history event
/// and one audit entry — all in one transaction, so a refused action writes nothing.
struct LifecycleService {
    let db: any Database
    let tenantID: UUID
    var notifiers: [any Notifier] = [InAppNotifier()]
    /// Preloaded regulation for bulk work (the demo); nil loads it per action.
    var regulation: TenantRegulation? = nil

    /// The outcome of an action: the case after it.
    struct Done: Sendable {
        var caseID: UUID
        var status: CaseStatus
    }

    /// `expectedVersion`: the version the person saw; nil only for the deadline monitor.
    func perform(_ action: CaseAction, caseID: UUID, payload: [String: JSONValue], actor: ActionActor,
                 expectedVersion: Int?, now: Date) async throws -> Done {
        try await db.transaction { tx in
            try await SQLiteWriteLock.acquire(tx)
            return try await apply(action, caseID: caseID, payload: payload, actor: actor, expectedVersion: expectedVersion,
                            now: now, on: tx)
        }
    }

    /// The same inside a transaction the caller owns (the monitor claims clocks in its own).
    func apply(_ action: CaseAction, caseID: UUID, payload: [String: JSONValue], actor: ActionActor,
               expectedVersion: Int?, now: Date, on tx: any Database) async throws -> Done {
        guard let record = try await CaseQueries.scoped(tenantID: tenantID, visibleOrganisationIDs: actor.visibleOrganisationIDs, on: tx)
            .filter(\.$id == caseID).first() else {
            throw Problem.notFound("Обращение не найдено или недоступно вам.")
        }
        guard actor.may(action, on: record) else {
            throw Problem.forbidden(LifecycleRefusal.roleMayNot(action: action).description)
        }
        if let expectedVersion, expectedVersion != record.version {
            throw Problem.conflict("Обращение уже изменил другой пользователь (версия \(record.version), у вас — \(expectedVersion)). Обновите карточку и повторите действие.")
        }
        if let refusal = Lifecycle.refusal(action, in: record.lifecycleState) {
            throw Problem.conflict(refusal.description)
        }
        let regulation: TenantRegulation
        if let preloaded = self.regulation { regulation = preloaded }
        else { regulation = try await TenantRegulation.load(tenantID: tenantID, on: tx) }
        let clocks = try await ClockStore.open(caseID: caseID, on: tx)
        var context = ActionContext(action: action, record: record, payload: PayloadReader(payload), actor: actor,
                                    now: now, regulation: regulation, openClocks: clocks, db: tx)
        context.notify = !notifiers.isEmpty
        let statusBefore = record.caseStatus
        try await context.run()
        record.nextDueAt = ClockStore.nextDue(try await ClockStore.open(caseID: caseID, on: tx))

        // The guarded bump makes a concurrent action on the same case wait for this one and then fail its
        // own version check: one wins, the other gets 409, nothing is lost.
        let sql = tx as! any SQLDatabase
        let bumped = try await sql.update("cases")
            .set(SQLIdentifier("version"), to: SQLBinaryExpression(SQLIdentifier("version"), .add, SQLLiteral.numeric("1")))
            .where("id", .equal, caseID).where("version", .equal, record.version)
            .returning("version").first(decodingColumn: "version", as: Int.self)
        guard let newVersion = bumped else {
            throw Problem.conflict("Обращение только что изменил другой пользователь. Обновите карточку и повторите действие.")
        }
        record.version = newVersion
        record.updatedAt = now
        try await record.update(on: tx)

        var details = context.details
        if record.caseStatus != statusBefore {
            details["status_from"] = statusBefore.rawValue
            details["status_to"] = record.status
        }
        try await CaseEvent(tenantID: tenantID, caseID: caseID, kind: action.rawValue, actorUserID: actor.userID,
                            actorLabel: actor.label, at: now, comment: context.comment, details: details).create(on: tx)
        try await Audit.record(on: tx, tenantID: tenantID, actor: nil, actorLabel: actor.label,
                               action: "case." + action.rawValue, entity: "case", entityID: caseID.uuidString,
                               before: ["status": statusBefore.rawValue, "version": String(newVersion - 1)],
                               after: details.merging(["status": record.status, "version": String(newVersion)]) { a, _ in a })
        for notifier in notifiers { try await notifier.deliver(context.notifications, on: tx) }
        return Done(caseID: caseID, status: record.caseStatus)
    }
}
