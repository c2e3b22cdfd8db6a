import Fluent
import Foundation
import OtklikCore
import Vapor

/// Best practices and recommendations of the centre (decrees 000, 001, 004): each with the figures that
/// motivated it — the complaints of its topic in the window before adoption — and its measured effect —
/// the same window after adoption (not judged until the window has passed), plus its roadmap's steps.
struct Practices {
    let db: any Database
    let access: TenantAccess
    let now: Date

    struct DTO: Content {
        var id: UUID
        var title: String
        var description: String
        var basis: String?
        var category: RiskDTO.Ref?
        var roadmap: RiskDTO.Ref?
        var adopted_on: String?
        var window_days: Int
        /// Complaints of the topic in the window before adoption (before today while not adopted).
        var motivating_cases: Int?
        var effect: String?
        var change_percent: Int?
    }

    func list() async throws -> [PracticeRecord] {
        try access.requireGovernanceReading()
        return try await PracticeRecord.query(on: db).filter(\.$tenantID == access.tenantID).sort(\.$createdAt, .descending).all()
    }

    /// Body: title, description, basis, category_id, roadmap_id, adopted_on, window_days (7…180, default 90).
    func create(_ body: [String: JSONValue]) async throws -> PracticeRecord {
        try access.requireGoverning()
        var r = PayloadReader(body)
        let title = r.string("title", required: true, max: 300)
        let description = r.string("description", required: true, max: 4_000)
        let basis = r.string("basis", max: 500)
        let category = r.uuid("category_id"), roadmap = r.uuid("roadmap_id")
        _ = try await ReferenceBooks.requireInTenant(Rubric.self, category, field: "category_id", what: "Тема", access: access, on: db, issues: &r.issues)
        if let roadmap, try await RoadmapRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$id == roadmap).count() == 0 {
            r.issues.append(FieldIssue("roadmap_id", "дорожная карта не найдена в этом муниципальном образовании"))
        }
        let adopted = r.day("adopted_on")
        if let adopted, adopted > LocalDay(now, in: access.zone) { r.issues.append(FieldIssue("adopted_on", "практика не может быть внедрена в будущем")) }
        let window = r.int("window_days", range: 7...180, message: "окно сравнения — от 7 до 180 дней") ?? 90
        try r.check()
        return try await db.transaction { tx in
            let p = PracticeRecord()
            p.id = TimeOrderedUUID.make(at: now)
            p.tenantID = access.tenantID
            p.title = title!
            p.description = description!
            p.basis = basis
            p.categoryID = category
            p.roadmapID = roadmap
            p.adoptedOn = adopted?.iso
            p.windowDays = window
            p.createdBy = access.principal.label
            p.createdAt = now
            try await p.create(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "practice.create", entity: "practice",
                                   entityID: p.id!.uuidString, after: ["title": p.title, "adopted_on": p.adoptedOn ?? ""])
            return p
        }
    }

    func dtos(_ practices: [PracticeRecord]) async throws -> [DTO] {
        let rubrics = Dictionary(uniqueKeysWithValues: try await Rubric.query(on: db).withDeleted().filter(\.$tenantID == access.tenantID).all().map { ($0.id!, $0.name) })
        let maps = Dictionary(uniqueKeysWithValues: try await RoadmapRecord.query(on: db).filter(\.$tenantID == access.tenantID).all().map { ($0.id!, $0.title) })
        let today = LocalDay(now, in: access.zone)
        var out: [DTO] = []
        for p in practices {
            var motivating: Int?, effect: String?, change: Int?
            if let c = p.categoryID {
                let pivot = p.adoptedOn.flatMap(LocalDay.init) ?? today
                let daily = try await Roadmaps.dailyCounts(kind: "category", target: c, from: pivot.adding(days: -p.windowDays), access: access, on: db)
                let row = RoadmapEffect.rows([.init(title: p.title, doneOn: pivot)], daily: daily, window: p.windowDays, today: today)[0]
                motivating = row.before
                if p.adoptedOn != nil { effect = row.text; change = row.changePercent }
            }
            out.append(DTO(id: p.id!, title: p.title, description: p.description, basis: p.basis,
                           category: p.categoryID.flatMap { id in rubrics[id].map { .init(id: id, name: $0) } },
                           roadmap: p.roadmapID.flatMap { id in maps[id].map { .init(id: id, name: $0) } },
                           adopted_on: p.adoptedOn, window_days: p.windowDays, motivating_cases: motivating, effect: effect, change_percent: change))
        }
        return out
    }
}
