import Fluent
import OtklikCore
import Vapor

/// `/api/v1/municipalities/{m}/auto-rules…`: the municipality's auto-rules in order, their edits, and
/// the dry run over past cases.
struct AutoRulesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let r = routes.grouped("auto-rules")
        r.get(use: list)
        r.post(use: create)
        r.post("dry-run", use: dryRunDraft)
        r.put(":ruleID", use: update)
        r.delete(":ruleID", use: delete)
        r.post(":ruleID", "move", use: move)
        r.post(":ruleID", "dry-run", use: dryRunSaved)
    }

    static let notFound = "Автоправило не найдено в этом муниципальном образовании."

    static func list(_ access: TenantAccess, on db: any Database) async throws -> [AutoRuleDTO] {
        guard TextModelsController.mayRead(access) else {
            throw Problem.forbidden("Автоправила доступны сотрудникам МЦУ, которые распределяют обращения.")
        }
        let names = try await AutoRuleNames.load(tenantID: access.tenantID, on: db)
        return try await AutoRules.ordered(tenantID: access.tenantID, on: db).map { AutoRuleDTO($0, names: names) }
    }

    func list(req: Request) async throws -> [AutoRuleDTO] {
        try await Self.list(try req.tenant, on: req.db)
    }

    func create(req: Request) async throws -> Response {
        let access = try req.tenant
        let r = try await AutoRules.create(try req.jsonObject(), access: access, now: req.now, on: req.db)
        let names = try await AutoRuleNames.load(tenantID: access.tenantID, on: req.db)
        return try await AutoRuleDTO(r, names: names).encodeResponse(status: .created, for: req)
    }

    func update(req: Request) async throws -> AutoRuleDTO {
        let access = try req.tenant
        let id = try req.uuidParameter("ruleID", notFound: Self.notFound)
        let r = try await AutoRules.update(id, try req.jsonObject(), access: access, now: req.now, on: req.db)
        return AutoRuleDTO(r, names: try await AutoRuleNames.load(tenantID: access.tenantID, on: req.db))
    }

    func delete(req: Request) async throws -> HTTPStatus {
        let access = try req.tenant
        try await AutoRules.delete(try req.uuidParameter("ruleID", notFound: Self.notFound), access: access, on: req.db)
        return .noContent
    }

    /// Body: `{"direction": "up" | "down"}`; answers the whole list in its new order.
    func move(req: Request) async throws -> [AutoRuleDTO] {
        let access = try req.tenant
        let id = try req.uuidParameter("ruleID", notFound: Self.notFound)
        var reader = PayloadReader(try req.jsonObject())
        let direction = reader.string("direction", required: true, max: 8)
        if let direction, direction != "up" && direction != "down" {
            reader.issues.append(FieldIssue("direction", "допустимо: up (выше) или down (ниже)"))
        }
        try reader.check()
        try await AutoRules.move(id, up: direction == "up", access: access, now: req.now, on: req.db)
        return try await Self.list(access, on: req.db)
    }

    static func days(_ body: [String: JSONValue]) throws -> Int {
        var reader = PayloadReader(body)
        let days = reader.int("days", range: 1...365, message: "период проверки — от 1 до 365 дней") ?? 30
        try reader.check()
        return days
    }

    /// A rule not saved yet (the body as for create, plus `days`, 30 by default).
    func dryRunDraft(req: Request) async throws -> AutoRuleDryRun.Result {
        let access = try req.tenant
        try AutoRules.requireManager(access)
        let body = try req.jsonObject()
        let days = try Self.days(body)
        let payload = try await AutoRulePayload.read(body, tenantID: access.tenantID, on: req.db)
        return try await AutoRuleDryRun.run(payload.rule, access: access, days: days, now: req.now, on: req.db)
    }

    func dryRunSaved(req: Request) async throws -> AutoRuleDryRun.Result {
        let access = try req.tenant
        try AutoRules.requireManager(access)
        let r = try await AutoRules.find(try req.uuidParameter("ruleID", notFound: Self.notFound), access: access, on: req.db)
        let days = try Self.days(req.body.data == nil ? [:] : try req.jsonObject())
        return try await AutoRuleDryRun.run(r.rule, access: access, days: days, now: req.now, on: req.db)
    }
}
