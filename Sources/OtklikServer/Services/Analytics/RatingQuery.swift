import Fluent
import Foundation
import OtklikCore
import SQLKit

/// Counts the rating components per organisation, block or executor of the slice, in two grouped
/// statements (cases; executor clocks). Interval arithmetic is written so that SQLite (seconds as REAL) and
/// PostgreSQL (timestamps) read the same text.
struct RatingQuery {
    enum Level: String, CaseIterable, Sendable {
        case organisation, block, executor

        var column: String {
            switch self {
            case .organisation: "organisation_id"
            case .block: "block_id"
            case .executor: "executor_id"
            }
        }

        var title: String {
            switch self {
            case .organisation: "Ответственные организации"
            case .block: "Тематические блоки"
            case .executor: "Исполнители"
            }
        }
    }

    /// Open cases and the overdue among them now, per group: the workload columns.
    struct Workload: Sendable, Equatable { var open = 0; var overdue = 0 }

    let db: any SQLDatabase
    let now: Date

    init(db: any Database, now: Date) {
        self.db = db as! any SQLDatabase
        self.now = now
    }

    func tallies(_ level: Level, _ slice: AnalyticsSlice) async throws -> [String: RatingTally] {
        let group = SQLColumn(level.column, table: "cases")
        struct CaseRow: Decodable {
            var g: UUID?; var volume: Int; var returned: Int?; var submitted: Int?; var resolved: Int?; var explained: Int?
            var rated: Int?; var rated45: Int?; var answered: Int?; var reopened: Int?
        }
        let rows = try await db.select()
            .column(group, as: "g")
            .column(SQLRaw("COUNT(*)"), as: "volume")
            .column(SQLRaw("SUM(CASE WHEN return_count > 0 THEN 1 ELSE 0 END)"), as: "returned")
            .column(SQLRaw("SUM(CASE WHEN status IN ('on_review','returned','approved','published','awaiting_feedback','reopened','closed') THEN 1 ELSE 0 END)"), as: "submitted")
            .column(SQLRaw("SUM(CASE WHEN result = 'resolved' THEN 1 ELSE 0 END)"), as: "resolved")
            .column(SQLRaw("SUM(CASE WHEN result = 'explained' THEN 1 ELSE 0 END)"), as: "explained")
            .column(SQLRaw("SUM(CASE WHEN feedback_rating IS NOT NULL THEN 1 ELSE 0 END)"), as: "rated")
            .column(SQLRaw("SUM(CASE WHEN feedback_rating >= 4 THEN 1 ELSE 0 END)"), as: "rated45")
            .column(SQLRaw("SUM(CASE WHEN status IN ('published','awaiting_feedback','reopened','closed') THEN 1 ELSE 0 END)"), as: "answered")
            .column(SQLRaw("SUM(CASE WHEN reopen_count > 0 THEN 1 ELSE 0 END)"), as: "reopened")
            .from("cases").where(slice.conditions()).where(group, .isNot, SQLLiteral.null)
            .groupBy(group).all(decoding: CaseRow.self)
        var out: [String: RatingTally] = [:]
        for r in rows {
            guard let id = r.g?.uuidString else { continue }
            var t = RatingTally()
            t.volume = r.volume; t.returned = r.returned ?? 0; t.submitted = r.submitted ?? 0; t.resolved = r.resolved ?? 0
            t.explained = r.explained ?? 0; t.rated = r.rated ?? 0; t.rated45 = r.rated45 ?? 0; t.answered = r.answered ?? 0
            t.reopened = r.reopened ?? 0
            out[id] = t
        }
        struct ClockRow: Decodable { var g: UUID?; var met: Int?; var missed: Int?; var open_overdue: Int?; var fast: Int? }
        let clocks = try await db.select()
            .column(group, as: "g")
            .column(SQLRaw("SUM(CASE WHEN case_clocks.outcome = 'met' THEN 1 ELSE 0 END)"), as: "met")
            .column(SQLRaw("SUM(CASE WHEN case_clocks.outcome = 'missed' THEN 1 ELSE 0 END)"), as: "missed")
            .column(SQLQueryString("SUM(CASE WHEN case_clocks.stopped_at IS NULL AND case_clocks.due_at < \(bind: now) THEN 1 ELSE 0 END)"), as: "open_overdue")
            .column(SQLRaw("SUM(CASE WHEN case_clocks.outcome IN ('met','missed') AND (case_clocks.stopped_at - case_clocks.started_at) * 2 <= (case_clocks.due_at - case_clocks.started_at) THEN 1 ELSE 0 END)"), as: "fast")
            .from("case_clocks")
            .join("cases", on: SQLColumn("id", table: "cases"), .equal, SQLColumn("case_id", table: "case_clocks"))
            .where(slice.conditions()).where(group, .isNot, SQLLiteral.null)
            .where(SQLColumn("kind", table: "case_clocks"), .equal, SQLBind(CaseClockKind.executor.rawValue))
            .groupBy(group).all(decoding: ClockRow.self)
        for r in clocks {
            guard let id = r.g?.uuidString else { continue }
            var t = out[id] ?? RatingTally()
            t.met = r.met ?? 0; t.missed = r.missed ?? 0; t.openOverdue = r.open_overdue ?? 0
            t.finished = t.met + t.missed; t.fast = r.fast ?? 0
            out[id] = t
        }
        return out
    }

    /// Open cases now and the overdue among them, per group, whenever they came in.
    func workload(_ level: Level, _ slice: AnalyticsSlice) async throws -> [String: Workload] {
        let group = SQLColumn(level.column, table: "cases")
        struct Row: Decodable { var g: UUID?; var open: Int; var overdue: Int? }
        let rows = try await db.select()
            .column(group, as: "g")
            .column(SQLRaw("COUNT(*)"), as: "open")
            .column(SQLQueryString("SUM(CASE WHEN cases.next_due_at < \(bind: now) THEN 1 ELSE 0 END)"), as: "overdue")
            .from("cases").where(slice.conditions(period: false)).where(group, .isNot, SQLLiteral.null)
            // Written as a literal so both planners see the partial index's own condition (idx_cases_open_workload).
            .where(SQLRaw("cases.status <> 'closed'"))
            .groupBy(group).all(decoding: Row.self)
        return Dictionary(rows.compactMap { r in r.g.map { ($0.uuidString, Workload(open: r.open, overdue: r.overdue ?? 0)) } }, uniquingKeysWith: { a, _ in a })
    }
}
