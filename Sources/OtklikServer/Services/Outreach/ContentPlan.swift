import Fluent
import Foundation
import OtklikCore
import Vapor

/// The content plan of the official pages: posts planned and published by the editor and SMM roles,
/// linked to a page, a campaign or a risk. Publishing a post needs its link and moves the page's last
/// publication date.
struct ContentPlan {
    let db: any Database
    let access: TenantAccess
    let now: Date

    static let notFound = "Публикация контент-плана не найдена."

    struct DTO: Content {
        var id: UUID
        var planned_at: String
        var title: String
        var text: String
        var status: String
        var status_title: String
        var page: RiskDTO.Ref?
        var campaign: RiskDTO.Ref?
        var risk: RiskDTO.Ref?
        var published_url: String?
        var overdue: Bool
        var version: Int
        /// Local time for the pages.
        var planned_local: String? = nil
    }

    func list(from: Date?, to: Date?) async throws -> [ContentPostRecord] {
        try access.requireOutreachReading()
        let q = ContentPostRecord.query(on: db).filter(\.$tenantID == access.tenantID)
        if let from { q.filter(\.$plannedAt >= from) }
        if let to { q.filter(\.$plannedAt < to) }
        return try await q.sort(\.$plannedAt).limit(1_000).all()
    }

    func find(_ id: UUID) async throws -> ContentPostRecord {
        try access.requireOutreachReading()
        guard let p = try await ContentPostRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$id == id).first() else {
            throw Problem.notFound(Self.notFound)
        }
        return p
    }

    func dtos(_ posts: [ContentPostRecord]) async throws -> [DTO] {
        let pages = Dictionary(uniqueKeysWithValues: try await PublicPageRecord.query(on: db).filter(\.$tenantID == access.tenantID).all().map { ($0.id!, $0.title) })
        let campaigns = Dictionary(uniqueKeysWithValues: try await CampaignRecord.query(on: db).filter(\.$tenantID == access.tenantID).all().map { ($0.id!, $0.title) })
        let riskIDs = Set(posts.compactMap(\.riskID))
        let risks = riskIDs.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await RiskRecord.query(on: db).filter(\.$id ~~ Array(riskIDs)).all()
            .map { ($0.id!, "№\($0.number) \($0.title)") })
        return posts.map { p in
            DTO(id: p.id!, planned_at: TimeText.formatRFC3339(p.plannedAt), title: p.title, text: p.text, status: p.status,
                status_title: ContentPostStatus(rawValue: p.status)?.title ?? p.status,
                page: p.pageID.flatMap { id in pages[id].map { .init(id: id, name: $0) } },
                campaign: p.campaignID.flatMap { id in campaigns[id].map { .init(id: id, name: $0) } },
                risk: p.riskID.flatMap { id in risks[id].map { .init(id: id, name: $0) } },
                published_url: p.publishedURL, overdue: p.status == ContentPostStatus.planned.rawValue && p.plannedAt < now, version: p.version)
        }
    }

    func save(_ body: [String: JSONValue], existing: ContentPostRecord?) async throws -> ContentPostRecord {
        try access.requireOutreachEditing()
        var r = PayloadReader(body)
        let creating = existing == nil
        let version = creating ? nil : r.int("version", range: 1...Int(Int32.max), required: true)
        let title = r.string("title", required: creating, max: 300)
        let text = r.string("text", max: 10_000)
        let planned = r.date("planned_at", required: creating)
        let status = r.oneOf("status", ContentPostStatus.self)
        let urlText = r.string("published_url", max: WebLink.maxLength)
        var url: String?
        if let urlText {
            switch WebLink.parse(urlText) {
            case .success(let l): url = l.text
            case .failure(let why): r.issues.append(FieldIssue("published_url", why.text))
            }
        }
        if (status ?? existing.flatMap { ContentPostStatus(rawValue: $0.status) }) == .published && (url ?? existing?.publishedURL) == nil
            && !r.issues.contains(where: { $0.field == "published_url" }) {
            r.issues.append(FieldIssue("published_url", "у опубликованного поста укажите ссылку на него"))
        }
        let page = r.uuid("page_id"), campaign = r.uuid("campaign_id"), risk = r.uuid("risk_id")
        _ = try await ReferenceBooks.requireInTenant(PublicPageRecord.self, page, field: "page_id", what: "Страница", access: access, on: db, issues: &r.issues)
        _ = try await ReferenceBooks.requireInTenant(CampaignRecord.self, campaign, field: "campaign_id", what: "Кампания", access: access, on: db, issues: &r.issues)
        _ = try await ReferenceBooks.requireInTenant(RiskRecord.self, risk, field: "risk_id", what: "Риск", access: access, on: db, issues: &r.issues)
        try r.check()
        let keys = Set(body.keys)
        let values = (title, text, planned, status, url, page, campaign, risk)
        return try await db.transaction { tx in
            let p = existing ?? ContentPostRecord()
            if let existing {
                guard let fresh = try await ContentPostRecord.find(existing.id!, on: tx), fresh.version == version else {
                    throw Problem.conflict("Публикацию изменили, пока вы с ней работали. Обновите страницу и повторите.")
                }
            } else {
                p.id = TimeOrderedUUID.make(at: now)
                p.tenantID = access.tenantID
                p.status = ContentPostStatus.planned.rawValue
                p.text = ""
                p.version = 0
                p.authorUserID = access.principal.userID
            }
            if let v = values.0 { p.title = v }
            if keys.contains("text") || creating { p.text = values.1 ?? "" }
            if let v = values.2 { p.plannedAt = v }
            if let v = values.3 { p.status = v.rawValue }
            if keys.contains("published_url") { p.publishedURL = values.4 }
            if keys.contains("page_id") { p.pageID = values.5 }
            if keys.contains("campaign_id") { p.campaignID = values.6 }
            if keys.contains("risk_id") { p.riskID = values.7 }
            p.version += 1
            p.updatedAt = now
            if creating { try await p.create(on: tx) } else { try await p.update(on: tx) }
            // A published post is the page's latest publication.
            if p.status == ContentPostStatus.published.rawValue, let pageID = p.pageID, let page = try await PublicPageRecord.find(pageID, on: tx) {
                let day = LocalDay(min(p.plannedAt, now), in: access.zone).iso
                if (page.lastPostOn ?? "") < day { page.lastPostOn = day; page.version += 1; page.updatedAt = now; try await page.update(on: tx) }
            }
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: creating ? "content_post.create" : "content_post.update",
                                   entity: "content_post", entityID: p.id!.uuidString,
                                   after: ["title": p.title, "status": p.status, "planned_at": TimeText.formatRFC3339(p.plannedAt)])
            return p
        }
    }
}
