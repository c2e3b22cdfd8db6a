import Fluent
import Foundation
import OtklikCore
import Vapor

/// Administration of a municipality in the browser. Each page calls the same service the API does.
struct AdminPages {
    struct Section: Encodable { var title: String; var href: String; var note: String }
    struct IndexContext: Encodable { var layout: Layout; var sections: [Section] }

    func index(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let base = "/m/\(access.slug)/admin"
        return try await WebPage.render(req, "admin/index", IndexContext(
            layout: try await WebPage.layout(req, title: "Администрирование", active: "admin", access: access),
            sections: [
                Section(title: "Настройки муниципалитета", href: base + "/settings", note: "название, часовой пояс, рабочие часы"),
                Section(title: "Организации", href: base + "/books/organisations", note: "ответственные получатели и подразделения"),
                Section(title: "Отраслевые блоки", href: base + "/books/blocks", note: "направления и их руководители"),
                Section(title: "Рубрикатор", href: base + "/books/rubrics", note: "категории, подкатегории, факты"),
                Section(title: "Территории", href: base + "/books/territories", note: "населённые пункты и районы"),
                Section(title: "Пользователи и роли", href: base + "/users", note: "учётные записи, роли, одноразовые пароли"),
                Section(title: "Регламент каналов", href: base + "/regulation", note: "сроки каждого канала"),
                Section(title: "Производственный календарь", href: base + "/calendar", note: "выходные, праздники, сокращённые дни; загрузка года"),
                Section(title: "Профили загрузки", href: base + "/import-profiles", note: "какой столбец выгрузки ПОС, «Инцидент Менеджмента» или своей таблицы в какое поле"),
                Section(title: "Таблицы соответствий", href: base + "/import-mappings", note: "рубрики, организации, статусы выгрузок → наши"),
                Section(title: "Подключения", href: base + "/connectors", note: "сообщества ВКонтакте (Callback API): адрес, ключ, последние события"),
                Section(title: "Автоправила", href: base + "/rules", note: "кому и с какой категорией направлять новые обращения по словам, каналу, территории, времени; проверка на прошлых"),
                Section(title: "Сигналы риска", href: base + "/risk-lexicon", note: "словари негатива, брани, угроз и опасных тем: срочность и кандидаты в инфориски"),
                Section(title: "Классификатор обращений", href: base + "/classifier", note: "подсказки категории, блока и организации по тексту: качество, обучение, автоприменение"),
                Section(title: "Шаблоны ответов", href: base + "/templates", note: "тексты с подстановками для ответов заявителям"),
                Section(title: "Журнал аудита", href: base + "/audit", note: "кто, когда и что изменил"),
            ]))
    }

    // MARK: - Answer templates

    struct TemplateItem: Encodable { var id: String; var title: String; var body: String; var updated: String }
    struct TemplatesContext: Encodable {
        var layout: Layout
        var items: [TemplateItem]
        var empty: Bool
        var placeholders: [String]
        var editing: String
        var err: [String: String]
        var val: [String: String]
    }

    func templates(req: Request) async throws -> Response {
        try await renderTemplates(req, editing: "", err: [:], val: [:], status: .ok)
    }

    private func renderTemplates(_ req: Request, editing: String, err: [String: String], val: [String: String],
                                 status: HTTPStatus) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let zone = access.zone
        let items = try await AnswerTemplates.list(tenantID: access.tenantID, on: req.db).map {
            TemplateItem(id: $0.id!.uuidString, title: $0.title, body: $0.body,
                         updated: RussianDate.dateTime($0.updatedAt, in: zone) + " · " + $0.updatedBy)
        }
        return try await WebPage.render(req, "admin/templates", TemplatesContext(
            layout: try await WebPage.layout(req, title: "Шаблоны ответов", active: "admin", access: access),
            items: items, empty: items.isEmpty,
            placeholders: AnswerTemplate.placeholders.map { "{{\($0.key)}} — \($0.meaning)" },
            editing: editing, err: err, val: val), status: status)
    }

    /// Create (`/templates`) or update (`/templates/{id}`): a field error shows the form again with the text kept.
    func saveTemplate(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        let id = req.parameters.get("id", as: UUID.self)
        do {
            var existing: AnswerTemplateRecord?
            if let id { existing = try await AnswerTemplates.find(id, access: access, on: req.db) }
            let t = try await AnswerTemplates.save(form.json(), existing: existing, access: access, now: req.now, on: req.db)
            return WebPage.redirect(req, to: "/m/\(access.slug)/admin/templates",
                                    flash: "Шаблон «\(t.title)» сохранён.")
        } catch let problem as Problem where problem.statusCode == 422 {
            return try await renderTemplates(req, editing: id?.uuidString ?? "new", err: problem.reasonsByField,
                                             val: ["title": form.raw("title") ?? "", "body": form.raw("body") ?? ""],
                                             status: .unprocessableEntity)
        }
    }

    func deleteTemplate(req: Request) async throws -> Response {
        let access = try req.tenant
        let id = try req.uuidParameter(notFound: "Шаблон ответа не найден.")
        let t = try await AnswerTemplates.find(id, access: access, on: req.db)
        try await AnswerTemplates.delete(t, access: access, on: req.db)
        return WebPage.redirect(req, to: "/m/\(access.slug)/admin/templates", flash: "Шаблон «\(t.title)» удалён.")
    }

    // MARK: - Audit log

    struct AuditItem: Encodable { var when: String; var actor: String; var action: String; var entity: String; var before: String?; var after: String? }
    struct AuditContext: Encodable {
        var layout: Layout
        var items: [AuditItem]
        var empty: Bool
        var q: String
        var nextHref: String?
    }

    /// Newest first, 100 a page, filtered by a word in the action, entity or actor.
    func audit(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let zone = access.zone
        let q = (try? req.query.get(String.self, at: "q"))?.trimmed ?? ""
        let before = (try? req.query.get(Double.self, at: "before")).map { Date(timeIntervalSince1970: $0) }
        let query = AuditEntry.query(on: req.db).filter(\.$tenantID == access.tenantID)
        if !q.isEmpty {
            let like = "%" + q.replacingOccurrences(of: "%", with: "") + "%"
            query.group(.or) { or in
                or.filter(\.$action, .custom("LIKE"), like)
                or.filter(\.$entity, .custom("LIKE"), like)
                or.filter(\.$actorLabel, .custom("LIKE"), like)
            }
        }
        if let before { query.filter(\.$occurredAt < before) }
        let rows = try await query.sort(\.$occurredAt, .descending).limit(101).all()
        let page = rows.prefix(100)
        let items = page.map { e in
            AuditItem(when: RussianDate.dateTime(e.occurredAt, in: zone), actor: e.actorLabel, action: e.action,
                      entity: e.entity + (e.entityID.map { " " + $0 } ?? ""),
                      before: e.beforeJSON.map { String($0.prefix(600)) }, after: e.afterJSON.map { String($0.prefix(600)) })
        }
        var next: String?
        if rows.count > 100, let last = page.last {
            next = "/m/\(access.slug)/admin/audit?" + QueuePage.encode(["q": q, "before": String(last.occurredAt.timeIntervalSince1970)])
        }
        return try await WebPage.render(req, "admin/audit", AuditContext(
            layout: try await WebPage.layout(req, title: "Журнал аудита", active: "admin", access: access),
            items: Array(items), empty: items.isEmpty, q: q, nextHref: next))
    }
}
