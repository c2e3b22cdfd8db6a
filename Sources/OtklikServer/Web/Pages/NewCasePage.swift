import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Новое обращение»: a call to the hotline, a letter or a visitor registered by hand. The form becomes
/// the API's intake record and goes through the same parser and intake service.
struct NewCasePage {
    struct Context: Encodable {
        var layout: Layout
        var forms: [AdminForm]
    }

    func show(req: Request) async throws -> Response { try await render(req, failed: nil) }

    func create(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireCaseRegistration()
        let form = try req.form
        let zone = access.zone
        var record: [String: JSONValue] = [:]
        func put(_ key: String, _ field: String? = nil) { if let v = form[field ?? key] { record[key] = .string(v) } }
        put("channel"); put("title"); put("text"); put("category"); put("external_id")
        let receivedAt = form["received_at"].map { LocalDateTime.parse($0, zone: zone) } ?? req.now
        guard let receivedAt else {
            return try await render(req, failed: (form, Problem.validation([FieldIssue("received_at", "укажите дату и время, например 2026-11-22T09:30")])),
                                    status: .unprocessableEntity)
        }
        record["received_at"] = .string(TimeText.formatRFC3339(receivedAt))
        if form.has("appeal_59fz") { record["legal_regime"] = .string(LegalRegime.appeal59FZ.rawValue) }
        if form.has("urgent") { record["urgent"] = .bool(true) }
        var author: [String: JSONValue] = [:]
        for (k, f) in [("name", "author_name"), ("phone", "author_phone"), ("email", "author_email")] {
            if let v = form[f] { author[k] = .string(v) }
        }
        if !author.isEmpty { record["author"] = .object(author) }
        var location: [String: JSONValue] = [:]
        if let v = form["address"] { location["address"] = .string(v) }
        if let v = form["territory"] { location["territory"] = .string(v) }
        if !location.isEmpty { record["location"] = .object(location) }

        let outcome = CaseDraftParser(now: req.now).parse(record)
        let service = CaseIntakeService(db: req.db, tenantID: access.tenantID,
                                        actor: IntakeActor(userID: access.principal.userID, label: access.principal.label, source: "web"),
                                        now: req.now)
        switch try await service.intake([outcome])[0] {
        case .rejected(let issues):
            // The form's own names for the record's nested fields.
            let names = ["author.name": "author_name", "author.phone": "author_phone", "author.email": "author_email",
                         "location.address": "address", "location.territory": "territory", "legal_regime": "appeal_59fz"]
            let mapped = issues.map { FieldIssue(names[$0.field] ?? $0.field, $0.reason) }
            return try await render(req, failed: (form, Problem.validation(mapped)), status: .unprocessableEntity)
        case .created(let id, let number):
            return WebPage.redirect(req, to: "/m/\(access.slug)/cases/\(id.uuidString)", flash: "Обращение №\(number) зарегистрировано.")
        case .existing(let id, let number):
            return WebPage.redirect(req, to: "/m/\(access.slug)/cases/\(id.uuidString)",
                                    flash: "Такое обращение уже есть: №\(number) (тот же канал и номер в источнике).", error: true)
        }
    }

    private func render(_ req: Request, failed: (FormFields, Problem)?, status: HTTPStatus = .ok) async throws -> Response {
        let access = try req.tenant
        try access.requireCaseRegistration()
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        let zone = access.zone
        var form = AdminForm(id: "case", action: "/m/\(access.slug)/cases/new", submit: "Зарегистрировать", fields: [
            AdminField(name: "channel", label: "Канал", kind: .select,
                       options: CaseChannel.allCases.map { Choice(value: $0.rawValue, title: $0.title, selected: $0 == .hotline) }),
            AdminField(name: "received_at", label: "Поступило (местное время)", kind: .text,
                       value: LocalDateTime.format(req.now, zone: zone), hint: "ГГГГ-ММ-ДДTЧЧ:ММ; по умолчанию — сейчас"),
            AdminField(name: "title", label: "Кратко (необязательно)", kind: .text),
            AdminField(name: "text", label: "Текст обращения", kind: .textarea),
            AdminField(name: "category", label: "Категория", kind: .select,
                       options: [Choice(value: "", title: "— определить позже —", selected: true)]
                           + ReferenceOptions.options(books.rubrics, selected: nil, empty: "").dropFirst()),
            AdminField(name: "author_name", label: "Заявитель", kind: .text),
            AdminField(name: "author_phone", label: "Телефон", kind: .text),
            AdminField(name: "author_email", label: "Эл. почта", kind: .text),
            AdminField(name: "address", label: "Адрес", kind: .text),
            AdminField(name: "territory", label: "Территория", kind: .select,
                       options: ReferenceOptions.options(books.territories, selected: nil, empty: "— не указана —")),
            AdminField(name: "external_id", label: "Номер в источнике (номер письма, звонка)", kind: .text),
            AdminField(name: "appeal_59fz", label: "Обращение по 59-ФЗ (срок 30 дней)", kind: .checkbox),
            AdminField(name: "urgent", label: "Срочное", kind: .checkbox),
        ])
        if let (typed, problem) = failed { form = form.refilled(typed, problem: problem) }
        return try await WebPage.render(req, "new_case", Context(
            layout: try await WebPage.layout(req, title: "Новое обращение", active: "new", access: access), forms: [form]), status: status)
    }
}
