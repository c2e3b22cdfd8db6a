import Fluent
import Foundation
import SQLKit
import Vapor

/// The operator's queue on a large municipality: the «Входящие» page (HTML, 50 rows, nearest deadline
/// first) walked page by page through its keyset cursor, next to the same page query run as raw SQL on
/// the same database in the same run. The figure that matters is the ratio, and that it stays flat from
/// the first page to the last ones.
enum QueueBench {
    static let pages = 40
    static let inboxStatuses = ["new", "in_work", "reopened", "on_review", "approved", "published"]

    static func run(target: BenchTarget, cases: BenchCases, jsonl: URL, otklik: String, work: URL) async throws {
        let env = try await database(target, work: work)
        let cli = Otklik(path: otklik, environment: env)
        try cli.run(["municipality", "create", "--slug", "bench", "--name", "Бенчмарк", "--time-zone", "Asia/Krasnoyarsk"])
        _ = try cli.run(["import", "cases", jsonl.path, "--municipality", "bench"])
        let created = try cli.run(["user", "create", "--login", "bench.operator", "--name", "Оператор бенчмарка",
                                   "--role", "channel_operator", "--municipality", "bench"])
        guard let password = created.components(separatedBy: "Одноразовый пароль: ").last?
            .trimmingCharacters(in: .whitespacesAndNewlines), !password.isEmpty else { throw BenchError("no password in: \(created)") }

        var serveEnv = env
        serveEnv["OTKLIK_MONITOR_INTERVAL"] = "0"
        let (server, app, base) = try await Otklik(path: otklik, environment: serveEnv)
            .serve(log: work.appendingPathComponent("queue-serve.log"))
        defer { server.terminate(); server.waitUntilExit() }

        // Sign in through the API, replace the one-time password, then browse as a person does.
        let session = try await app.client.post(URI(string: base + "/api/v1/session"), headers: ["Content-Type": "application/json"]) {
            $0.body = ByteBuffer(string: #"{"login":"bench.operator","password":"\#(password)"}"#)
        }
        guard let cookie = session.headers.setCookie?["otklik_session"]?.string,
              let csrf = session.body.flatMap({ try? JSONSerialization.jsonObject(with: Data(buffer: $0)) as? [String: Any] })?["csrf_token"] as? String else {
            throw BenchError("sign-in failed: \(session.status)")
        }
        let headers: HTTPHeaders = ["Cookie": "otklik_session=\(cookie)", "X-CSRF-Token": csrf, "Accept": "text/html"]
        var json = headers
        json.contentType = .json
        _ = try await app.client.post(URI(string: base + "/api/v1/session/password"), headers: json) {
            $0.body = ByteBuffer(string: #"{"current_password":"\#(password)","new_password":"bench-password-2026"}"#)
        }

        var pageTimes: [Double] = []
        var path = "/m/bench/inbox"
        for _ in 0..<pages {
            let started = Date()
            let res = try await app.client.get(URI(string: base + path), headers: headers)
            pageTimes.append(Date().timeIntervalSince(started))
            guard res.status == .ok, let body = res.body.map({ String(buffer: $0) }) else { throw BenchError("inbox: \(res.status)") }
            guard let r = body.range(of: #"id="next-page""#) ?? nil,
                  let href = body[..<r.lowerBound].components(separatedBy: "href=\"").last?.components(separatedBy: "\"").first else { break }
            path = href.replacingOccurrences(of: "&amp;", with: "&")
        }
        try await app.asyncShutdown()

        // The same pages as raw SQL: the inbox's WHERE, ORDER BY and LIMIT, with the same keyset.
        let rawTimes = try await Admin.withDatabase(env) { sql -> [Double] in
            let tenant = try await sql.raw("SELECT id FROM municipalities WHERE slug = 'bench'").first(decodingColumn: "id", as: UUID.self)!
            var times: [Double] = []
            var cursor: (Date, Int)?
            for _ in 0..<pageTimes.count {
                let started = Date()
                var q = sql.select().column("*").from("cases").where("tenant_id", .equal, tenant)
                    .where("status", .in, inboxStatuses).where("next_due_at", .isNot, SQLLiteral.null)
                if let (due, number) = cursor {
                    q = q.where { $0.where("next_due_at", .greaterThan, due)
                        .orWhere { $0.where("next_due_at", .equal, due).where("number", .greaterThan, number) } }
                }
                let rows = try await q.orderBy("next_due_at").orderBy("number").limit(51).all()
                times.append(Date().timeIntervalSince(started))
                guard rows.count == 51 else { break }
                let last = rows[49]
                cursor = (try last.decode(column: "next_due_at", as: Date.self), try last.decode(column: "number", as: Int.self))
            }
            return times
        }
        func ms(_ xs: ArraySlice<Double>) -> Double { xs.isEmpty ? 0 : xs.sorted()[xs.count / 2] * 1000 }
        let pageFirst = ms(pageTimes.prefix(5)), pageLast = ms(pageTimes.suffix(5))
        let rawFirst = ms(rawTimes.prefix(5)), rawLast = ms(rawTimes.suffix(5))
        print("\(target.name), \(cases.rows.count) cases, «Входящие» of the channel operator, \(pageTimes.count) pages of 50")
        print(String(format: "  inbox page, HTML over HTTP (median of first 5 pages)   %8.1f ms", pageFirst))
        print(String(format: "  inbox page, HTML over HTTP (median of last 5 pages)    %8.1f ms", pageLast))
        print(String(format: "  raw SQL of the same page (first 5 / last 5)            %8.1f / %.1f ms", rawFirst, rawLast))
        print(String(format: "  page ÷ raw SQL: %.1f× (first), %.1f× (last); last ÷ first page: %.2f\n",
                     pageFirst / max(rawFirst, 0.001), pageLast / max(rawLast, 0.001), pageLast / max(pageFirst, 0.001)))
    }

    private static func database(_ target: BenchTarget, work: URL) async throws -> [String: String] {
        switch target {
        case .sqlite(let dir):
            let path = dir.appendingPathComponent("queue.sqlite").path
            for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) }
            return ["OTKLIK_SQLITE_PATH": path]
        case .postgres(let adminURL):
            try await Admin.sql(adminURL) { sql in
                try await sql.raw("DROP DATABASE IF EXISTS otklik_bench_queue WITH (FORCE)").run()
                try await sql.raw("CREATE DATABASE otklik_bench_queue").run()
            }
            var c = URLComponents(string: adminURL)!
            c.path = "/otklik_bench_queue"
            return ["DATABASE_URL": c.string!]
        }
    }
}
