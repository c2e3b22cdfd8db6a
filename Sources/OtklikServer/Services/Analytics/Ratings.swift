import Fluent
import Foundation
import OtklikCore

/// Ratings of organisations, blocks and executors for a slice, with the municipality's weights.
enum Ratings {
    struct ComponentDTO: Codable, Sendable { var key: String; var title: String; var score: Double?; var detail: String }
    struct RowDTO: Codable, Sendable {
        var id: String; var name: String; var volume: Int; var composite: Double?; var rank: Int?; var previous_rank: Int?
        var movement: String; var components: [ComponentDTO]; var open_now: Int; var overdue_now: Int
    }
    struct WeightsDTO: Codable, Sendable {
        var timeliness: Double; var speed: Double; var completeness: Double; var quality: Double; var satisfaction: Double
        var version: Int; var updated_by: String?
    }
    struct DTO: Codable, Sendable {
        var level: String
        var period: Dashboard.PeriodDTO
        var previous: Dashboard.PeriodDTO
        var weights: WeightsDTO
        var formula: String
        var components: [[String: String]]
        var rows: [RowDTO]
    }

    static let formula = "Итоговый балл = Σ (вес × оценка составляющей) ÷ Σ весов составляющих, по которым есть данные, × 100. Место — по итоговому баллу; движение — к месту в предыдущем периоде той же длины."

    /// The ranked rows of a level with the workload now, under the municipality's weights.
    static func ranked(_ level: RatingQuery.Level, _ slice: AnalyticsSlice, weights: RatingWeights, now: Date,
                       on db: any Database) async throws -> (rows: [RatingRow], workload: [String: RatingQuery.Workload]) {
        let query = RatingQuery(db: db, now: now)
        let current = try await query.tallies(level, slice)
        let previous = try await query.tallies(level, slice.over(slice.period.previous))
        let workload = try await query.workload(level, slice)
        var names: [String: String] = [:]
        switch level {
        case .organisation:
            for o in try await Organisation.query(on: db).withDeleted().filter(\.$tenantID == slice.tenantID).all() { names[o.id!.uuidString] = o.name }
        case .block:
            for b in try await ThematicBlock.query(on: db).withDeleted().filter(\.$tenantID == slice.tenantID).all() { names[b.id!.uuidString] = b.name }
        case .executor:
            let ids = Set(current.keys).union(workload.keys).compactMap(UUID.init(uuidString:))
            for u in try await User.query(on: db).filter(\.$id ~~ ids).all() { names[u.id!.uuidString] = u.fullName }
        }
        // Groups with open work but no case in the period still appear: their workload matters.
        var all = current
        for id in workload.keys where all[id] == nil { all[id] = RatingTally() }
        return (RatingSheet.rows(current: all, previous: previous, names: names, weights: weights), workload)
    }

    static func build(_ level: RatingQuery.Level, _ slice: AnalyticsSlice, now: Date, on db: any Database) async throws -> DTO {
        let (weights, stored) = try await loadWeights(tenantID: slice.tenantID, on: db)
        let (rows, workload) = try await ranked(level, slice, weights: weights, now: now, on: db)
        func period(_ p: AnalyticsPeriod) -> Dashboard.PeriodDTO { .init(from: TimeText.formatRFC3339(p.from), to: TimeText.formatRFC3339(p.to)) }
        return DTO(level: level.rawValue, period: period(slice.period), previous: period(slice.period.previous),
                   weights: WeightsDTO(timeliness: weights.timeliness, speed: weights.speed, completeness: weights.completeness,
                                       quality: weights.quality, satisfaction: weights.satisfaction,
                                       version: stored?.version ?? 0, updated_by: stored?.updatedBy),
                   formula: formula,
                   components: RatingSheet.componentTitles.map { ["key": $0.key, "title": $0.title, "formula": $0.formula] },
                   rows: rows.map { r in
                       RowDTO(id: r.id, name: r.name, volume: r.volume, composite: r.composite.map { ($0 * 10).rounded() / 10 }, rank: r.rank,
                              previous_rank: r.previousRank, movement: RatingSheet.movementText(r),
                              components: r.components.map { ComponentDTO(key: $0.key, title: $0.title, score: $0.score, detail: $0.detail) },
                              open_now: workload[r.id]?.open ?? 0, overdue_now: workload[r.id]?.overdue ?? 0)
                   })
    }

    static func loadWeights(tenantID: UUID, on db: any Database) async throws -> (RatingWeights, AnalyticsSetting?) {
        guard let s = try await AnalyticsSetting.query(on: db).filter(\.$tenantID == tenantID).first() else { return (.standard, nil) }
        let w = (try? JSONDecoder().decode(RatingWeights.self, from: Data(s.weightsJSON.utf8))) ?? .standard
        return (w, s)
    }

    /// Saves the weights (МЦУ head, coordinator, curator or administrator); `version` guards stale edits.
    static func saveWeights(_ payload: [String: JSONValue], access: TenantAccess, now: Date, on db: any Database) async throws -> RatingWeights {
        guard access.administers || !access.roles.isDisjoint(with: [.mcuHead, .coordinator, .curator]) else {
            throw Problem.forbidden("Веса рейтинга меняют руководитель МЦУ, координатор, куратор или администратор.")
        }
        var reader = PayloadReader(payload)
        let (current, stored) = try await loadWeights(tenantID: access.tenantID, on: db)
        func weight(_ key: String, _ old: Double) -> Double {
            reader.has(key) ? (reader.double(key, range: 0...100) ?? -1) : old
        }
        let w = RatingWeights(timeliness: weight("timeliness", current.timeliness), speed: weight("speed", current.speed),
                              completeness: weight("completeness", current.completeness), quality: weight("quality", current.quality),
                              satisfaction: weight("satisfaction", current.satisfaction))
        let version = reader.int("version", range: 0...Int.max, required: true)
        try reader.check()
        let problems = w.problems()
        if !problems.isEmpty { throw Problem.validation(problems.map { FieldIssue($0.field, $0.reason) }) }
        if let version, version != (stored?.version ?? 0) {
            throw Problem.conflict("Веса уже изменил \(stored?.updatedBy ?? "другой пользователь"): обновите страницу и внесите правку заново.")
        }
        let s = stored ?? AnalyticsSetting()
        if stored == nil { s.id = TimeOrderedUUID.make(at: now); s.tenantID = access.tenantID; s.version = 0 }
        s.weightsJSON = String(decoding: try JSONEncoder().encode(w), as: UTF8.self)
        s.version += 1
        s.updatedAt = now
        s.updatedBy = access.principal.label
        try await db.transaction { tx in
            if stored == nil { try await s.create(on: tx) } else { try await s.update(on: tx) }
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "rating_weights.update",
                                   entity: "analytics_settings", entityID: s.id?.uuidString,
                                   before: Dictionary(uniqueKeysWithValues: current.byKey.map { ($0.0, String($0.1)) }),
                                   after: Dictionary(uniqueKeysWithValues: w.byKey.map { ($0.0, String($0.1)) }))
        }
        return w
    }
}
