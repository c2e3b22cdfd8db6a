import Fluent
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
import SQLKit
import Vapor

enum BenchTarget {
    case sqlite(directory: URL)
    case postgres(adminURL: String)

    var name: String {
        switch self {
        case .sqlite: "SQLite"
        case .postgres: "PostgreSQL"
        }
    }
}

/// One database kind: three fresh databases with the same schema, the same rows stored three ways.
struct IntakeBench {
    let target: BenchTarget
    let cases: BenchCases
    let jsonl: URL
    let otklik: String
    let work: URL

    struct Results {
        var rawPerRowPerSecond: Double
        var rawMultiRowPerSecond: Double
        var importPerSecond: Double
        var apiPerSecond: Double
        var count: Int

        /// The best raw-SQL rate of the run: what the ratios are taken against.
        var rawPerSecond: Double { max(rawPerRowPerSecond, rawMultiRowPerSecond) }

        /// Prints the figures; returns whether the foundation issue's SQLite target is met.
        func print(target: BenchTarget) -> Bool {
            func line(_ label: String, _ rate: Double, ratio: Bool) -> String {
                let r = ratio ? String(format: "  = %.0f%% of raw SQL", rate / rawPerSecond * 100) : ""
                return "  " + label.padding(toLength: 62, withPad: " ", startingAt: 0) + String(format: "%9.0f cases/s", rate) + r
            }
            Swift.print("\(target.name), \(count) cases")
            Swift.print(line("raw SQL: per-row INSERT of case + event + clocks, one txn", rawPerRowPerSecond, ratio: false))
            Swift.print(line("raw SQL: multi-row INSERT (400 rows), one transaction", rawMultiRowPerSecond, ratio: false))
            Swift.print(line("otklik import cases FILE.jsonl (whole process)", importPerSecond, ratio: true))
            Swift.print(line("API: POST /cases/batch, 10 000 per request", apiPerSecond, ratio: true))
            guard case .sqlite = target else { Swift.print(""); return true }
            let met = importPerSecond >= 10_000 && importPerSecond >= 0.4 * rawPerSecond
            Swift.print("  target (import ≥ 10 000 cases/s and ≥ 40% of raw SQL): \(met ? "MET" : "NOT MET")\n")
            return met
        }
    }

    func run() async throws -> Results {
        let importDB = try await database("import"), rawDB = try await database("raw"), apiDB = try await database("api")
        let rawMultiDB = try await database("rawmulti")
        for env in [importDB, rawDB, rawMultiDB, apiDB] {
            let cli = Otklik(path: otklik, environment: env)
            try cli.run(["municipality", "create", "--slug", "bench", "--name", "Бенчмарк", "--time-zone", "Asia/Krasnoyarsk"])
        }

        // 1. Raw SQL through the database driver, no Otklik code involved.
        let rawPerRow = try await RawInsert.run(cases: cases, env: rawDB, mode: .perRow)
        let rawMultiRow = try await RawInsert.run(cases: cases, env: rawMultiDB, mode: .multiRow)

        // 2. The import command, timed as a whole process.
        let cli = Otklik(path: otklik, environment: importDB)
        let started = Date()
        let out = try cli.run(["import", "cases", jsonl.path, "--municipality", "bench"])
        let importSeconds = Date().timeIntervalSince(started)
        guard out.contains("создано:              \(cases.rows.count)") else { throw BenchError("import did not create every case:\n\(out)") }

        // 3. The batch API of a running server.
        let apiSeconds = try await ApiIntake.run(cases: cases, env: apiDB, otklik: otklik, log: work.appendingPathComponent("serve.log"))

        let n = Double(cases.rows.count)
        return Results(rawPerRowPerSecond: n / rawPerRow, rawMultiRowPerSecond: n / rawMultiRow, importPerSecond: n / importSeconds, apiPerSecond: n / apiSeconds, count: cases.rows.count)
    }

    private func database(_ name: String) async throws -> [String: String] {
        try await target.freshDatabase(name)
    }
}

extension BenchTarget {
    /// Environment that points `otklik` at a fresh database called `name`.
    func freshDatabase(_ name: String) async throws -> [String: String] {
        switch self {
        case .sqlite(let dir):
            let path = dir.appendingPathComponent("\(name).sqlite").path
            for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) }
            return ["OTKLIK_SQLITE_PATH": path]
        case .postgres(let adminURL):
            let db = "otklik_bench_\(name)"
            try await Admin.sql(adminURL) { sql in
                try await sql.raw("DROP DATABASE IF EXISTS \(unsafeRaw: db) WITH (FORCE)").run()
                try await sql.raw("CREATE DATABASE \(unsafeRaw: db)").run()
            }
            var c = URLComponents(string: adminURL)!
            c.path = "/" + db
            return ["DATABASE_URL": c.string!]
        }
    }
}

/// A short-lived Vapor application used only as a database client.
enum Admin {
    static func sql<T>(_ url: String, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await withDatabase(["DATABASE_URL": url], body)
    }

    static func withDatabase<T>(_ env: [String: String], _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        if let url = env["DATABASE_URL"] {
            app.databases.use(try .postgres(url: url), as: .psql)
        } else {
            app.databases.use(.sqlite(.file(env["OTKLIK_SQLITE_PATH"]!)), as: .sqlite)
        }
        do {
            let result = try await body(app.db as! any SQLDatabase)
            try await app.asyncShutdown()
            return result
        } catch {
            try? await app.asyncShutdown()
            throw error
        }
    }
}
