import Fluent
import Foundation
import OtklikCore
import SQLKit
import Vapor

/// Analytics on a large municipality: the demo municipality plus N generated cases over two years (the
/// bench data generator), then every analytics request the dashboard and its pages make, timed through
/// the running server, next to a plain COUNT(*) of the same week and of the whole history on the same
/// database in the same run. Targets of the analytics issue: each dashboard request under 500 ms, the
/// weekly memo under 5 s.
enum AnalyticsBench {
    static let slug = "svetloyarsk-demo"
    static let repeats = 3
    static let dashboardLimit = 0.5
    static let memoLimit = 5.0

    /// `cached`: the server keeps the result (the forecast's two-year history, for an hour), so the first
    /// request is the honest figure and is the one judged.
    struct Measure { var name: String; var seconds: [Double]; var limit: Double?; var cached = false }

    static func run(target: BenchTarget, cases: Int, otklik: String, work: URL) async throws -> Bool {
        var env = try await target.freshDatabase("analytics")
        env["OTKLIK_DEMO_PASSWORD"] = "bench-demo-2026"
        env["OTKLIK_BCRYPT_COST"] = "4"
        let cli = Otklik(path: otklik, environment: env)
        let demo = try cli.run(["demo", "--cases", "300"])
        guard let tokenRange = demo.range(of: #"otk_[A-Za-z0-9_-]+"#, options: .regularExpression) else { throw BenchError("no token in: \(demo.suffix(500))") }
        let token = String(demo[tokenRange])

        print("\(target.name): generating \(cases) cases over two years in «\(slug)»…")
        let now = Date()
        let (loadSeconds, zone) = try await Admin.withDatabase(env) { sql -> (TimeInterval, TimeZone) in
            let books = try await AnalyticsData.books(sql, slug: slug)
            let seconds = try await AnalyticsData.load(sql as! any Database, books: books, count: cases, now: now)
            // Fresh statistics for both planners, as after any bulk load; PostgreSQL told that its disk is an SSD
            // (random_page_cost 1.1, as docs/operations.md recommends), or it scans whole tables for a week's cases.
            try await sql.raw(target.isSQLite ? "ANALYZE" : "VACUUM ANALYZE").run()
            if !target.isSQLite {
                struct D: Decodable { var current_database: String }
                let name = try await sql.raw("SELECT current_database()").first(decoding: D.self)!.current_database
                try await sql.raw("ALTER DATABASE \(unsafeRaw: name) SET random_page_cost = 1.1").run()
            }
            struct Z: Decodable { var time_zone: String }
            let z = try await sql.raw("SELECT time_zone FROM municipalities WHERE slug = \(bind: slug)").first(decoding: Z.self)!
            return (seconds, TimeZone(identifier: z.time_zone) ?? .gmt)
        }
        print(String(format: "  loaded in %.0f s (%.0f cases/s)\n", loadSeconds, Double(cases) / loadSeconds))

        var serveEnv = env
        for key in ["OTKLIK_MONITOR_INTERVAL", "OTKLIK_MEMO_INTERVAL", "OTKLIK_NOTIFY_INTERVAL", "OTKLIK_WEBHOOK_INTERVAL", "OTKLIK_TELEGRAM_INTERVAL"] {
            serveEnv[key] = "0"
        }
        let (server, app, base) = try await Otklik(path: otklik, environment: serveEnv).serve(log: work.appendingPathComponent("analytics-serve.log"))
        defer { server.terminate(); server.waitUntilExit() }
        let session = try await app.client.post(URI(string: base + "/api/v1/session"), headers: ["Content-Type": "application/json"]) {
            $0.body = ByteBuffer(string: #"{"login":"demo.analyst","password":"bench-demo-2026"}"#)
        }
        guard let cookie = session.headers.setCookie?["otklik_session"]?.string else { throw BenchError("sign-in failed: \(session.status)") }
        let web: HTTPHeaders = ["Cookie": "otklik_session=\(cookie)", "Accept": "text/html"]
        let api: HTTPHeaders = ["Authorization": "Bearer \(token)"]

        // The last full week (Monday to Sunday, local) for the memo; the dashboard opens on the current week.
        var calendar = Calendar(identifier: .iso8601)
        calendar.timeZone = zone
        let thisWeek = calendar.dateInterval(of: .weekOfYear, for: now)!.start
        let lastWeek = calendar.date(byAdding: .day, value: -7, to: thisWeek)!
        let f = DateFormatter()
        f.calendar = calendar; f.timeZone = zone; f.dateFormat = "yyyy-MM-dd"
        let memoPeriod = "from=\(f.string(from: lastWeek))&to=\(f.string(from: thisWeek.addingTimeInterval(-86_400)))"

        let m = "/api/v1/municipalities/\(slug)/analytics"
        let requests: [(String, String, HTTPHeaders, Double?)] = [
            ("API: показатели недели (kpis)", m + "/kpis", api, dashboardLimit),
            ("API: факторы роста (growth)", m + "/growth", api, dashboardLimit),
            ("API: рейтинг организаций", m + "/ratings?level=organisation", api, dashboardLimit),
            ("API: рейтинг блоков", m + "/ratings?level=block", api, dashboardLimit),
            ("API: рейтинг исполнителей", m + "/ratings?level=executor", api, dashboardLimit),
            ("страница «Показатели» целиком", "/m/\(slug)/dashboard", web, nil),
            ("тепловая карта тема × территория", "/m/\(slug)/heatmap", web, dashboardLimit),
            ("тепловая карта тема × неделя", "/m/\(slug)/heatmap?by=week", web, dashboardLimit),
            ("карта округа", "/m/\(slug)/map", web, dashboardLimit),
            ("прогноз (104 недели истории)", "/m/\(slug)/forecast", web, dashboardLimit),
            ("записка за прошлую неделю (DOCX)", m + "/memo.docx?" + memoPeriod, api, memoLimit),
        ]
        var measures: [Measure] = []
        for (name, path, headers, limit) in requests {
            var times: [Double] = []
            for _ in 0..<repeats {
                let started = Date()
                let res = try await app.client.get(URI(string: base + path), headers: headers)
                times.append(Date().timeIntervalSince(started))
                guard res.status == .ok else { throw BenchError("\(path): \(res.status) \(res.body.map { String(buffer: $0) }?.prefix(300) ?? "")") }
            }
            measures.append(Measure(name: name, seconds: times, limit: limit, cached: path.hasSuffix("/forecast")))
        }
        try await app.asyncShutdown()

        // The same database's plain counting: the week the dashboard shows and the whole two years.
        let week = calendar.dateInterval(of: .weekOfYear, for: now)!
        let (rawWeek, rawAll) = try await Admin.withDatabase(env) { sql -> ([Double], [Double]) in
            struct M: Decodable { var id: UUID }
            let tenant = try await sql.raw("SELECT id FROM municipalities WHERE slug = \(bind: slug)").first(decoding: M.self)!.id
            var w: [Double] = [], a: [Double] = []
            for _ in 0..<repeats {
                var t = Date()
                _ = try await sql.raw("SELECT COUNT(*) AS n FROM cases WHERE tenant_id = \(bind: tenant) AND received_at >= \(bind: week.start) AND received_at < \(bind: week.end)").all()
                w.append(Date().timeIntervalSince(t))
                t = Date()
                _ = try await sql.raw("SELECT COUNT(*) AS n FROM cases WHERE tenant_id = \(bind: tenant)").all()
                a.append(Date().timeIntervalSince(t))
            }
            return (w, a)
        }
        func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }
        let baseWeek = median(rawWeek), baseAll = median(rawAll)
        print("\(target.name), \(cases + 300) cases, median of \(repeats) requests through HTTP (first request in brackets)")
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        print("  " + pad("запрос", 36) + "     мс (первый)   ÷ COUNT недели   ÷ COUNT всех   цель")
        var met = true
        for x in measures {
            let t = median(x.seconds)
            let judged = x.cached ? x.seconds[0] : t
            let verdict: String
            if let limit = x.limit {
                verdict = (judged < limit ? "< \(Int(limit * 1000)) мс — да" : "< \(Int(limit * 1000)) мс — НЕТ")
                    + (x.cached ? " (по первому запросу; затем из кэша)" : "")
                met = met && judged < limit
            } else {
                verdict = "(сумма запросов выше)"
            }
            print("  " + pad(x.name, 36) + String(format: " %7.0f (%6.0f) %14.0f× %13.1f×   ", t * 1000, x.seconds[0] * 1000,
                                                     t / max(baseWeek, 1e-6), t / max(baseAll, 1e-6)) + verdict)
        }
        print(String(format: "  raw: COUNT(*) of the week %.1f ms, COUNT(*) of all cases %.1f ms\n", baseWeek * 1000, baseAll * 1000))
        return met
    }
}

extension BenchTarget {
    var isSQLite: Bool { if case .sqlite = self { true } else { false } }
}
