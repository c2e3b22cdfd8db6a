import Fluent
import Foundation
import OtklikCore
import Vapor

/// What the queue page posts: bulk take-in-work and assignment, saving and deleting a view.
struct QueueActions {
    /// Each case goes through the same lifecycle service as one action on the card; the ones that fail
    /// (someone acted first, a rule refuses) are listed with the reason, the others are done.
    func bulk(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        let back = form["back"].flatMap { $0.hasPrefix("/m/\(access.slug)/") ? $0 : nil } ?? "/m/\(access.slug)/inbox"
        guard let name = form["action"], let action = CaseAction(rawValue: name), [.takeInWork, .assign].contains(action) else {
            return WebPage.redirect(req, to: back, flash: "Выберите действие: взять в работу или назначить.", error: true)
        }
        let items: [(UUID, Int)] = form.all("case").compactMap { value in
            let parts = value.split(separator: ":")
            guard parts.count == 2, let id = UUID(uuidString: String(parts[0])), let v = Int(parts[1]) else { return nil }
            return (id, v)
        }
        guard !items.isEmpty else {
            return WebPage.redirect(req, to: back, flash: "Отметьте обращения в списке (клавиша x или флажок слева).", error: true)
        }
        guard items.count <= 200 else {
            return WebPage.redirect(req, to: back, flash: "За один раз — не более 200 обращений.", error: true)
        }
        var payload: [String: JSONValue] = [:]
        if action == .assign {
            payload = form.json(except: ["_csrf", "action", "case", "back"])
            if payload["organisation_id"] == nil || payload["organisation_id"] == .null {
                return WebPage.redirect(req, to: back, flash: "Для назначения выберите организацию.", error: true)
            }
            do { try LocalDateTime.convert(&payload, zone: access.zone) } catch let p as Problem {
                return WebPage.redirect(req, to: back, flash: "Срок: " + (p.errors?.first?.reason ?? p.title) + ".", error: true)
            }
        }
        let numbers = Dictionary(uniqueKeysWithValues: try await CaseQueries.scoped(access, on: req.db)
            .filter(\.$id ~~ items.map(\.0)).all().map { ($0.id!, $0.number) })
        let service = LifecycleService(db: req.db, tenantID: access.tenantID, notifiers: req.application.notifiers)
        var done = 0
        var failures: [String] = []
        for (id, version) in items {
            do {
                _ = try await service.perform(action, caseID: id, payload: payload, actor: ActionActor(access),
                                              expectedVersion: version, now: req.now)
                done += 1
            } catch let problem as Problem {
                failures.append("№\(numbers[id].map(String.init) ?? "?"): \(problem.detail ?? problem.title)")
            }
        }
        let verb = action == .takeInWork ? "Взято в работу" : "Назначено"
        var text = "\(verb): \(RussianPlural.count(done, one: "обращение", few: "обращения", many: "обращений"))."
        if !failures.isEmpty { text += " Не выполнено — " + failures.joined(separator: "; ") }
        return WebPage.redirect(req, to: back, flash: text, error: !failures.isEmpty)
    }

    func saveView(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        let base = "/m/\(access.slug)"
        guard let userID = access.principal.userID else { throw Problem.forbidden("Виды сохраняют пользователи.") }
        let query = form["query"] ?? "inbox"
        let back = base + "/" + query
        guard let name = form["name"], name.count <= 80 else {
            return WebPage.redirect(req, to: back, flash: "Назовите вид (до 80 символов).", error: true)
        }
        guard query.hasPrefix("inbox") || query.hasPrefix("cases"), query.count <= 2_000 else {
            return WebPage.redirect(req, to: base + "/inbox", flash: "Этот вид сохранить нельзя.", error: true)
        }
        let existing = try await SavedView.query(on: req.db).filter(\.$tenantID == access.tenantID)
            .filter(\.$userID == userID).filter(\.$name == name).first()
        let view = existing ?? SavedView()
        view.tenantID = access.tenantID
        view.userID = userID
        view.name = name
        view.query = query
        view.createdAt = req.now
        try await req.db.transaction { tx in
            try await view.save(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "saved_view.save",
                                   entity: "saved_view", entityID: view.id?.uuidString, after: ["name": name, "query": query])
        }
        return WebPage.redirect(req, to: back, flash: "Вид «\(name)» сохранён.")
    }

    func deleteView(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        guard let id = form["id"].flatMap(UUID.init(uuidString:)),
              let view = try await SavedView.query(on: req.db).filter(\.$tenantID == access.tenantID)
                .filter(\.$userID == (access.principal.userID ?? UUID())).filter(\.$id == id).first() else {
            throw Problem.notFound("Вид не найден.")
        }
        try await req.db.transaction { tx in
            try await view.delete(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "saved_view.delete",
                                   entity: "saved_view", entityID: id.uuidString, before: ["name": view.name])
        }
        return WebPage.redirect(req, to: "/m/\(access.slug)/inbox", flash: "Вид «\(view.name)» удалён.")
    }
}
