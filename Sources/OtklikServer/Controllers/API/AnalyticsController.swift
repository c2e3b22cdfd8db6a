import Fluent
import OtklikCore
import Vapor

/// `/api/v1/municipalities/{m}/analytics/…`: the dashboard's figures with their formulas.
struct AnalyticsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("analytics").get("kpis", use: kpis)
    }

    func kpis(req: Request) async throws -> Dashboard.DTO {
        let access = try req.tenant
        let params = (try? req.query.decode([String: String].self)) ?? [:]
        let slice = try await AnalyticsSlice.parse(params, access: access, now: req.now, on: req.db)
        return try await Dashboard.build(slice, zone: access.zone, now: req.now, on: req.db).0
    }
}

extension Dashboard.DTO: Content {}
