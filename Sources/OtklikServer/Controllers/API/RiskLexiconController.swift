import Fluent
import OtklikCore
import Vapor

/// `/api/v1/municipalities/{m}/risk-lexicon…`: the word lists of the risk signals.
struct RiskLexiconController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let r = routes.grouped("risk-lexicon")
        r.get(use: list)
        r.put(":signal", use: save)
    }

    func list(req: Request) async throws -> [RiskLexicons.ListDTO] {
        let access = try req.tenant
        guard TextModelsController.mayRead(access) || RiskLexicons.mayManage(access) else {
            throw Problem.forbidden("Словари сигналов риска доступны сотрудникам МЦУ.")
        }
        return try await RiskLexicons.dto(tenantID: access.tenantID, on: req.db)
    }

    /// Body: `{"entries": [...], "version": n}` or `{"reset": true, "version": n}`.
    func save(req: Request) async throws -> [RiskLexicons.ListDTO] {
        let access = try req.tenant
        try await RiskLexicons.save(req.parameters.get("signal") ?? "", try req.jsonObject(), access: access, now: req.now, on: req.db)
        return try await RiskLexicons.dto(tenantID: access.tenantID, on: req.db)
    }
}
