import Fluent
import OtklikCore
import Vapor

/// `/api/v1/municipalities/{m}/risks…`: the register of information risks and their отработка
/// (decree 001), and the municipality's first-reaction deadlines per criticality.
struct RisksController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let risks = routes.grouped("risks")
        risks.get(use: list)
        risks.post(use: create)
        risks.get(":riskID", use: show)
        risks.patch(":riskID", use: edit)
        risks.post(":riskID", "sources", use: addSources)
        risks.post(":riskID", "cases", use: linkCase)
        risks.delete(":riskID", "cases", ":caseID", use: unlinkCase)
        risks.post(":riskID", "comments", use: comment)
        risks.post(":riskID", "actions", ":action", use: act)
        routes.get("risk-settings", use: settings)
        routes.put("risk-settings", use: saveSettings)
    }

    struct RiskList: Content { var items: [RiskSummary] }

    func service(_ req: Request) throws -> RiskService {
        RiskService(db: req.db, access: try req.tenant, now: req.now, publicURL: req.application.publicURL, notifiers: req.application.notifiers)
    }

    func riskID(_ req: Request) throws -> UUID { try req.uuidParameter("riskID", notFound: RiskService.notFound) }

    /// `?status=active|closed|all` (default active), `?criticality=high`.
    func list(req: Request) async throws -> RiskList {
        let access = try req.tenant
        let q = try access.risks(on: req.db)
        switch (try? req.query.get(String.self, at: "status")) ?? "active" {
        case "all": break
        case "closed": q.filter(\.$status == RiskStatus.closed.rawValue)
        case "active": q.filter(\.$status != RiskStatus.closed.rawValue)
        case let s:
            guard let status = RiskStatus(rawValue: s) else {
                throw Problem.validation([FieldIssue("status", "ожидалось active, closed, all или этап: \(RiskStatus.allCases.map(\.rawValue).joined(separator: ", "))")])
            }
            q.filter(\.$status == status.rawValue)
        }
        if let raw = try? req.query.get(String.self, at: "criticality") {
            guard let level = RiskCriticality(rawValue: raw) else {
                throw Problem.validation([FieldIssue("criticality", "ожидалось: low, medium, high, critical")])
            }
            q.filter(\.$criticality == level.rawValue)
        }
        return RiskList(items: try await RiskCard.list(q, now: req.now, on: req.db))
    }

    func create(req: Request) async throws -> Response {
        let risk = try await service(req).create(try req.jsonObject())
        return try await card(risk, req, status: .created)
    }

    func show(req: Request) async throws -> RiskDTO {
        let risk = try await service(req).find(try riskID(req))
        return try await RiskCard.load(risk, access: try req.tenant, now: req.now, on: req.db)
    }

    func edit(req: Request) async throws -> Response {
        try await card(try await service(req).edit(try riskID(req), try req.jsonObject()), req)
    }

    func addSources(req: Request) async throws -> Response {
        try await card(try await service(req).addSources(try riskID(req), try req.jsonObject()), req)
    }

    /// Body `{"case": 1234}` (number or id).
    func linkCase(req: Request) async throws -> Response {
        let body = try req.jsonObject()
        let ref: String
        switch body["case"] {
        case .number(let n)?: ref = String(Int(n))
        case .string(let s)? where !s.trimmed.isEmpty: ref = s.trimmed
        default: throw Problem.validation([FieldIssue("case", "укажите номер обращения")])
        }
        let s = try service(req)
        let id = try riskID(req)
        try await s.linkCase(id, ref: ref)
        return try await card(try await s.find(id), req)
    }

    func unlinkCase(req: Request) async throws -> Response {
        let s = try service(req)
        let id = try riskID(req)
        try await s.unlinkCase(id, caseID: try req.uuidParameter("caseID", notFound: "Обращение не найдено."))
        return try await card(try await s.find(id), req)
    }

    func comment(req: Request) async throws -> Response {
        let body = try req.jsonObject()
        let text: String? = if case .string(let s)? = body["text"] { s } else { nil }
        let s = try service(req)
        let id = try riskID(req)
        try await s.comment(id, text: text)
        return try await card(try await s.find(id), req, status: .created)
    }

    func act(req: Request) async throws -> Response {
        guard let raw = req.parameters.get("action"), let action = RiskAction(rawValue: raw) else {
            throw Problem.notFound("Неизвестное действие с риском; допустимо: \(RiskAction.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return try await card(try await service(req).act(try riskID(req), action, try req.jsonObject()), req)
    }

    /// The card after a change, with the alert-chat posts of the risk sent at once where possible: the
    /// header `Otklik-Alert-Chat` says whether they went (`sent`), wait for a retry (`queued`) or there
    /// is no chat (`none`).
    func card(_ risk: RiskRecord, _ req: Request, status: HTTPResponseStatus = .ok) async throws -> Response {
        let deliveries = try await NotificationDispatcher(app: req.application).sendNow(riskID: risk.id!)
        let fresh = try await RiskRecord.find(risk.id!, on: req.db) ?? risk
        let dto = try await RiskCard.load(fresh, access: try req.tenant, now: req.now, on: req.db)
        let response = try await dto.encodeResponse(status: status, for: req)
        response.headers.replaceOrAdd(name: "Otklik-Alert-Chat", value: deliveries.isEmpty ? "none"
                                      : deliveries.contains { $0.status == NotificationDelivery.Status.pending.rawValue } ? "queued" : "sent")
        return response
    }

    // MARK: reaction deadlines

    struct Setting: Content { var criticality: String; var title: String; var rule: String; var text: String; var is_default: Bool }
    struct Settings: Content { var items: [Setting] }

    func settings(req: Request) async throws -> Settings {
        let access = try req.tenant
        guard access.readsAllRisks else { throw Problem.forbidden("Сроки реакции на риски доступны сотрудникам МЦУ.") }
        let rules = try await RiskReactionRules.load(tenantID: access.tenantID, on: req.db)
        return Settings(items: RiskCriticality.allCases.map { level in
            let rule = rules[level] ?? level.defaultReaction
            return Setting(criticality: level.rawValue, title: level.title, rule: rule.spec, text: rule.russian, is_default: rule == level.defaultReaction)
        })
    }

    /// Body `{"high": "working_hours:60", "critical": "daily:30"}`.
    func saveSettings(req: Request) async throws -> Settings {
        let access = try req.tenant
        try access.requireAdministration()
        let body = try req.jsonObject()
        var issues: [FieldIssue] = []
        var rules: [RiskCriticality: ClockRule] = [:]
        for (key, value) in body {
            guard let level = RiskCriticality(rawValue: key) else { issues.append(FieldIssue(key, "неизвестный уровень критичности; допустимо: low, medium, high, critical")); continue }
            guard case .string(let text) = value else { issues.append(FieldIssue(key, "ожидалась строка срока, например working_hours:60")); continue }
            switch ClockRule.parse(spec: text) {
            case .success(.byLocalTime): issues.append(FieldIssue(key, "срок реакции — длительность (working_hours, daily, working_days, calendar_days)"))
            case .success(let rule): rules[level] = rule
            case .failure(let e): issues.append(FieldIssue(key, e.description))
            }
        }
        if rules.isEmpty && issues.isEmpty { issues.append(FieldIssue("criticality", "укажите хотя бы один срок")) }
        if !issues.isEmpty { throw Problem.validation(issues) }
        let before = try await settings(req: req), chosen = rules
        try await req.db.transaction { tx in
            try await RiskReactionRules.save(chosen, tenantID: access.tenantID, by: access.principal.label, now: req.now, on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "risk_settings.update", entity: "risk_settings",
                                   entityID: nil, before: before.items.map { [$0.criticality: $0.rule] },
                                   after: chosen.map { [$0.key.rawValue: $0.value.spec] })
        }
        return try await settings(req: req)
    }
}
