import FluentKit
import FluentSQLiteDriver
import Foundation
import OtklikCore
import SQLKit

/// The physical limit: the same rows (values prepared beforehand, time-ordered ids as Otklik uses),
/// a case row, its event row and the rows of the clocks its channel starts at receipt, all in one transaction, through the database driver with no
/// Otklik code. Two ways: the plain per-row INSERT a DBA would write, and multi-row INSERTs of 400
/// rows (the fastest plain-SQL path in this runtime); ratios are taken against the faster of the two.
enum RawInsert {
    enum Mode { case perRow, multiRow }

    static let caseColumns = ["id", "tenant_id", "number", "channel", "external_id", "received_at", "legal_regime", "status",
                              "text", "search_text", "author_name", "author_phone", "address", "latitude", "longitude",
                              "attachments_json", "tags_json", "version", "created_at", "updated_at"]
    static let eventColumns = ["id", "tenant_id", "case_id", "kind", "actor_label", "occurred_at", "details_json"]
    static let clockColumns = ["id", "tenant_id", "case_id", "kind", "rule", "started_at", "due_at", "original_due_at",
                               "remind_at", "escalation_level", "used_fallback"]

    static func run(cases: BenchCases, env: [String: String], mode: Mode) async throws -> TimeInterval {
        try await Admin.withDatabase(env) { sqlDB in
            struct Row: Decodable { var id: UUID; var time_zone: String }
            let m = try await sqlDB.raw("SELECT id, time_zone FROM municipalities WHERE slug = 'bench'").first(decoding: Row.self)!
            let tenant = m.id
            let schedule = WorkSchedule(zone: TimeZone(identifier: m.time_zone)!)
            let now = Date()
            // Values prepared before the clock starts: only the database work is timed.
            var caseRows: [[any Encodable & Sendable]] = [], eventRows: [[any Encodable & Sendable]] = []
            var clockRows: [[[any Encodable & Sendable]]] = []
            for (i, r) in cases.rows.enumerated() {
                let id = TimeOrderedUUID.make(at: now)
                caseRows.append([id, tenant, i + 1, r.channel, r.externalID, r.receivedAt, "message", "new", r.text,
                                 r.searchText, r.authorName, r.authorPhone, r.address, r.latitude, r.longitude, "[]", "[]",
                                 1, now, now])
                eventRows.append([TimeOrderedUUID.make(at: now), tenant, id, "received", "raw", now, "{}"])
                let profile = RegulationProfile.shipped(.channel(CaseChannel(rawValue: r.channel)!))
                clockRows.append(ClockPlanner.atIntake(profile, receivedAt: r.receivedAt, sourceDeadline: nil, schedule: schedule).map { p in
                    [TimeOrderedUUID.make(at: now), tenant, id, p.kind.rawValue, p.rule, p.startedAt, p.due, p.due, p.remindAt, 0, p.usedFallback]
                })
            }
            let (allCases, allEvents, allClocks) = (caseRows, eventRows, clockRows)
            let started = Date()
            // One connection, one transaction (the pool would otherwise spread statements over connections).
            try await (sqlDB as! any Database).transaction { tx in
                let sql = tx as! any SQLDatabase
                switch mode {
                case .perRow:
                    for ((c, e), clocks) in zip(zip(allCases, allEvents), allClocks) {
                        try await sql.insert(into: "cases").columns(caseColumns).values(c).run()
                        try await sql.insert(into: "case_events").columns(eventColumns).values(e).run()
                        for k in clocks { try await sql.insert(into: "case_clocks").columns(clockColumns).values(k).run() }
                    }
                case .multiRow:
                    try await multiRow(tx, table: "cases", columns: caseColumns, rows: allCases)
                    try await multiRow(tx, table: "case_events", columns: eventColumns, rows: allEvents)
                    try await multiRow(tx, table: "case_clocks", columns: clockColumns, rows: allClocks.flatMap { $0 })
                }
            }
            return Date().timeIntervalSince(started)
        }
    }

    static func multiRow(_ db: any Database, table: String, columns: [String], rows: [[any Encodable & Sendable]]) async throws {
        let perStatement = 400
        if let sqlite = db as? any SQLiteDatabase {
            let encoder = SQLiteDataEncoder()
            let binds = try rows.map { try $0.map { try encoder.encode($0) } }
            let head = "INSERT INTO \"\(table)\" (" + columns.map { "\"\($0)\"" }.joined(separator: ", ") + ") VALUES "
            let tuple = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
            for start in stride(from: 0, to: binds.count, by: perStatement) {
                let chunk = binds[start..<min(start + perStatement, binds.count)]
                _ = try await sqlite.query(head + Array(repeating: tuple, count: chunk.count).joined(separator: ", "),
                                           chunk.flatMap { $0 }).get()
            }
        } else {
            let sql = db as! any SQLDatabase
            for start in stride(from: 0, to: rows.count, by: perStatement) {
                let insert = sql.insert(into: table).columns(columns)
                for row in rows[start..<min(start + perStatement, rows.count)] { insert.values(row) }
                try await insert.run()
            }
        }
    }
}
