import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Голосования и обсуждения»: results next to the complaints of the same topic, the topics worth a vote,
/// the import of a results file and the centre's own question.
struct PollsPage {
    struct Context: Encodable {
        var layout: Layout
        var polls: [Polls.DTO]
        var suggestions: [Polls.Suggestion]
        var mayManage: Bool
        var categories: [Choice]
        var roadmaps: [Choice]
        var values: [String: String]
        var errors: [String: String]
    }

    func show(req: Request) async throws -> Response { try await render(req, values: [:], errors: [:], status: .ok) }

    private func render(_ req: Request, values: [String: String], errors: [String: String], status: HTTPStatus) async throws -> Response {
        let access = try req.tenant
        let s = Polls(db: req.db, access: access, now: req.now)
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        let maps = try await RoadmapRecord.query(on: req.db).filter(\.$tenantID == access.tenantID).sort(\.$number).all()
        return try await WebPage.render(req, "polls", Context(
            layout: try await WebPage.layout(req, title: "Голосования и обсуждения", active: "centre", access: access),
            polls: try await s.dtos(try await s.list()), suggestions: try await s.suggestions(), mayManage: access.governs,
            categories: ReferenceOptions.options(books.rubrics.filter { $0.parentID == nil }, selected: nil, empty: "— тема —"),
            roadmaps: [Choice(value: "", title: "— дорожная карта —", selected: true)] + maps.map { Choice(value: $0.id!.uuidString, title: "№ \($0.number) \($0.title)", selected: false) },
            values: values, errors: errors), status: status)
    }

    struct Upload: Content { var file: File?; var kind: String? }

    func importFile(req: Request) async throws -> Response {
        let access = try req.tenant
        let upload = try req.content.decode(Upload.self)
        guard let file = upload.file, file.data.readableBytes > 0 else {
            return WebPage.redirect(req, to: "/m/\(access.slug)/polls", flash: "Выберите файл с итогами (CSV или XLSX).", error: true)
        }
        do {
            let made = try await Polls(db: req.db, access: access, now: req.now).importFile(Data(file.data.readableBytesView), kind: upload.kind ?? "vote")
            return WebPage.redirect(req, to: "/m/\(access.slug)/polls", flash: "Загружено вопросов: \(made.count). Свяжите их с темами, чтобы видеть рядом обращения.")
        } catch let problem as Problem where [403, 422].contains(problem.statusCode) {
            return WebPage.redirect(req, to: "/m/\(access.slug)/polls", flash: problem.detail ?? problem.title, error: true)
        }
    }

    func create(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        // «Вариант; голосов» per line.
        var options: [JSONValue] = []
        for line in (form.raw("options") ?? "").split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: ";", maxSplits: 1).map { String($0).trimmed }
            guard let text = parts.first, !text.isEmpty else { continue }
            options.append(.object(["text": .string(text), "votes": .number(Double(parts.count > 1 ? Int(parts[1].filter { !$0.isWhitespace }) ?? -1 : 0))]))
        }
        var body: [String: JSONValue] = ["options": .array(options)]
        for key in ["question", "territory", "from_on", "to_on", "category_id", "roadmap_id"] { if let v = form[key] { body[key] = .string(v) } }
        do {
            _ = try await Polls(db: req.db, access: access, now: req.now).create(body)
            return WebPage.redirect(req, to: "/m/\(access.slug)/polls", flash: "Вопрос записан.")
        } catch let problem as Problem where [403, 422].contains(problem.statusCode) {
            return try await render(req, values: form.typed, errors: WebPage.fieldErrors(problem), status: problem.status)
        }
    }

    func link(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        var body: [String: JSONValue] = [:]
        for key in ["category_id", "roadmap_id"] where form.has(key) { body[key] = form[key].map(JSONValue.string) ?? .null }
        do {
            _ = try await Polls(db: req.db, access: access, now: req.now).link(try req.uuidParameter("id", notFound: "Голосование не найдено."), body)
            return WebPage.redirect(req, to: "/m/\(access.slug)/polls", flash: "Связи сохранены.")
        } catch let problem as Problem where [403, 422].contains(problem.statusCode) {
            return WebPage.redirect(req, to: "/m/\(access.slug)/polls", flash: problem.detail ?? problem.title, error: true)
        }
    }
}
