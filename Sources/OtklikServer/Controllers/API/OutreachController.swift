import Fluent
import OtklikCore
import Vapor

/// `/api/v1/municipalities/{m}/campaigns…`, `/seasonal-threats…`, `/public-pages…`, `/content-posts…`:
/// the preventive side of the risk officer's work — campaigns, recurring threats, the official pages
/// (госпаблики) and their content plan.
struct OutreachController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let c = routes.grouped("campaigns")
        c.get(use: campaigns)
        c.post(use: createCampaign)
        c.get(":id", use: campaign)
        c.patch(":id", use: editCampaign)
        let t = routes.grouped("seasonal-threats")
        t.get(use: threats)
        t.post(use: createThreat)
        t.patch(":id", use: editThreat)
        t.delete(":id", use: deleteThreat)
        let p = routes.grouped("public-pages")
        p.get(use: pages)
        p.post(use: createPage)
        p.patch(":id", use: editPage)
        p.on(.POST, "import", body: .collect(maxSize: "2mb"), use: importPages)
        p.delete(":id", use: deletePage)
        let posts = routes.grouped("content-posts")
        posts.get(use: contentPosts)
        posts.post(use: createPost)
        posts.patch(":id", use: editPost)
    }

    struct Items<T: Content>: Content { var items: [T] }

    func id(_ req: Request, _ what: String) throws -> UUID { try req.uuidParameter("id", notFound: what) }

    // MARK: campaigns

    func campaignService(_ req: Request) throws -> Campaigns {
        Campaigns(db: req.db, access: try req.tenant, now: req.now, publicURL: req.application.publicURL)
    }

    /// `?from=2026-12-01&to=2026-12-31`: campaigns that overlap the period.
    func campaigns(req: Request) async throws -> Items<Campaigns.DTO> {
        let s = try campaignService(req)
        var issues: [FieldIssue] = []
        func day(_ key: String) -> LocalDay? {
            guard let raw = try? req.query.get(String.self, at: key) else { return nil }
            guard let d = LocalDay(raw) else { issues.append(FieldIssue(key, "дата вида 2026-12-10")); return nil }
            return d
        }
        let from = day("from"), to = day("to")
        if !issues.isEmpty { throw Problem.validation(issues) }
        var out: [Campaigns.DTO] = []
        for c in try await s.list(from: from, to: to) { out.append(try await s.dto(c)) }
        return Items(items: out)
    }

    func campaign(req: Request) async throws -> Campaigns.DTO {
        let s = try campaignService(req)
        return try await s.dto(try await s.find(try id(req, Campaigns.notFound)))
    }

    func createCampaign(req: Request) async throws -> Response {
        let s = try campaignService(req)
        return try await s.dto(try await s.save(try req.jsonObject(), existing: nil)).encodeResponse(status: .created, for: req)
    }

    func editCampaign(req: Request) async throws -> Campaigns.DTO {
        let s = try campaignService(req)
        let existing = try await s.find(try id(req, Campaigns.notFound))
        return try await s.dto(try await s.save(try req.jsonObject(), existing: existing))
    }

    // MARK: seasonal threats

    func threatService(_ req: Request) throws -> SeasonalThreats { SeasonalThreats(db: req.db, access: try req.tenant, now: req.now) }

    func threats(req: Request) async throws -> Items<SeasonalThreats.DTO> {
        let s = try threatService(req)
        return Items(items: try await s.list().map(s.dto))
    }

    func createThreat(req: Request) async throws -> Response {
        let s = try threatService(req)
        return try await s.dto(try await s.save(try req.jsonObject(), existing: nil)).encodeResponse(status: .created, for: req)
    }

    func editThreat(req: Request) async throws -> SeasonalThreats.DTO {
        let s = try threatService(req)
        let t = try await s.find(try id(req, "Сезонная угроза не найдена."))
        return s.dto(try await s.save(try req.jsonObject(), existing: t))
    }

    func deleteThreat(req: Request) async throws -> HTTPStatus {
        let s = try threatService(req)
        try await s.delete(try await s.find(try id(req, "Сезонная угроза не найдена.")))
        return .noContent
    }

    // MARK: official pages

    func pageService(_ req: Request) throws -> PublicPages { PublicPages(db: req.db, access: try req.tenant, now: req.now) }

    func pages(req: Request) async throws -> Items<PublicPages.DTO> {
        let s = try pageService(req)
        return Items(items: try await s.dtos(try await s.list()))
    }

    func createPage(req: Request) async throws -> Response {
        let s = try pageService(req)
        return try await s.dtos([try await s.save(try req.jsonObject(), existing: nil)])[0].encodeResponse(status: .created, for: req)
    }

    func editPage(req: Request) async throws -> PublicPages.DTO {
        let s = try pageService(req)
        let p = try await s.find(try id(req, PublicPages.notFound))
        return try await s.dtos([try await s.save(try req.jsonObject(), existing: p)])[0]
    }

    func deletePage(req: Request) async throws -> HTTPStatus {
        let s = try pageService(req)
        try await s.delete(try await s.find(try id(req, PublicPages.notFound)))
        return .noContent
    }

    /// Body: the file itself (CSV, UTF-8 or Windows-1251) with «Адрес страницы» and «Дата последней публикации».
    func importPages(req: Request) async throws -> PublicPages.ImportReport {
        let bytes = req.body.data.map { Array($0.readableBytesView) } ?? []
        return try await pageService(req).importActivity(bytes)
    }

    // MARK: content plan

    func postService(_ req: Request) throws -> ContentPlan { ContentPlan(db: req.db, access: try req.tenant, now: req.now) }

    /// `?from=…&to=…` (RFC 3339).
    func contentPosts(req: Request) async throws -> Items<ContentPlan.DTO> {
        let s = try postService(req)
        var issues: [FieldIssue] = []
        func instant(_ key: String) -> Date? {
            guard let raw = try? req.query.get(String.self, at: key) else { return nil }
            do { return try TimeText.parseRFC3339(raw) } catch { issues.append(FieldIssue(key, error.russian)); return nil }
        }
        let from = instant("from"), to = instant("to")
        if !issues.isEmpty { throw Problem.validation(issues) }
        return Items(items: try await s.dtos(try await s.list(from: from, to: to)))
    }

    func createPost(req: Request) async throws -> Response {
        let s = try postService(req)
        return try await s.dtos([try await s.save(try req.jsonObject(), existing: nil)])[0].encodeResponse(status: .created, for: req)
    }

    func editPost(req: Request) async throws -> ContentPlan.DTO {
        let s = try postService(req)
        let p = try await s.find(try id(req, ContentPlan.notFound))
        return try await s.dtos([try await s.save(try req.jsonObject(), existing: p)])[0]
    }
}
