import Fluent
import Foundation
import OtklikCore
import Vapor

/// The municipality's list of recurring threats, edited by the centre (the shipped list to start with).
struct SeasonalThreats {
    let db: any Database
    let access: TenantAccess
    let now: Date

    struct DTO: Content {
        var id: UUID
        var title: String
        var topic: String
        var season: String
        var start: String
        var end: String
        var lead_days: Int
        var active: Bool
        var next_start: String
        var remind_on: String
        var reminded_for: String?
    }

    func list() async throws -> [SeasonalThreatRecord] {
        try access.requireOutreachReading()
        try await SeasonalReminders.seedIfNeeded(tenantID: access.tenantID, now: now, on: db)
        let all = try await SeasonalThreatRecord.query(on: db).filter(\.$tenantID == access.tenantID).all()
        return all.sorted { ($0.startMonth, $0.startDay, $0.title) < ($1.startMonth, $1.startDay, $1.title) }
    }

    func dto(_ t: SeasonalThreatRecord) -> DTO {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = access.zone
        let today = cal.dateComponents([.year, .month, .day], from: now)
        let start = t.threat.nextStart(onOrAfter: today)
        let remind = t.threat.reminderDay(for: start, calendar: cal)
        func ru(_ c: DateComponents) -> String { String(format: "%02d.%02d.%04d", c.day!, c.month!, c.year!) }
        return DTO(id: t.id!, title: t.title, topic: t.topic, season: t.threat.seasonText,
                   start: String(format: "%02d.%02d", t.startDay, t.startMonth), end: String(format: "%02d.%02d", t.endDay, t.endMonth),
                   lead_days: t.leadDays, active: t.active, next_start: ru(start), remind_on: ru(remind), reminded_for: t.remindedFor)
    }

    func find(_ id: UUID) async throws -> SeasonalThreatRecord {
        try access.requireOutreachReading()
        guard let t = try await SeasonalThreatRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$id == id).first() else {
            throw Problem.notFound("Сезонная угроза не найдена в этом муниципальном образовании.")
        }
        return t
    }

    /// Body: title, topic, start «25.03», end «15.05», lead_days, active.
    func save(_ body: [String: JSONValue], existing: SeasonalThreatRecord?) async throws -> SeasonalThreatRecord {
        try access.requireRiskManagement()
        var r = PayloadReader(body)
        let creating = existing == nil
        let title = r.string("title", required: creating, max: 200)
        let topic = r.string("topic", max: 200)
        let startText = r.string("start", required: creating, max: 10), endText = r.string("end", required: creating, max: 10)
        let start = startText.flatMap(SeasonalThreat.parseDay), end = endText.flatMap(SeasonalThreat.parseDay)
        if startText != nil && start == nil { r.issues.append(FieldIssue("start", "начало сезона — день и месяц вида 25.03")) }
        if endText != nil && end == nil { r.issues.append(FieldIssue("end", "конец сезона — день и месяц вида 15.05")) }
        let lead = r.int("lead_days", range: 0...180, required: creating, message: "напоминать можно за 0–180 дней до начала сезона")
        let active = r.bool("active")
        try r.check()
        let values = (title, topic, start, end, lead, active)
        return try await db.transaction { tx in
            let t = existing ?? SeasonalThreatRecord()
            if creating {
                t.id = TimeOrderedUUID.make(at: now)
                t.tenantID = access.tenantID
                t.active = true
                t.topic = ""
            }
            if let v = values.0 { t.title = v }
            if let v = values.1 { t.topic = v }
            if let v = values.2 { (t.startMonth, t.startDay) = v; t.remindedFor = nil }
            if let v = values.3 { (t.endMonth, t.endDay) = v }
            if let v = values.4 { t.leadDays = v }
            if let v = values.5 { t.active = v }
            t.updatedAt = now
            if creating { try await t.create(on: tx) } else { try await t.update(on: tx) }
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: creating ? "seasonal_threat.create" : "seasonal_threat.update",
                                   entity: "seasonal_threat", entityID: t.id!.uuidString,
                                   after: ["title": t.title, "season": t.threat.seasonText, "lead_days": String(t.leadDays), "active": t.active ? "да" : "нет"])
            return t
        }
    }

    func delete(_ t: SeasonalThreatRecord) async throws {
        try access.requireRiskManagement()
        try await db.transaction { tx in
            try await CampaignRecord.query(on: tx).filter(\.$threatID == t.id!).set(\.$threatID, to: nil).update()
            try await t.delete(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "seasonal_threat.delete",
                                   entity: "seasonal_threat", entityID: t.id!.uuidString, before: ["title": t.title, "season": t.threat.seasonText])
        }
    }
}
