import Foundation
import Vapor

/// Runs the real `otklik` binary, as an administrator would.
struct Otklik {
    let path: String
    let environment: [String: String]

    @discardableResult
    func run(_ args: [String]) throws -> String {
        let p = process(args)
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard p.terminationStatus == 0 else {
            throw BenchError("otklik \(args.joined(separator: " ")) failed (\(p.terminationStatus)):\n\(text.suffix(2000))")
        }
        return text
    }

    func start(_ args: [String], log: URL) throws -> Process {
        let p = process(args)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        return p
    }

    /// `otklik serve` on a random port, waited for until /health answers; with an HTTP client to talk to it.
    func serve(log: URL) async throws -> (server: Process, client: Application, base: String) {
        let port = Int.random(in: 20_000...40_000)
        let server = try start(["serve", "--hostname", "127.0.0.1", "--port", "\(port)"], log: log)
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        let base = "http://127.0.0.1:\(port)"
        for _ in 0..<300 {
            if (try? await app.client.get(URI(string: base + "/health")).status) == .ok { return (server, app, base) }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        server.terminate()
        try? await app.asyncShutdown()
        throw BenchError("server did not start: \((try? String(contentsOf: log, encoding: .utf8)) ?? "")")
    }

    private func process(_ args: [String]) -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "DATABASE_URL")
        env.removeValue(forKey: "OTKLIK_SQLITE_PATH")
        env.merge(environment) { $1 }
        env["LOG_LEVEL"] = "warning"
        p.environment = env
        p.arguments = args
        return p
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
