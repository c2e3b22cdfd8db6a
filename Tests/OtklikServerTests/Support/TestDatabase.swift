import Fluent
import Foundation
@testable import OtklikServer
import SQLKit
import Testing
import Vapor

/// The databases every server test runs on: SQLite always, PostgreSQL when
/// `OTKLIK_TEST_POSTGRES_URL` is set (CI always sets it).
enum TestDB: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static var all: [TestDB] {
        ProcessInfo.processInfo.environment["OTKLIK_TEST_POSTGRES_URL"].map { $0.isEmpty ? [.sqlite] : [.sqlite, .postgres] } ?? [.sqlite]
    }

    var testDescription: String { rawValue }
}

/// Creates one fresh database per test. PostgreSQL databases are cloned from a template migrated once
/// per test process, which takes a few milliseconds instead of a full migration each time.
actor PostgresDatabases {
    static let shared = PostgresDatabases()
    private let baseURL = ProcessInfo.processInfo.environment["OTKLIK_TEST_POSTGRES_URL"] ?? ""
    // Tasks, not values: tests arrive concurrently, and the actor is reentrant across awaits.
    private var adminTask: Task<Application, any Error>?
    private var templateTask: Task<String, any Error>?

    func create() async throws -> String {
        let admin = try await adminConnection()
        let template = try await ensureTemplate(admin)
        let name = "otklik_t_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
        try await (admin.db as! any SQLDatabase).raw("CREATE DATABASE \(unsafeRaw: name) TEMPLATE \(unsafeRaw: template)").run()
        return url(database: name)
    }

    func drop(_ url: String) async throws {
        guard let name = URLComponents(string: url)?.path.dropFirst(), !name.isEmpty else { return }
        let admin = try await adminConnection()
        try await (admin.db as! any SQLDatabase).raw("DROP DATABASE IF EXISTS \(unsafeRaw: String(name)) WITH (FORCE)").run()
    }

    private func adminConnection() async throws -> Application {
        if let adminTask { return try await adminTask.value }
        let url = baseURL
        let task = Task {
            let app = try await Application.make(.testing)
            app.logger.logLevel = .warning
            // Creating and dropping databases queue behind each other on a slow disk: wait, do not fail.
            app.databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: 2, connectionPoolTimeout: .seconds(300)), as: .psql)
            return app
        }
        adminTask = task
        return try await task.value
    }

    private func ensureTemplate(_ admin: Application) async throws -> String {
        if let templateTask { return try await templateTask.value }
        let task = Task { try await self.makeTemplate(admin) }
        templateTask = task
        return try await task.value
    }

    private func makeTemplate(_ admin: Application) async throws -> String {
        let name = "otklik_tpl_\(ProcessInfo.processInfo.processIdentifier)_\(Int(Date().timeIntervalSince1970))"
        let sql = admin.db as! any SQLDatabase
        try await sql.raw("CREATE DATABASE \(unsafeRaw: name)").run()
        let app = try await Application.make(.testing)
        app.logger.logLevel = .warning
        try await configure(app, LaunchOptions(autoMigrate: true, config: AppConfig(database: .postgres(url: url(database: name)), bcryptCost: 4)))
        try await app.asyncShutdown()
        return name
    }

    private func url(database: String) -> String {
        var c = URLComponents(string: baseURL)!
        c.path = "/" + database
        return c.string!
    }
}

/// Runs `body` with an Otklik application on a fresh, migrated database of the given kind.
func withOtklik<T>(_ db: TestDB, bootstrap: Bool = false,
                   printer: (@Sendable (String) -> Void)? = nil,
                   _ body: (Application) async throws -> T) async throws -> T {
    let app = try await Application.make(.testing)
    app.logger.logLevel = .warning
    var sqlitePath: String?
    var pgURL: String?
    let config: AppConfig
    switch db {
    case .sqlite:
        sqlitePath = FileManager.default.temporaryDirectory.appendingPathComponent("otklik-test-\(UUID().uuidString).sqlite").path
        config = AppConfig(database: .sqlite(path: sqlitePath!), bcryptCost: 4)
    case .postgres:
        await PostgresSlots.shared.acquire()
        do { pgURL = try await PostgresDatabases.shared.create() } catch { await PostgresSlots.shared.release(); throw error }
        // Dozens of tests share two event loops and one server: a connection may take longer than in production.
        config = AppConfig(database: .postgres(url: pgURL!), bcryptCost: 4, databasePoolTimeoutSeconds: 60)
    }
    var options = LaunchOptions(autoMigrate: db == .sqlite, bootstrapAdministrator: bootstrap, config: config)
    options.printer = printer ?? { _ in }
    let result: T
    do {
        try await configure(app, options)
        result = try await body(app)
    } catch {
        try? await app.asyncShutdown()
        try? await cleanUp(sqlitePath, pgURL)
        if pgURL != nil { await PostgresSlots.shared.release() }
        throw error
    }
    try await app.asyncShutdown()
    do { try await cleanUp(sqlitePath, pgURL) } catch {
        if pgURL != nil { await PostgresSlots.shared.release() }
        throw error
    }
    if pgURL != nil { await PostgresSlots.shared.release() }
    return result
}

/// Swift Testing starts every test at once; on two cores a hundred PostgreSQL tests queued on one server
/// timed out waiting for connections (CI). A few at a time run as fast and never starve each other.
actor PostgresSlots {
    static let shared = PostgresSlots(limit: 4)
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { free = limit }

    func acquire() async {
        if free > 0 { free -= 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { free += 1 } else { waiting.removeFirst().resume() }
    }
}

private func cleanUp(_ sqlitePath: String?, _ pgURL: String?) async throws {
    if let sqlitePath {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) }
    }
    if let pgURL { try await PostgresDatabases.shared.drop(pgURL) }
}
