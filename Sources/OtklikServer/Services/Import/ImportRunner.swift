import Fluent
import Foundation
import OtklikCore
import Vapor

/// Runs queued imports in the background, one task per run, writing progress after every chunk. A
/// run interrupted by a restart is started again at boot: intake is idempotent by source number, so
/// the rows already stored come out as «без изменений».
enum ImportRunner {
    static func start(runID: UUID, app: Application) {
        Task.detached { await run(runID: runID, app: app) }
    }

    static func resumeInterrupted(app: Application) async throws {
        let stale = try await ImportRun.query(on: app.db)
            .filter(\.$status ~~ [ImportRun.Status.queued.rawValue, ImportRun.Status.running.rawValue])
            .field(\.$id).field(\.$tenantID).all()
        for r in stale { if let id = r.id { start(runID: id, app: app) } }
    }

    static func run(runID: UUID, app: Application) async {
        let db = app.db
        do {
            guard let run = try await ImportRun.find(runID, on: db), let data = run.fileData,
                  let municipality = try await Municipality.find(run.tenantID, on: db) else { return }
            let profile = try await ImportProfiles.find(run.profileID, tenantID: run.tenantID, on: db)
            run.status = ImportRun.Status.running.rawValue
            try await run.update(on: db)
            let zone = TimeZone(identifier: municipality.timeZone) ?? .gmt
            let importer = SpreadsheetImporter(db: db, tenantID: run.tenantID, timeZone: zone,
                                               profile: ImportProfiles.profile(profile), now: app.clock.now)
            let actor = IntakeActor(userID: run.createdByID, label: "\(run.createdBy) (загрузка «\(run.fileName)»)", source: "import")
            let (counts, report) = try await importer.run(data, actor: actor) { done, c in
                try await ImportRun.query(on: db).filter(\.$id == runID)
                    .set(\.$processedRows, to: done).set(\.$createdCount, to: c.created).set(\.$updatedCount, to: c.updated)
                    .set(\.$unchangedCount, to: c.unchanged).set(\.$rejectedCount, to: c.rejected).update()
            }
            run.processedRows = report.count
            run.createdCount = counts.created
            run.updatedCount = counts.updated
            run.unchangedCount = counts.unchanged
            run.rejectedCount = counts.rejected
            run.reportJSON = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
            run.status = ImportRun.Status.done.rawValue
            run.finishedAt = app.clock.now
            run.fileData = nil
            try await db.transaction { tx in
                try await run.update(on: tx)
                try await Audit.record(on: tx, tenantID: run.tenantID, actor: nil, actorLabel: run.createdBy, action: "import.finish",
                                       entity: "import_run", entityID: runID.uuidString,
                                       after: ["created": String(counts.created), "updated": String(counts.updated),
                                               "unchanged": String(counts.unchanged), "rejected": String(counts.rejected)])
            }
        } catch {
            let message = (error as? SpreadsheetImporter.Failure)?.russian ?? "загрузка прервана ошибкой: \(String(describing: error).prefix(500))"
            app.logger.error("import \(runID) failed: \(message)")
            _ = try? await ImportRun.query(on: db).filter(\.$id == runID)
                .set(\.$status, to: ImportRun.Status.failed.rawValue).set(\.$error, to: message)
                .set(\.$finishedAt, to: app.clock.now).update()
        }
    }
}

/// Starts again, at boot of `serve`, the imports a restart interrupted.
struct ImportResumeService: LifecycleHandler {
    func didBootAsync(_ app: Application) async throws {
        try await ImportRunner.resumeInterrupted(app: app)
    }
}
