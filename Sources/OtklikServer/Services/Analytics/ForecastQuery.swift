import Fluent
import Foundation
import OtklikCore
import SQLKit

/// Weekly counts of the last two years of complete weeks (Monday to Sunday, local), in total and per
/// thematic block and channel: the history the forecasts are made from.
struct ForecastQuery {
    static let weeks = 104

    struct History: Sendable {
        /// Monday of the first week.
        var origin: Date
        var total: [Double]
        var byBlock: [UUID: [Double]]
        var byChannel: [String: [Double]]
    }

    let db: any SQLDatabase

    init(db: any Database) { self.db = db as! any SQLDatabase }

    /// `slice` gives the tenant and the reader's restriction; its period is replaced by the history's.
    func history(_ slice: AnalyticsSlice, now: Date, zone: TimeZone) async throws -> History {
        let thisWeek = AnalyticsPeriod.week(containing: now, in: zone)
        let origin = thisWeek.from.addingTimeInterval(-Double(Self.weeks) * 7 * 86_400)
        var s = slice
        s.period = try AnalyticsPeriod(from: origin, to: thisWeek.from)
        let bucket = VolumeBreakdown.weekBucket(db, origin: origin)
        // One pass over the two years, grouped by block, channel and week: the three series are summed here.
        struct Row: Decodable { var g: UUID?; var c: String; var b: Double; var n: Int }
        var history = History(origin: origin, total: Array(repeating: 0, count: Self.weeks), byBlock: [:], byChannel: [:])
        let rows = try await db.select().column(SQLColumn("block_id", table: "cases"), as: "g").column(SQLColumn("channel", table: "cases"), as: "c")
            .column(bucket, as: "b").column(SQLRaw("COUNT(*)"), as: "n").from("cases").where(s.conditions())
            .groupBy(SQLRaw("1")).groupBy(SQLRaw("2")).groupBy(SQLRaw("3")).all(decoding: Row.self)
        for r in rows {
            let i = Int(r.b)
            guard i >= 0 && i < Self.weeks else { continue }
            history.total[i] += Double(r.n)
            if let g = r.g { history.byBlock[g, default: Array(repeating: 0, count: Self.weeks)][i] += Double(r.n) }
            history.byChannel[r.c, default: Array(repeating: 0, count: Self.weeks)][i] += Double(r.n)
        }
        return history
    }

    /// The series from its first week with a case: weeks before the municipality used Otklik are not zeros.
    static func trimmed(_ series: [Double], firstWeek: Int) -> [Double] {
        Array(series[min(firstWeek, series.count)...])
    }
}
