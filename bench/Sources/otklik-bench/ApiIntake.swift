import Foundation
import Vapor

/// Sends the cases to a running `otklik serve` in batches of 10 000, one request after another.
enum ApiIntake {
    static func run(cases: BenchCases, env: [String: String], otklik: String, log: URL) async throws -> TimeInterval {
        let cli = Otklik(path: otklik, environment: env)
        let tokenOutput = try cli.run(["token", "create", "--municipality", "bench", "--name", "бенчмарк"])
        guard let token = tokenOutput.split(whereSeparator: { $0 == " " || $0 == "\n" }).first(where: { $0.hasPrefix("otk_") }) else {
            throw BenchError("no token in: \(tokenOutput)")
        }
        let port = Int.random(in: 20_000...40_000)
        var serveEnv = env
        serveEnv["OTKLIK_AUTO_MIGRATE"] = "false"
        let server = try Otklik(path: otklik, environment: serveEnv).start(["serve", "--hostname", "127.0.0.1", "--port", "\(port)"], log: log)
        defer { server.terminate(); server.waitUntilExit() }

        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        defer { Task { try? await app.asyncShutdown() } }
        let base = "http://127.0.0.1:\(port)"
        var healthy = false
        for _ in 0..<300 where !healthy {
            healthy = (try? await app.client.get(URI(string: base + "/health")).status) == .ok
            if !healthy { try await Task.sleep(nanoseconds: 100_000_000) }
        }
        guard healthy else { throw BenchError("server did not start: \(try String(contentsOf: log, encoding: .utf8))") }

        let bodies = stride(from: 0, to: cases.rows.count, by: 10_000).map { start in
            "{\"cases\":[" + cases.rows[start..<min(start + 10_000, cases.rows.count)].map(\.json).joined(separator: ",") + "]}"
        }
        let started = Date()
        for body in bodies {
            let res = try await app.client.post(URI(string: base + "/api/v1/municipalities/bench/cases/batch"),
                                                headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"]) {
                $0.body = ByteBuffer(string: body)
            }
            guard res.status == .ok else { throw BenchError("batch failed: \(res.status) \(res.body.map { String(buffer: $0) } ?? "")") }
        }
        let seconds = Date().timeIntervalSince(started)
        try await app.asyncShutdown()
        return seconds
    }
}
