import Fluent
import Foundation
import OtklikCore
import SQLKit

/// Counts what `KPISheet` needs, in SQL aggregates (nothing per case comes back except the two ranks of
/// each percentile): the same statements on SQLite and PostgreSQL, dates compared as bound values.
struct KPIQuery {
    let db: any SQLDatabase
    let now: Date

    init(db: any Database, now: Date) {
        self.db = db as! any SQLDatabase
        self.now = now
    }

    func aggregates(_ slice: AnalyticsSlice, zone: TimeZone) async throws -> KPIAggregates {
        var a = KPIAggregates()
        struct Main: Decodable {
            var volume: Int?; var rated: Int?; var rated45: Int?; var silence: Int?; var answered: Int?
            var reopened: Int?; var resolved: Int?; var explained: Int?
        }
        let answered = "'published','awaiting_feedback','reopened','closed'"
        let main = try await db.select()
            .column(SQLRaw("COUNT(*)"), as: "volume")
            .column(SQLRaw("SUM(CASE WHEN feedback_rating IS NOT NULL THEN 1 ELSE 0 END)"), as: "rated")
            .column(SQLRaw("SUM(CASE WHEN feedback_rating >= 4 THEN 1 ELSE 0 END)"), as: "rated45")
            .column(SQLRaw("SUM(CASE WHEN accepted_by_silence = \(db.dialect.name == "sqlite" ? "1" : "TRUE") THEN 1 ELSE 0 END)"), as: "silence")
            .column(SQLRaw("SUM(CASE WHEN status IN (\(answered)) THEN 1 ELSE 0 END)"), as: "answered")
            .column(SQLRaw("SUM(CASE WHEN reopen_count > 0 THEN 1 ELSE 0 END)"), as: "reopened")
            .column(SQLRaw("SUM(CASE WHEN result = 'resolved' THEN 1 ELSE 0 END)"), as: "resolved")
            .column(SQLRaw("SUM(CASE WHEN result = 'explained' THEN 1 ELSE 0 END)"), as: "explained")
            .from("cases").where(slice.conditions())
            .first(decoding: Main.self)
        a.volume = main?.volume ?? 0
        a.rated = main?.rated ?? 0
        a.rated45 = main?.rated45 ?? 0
        a.acceptedBySilence = main?.silence ?? 0
        a.answered = main?.answered ?? 0
        a.reopened = main?.reopened ?? 0
        a.resolved = main?.resolved ?? 0
        a.explained = main?.explained ?? 0
        a.volumePrevious = try await count(slice.over(slice.period.previous))
        a.volumeLastYear = try await count(slice.over(slice.period.lastYear(in: zone)))

        struct Tally: Decodable { var kind: String; var met: Int?; var missed: Int?; var open_overdue: Int? }
        let tallies = try await db.select()
            .column(SQLColumn("kind", table: "case_clocks"))
            .column(SQLRaw("SUM(CASE WHEN case_clocks.outcome = 'met' THEN 1 ELSE 0 END)"), as: "met")
            .column(SQLRaw("SUM(CASE WHEN case_clocks.outcome = 'missed' THEN 1 ELSE 0 END)"), as: "missed")
            .column(SQLQueryString("SUM(CASE WHEN case_clocks.stopped_at IS NULL AND case_clocks.due_at < \(bind: now) THEN 1 ELSE 0 END)"), as: "open_overdue")
            .from("case_clocks")
            .join("cases", on: SQLColumn("id", table: "cases"), .equal, SQLColumn("case_id", table: "case_clocks"))
            .where(slice.conditions())
            .groupBy(SQLColumn("kind", table: "case_clocks"))
            .all(decoding: Tally.self)
        for t in tallies {
            guard let kind = CaseClockKind(rawValue: t.kind) else { continue }
            a.clocks[kind] = .init(met: t.met ?? 0, missed: t.missed ?? 0, openOverdue: t.open_overdue ?? 0)
        }

        a.overdueNow = try await db.select().column(SQLRaw("COUNT(*)"), as: "n").from("cases")
            .where(slice.conditions(period: false))
            .where(SQLColumn("next_due_at", table: "cases"), .lessThan, SQLBind(now))
            .first(decoding: Count.self)?.n ?? 0

        a.takeInWork = try await durations(slice, from: "case_clocks.started_at", to: "case_clocks.stopped_at", clock: .takeInWork)
        a.firstResponse = try await durations(slice, from: "cases.received_at", to: "cases.first_response_at", clock: nil)
        return a
    }

    private struct Count: Decodable { var n: Int }

    func count(_ slice: AnalyticsSlice) async throws -> Int {
        try await db.select().column(SQLRaw("COUNT(*)"), as: "n").from("cases").where(slice.conditions()).first(decoding: Count.self)?.n ?? 0
    }

    /// Minutes between two instants: the count, then the median and the 90th percentile fetched by rank.
    private func durations(_ slice: AnalyticsSlice, from: String, to: String, clock: CaseClockKind?) async throws -> KPIAggregates.Durations {
        let minutes = db.dialect.name == "postgresql"
            ? "EXTRACT(EPOCH FROM (\(to) - \(from))) / 60.0"
            : "(\(to) - \(from)) / 60.0"
        func base() -> SQLSelectBuilder {
            let q = db.select().from("cases")
            if let clock {
                q.join("case_clocks", on: SQLColumn("case_id", table: "case_clocks"), .equal, SQLColumn("id", table: "cases"))
                    .where(SQLColumn("kind", table: "case_clocks"), .equal, SQLBind(clock.rawValue))
                    .where(SQLColumn("outcome", table: "case_clocks"), .in, SQLGroupExpression([SQLBind("met"), SQLBind("missed")]))
            }
            return q.where(slice.conditions()).where(SQLRaw(to), .isNot, SQLLiteral.null)
        }
        let n = try await base().column(SQLRaw("COUNT(*)"), as: "n").first(decoding: Count.self)?.n ?? 0
        guard n > 0 else { return .init() }
        struct Value: Decodable { var m: Double }
        func at(_ p: Double) async throws -> Double? {
            guard let rank = Percentile.rank(count: n, p) else { return nil }
            let row: Value? = try await base().column(SQLRaw(minutes), as: "m").orderBy(SQLRaw(minutes)).limit(1).offset(rank - 1)
                .first(decoding: Value.self)
            return row?.m
        }
        return .init(count: n, median: try await at(0.5), p90: try await at(0.9))
    }
}
