import Fluent
import Foundation
import OtklikCore
import Vapor

/// A notification for one person: a reminder, an overdue, an escalation, a return for rework…
struct OutgoingNotification: Sendable {
    var tenantID: UUID
    var userID: UUID
    var kind: String
    var caseID: UUID?
    var title: String
    var body: String
    /// When the event happened (the action's or the monitor's clock).
    var at: Date
    /// The event behind the notification (a clock's escalation level, an action at a moment): the
    /// operators' alert chat hears of it once, however many people it notifies.
    var eventKey: String
    /// The same event never notifies the same person twice, whichever app instance sees it.
    var dedupeKey: String { eventKey + "/" + userID.uuidString }
    /// The information risk it is about (the inbox links to its card).
    var riskID: UUID? = nil
    /// The assignment it is about.
    var assignmentID: UUID? = nil
}

/// Where notifications go. Every notifier writes in the same transaction as the event that caused it: the
/// in-app inbox directly, e-mail and the Telegram alert chat into the outbox (`NotificationDelivery`)
/// that `NotificationDispatcher` sends from, so a rolled-back action never sends anything.
protocol Notifier: Sendable {
    func deliver(_ notifications: [OutgoingNotification], on db: any Database) async throws
}

/// The in-app inbox (`notifications` table).
struct InAppNotifier: Notifier {
    func deliver(_ notifications: [OutgoingNotification], on db: any Database) async throws {
        for n in notifications {
            // A duplicate key means this notification exists already: nothing to do.
            if try await NotificationRecord.query(on: db).filter(\.$dedupeKey == n.dedupeKey).count() > 0 { continue }
            let r = NotificationRecord()
            r.id = TimeOrderedUUID.make()
            r.tenantID = n.tenantID
            r.userID = n.userID
            r.kind = n.kind
            r.caseID = n.caseID
            r.riskID = n.riskID
            r.assignmentID = n.assignmentID
            r.title = n.title
            r.body = n.body
            r.createdAt = n.at
            r.dedupeKey = n.dedupeKey
            try await r.create(on: db)
        }
    }
}

struct NotifiersKey: StorageKey { typealias Value = [any Notifier] }

extension Application {
    var notifiers: [any Notifier] {
        get { storage[NotifiersKey.self] ?? [InAppNotifier()] }
        set { storage[NotifiersKey.self] = newValue }
    }
}

/// Who gets told: users holding given roles in a tenant, optionally for one organisation or block.
enum Recipients {
    static func users(tenantID: UUID, roles: Set<Role>, organisationID: UUID? = nil, blockID: UUID? = nil,
                      on db: any Database) async throws -> [UUID] {
        var q = RoleAssignment.query(on: db).filter(\.$tenantID == tenantID).filter(\.$role ~~ roles.map(\.rawValue))
        if let organisationID { q = q.filter(\.$organisationID == organisationID) }
        if let blockID { q = q.filter(\.$blockID == blockID) }
        let ids = Set(try await q.all().map(\.userID))
        guard !ids.isEmpty else { return [] }
        return try await User.query(on: db).filter(\.$id ~~ Array(ids)).filter(\.$isActive == true).all()
            .compactMap(\.id).sorted { $0.uuidString < $1.uuidString }
    }

    /// Who answers a case: its executor if one is named, else its organisation's executors and head.
    static func answering(_ record: CaseRecord, on db: any Database) async throws -> [UUID] {
        if let executor = record.executorID { return [executor] }
        guard let org = record.organisationID else { return [] }
        return try await users(tenantID: record.tenantID, roles: [.executor, .organisationHead], organisationID: org, on: db)
    }
}
