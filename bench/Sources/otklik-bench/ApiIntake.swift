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
        var serveEnv = env
        serveEnv["OTKLIK_AUTO_MIGRATE"] = "false"
        let (server, app, base) = try await Otklik(path: otklik, environment: serveEnv).serve(log: log)
        defer { server.terminate(); server.waitUntilExit() }

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
