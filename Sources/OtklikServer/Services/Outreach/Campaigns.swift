import Fluent
import Foundation
import OtklikCore
import SQLKit
import Vapor

/// Preventive campaigns (decree 001, §3): planned on a socially significant topic, with goal, audience,
/// channels, materials, dates, owner, status and result, linked to risks and to a seasonal threat.
/// A new campaign is announced in the alert chat, as the decree asks of the centre.
struct Campaigns {
    let db: any Database
    let access: TenantAccess
    let now: Date
    let publicURL: String?

    static let notFound = "Кампания не найдена в этом муниципальном образовании."

    struct DTO: Content {
        struct RiskRef: Content { var id: UUID; var number: Int; var title: String; var status: String }
        var id: UUID
        var title: String
        var goal: String
        var audience: String
        var channels: [String]
        var materials: String
        var starts_on: String
        var ends_on: String
        var owner: RiskDTO.Ref?
        var status: String
        var status_title: String
        var result: String?
        var category: RiskDTO.Ref?
        var threat: RiskDTO.Ref?
        var risks: [RiskRef]
        var posts: Int
        var version: Int
    }

    func list(from: LocalDay?, to: LocalDay?) async throws -> [CampaignRecord] {
        try access.requireOutreachReading()
        let q = CampaignRecord.query(on: db).filter(\.$tenantID == access.tenantID)
        if let from { q.filter(\.$endsOn >= from.iso) }
        if let to { q.filter(\.$startsOn <= to.iso) }
        return try await q.sort(\.$startsOn).sort(\.$title).all()
    }

    func find(_ id: UUID) async throws -> CampaignRecord {
        try access.requireOutreachReading()
        guard let c = try await CampaignRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$id == id).first() else {
            throw Problem.notFound(Self.notFound)
        }
        return c
    }

    func dto(_ c: CampaignRecord) async throws -> DTO {
        let risks = try await RiskRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$campaignID == c.id!).sort(\.$number).all()
        let posts = try await ContentPostRecord.query(on: db).filter(\.$campaignID == c.id!).count()
        return DTO(id: c.id!, title: c.title, goal: c.goal, audience: c.audience,
                   channels: c.channels.split(separator: "\n").map(String.init), materials: c.materials, starts_on: c.startsOn, ends_on: c.endsOn,
                   owner: try await RiskDTO.Ref.load(User.self, on: db, c.ownerUserID) { $0.fullName }, status: c.status, status_title: c.campaignStatus.title,
                   result: c.result, category: try await RiskDTO.Ref.load(Rubric.self, on: db, c.categoryID) { $0.name },
                   threat: try await RiskDTO.Ref.load(SeasonalThreatRecord.self, on: db, c.threatID) { $0.title },
                   risks: risks.map { .init(id: $0.id!, number: $0.number, title: $0.title, status: $0.riskStatus.title) },
                   posts: posts, version: c.version)
    }

    /// Creates (`existing` nil) or changes a campaign from a payload; risks named by number join it.
    func save(_ body: [String: JSONValue], existing: CampaignRecord?) async throws -> CampaignRecord {
        try access.requireOutreachEditing()
        var r = PayloadReader(body)
        let creating = existing == nil
        let version = creating ? nil : r.int("version", range: 1...Int(Int32.max), required: true)
        let title = r.string("title", required: creating, max: 200)
        let goal = r.string("goal", required: creating, max: 2_000)
        let audience = r.string("audience", max: 1_000)
        let channels = RiskInput.lines(&r, "channels")
        let materials = r.string("materials", max: 4_000)
        var start = r.day("starts_on", required: creating), end = r.day("ends_on", required: creating)
        start = start ?? existing.flatMap { LocalDay($0.startsOn) }
        end = end ?? existing.flatMap { LocalDay($0.endsOn) }
        if let start, let end, end < start { r.issues.append(FieldIssue("ends_on", "кампания не может закончиться раньше, чем начнётся")) }
        let status = r.oneOf("status", CampaignStatus.self)
        let result = r.string("result", max: 4_000)
        if (status ?? existing?.campaignStatus) == .done && (result ?? existing?.result) == nil {
            r.issues.append(FieldIssue("result", "у проведённой кампании укажите результат (охват, что изменилось)"))
        }
        let owner = r.uuid("owner_user_id"), category = r.uuid("category_id"), threat = r.uuid("threat_id")
        _ = try await ReferenceBooks.requireInTenant(Rubric.self, category, field: "category_id", what: "Тема", access: access, on: db, issues: &r.issues)
        if let threat, try await SeasonalThreatRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$id == threat).count() == 0 {
            r.issues.append(FieldIssue("threat_id", "сезонная угроза не найдена в этом муниципальном образовании"))
        }
        try await ReferenceBooks.requireTenantUser(owner, field: "owner_user_id", access: access, on: db, issues: &r.issues,
                                                   reason: "ответственный должен быть пользователем этого муниципального образования")
        let riskNumbers = r.has("risks") ? Self.numbers(&r, "risks") : nil
        var risks: [RiskRecord] = []
        if let riskNumbers, !riskNumbers.isEmpty {
            risks = try await RiskRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$number ~~ riskNumbers).all()
            let missing = Set(riskNumbers).subtracting(risks.map(\.number))
            if !missing.isEmpty { r.issues.append(FieldIssue("risks", "нет рисков с номерами: \(missing.sorted().map(String.init).joined(separator: ", "))")) }
        }
        try r.check()
        let fields = (title, goal, audience, channels, materials, start, end, status, result, owner, category, threat)
        let hasKeys = Set(body.keys)
        return try await db.transaction { tx in
            let c = existing ?? CampaignRecord()
            if let existing {
                guard let fresh = try await CampaignRecord.find(existing.id!, on: tx), fresh.version == version else {
                    throw Problem.conflict("Кампанию изменили, пока вы с ней работали. Обновите страницу и повторите.")
                }
            } else {
                c.id = TimeOrderedUUID.make(at: now)
                c.tenantID = access.tenantID
                c.version = 0
                c.createdAt = now
                c.status = CampaignStatus.planned.rawValue
                c.audience = ""
                c.channels = ""
                c.materials = ""
            }
            let before = existing.map(Self.audit)
            if let v = fields.0 { c.title = v }
            if let v = fields.1 { c.goal = v }
            if hasKeys.contains("audience") || creating { c.audience = fields.2 ?? "" }
            if hasKeys.contains("channels") || creating { c.channels = fields.3.joined(separator: "\n") }
            if hasKeys.contains("materials") || creating { c.materials = fields.4 ?? "" }
            if let v = fields.5 { c.startsOn = v.iso }
            if let v = fields.6 { c.endsOn = v.iso }
            if let v = fields.7 { c.status = v.rawValue }
            if hasKeys.contains("result") { c.result = fields.8 }
            if hasKeys.contains("owner_user_id") { c.ownerUserID = fields.9 }
            if hasKeys.contains("category_id") { c.categoryID = fields.10 }
            if hasKeys.contains("threat_id") { c.threatID = fields.11 }
            c.version += 1
            c.updatedAt = now
            if creating { try await c.create(on: tx) } else { try await c.update(on: tx) }
            if let riskNumbers {
                let sql = tx as! any SQLDatabase
                try await sql.update("risks").set("campaign_id", to: SQLLiteral.null).where("campaign_id", .equal, c.id!)
                    .where("number", .notIn, riskNumbers.isEmpty ? [-1] : riskNumbers).run()
                if !riskNumbers.isEmpty {
                    try await sql.update("risks").set("campaign_id", to: SQLBind(c.id!)).where("tenant_id", .equal, access.tenantID)
                        .where("number", .in, riskNumbers).run()
                }
            }
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: creating ? "campaign.create" : "campaign.update",
                                   entity: "campaign", entityID: c.id!.uuidString, before: before, after: Self.audit(c))
            if creating {
                let m = try await Municipality.find(access.tenantID, on: tx)
                let text = RiskAlertText.campaign(title: c.title, goal: c.goal, dates: "\(LocalDay(c.startsOn)!.russian)–\(LocalDay(c.endsOn)!.russian)",
                                                  channels: c.channels.split(separator: "\n").map(String.init), municipality: m?.name ?? "",
                                                  link: publicURL.map { "\($0)/m/\(access.slug)/campaigns/\(c.id!.uuidString)" })
                try await RiskAlerts.queue(text, tenantID: access.tenantID, key: "campaign/\(c.id!.uuidString)/created", kind: .season,
                                           subject: "Превентивная кампания «\(c.title)»", riskID: nil, at: now, on: tx)
            }
            return c
        }
    }

    static func numbers(_ r: inout PayloadReader, _ key: String) -> [Int] {
        switch r.object[key] {
        case .array(let items)?:
            let n = items.compactMap { if case .number(let x) = $0, x == x.rounded(), x > 0 { Int(x) } else { nil } }
            if n.count != items.count { r.issues.append(FieldIssue(key, "ожидался список номеров рисков")) }
            return n
        case .string(let s)?:
            let parts = s.split(whereSeparator: { $0 == "," || $0 == " " || $0 == ";" }).map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "№#")) }
            let n = parts.compactMap { Int($0) }
            if n.count != parts.count { r.issues.append(FieldIssue(key, "номера рисков через запятую, например: 3, 5")) }
            return n
        case nil, .null?: return []
        default: r.issues.append(FieldIssue(key, "ожидался список номеров рисков")); return []
        }
    }

    struct Snapshot: Encodable { var title: String; var status: String; var starts_on: String; var ends_on: String; var version: Int }
    static func audit(_ c: CampaignRecord) -> Snapshot { .init(title: c.title, status: c.status, starts_on: c.startsOn, ends_on: c.endsOn, version: c.version) }
}
