import Fluent
import Foundation
import OtklikCore
import SQLKit

/// The risks' part of the deadline monitor: a reminder half-way to the first-reaction deadline, the
/// overdue notice at the deadline and escalation up the chain (risk officers and the responsible
/// organisation's head → the МЦУ head → the curator) while no official reaction is published; and the
/// seasonal threats' reminders to prepare a preventive campaign. Jobs are claimed like the cases' clocks.
struct RiskMonitor {
    let db: any Database
    let publicURL: String?
    var notifiers: [any Notifier] = [InAppNotifier()]
    static let batch = 100
    /// Risks still waiting for their first reaction.
    static let waiting = "reacted_at IS NULL AND status IN ('detected', 'verification', 'response_prepared')"

    struct Report: Sendable, Equatable { var reminders = 0, overdue = 0, escalations = 0, seasons = 0 }

    func tick(now: Date) async throws -> Report {
        var report = Report()
        report.reminders = try await drain(now, where: "\(Self.waiting) AND reminded_at IS NULL AND remind_at <=", order: "remind_at") { risk, tx in
            risk.remindedAt = now
            guard risk.reactionDueAt > now else { return }
            let zone = try await Self.zone(risk.tenantID, tx)
            let alerts = RiskAlerts(db: tx, publicURL: publicURL, notifiers: notifiers)
            try await alerts.notify(risk, title: "Риск №\(risk.number): срок первой реакции истекает",
                                    body: "«\(risk.title)». Срок: \(TimeText.formatLocal(risk.reactionDueAt, in: zone)).",
                                    kind: .riskDeadline, eventKey: "risk/\(risk.id!.uuidString)/remind/\(risk.reactionDueAt.timeIntervalSince1970)", at: now)
            try await Self.event(risk, .reminded, details: ["due_at": TimeText.formatRFC3339(risk.reactionDueAt)], at: now, on: tx)
        }
        report.overdue = try await drain(now, where: "\(Self.waiting) AND overdue_at IS NULL AND reaction_due_at <=", order: "reaction_due_at") { risk, tx in
            risk.overdueAt = now
            try await escalate(risk, level: 1, now: now, on: tx)
        }
        report.escalations = try await drain(now, where: "\(Self.waiting) AND next_escalation_at <=", order: "next_escalation_at") { risk, tx in
            try await escalate(risk, level: risk.escalationLevel + 1, now: now, on: tx)
        }
        report.seasons = try await SeasonalReminders(db: db, publicURL: publicURL, notifiers: notifiers).tick(now: now)
        return report
    }

    /// The chain for a late first reaction. Level 1 also goes to the alert chat: everyone there should
    /// see that a risk is left without an answer.
    private func escalate(_ risk: RiskRecord, level: Int, now: Date, on tx: any Database) async throws {
        let chain: [(String, Set<Role>)] = [("ответственные за инфориски и руководитель МЦУ", [.riskOfficer, .mcuHead]),
                                            ("куратор МЦУ", [.curator]), ("глава муниципального образования", [.head])]
        guard level <= chain.count else { risk.nextEscalationAt = nil; return }
        risk.escalationLevel = level
        let zone = try await Self.zone(risk.tenantID, tx)
        let schedule = try await TenantRegulation.schedule(tenantID: risk.tenantID, on: tx)
        let rules = try await RiskReactionRules.load(tenantID: risk.tenantID, on: tx)
        // The next level waits as long again as the risk's own reaction time.
        risk.nextEscalationAt = level < chain.count ? RiskReactionRules.clock(risk.riskCriticality, from: now, rules: rules, schedule: schedule).due : nil
        let alerts = RiskAlerts(db: tx, publicURL: publicURL, notifiers: notifiers)
        let due = TimeText.formatLocal(risk.reactionDueAt, in: zone)
        let title = "Риск №\(risk.number): нет первой реакции, срок истёк \(due)"
        try await alerts.notify(risk, title: title, body: "«\(risk.title)». Эскалация: \(chain[level - 1].0) (уровень \(level)).",
                                kind: .riskDeadline, eventKey: "risk/\(risk.id!.uuidString)/overdue/\(level)/\(risk.reactionDueAt.timeIntervalSince1970)",
                                at: now, extraRoles: chain[level - 1].1)
        if level == 1 {
            let m = try await Municipality.find(risk.tenantID, on: tx)
            let text = "⏰ Риск №\(risk.number): просрочена первая реакция (срок \(due)) · \(m?.name ?? "")\n«\(risk.title)»\nКритичность: \(risk.riskCriticality.title). Этап: \(risk.riskStatus.title)."
            try await RiskAlerts.queue(text, tenantID: risk.tenantID, key: "risk/\(risk.id!.uuidString)/overdue/\(risk.reactionDueAt.timeIntervalSince1970)",
                                       kind: .riskDeadline, subject: title, riskID: risk.id, at: now, on: tx)
            try await Self.event(risk, .overdue, details: ["due_at": TimeText.formatRFC3339(risk.reactionDueAt)], at: now, on: tx)
        } else {
            try await Self.event(risk, .escalatedByMonitor, details: ["level": String(level), "to": chain[level - 1].0], at: now, on: tx)
        }
    }

    private func drain(_ now: Date, where condition: String, order: String,
                       _ apply: @escaping @Sendable (RiskRecord, any Database) async throws -> Void) async throws -> Int {
        try await ClaimedBatches.drain(RiskRecord.self, on: db, where: condition, now: now, order: order, batch: Self.batch, apply)
    }

    static func zone(_ tenantID: UUID, _ db: any Database) async throws -> TimeZone {
        TimeZone(identifier: try await Municipality.find(tenantID, on: db)?.timeZone ?? "Europe/Moscow") ?? .gmt
    }

    static func event(_ risk: RiskRecord, _ kind: RiskEventKind, details: [String: String], at now: Date, on tx: any Database) async throws {
        try await RiskEventRecord(risk: risk, kind: kind.rawValue, actorUserID: nil, actorLabel: ActionActor.monitor.label, at: now,
                                  details: details).create(on: tx)
    }
}
