import Fluent
import Foundation
import SQLKit
import Vapor

/// `serve --demo`: walks the demo's cases through the lifecycle in the background, so the API answers
/// at once while the story fills in. Resumes after a restart until it has finished once.
final class DemoWalkService: LifecycleHandler, Sendable {
    private let task = BackgroundTask()
    static let marker = "demo_walk_done"

    func didBootAsync(_ app: Application) async throws {
        guard let demo = try await Municipality.query(on: app.db).filter(\.$slug == DemoData.slug).first(),
              let tenantID = demo.id else { return }
        let sql = app.db as! any SQLDatabase
        let done = try await sql.select().column("value").from("tenant_counters")
            .where("tenant_id", .equal, tenantID).where("name", .equal, Self.marker).all().count > 0
        guard !done else { return }
        task.start {
            do {
                try await DemoLoader.walk(app, tenantID: tenantID, now: app.clock.now, limit: nil)
                try await sql.insert(into: "tenant_counters").columns("tenant_id", "name", "value")
                    .values(tenantID, Self.marker, 1).ignoringConflicts(with: ["tenant_id", "name"]).run()
            } catch is CancellationError {
            } catch {
                app.logger.report(error: error)
            }
        }
    }

    func shutdownAsync(_ app: Application) async { await task.stop() }
}
