import Fluent
import OtklikCore
import Vapor

/// `/api/v1/municipalities/{m}/analytics/…`: the dashboard's figures with their formulas.
struct AnalyticsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let a = routes.grouped("analytics")
        a.get("kpis", use: kpis)
        a.get("growth", use: growth)
        a.get("ratings", use: ratings)
        a.get("rating-weights", use: weights)
        a.put("rating-weights", use: saveWeights)
        a.get("memo.docx", use: memo)
    }

    /// The weekly analytic memo for the period and slice, as a Word document.
    func memo(req: Request) async throws -> Response {
        let access = try req.tenant
        let params = (try? req.query.decode([String: String].self)) ?? [:]
        let slice = try await AnalyticsSlice.parse(params, access: access, now: req.now, on: req.db)
        return try await MemoService.download(slice, access: access, now: req.now, on: req.db)
    }

    func ratings(req: Request) async throws -> Ratings.DTO {
        let access = try req.tenant
        var params = (try? req.query.decode([String: String].self)) ?? [:]
        let raw = params.removeValue(forKey: "level") ?? "organisation"
        guard let level = RatingQuery.Level(rawValue: raw) else {
            throw Problem.validation([FieldIssue("level", "неизвестный уровень «\(raw)»; допустимо: organisation, block, executor")])
        }
        let slice = try await AnalyticsSlice.parse(params, access: access, now: req.now, on: req.db)
        return try await Ratings.build(level, slice, now: req.now, on: req.db)
    }

    func weights(req: Request) async throws -> Ratings.WeightsDTO {
        let access = try req.tenant
        let (w, s) = try await Ratings.loadWeights(tenantID: access.tenantID, on: req.db)
        return .init(timeliness: w.timeliness, speed: w.speed, completeness: w.completeness, quality: w.quality,
                     satisfaction: w.satisfaction, version: s?.version ?? 0, updated_by: s?.updatedBy)
    }

    func saveWeights(req: Request) async throws -> Ratings.WeightsDTO {
        let access = try req.tenant
        _ = try await Ratings.saveWeights(try req.jsonObject(), access: access, now: req.now, on: req.db)
        return try await weights(req: req)
    }

    /// Factors of abnormal growth of the period and slice.
    func growth(req: Request) async throws -> GrowthQuery.DTO {
        let access = try req.tenant
        let params = (try? req.query.decode([String: String].self)) ?? [:]
        let slice = try await AnalyticsSlice.parse(params, access: access, now: req.now, on: req.db)
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        return GrowthQuery.dto(try await GrowthQuery(db: req.db).factors(slice, zone: access.zone, books: books), slice: slice)
    }

    func kpis(req: Request) async throws -> Dashboard.DTO {
        let access = try req.tenant
        let params = (try? req.query.decode([String: String].self)) ?? [:]
        let slice = try await AnalyticsSlice.parse(params, access: access, now: req.now, on: req.db)
        return try await Dashboard.build(slice, zone: access.zone, now: req.now, on: req.db).0
    }
}

extension Dashboard.DTO: Content {}
extension GrowthQuery.DTO: Content {}
extension Ratings.DTO: Content {}
extension Ratings.WeightsDTO: Content {}
