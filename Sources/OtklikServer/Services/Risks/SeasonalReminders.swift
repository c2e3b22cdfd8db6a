import Fluent
import Foundation
import OtklikCore
import SQLKit

/// The municipality's list of seasonal threats and its reminders: N days before a season starts, the
/// risk officers and the МЦУ head are told (inbox and alert chat) to prepare a preventive campaign —
/// once per season. A municipality gets the shipped list the first time its list is read.
struct SeasonalReminders {
    let db: any Database
    let publicURL: String?
    var notifiers: [any Notifier] = [InAppNotifier()]

    /// Seeds the default list once per municipality (a counter row marks it: a list the centre emptied
    /// stays empty).
    static func seedIfNeeded(tenantID: UUID, now: Date, on db: any Database) async throws {
        guard try await !seeded(on: db).contains(tenantID) else { return }
        try await seed(tenantID: tenantID, now: now, on: db)
    }

    /// The municipalities whose list was seeded already (one query for all of them).
    static func seeded(on db: any Database) async throws -> Set<UUID> {
        struct Row: Decodable { var tenant_id: UUID }
        return Set(try await (db as! any SQLDatabase).select().column("tenant_id").from("tenant_counters")
            .where("name", .equal, "seasonal_threats_seeded").all(decoding: Row.self).map(\.tenant_id))
    }

    private static func seed(tenantID: UUID, now: Date, on db: any Database) async throws {
        try await db.transaction { tx in
            let sql = tx as! any SQLDatabase
            let inserted = try await sql.insert(into: "tenant_counters").columns("tenant_id", "name", "value")
                .values(SQLBind(tenantID), SQLBind("seasonal_threats_seeded"), SQLBind(1))
                .ignoringConflicts(with: ["tenant_id", "name"]).returning("value").all().count
            guard inserted > 0 else { return }
            for t in SeasonalThreat.defaults {
                let r = SeasonalThreatRecord()
                r.id = TimeOrderedUUID.make(at: now)
                r.tenantID = tenantID
                r.title = t.title
                r.topic = t.topic
                r.startMonth = t.startMonth; r.startDay = t.startDay
                r.endMonth = t.endMonth; r.endDay = t.endDay
                r.leadDays = t.leadDays
                r.active = true
                r.updatedAt = now
                try await r.create(on: tx)
            }
        }
    }

    /// Reminds of every season whose reminder day has come; returns how many were reminded.
    func tick(now: Date) async throws -> Int {
        var count = 0
        // Every monitor pass: a few queries for all municipalities, not a few per municipality.
        let seeded = try await Self.seeded(on: db)
        let municipalities = try await Municipality.query(on: db).all()
        for m in municipalities where !seeded.contains(m.id!) { try await Self.seed(tenantID: m.id!, now: now, on: db) }
        let threats = Dictionary(grouping: try await SeasonalThreatRecord.query(on: db).filter(\.$active == true).all(), by: \.tenantID)
        for m in municipalities {
            let tenantID = m.id!
            let zone = TimeZone(identifier: m.timeZone) ?? .gmt
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = zone
            let today = cal.dateComponents([.year, .month, .day], from: now)
            for threat in threats[tenantID] ?? [] {
                guard let start = threat.threat.dueReminder(today: today, calendar: cal) else { continue }
                let key = String(format: "%04d-%02d-%02d", start.year!, start.month!, start.day!)
                guard threat.remindedFor != key else { continue }
                let days = cal.dateComponents([.day], from: cal.date(from: today)!, to: cal.date(from: start)!).day ?? 0
                let startText = String(format: "%02d.%02d.%04d", start.day!, start.month!, start.year!)
                let text = RiskAlertText.seasonNear(threat: threat.title, season: threat.threat.seasonText, startDate: startText, days: days, municipality: m.name)
                let reminded = try await db.transaction { tx -> Bool in
                    // Claimed by the update itself: another instance that read the same row changes nothing.
                    let sql = tx as! any SQLDatabase
                    let claimed = try await sql.update("seasonal_threats").set("reminded_for", to: SQLBind(key))
                        .where("id", .equal, threat.id!).where(SQLRaw("(reminded_for IS NULL OR reminded_for <> '\(key)')"))
                        .returning("id").all().count
                    guard claimed > 0 else { return false }
                    let users = try await Recipients.users(tenantID: tenantID, roles: [.riskOfficer, .mcuHead, .editor], on: tx)
                    let notes = users.map {
                        OutgoingNotification(tenantID: tenantID, userID: $0, kind: NotificationKind.season.rawValue, caseID: nil,
                                             title: "Сезонная угроза «\(threat.title)»: начало \(startText)",
                                             body: "Подготовьте превентивную кампанию. Сезон \(threat.threat.seasonText).", at: now,
                                             eventKey: "season/\(threat.id!.uuidString)/\(key)")
                    }
                    for notifier in notifiers { try await notifier.deliver(notes, on: tx) }
                    try await RiskAlerts.queue(text, tenantID: tenantID, key: "season/\(threat.id!.uuidString)/\(key)", kind: .season,
                                               subject: "Сезонная угроза «\(threat.title)»", riskID: nil, at: now, on: tx)
                    return true
                }
                if reminded { count += 1 }
            }
        }
        return count
    }
}
