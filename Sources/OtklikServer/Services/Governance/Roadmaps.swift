import Fluent
import Foundation
import OtklikCore
import SQLKit
import Vapor

/// Roadmaps against root causes (decree 001 §2.4): a targeted problem — a topic (with its subtopics), a
/// territory (with what lies within it) or a cluster of similar messages — and steps with owners and
/// deadlines; the effect is the problem's volume in equal windows before and after each completed step.
struct Roadmaps {
    let db: any Database
    let access: TenantAccess
    let now: Date

    static let notFound = "Дорожная карта не найдена в этом муниципальном образовании."
    static let kinds = ["category": "тема", "territory": "территория", "cluster": "группа похожих обращений"]

    struct DTO: Content {
        struct Step: Content { var id: UUID; var position: Int; var title: String; var organisation: String?; var due_on: String; var done_on: String?; var effect: String
                               var before: Int?; var after: Int?; var change_percent: Int? }
        struct Week: Content { var week: String; var count: Int }
        var id: UUID
        var number: Int
        var title: String
        var goal: String
        var target_kind: String
        var target_title: String
        var window_days: Int
        var steps: [Step]
        var weeks: [Week]
        var may_manage: Bool
        var version: Int
    }

    var today: LocalDay { LocalDay(now, in: access.zone) }

    func list() async throws -> [RoadmapRecord] {
        try access.requireGovernanceReading()
        return try await RoadmapRecord.query(on: db).filter(\.$tenantID == access.tenantID).sort(\.$number, .descending).all()
    }

    func find(_ id: UUID) async throws -> RoadmapRecord {
        try access.requireGovernanceReading()
        guard let r = try await RoadmapRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$id == id).first() else {
            throw Problem.notFound(Self.notFound)
        }
        return r
    }

    /// Body: title, goal, target_kind (category | territory | cluster), target_id (for a cluster: the id or
    /// the number of any of its cases), window_days (7…90, default 28).
    func create(_ body: [String: JSONValue]) async throws -> RoadmapRecord {
        try access.requireGoverning()
        var r = PayloadReader(body)
        let title = r.string("title", required: true, max: 300)
        let goal = r.string("goal", max: 2_000) ?? ""
        let kind = r.string("target_kind", required: true, max: 20)
        if let kind, Self.kinds[kind] == nil { r.issues.append(FieldIssue("target_kind", "цель — category (тема), territory (территория) или cluster (группа похожих)")) }
        let window = r.int("window_days", range: 7...90, message: "окно сравнения — от 7 до 90 дней") ?? 28
        var target: UUID?
        let raw: String? = switch body["target_id"] { case .string(let s)?: s.trimmed; case .number(let n)?: String(Int(n)); default: nil }
        if raw == nil || raw!.isEmpty { r.issues.append(FieldIssue("target_id", "укажите, против какой проблемы дорожная карта")) }
        else if let kind, let raw {
            switch kind {
            case "category": target = try await ReferenceBooks.requireInTenant(Rubric.self, UUID(uuidString: raw) ?? UUID(), field: "target_id", what: "Тема", access: access, on: db, issues: &r.issues)?.id
            case "territory": target = try await ReferenceBooks.requireInTenant(Territory.self, UUID(uuidString: raw) ?? UUID(), field: "target_id", what: "Территория", access: access, on: db, issues: &r.issues)?.id
            case "cluster":
                let c = try? await CaseReference.find(raw.replacingOccurrences(of: "№", with: ""), field: "target_id", unreadable: "номер обращения группы",
                                                      in: CaseQueries.scoped(access, on: db))
                if let cluster = c?.clusterID { target = cluster } else { r.issues.append(FieldIssue("target_id", "обращение «\(raw)» не найдено или не входит в группу похожих")) }
            default: break
            }
        }
        try r.check()
        let targetID = target!
        return try await db.transaction { tx in
            try await SQLiteWriteLock.acquire(tx)
            let m = RoadmapRecord()
            m.id = TimeOrderedUUID.make(at: now)
            m.tenantID = access.tenantID
            m.number = try await TenantCounters.next("roadmap", tenantID: access.tenantID, on: tx)
            m.title = title!
            m.goal = goal
            m.targetKind = kind!
            m.targetID = targetID
            m.windowDays = window
            m.version = 1
            m.createdBy = access.principal.label
            m.createdAt = now
            m.updatedAt = now
            try await m.create(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "roadmap.create", entity: "roadmap",
                                   entityID: m.id!.uuidString, after: ["title": m.title, "target": "\(m.targetKind):\(m.targetID.uuidString)"])
            return m
        }
    }

    /// Body: title, organisation_id, due_on.
    func addStep(_ id: UUID, _ body: [String: JSONValue]) async throws {
        try access.requireGoverning()
        let roadmap = try await find(id)
        var r = PayloadReader(body)
        let title = r.string("title", required: true, max: 1_000)
        let org = r.uuid("organisation_id")
        _ = try await ReferenceBooks.requireInTenant(Organisation.self, org, field: "organisation_id", what: "Организация", access: access, on: db, issues: &r.issues)
        let due = r.day("due_on", required: true)
        try r.check()
        try await db.transaction { tx in
            let s = RoadmapStepRecord()
            s.id = TimeOrderedUUID.make(at: now)
            s.roadmapID = roadmap.id!
            s.position = try await RoadmapStepRecord.query(on: tx).filter(\.$roadmapID == roadmap.id!).count() + 1
            s.title = title!
            s.organisationID = org
            s.dueOn = due!.iso
            try await s.create(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "roadmap.step", entity: "roadmap",
                                   entityID: roadmap.id!.uuidString, after: ["step": title!, "due_on": due!.iso])
        }
    }

    /// Body: step_id, done_on (not in the future).
    func completeStep(_ id: UUID, _ body: [String: JSONValue]) async throws {
        try access.requireGoverning()
        let roadmap = try await find(id)
        var r = PayloadReader(body)
        let stepID = r.uuid("step_id", required: true)
        // Not given: done today (a mistyped date is an issue and stops below).
        let done: LocalDay? = r.day("done_on") ?? today
        if let done, done > today { r.issues.append(FieldIssue("done_on", "шаг не может быть выполнен в будущем")) }
        try r.check()
        guard let step = try await RoadmapStepRecord.query(on: db).filter(\.$roadmapID == roadmap.id!).filter(\.$id == stepID!).first() else {
            throw Problem.validation([FieldIssue("step_id", "шаг не из этой дорожной карты")])
        }
        try await db.transaction { tx in
            step.doneOn = done!.iso
            try await step.update(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "roadmap.step_done", entity: "roadmap",
                                   entityID: roadmap.id!.uuidString, after: ["step": step.title, "done_on": done!.iso])
        }
    }

    func dto(_ m: RoadmapRecord) async throws -> DTO {
        let steps = try await RoadmapStepRecord.query(on: db).filter(\.$roadmapID == m.id!).sort(\.$position).all()
        let doneDays = steps.compactMap { $0.doneOn.flatMap(LocalDay.init) }
        let created = LocalDay(m.createdAt, in: access.zone)
        let from = ([created.adding(days: -84)] + doneDays.map { $0.adding(days: -m.windowDays) }).min()!
        let daily = try await dailyCounts(m, from: from)
        let rows = RoadmapEffect.rows(steps.map { .init(title: $0.title, doneOn: $0.doneOn.flatMap(LocalDay.init)) }, daily: daily, window: m.windowDays, today: today)
        let orgs = Dictionary(uniqueKeysWithValues: try await Organisation.query(on: db).withDeleted().filter(\.$tenantID == access.tenantID).all().map { ($0.id!, $0.name) })
        return DTO(id: m.id!, number: m.number, title: m.title, goal: m.goal, target_kind: m.targetKind, target_title: try await targetTitle(m),
                   window_days: m.windowDays,
                   steps: zip(steps, rows).map { s, row in
                       .init(id: s.id!, position: s.position, title: s.title, organisation: s.organisationID.flatMap { orgs[$0] }, due_on: s.dueOn,
                             done_on: s.doneOn, effect: row.text, before: row.before, after: row.after, change_percent: row.changePercent)
                   },
                   weeks: RoadmapEffect.weekly(daily, from: from, to: today).map { .init(week: $0.week.iso, count: $0.count) },
                   may_manage: access.governs, version: m.version)
    }

    func targetTitle(_ m: RoadmapRecord) async throws -> String {
        switch m.targetKind {
        case "category": return "тема «\(try await Rubric.query(on: db).withDeleted().filter(\.$id == m.targetID).first()?.name ?? "—")»"
        case "territory": return "территория «\(try await Territory.query(on: db).withDeleted().filter(\.$id == m.targetID).first()?.name ?? "—")»"
        default:
            let main = try await CaseRecord.find(m.targetID, on: db)
            return "группа похожих обращений" + (main.map { " (основное №\($0.number))" } ?? "")
        }
    }

    /// Cases of the targeted problem per local day since `from`.
    func dailyCounts(_ m: RoadmapRecord, from: LocalDay) async throws -> [LocalDay: Int] {
        try await Self.dailyCounts(kind: m.targetKind, target: m.targetID, from: from, access: access, on: db)
    }

    /// Cases of a problem — a topic or a territory with everything below it, or a cluster — per local day since `from`.
    static func dailyCounts(kind: String, target: UUID, from: LocalDay, access: TenantAccess, on db: any Database) async throws -> [LocalDay: Int] {
        let start = from.start(in: access.zone)
        let q = CaseRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$receivedAt >= start)
        switch kind {
        case "category": q.filter(\.$categoryID ~~ Array(try await Trees.descendants(Rubric.self, of: [target], tenantID: access.tenantID, on: db)))
        case "territory": q.filter(\.$territoryID ~~ Array(try await Trees.descendants(Territory.self, of: [target], tenantID: access.tenantID, on: db)))
        default: q.filter(\.$clusterID == target)
        }
        var out: [LocalDay: Int] = [:]
        for received in try await q.all(\.$receivedAt) { out[LocalDay(received, in: access.zone), default: 0] += 1 }
        return out
    }
}
