import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Госпаблики и контент-план»: the registry of official pages with the ПОС widget check and the days
/// since the last post, and the content plan of the editor and SMM roles.
struct PublicPagesPage {
    struct Context: Encodable {
        var layout: Layout
        var pages: [PublicPages.DTO]
        var posts: [ContentPlan.DTO]
        var mayEdit: Bool
        var values: [String: String]
        var errors: [String: String]
        var formName: String
        var platforms: [Choice]
        var organisations: [Choice]
        var pageChoices: [Choice]
        var campaignChoices: [Choice]
        var riskChoices: [Choice]
        var widgetProblems: Int
        var silent: Int
    }

    func show(req: Request) async throws -> Response {
        try await render(req, values: [:], errors: [:], formName: "", status: .ok)
    }

    private func render(_ req: Request, values: [String: String], errors: [String: String], formName: String, status: HTTPStatus) async throws -> Response {
        let access = try req.tenant
        let service = PublicPages(db: req.db, access: access, now: req.now)
        let pages = try await service.dtos(try await service.list())
        let plan = ContentPlan(db: req.db, access: access, now: req.now)
        var posts = try await plan.dtos(try await plan.list(from: req.now.addingTimeInterval(-30 * 86_400), to: req.now.addingTimeInterval(92 * 86_400)))
        for i in posts.indices { posts[i].planned_local = (try? TimeText.parseRFC3339(posts[i].planned_at)).map { RussianDate.dateTime($0, in: access.zone) } }
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        let campaigns = try await CampaignRecord.query(on: req.db).filter(\.$tenantID == access.tenantID).sort(\.$startsOn, .descending).limit(50).all()
        return try await WebPage.render(req, "public_pages", Context(
            layout: try await WebPage.layout(req, title: "Госпаблики и контент-план", active: "risks", access: access),
            pages: pages, posts: posts, mayEdit: access.editsOutreach, values: values, errors: errors, formName: formName,
            platforms: [Platform.vk, .ok, .telegram, .max, .website].map { Choice(value: $0.rawValue, title: $0.title, selected: $0.rawValue == values["platform"]) },
            organisations: ReferenceOptions.options(books.organisations, selected: values["organisation_id"].flatMap(UUID.init(uuidString:)), empty: "— администрация —"),
            pageChoices: [Choice(value: "", title: "— страница не выбрана —", selected: true)] + pages.map { Choice(value: $0.id.uuidString, title: $0.title, selected: false) },
            campaignChoices: [Choice(value: "", title: "— без кампании —", selected: true)] + campaigns.map { Choice(value: $0.id!.uuidString, title: $0.title, selected: false) },
            riskChoices: [Choice(value: "", title: "— без риска —", selected: true)]
                + (try await access.risks(on: req.db).filter(\.$status != RiskStatus.closed.rawValue).sort(\.$number, .descending).limit(50).all())
                    .map { Choice(value: $0.id!.uuidString, title: "№\($0.number) \($0.title)", selected: false) },
            widgetProblems: pages.filter { $0.widget_ok == false }.count,
            silent: pages.filter(\.silent_long).count), status: status)
    }

    func savePage(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        let s = PublicPages(db: req.db, access: access, now: req.now)
        var existing: PublicPageRecord?
        if let id = req.parameters.get("id", as: UUID.self) { existing = try await s.find(id) }
        return try await run(req, form: form, formName: existing == nil ? "page" : "page-\(existing!.id!.uuidString)") {
            if form.has("delete"), let existing {
                try await s.delete(existing)
                return "Страница «\(existing.title)» снята с учёта."
            }
            var body: [String: JSONValue] = [:]
            for key in ["title", "url", "platform", "responsible", "organisation_id", "widget_url", "last_post_on", "note"] {
                if let v = form[key] { body[key] = .string(v) } else if form.has(key) { body[key] = .null }
            }
            body["widget_placed"] = .bool(form.has("widget_placed"))
            if let existing { body["version"] = .number(Double(Int(form["version"] ?? "") ?? existing.version)) }
            let p = try await s.save(body, existing: existing)
            let check = p.widgetCheck
            return "Страница «\(p.title)» сохранена." + (check.map { $0.isWellFormed ? " Ссылка виджета ПОС в порядке." : " Ссылка виджета ПОС с ошибкой: \($0.problems.joined(separator: "; "))." } ?? "")
        }
    }

    struct Upload: Content { var file: File? }

    /// The file of last publication dates: all rows or none.
    func importDates(req: Request) async throws -> Response {
        let access = try req.tenant
        let back = "/m/\(access.slug)/public-pages"
        guard let file = try req.content.decode(Upload.self).file, file.data.readableBytes > 0 else {
            return WebPage.redirect(req, to: back, flash: "Выберите файл с адресами страниц и датами последних публикаций.", error: true)
        }
        do {
            let r = try await PublicPages(db: req.db, access: access, now: req.now).importActivity(Array(file.data.readableBytesView))
            return WebPage.redirect(req, to: back, flash: "Даты последних публикаций обновлены: \(r.updated)"
                                    + (r.unchanged > 0 ? ", без изменений (в реестре дата новее или та же): \(r.unchanged)." : "."))
        } catch let problem as Problem where [403, 422].contains(problem.statusCode) {
            return WebPage.redirect(req, to: back, flash: problem.detail ?? problem.title, error: true)
        }
    }

    func savePost(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        let s = ContentPlan(db: req.db, access: access, now: req.now)
        var existing: ContentPostRecord?
        if let id = req.parameters.get("id", as: UUID.self) { existing = try await s.find(id) }
        return try await run(req, form: form, formName: existing == nil ? "post" : "post-\(existing!.id!.uuidString)") {
            var body: [String: JSONValue] = [:]
            for key in ["title", "text", "status", "published_url", "page_id", "campaign_id", "risk_id"] {
                if let v = form[key] { body[key] = .string(v) } else if existing == nil && form.has(key) { body[key] = .null }
            }
            if let raw = form["planned_at"] {
                guard let d = (try? TimeText.parseRussianLocal(raw, in: access.zone)) ?? nil else {
                    throw Problem.validation([FieldIssue("planned_at", "дата и время вида 10.12.2026 10:00")])
                }
                body["planned_at"] = .string(TimeText.formatRFC3339(d))
            } else if existing == nil {
                throw Problem.validation([FieldIssue("planned_at", "укажите, когда публиковать: 10.12.2026 10:00")])
            }
            if let existing { body["version"] = .number(Double(existing.version)) }
            let p = try await s.save(body, existing: existing)
            return p.status == ContentPostStatus.published.rawValue ? "Пост «\(p.title)» отмечен опубликованным." : "Пост «\(p.title)» в контент-плане."
        }
    }

    private func run(_ req: Request, form: FormFields, formName: String, _ work: () async throws -> String) async throws -> Response {
        let access = try req.tenant
        do {
            return WebPage.redirect(req, to: "/m/\(access.slug)/public-pages", flash: try await work())
        } catch let problem as Problem where [403, 409, 422].contains(problem.statusCode) {
            var errors = problem.reasonsByField
            if errors.isEmpty { errors["form"] = problem.detail ?? problem.title }
            errors["form"] = errors["form"] ?? "Не сохранено: " + (problem.errors ?? []).map(\.reason).joined(separator: "; ")
            return try await render(req, values: form.typed, errors: errors, formName: formName,
                                    status: problem.status)
        }
    }
}
