import Fluent
import Foundation
import OtklikCore
import SQLKit

/// Topic × territory and topic × week counts: volume, overdue now, rated and rated 1–3. Topics and
/// territories roll up to the top of their trees (a «Нет воды» fact counts under «ЖКХ»; a microdistrict
/// under its district).
struct HeatMapQuery {
    enum Columns: String, CaseIterable, Sendable { case territory, week }
    enum Measure: String, CaseIterable, Sendable {
        case volume, overdue, dissatisfaction
        var title: String {
            switch self {
            case .volume: "число обращений"
            case .overdue: "доля просроченных сейчас"
            case .dissatisfaction: "доля оценок 1–3"
            }
        }
    }

    struct Tally: Sendable, Equatable { var count = 0, overdue = 0, rated = 0, unhappy = 0 }

    let db: any SQLDatabase
    let now: Date

    init(db: any Database, now: Date) { self.db = db as! any SQLDatabase; self.now = now }

    /// (topic root id or nil) → (column key) → tally. Week keys are "0"…"11", oldest first.
    func tallies(_ slice: AnalyticsSlice, columns: Columns, books: ReferenceOptions) async throws -> [UUID?: [String: Tally]] {
        let origin = slice.period.to.addingTimeInterval(-12 * 7 * 86_400)
        var s = slice
        if columns == .week { s.period = try AnalyticsPeriod(from: origin, to: slice.period.to) }
        let column: any SQLExpression = columns == .week ? VolumeBreakdown.weekBucket(db, origin: origin) : SQLColumn("territory_id", table: "cases")
        struct TerritoryRow: Decodable { var c: UUID?; var k: UUID?; var n: Int; var overdue: Int?; var rated: Int?; var unhappy: Int? }
        struct WeekRow: Decodable { var c: UUID?; var k: Double; var n: Int; var overdue: Int?; var rated: Int?; var unhappy: Int? }
        let q = db.select()
            .column(SQLColumn("category_id", table: "cases"), as: "c")
            .column(column, as: "k")
            .column(SQLRaw("COUNT(*)"), as: "n")
            .column(SQLQueryString("SUM(CASE WHEN cases.next_due_at < \(bind: now) THEN 1 ELSE 0 END)"), as: "overdue")
            .column(SQLRaw("SUM(CASE WHEN feedback_rating IS NOT NULL THEN 1 ELSE 0 END)"), as: "rated")
            .column(SQLRaw("SUM(CASE WHEN feedback_rating <= 3 THEN 1 ELSE 0 END)"), as: "unhappy")
            .from("cases").where(s.conditions())
            .groupBy(SQLRaw("1")).groupBy(SQLRaw("2"))
        let topicRoot = Self.roots(books.rubrics), territoryRoot = Self.roots(books.territories)
        var out: [UUID?: [String: Tally]] = [:]
        func add(_ c: UUID?, _ key: String, _ n: Int, _ overdue: Int?, _ rated: Int?, _ unhappy: Int?) {
            let topic = c.map { topicRoot[$0] ?? $0 }
            var t = out[topic, default: [:]][key, default: Tally()]
            t.count += n; t.overdue += overdue ?? 0; t.rated += rated ?? 0; t.unhappy += unhappy ?? 0
            out[topic, default: [:]][key] = t
        }
        if columns == .week {
            for r in try await q.all(decoding: WeekRow.self) where r.k >= 0 && r.k < 12 { add(r.c, String(Int(r.k)), r.n, r.overdue, r.rated, r.unhappy) }
        } else {
            for r in try await q.all(decoding: TerritoryRow.self) {
                add(r.c, r.k.map { (territoryRoot[$0] ?? $0).uuidString } ?? "", r.n, r.overdue, r.rated, r.unhappy)
            }
        }
        return out
    }

    /// Each node's top ancestor.
    static func roots(_ nodes: [ReferenceOptions.Node]) -> [UUID: UUID] {
        let parent = Dictionary(uniqueKeysWithValues: nodes.map { ($0.id, $0.parentID) })
        var out: [UUID: UUID] = [:]
        for n in nodes {
            var id = n.id, guardSteps = 0
            while let p = parent[id] ?? nil, guardSteps < 64 { id = p; guardSteps += 1 }
            out[n.id] = id
        }
        return out
    }
}
