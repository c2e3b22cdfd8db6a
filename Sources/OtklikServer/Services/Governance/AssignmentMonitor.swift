import Fluent
import Foundation
import OtklikCore
import SQLKit

/// The assignments' part of the deadline monitor, as for cases and risks: on the morning of the due day
/// a reminder; at the end of it «просрочено» to the executor and the control officer; then each working
/// day up the chain — the МЦУ head, the curator. Claimed with `FOR UPDATE SKIP LOCKED` on PostgreSQL.
struct AssignmentMonitor {
    let db: any Database
    var notifiers: [any Notifier] = [InAppNotifier()]
    static let batch = 100
    static let open = "status IN ('on_control', 'reported')"

    struct Report: Sendable, Equatable { var reminders = 0, overdue = 0, escalations = 0 }

    func tick(now: Date) async throws -> Report {
        var report = Report()
        report.reminders = try await drain(now, where: "\(Self.open) AND reminded_at IS NULL AND remind_at <=", order: "remind_at") { a, tx in
            a.remindedAt = now
            guard a.dueAt > now else { return }
            try await notify(a, level: 0, now: now, on: tx)
        }
        report.overdue = try await drain(now, where: "\(Self.open) AND overdue_at IS NULL AND due_at <=", order: "due_at") { a, tx in
            a.overdueAt = now
            try await escalate(a, level: 1, now: now, on: tx)
        }
        report.escalations = try await drain(now, where: "\(Self.open) AND next_escalation_at <=", order: "next_escalation_at") { a, tx in
            try await escalate(a, level: a.escalationLevel + 1, now: now, on: tx)
        }
        return report
    }

    private func escalate(_ a: AssignmentRecord, level: Int, now: Date, on tx: any Database) async throws {
        let chain: [(String, Set<Role>)] = [("исполнитель и контролёр", []), ("руководитель МЦУ", [.mcuHead]), ("куратор МЦУ", [.curator])]
        guard level <= chain.count else { a.nextEscalationAt = nil; return }
        a.escalationLevel = level
        let schedule = try await TenantRegulation.schedule(tenantID: a.tenantID, on: tx)
        a.nextEscalationAt = level < chain.count ? schedule.deadline(.workingDays(1), from: now).due : nil
        try await notify(a, level: level, now: now, on: tx, chain: chain)
    }

    private func notify(_ a: AssignmentRecord, level: Int, now: Date, on tx: any Database, chain: [(String, Set<Role>)] = []) async throws {
        guard let m = try await Municipality.find(a.tenantID, on: tx) else { return }
        let day = LocalDay(a.dueOn)?.russian ?? a.dueOn
        var extra: [UUID] = []
        if level > 1 { extra = try await Recipients.users(tenantID: a.tenantID, roles: chain[level - 1].1, on: tx) }
        let access = TenantAccess.acting(in: m, roles: [], label: ActionActor.monitor.label)
        let service = Assignments(db: tx, access: access, now: now, notifiers: notifiers)
        let title = level == 0 ? "Поручение № \(a.number): срок сегодня, \(day)"
            : "Поручение № \(a.number) не исполнено в срок (\(day))" + (level > 1 ? ": эскалация — \(chain[level - 1].0)" : "")
        try await service.notify(a, title: title, body: a.text, on: tx, kind: .assignmentDeadline, extra: extra)
        let kind = level == 0 ? "reminded" : level == 1 ? "overdue" : "escalated"
        try await AssignmentEventRecord(a, kind: kind, actorUserID: nil, actorLabel: ActionActor.monitor.label, at: now,
                                        details: level > 1 ? ["level": String(level), "to": chain[level - 1].0] : ["due_on": day]).create(on: tx)
    }

    private func drain(_ now: Date, where condition: String, order: String,
                       _ apply: @escaping @Sendable (AssignmentRecord, any Database) async throws -> Void) async throws -> Int {
        try await ClaimedBatches.drain(AssignmentRecord.self, on: db, where: condition, now: now, order: order, batch: Self.batch, apply)
    }
}
