import Fluent
import Vapor

/// The CLI commands beyond Vapor's own `serve`, `migrate` and `routes`.
func registerCommands(_ app: Application) {
    app.asyncCommands.use(DemoCommand(), as: "demo")
    app.asyncCommands.use(ImportCommandGroup(), as: "import")
    app.asyncCommands.use(UserCommandGroup(), as: "user")
    app.asyncCommands.use(TokenCommandGroup(), as: "token")
    app.asyncCommands.use(MunicipalityCommandGroup(), as: "municipality")
    app.asyncCommands.use(CaseCommandGroup(), as: "case")
    app.asyncCommands.use(MonitorRunCommand(), as: "monitor")
}

/// A command-line error: printed in Russian, exit code non-zero, nothing written.
struct CommandFailure: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}

extension Application {
    func municipality(slug: String) async throws -> Municipality {
        guard let m = try await Municipality.query(on: self.db).filter(\Municipality.$slug == slug).first() else {
            let known = try await Municipality.query(on: db).all().map(\.slug)
            throw CommandFailure("Муниципальное образование «\(slug)» не найдено. Известны: \(known.isEmpty ? "нет ни одного" : known.joined(separator: ", ")).")
        }
        return m
    }
}
