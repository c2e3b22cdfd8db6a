import Fluent
import Foundation
import OtklikCore
import SQLKit

/// The deadline monitor: marks clocks overdue, sends reminders before deadlines and escalations after
/// them (organisation head → block lead → МЦУ head), and closes answers whose feedback window ended in
/// silence. Every job is claimed with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so with several app
/// instances each runs exactly once; SQLite has one instance.
struct DeadlineMonitor {
    let db: any Database
    var notifiers: [any Notifier] = [InAppNotifier()]
    /// Deadlines that passed longer ago than this when first seen (a historical import, a stopped server)
    /// are marked overdue without notifications: nobody can act on a week-old reminder.
    static let staleAfter: TimeInterval = 3 * 86_400
    /// Each escalation level waits this much working time after the previous one.
    static let escalationStepMinutes = 9 * 60
    static let batch = 100

    struct Report: Sendable, Equatable {
        var reminders = 0, overdue = 0, escalations = 0, acceptedBySilence = 0

        mutating func add(_ other: Report) {
            reminders += other.reminders
            overdue += other.overdue
            escalations += other.escalations
            acceptedBySilence += other.acceptedBySilence
        }
    }

    func tick(now: Date) async throws -> Report {
        var report = Report()
        // Long-past deadlines (a historical import, a server that was off) are marked in one statement:
        // no notifications, no escalation, no history noise. Idempotent across instances.
        let sql = db as! any SQLDatabase
        struct Row: Decodable { var id: UUID }
        report.overdue += try await sql.update("case_clocks")
            .set("overdue_at", to: SQLBind(now))
            .where("stopped_at", .is, SQLLiteral.null).where("overdue_at", .is, SQLLiteral.null)
            .where("kind", .notEqual, CaseClockKind.feedback.rawValue)
            .where("due_at", .lessThanOrEqual, SQLBind(now.addingTimeInterval(-Self.staleAfter)))
            .returning("id").all(decoding: Row.self).count
        report.add(try await drain { tx in try await deadlinesPass(now: now, on: tx) })
        report.add(try await drain { tx in try await remindersPass(now: now, on: tx) })
        report.add(try await drain { tx in try await escalationsPass(now: now, on: tx) })
        return report
    }

    /// Repeats a pass, one transaction per batch, until a claim comes back short: a backlog is worked off
    /// in batches.
    private func drain(_ pass: @escaping @Sendable (any Database) async throws -> (Int, Report)) async throws -> Report {
        var total = Report()
        while true {
            let (claimed, part) = try await db.transaction { tx in
                try await SQLiteWriteLock.acquire(tx)
                return try await pass(tx)
            }
            total.add(part)
            if claimed < Self.batch { return total }
        }
    }

    /// Deadlines reached: feedback windows close, other clocks become overdue.
    private func deadlinesPass(now: Date, on tx: any Database) async throws -> (Int, Report) {
        var report = Report()
        let regulations = RegulationCache()
        let clocks = try await claim(tx, where: "stopped_at IS NULL AND overdue_at IS NULL AND due_at <=", now: now, order: "due_at")
        for clock in clocks {
            guard let record = try await CaseRecord.find(clock.caseID, on: tx) else { continue }
            if clock.kind == CaseClockKind.feedback.rawValue {
                if record.caseStatus == .awaitingFeedback {
                    _ = try await LifecycleService(db: tx, tenantID: record.tenantID, notifiers: notifiers)
                        .apply(.acceptBySilence, caseID: record.id!, payload: [:], actor: .monitor,
                               expectedVersion: nil, now: now, on: tx)
                    report.acceptedBySilence += 1
                } else {
                    try await ClockStore.stop([.feedback], of: [clock], at: now, cancelled: true, on: tx)
                }
                continue
            }
            let reg = try await regulations.get(record.tenantID, tx)
            clock.overdueAt = now
            let notified = try await escalate(clock, record: record, level: 1, now: now, regulation: reg, on: tx)
            try await clock.update(on: tx)
            try await event(.overdue, record: record, clock: clock, now: now,
                            details: ["due_at": TimeText.formatRFC3339(clock.dueAt), "notified": String(notified)], on: tx)
            report.overdue += 1
        }
        return (clocks.count, report)
    }

    /// Reminders before deadlines.
    private func remindersPass(now: Date, on tx: any Database) async throws -> (Int, Report) {
        var report = Report()
        let regulations = RegulationCache()
        let clocks = try await claim(tx, where: "stopped_at IS NULL AND reminded_at IS NULL AND remind_at <=", now: now, order: "remind_at")
        for clock in clocks {
            clock.remindedAt = now
            try await clock.update(on: tx)
            guard clock.dueAt > now, let record = try await CaseRecord.find(clock.caseID, on: tx) else { continue }
            let reg = try await regulations.get(record.tenantID, tx)
            let users = try await reminderRecipients(clock, record: record, on: tx)
            let kind = CaseClockKind(rawValue: clock.kind) ?? .finalAnswer
            try await deliver(users.map { user in
                OutgoingNotification(tenantID: record.tenantID, userID: user, kind: "reminder", caseID: record.id,
                                     title: "Срок «\(kind.title)» по обращению №\(record.number) истекает",
                                     body: "Срок: \(TimeText.formatLocal(clock.dueAt, in: reg.schedule.zone)).",
                                     at: now, eventKey: "clock/\(clock.id!.uuidString)/remind")
            }, on: tx)
            try await event(.reminded, record: record, clock: clock, now: now, details: ["notified": String(users.count)], on: tx)
            report.reminders += 1
        }
        return (clocks.count, report)
    }

    /// Escalation up the chain while a clock stays overdue.
    private func escalationsPass(now: Date, on tx: any Database) async throws -> (Int, Report) {
        var report = Report()
        let regulations = RegulationCache()
        let clocks = try await claim(tx, where: "stopped_at IS NULL AND next_escalation_at <=", now: now, order: "next_escalation_at")
        for clock in clocks {
            guard let record = try await CaseRecord.find(clock.caseID, on: tx) else { continue }
            let reg = try await regulations.get(record.tenantID, tx)
            _ = try await escalate(clock, record: record, level: clock.escalationLevel + 1, now: now, regulation: reg, on: tx)
            try await clock.update(on: tx)
            report.escalations += 1
        }
        return (clocks.count, report)
    }

    /// Claims up to `batch` clocks matching `condition`; other instances skip the rows this one holds.
    private func claim(_ tx: any Database, where condition: String, now: Date, order: String) async throws -> [CaseClock] {
        let sql = tx as! any SQLDatabase
        let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE SKIP LOCKED" : ""
        struct Row: Decodable { var id: UUID }
        let ids = try await sql.raw("SELECT id FROM case_clocks WHERE \(unsafeRaw: condition) \(bind: now) ORDER BY \(unsafeRaw: order) LIMIT \(unsafeRaw: String(Self.batch))\(unsafeRaw: lock)")
            .all(decoding: Row.self).map(\.id)
        guard !ids.isEmpty else { return [] }
        return try await CaseClock.query(on: tx).filter(\.$id ~~ ids).all()
    }

    /// Notifies escalation level `level` (skipping levels with nobody in them) and schedules the next.
    /// Returns how many people were notified.
    private func escalate(_ clock: CaseClock, record: CaseRecord, level: Int, now: Date, regulation: TenantRegulation,
                          on tx: any Database) async throws -> Int {
        let chain = try await escalationChain(record, on: tx)
        guard level <= chain.count else { clock.nextEscalationAt = nil; return 0 }
        let (roleTitle, users) = chain[level - 1]
        clock.escalationLevel = level
        clock.nextEscalationAt = level < chain.count
            ? regulation.schedule.deadline(.workingHours(minutes: Self.escalationStepMinutes), from: now).due : nil
        let kind = CaseClockKind(rawValue: clock.kind) ?? .finalAnswer
        try await deliver(users.map { user in
            OutgoingNotification(tenantID: record.tenantID, userID: user, kind: level == 1 ? "overdue" : "escalation", caseID: record.id,
                                 title: "Нарушен срок «\(kind.title)» по обращению №\(record.number)",
                                 body: "Срок истёк \(TimeText.formatLocal(clock.dueAt, in: regulation.schedule.zone)). Эскалация: \(roleTitle) (уровень \(level)).",
                                 at: now, eventKey: "clock/\(clock.id!.uuidString)/escalation/\(level)")
        }, on: tx)
        if level > 1 {
            try await event(.escalated, record: record, clock: clock, now: now,
                            details: ["level": String(level), "to": roleTitle, "notified": String(users.count)], on: tx)
        }
        return users.count
    }

    /// The chain of decree 003: the head of the responsible organisation, the lead of the thematic block,
    /// the head of the МЦУ. Levels nobody holds are skipped.
    private func escalationChain(_ record: CaseRecord, on tx: any Database) async throws -> [(String, [UUID])] {
        var chain: [(String, [UUID])] = []
        if let org = record.organisationID {
            let heads = try await Recipients.users(tenantID: record.tenantID, roles: [.organisationHead], organisationID: org, on: tx)
            if !heads.isEmpty { chain.append((Role.organisationHead.title, heads)) }
        }
        if let block = record.blockID {
            let leads = try await Recipients.users(tenantID: record.tenantID, roles: [.blockLead], blockID: block, on: tx)
            if !leads.isEmpty { chain.append((Role.blockLead.title, leads)) }
        }
        let mcu = try await Recipients.users(tenantID: record.tenantID, roles: [.mcuHead], on: tx)
        if !mcu.isEmpty { chain.append((Role.mcuHead.title, mcu)) }
        return chain
    }

    /// Reminders go to whoever must act: the channel operators before the case is routed, the executor
    /// (or the organisation) after.
    private func reminderRecipients(_ clock: CaseClock, record: CaseRecord, on tx: any Database) async throws -> [UUID] {
        switch CaseClockKind(rawValue: clock.kind) {
        case .takeInWork?, .firstResponse?, .forward?:
            return try await Recipients.users(tenantID: record.tenantID, roles: [.channelOperator], on: tx)
        default:
            let answering = try await Recipients.answering(record, on: tx)
            return answering.isEmpty && record.organisationID == nil
                ? try await Recipients.users(tenantID: record.tenantID, roles: [.channelOperator], on: tx) : answering
        }
    }

    private func deliver(_ notifications: [OutgoingNotification], on tx: any Database) async throws {
        for notifier in notifiers { try await notifier.deliver(notifications, on: tx) }
    }

    private func event(_ kind: CaseEventKind, record: CaseRecord, clock: CaseClock, now: Date, details: [String: String],
                       on tx: any Database) async throws {
        try await CaseEvent(tenantID: record.tenantID, caseID: record.id!, kind: kind.rawValue, actorUserID: nil,
                            actorLabel: ActionActor.monitor.label, at: now,
                            details: details.merging(["clock": clock.kind, "clock_id": clock.id!.uuidString]) { a, _ in a })
            .create(on: tx)
    }
}

/// Regulations loaded once per monitor transaction, per tenant.
private final class RegulationCache {
    private var loaded: [UUID: TenantRegulation] = [:]

    func get(_ tenantID: UUID, _ db: any Database) async throws -> TenantRegulation {
        if let r = loaded[tenantID] { return r }
        let r = try await TenantRegulation.load(tenantID: tenantID, on: db)
        loaded[tenantID] = r
        return r
    }
}
