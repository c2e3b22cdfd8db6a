import Foundation

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
