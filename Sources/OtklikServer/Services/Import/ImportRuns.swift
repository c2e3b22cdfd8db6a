import Fluent
import Foundation
import OtklikCore
import SQLKit
import Vapor

/// Upload → preview → commit → background run with progress → report, for one tenant.
enum ImportRuns {
    struct DTO: Codable, Sendable {
        var id: UUID
        var profile_id: UUID
        var file_name: String
        var file_size: Int
        var status: String
        var status_title: String
        var total_rows: Int
        var processed_rows: Int
        var created: Int
        var updated: Int
        var unchanged: Int
        var rejected: Int
        var error: String?
        var preview: ImportPreview?
        var created_by: String
        var created_at: String
        var finished_at: String?
    }

    static func dto(_ r: ImportRun, withPreview: Bool = true) -> DTO {
        let preview = withPreview ? r.previewJSON.flatMap { try? JSONDecoder().decode(ImportPreview.self, from: Data($0.utf8)) } : nil
        return DTO(id: r.id!, profile_id: r.profileID, file_name: r.fileName, file_size: r.fileSize, status: r.status,
                   status_title: ImportRun.Status(rawValue: r.status)?.title ?? r.status, total_rows: r.totalRows,
                   processed_rows: r.processedRows, created: r.createdCount, updated: r.updatedCount,
                   unchanged: r.unchangedCount, rejected: r.rejectedCount, error: r.error, preview: preview,
                   created_by: r.createdBy, created_at: TimeText.formatRFC3339(r.createdAt),
                   finished_at: r.finishedAt.map(TimeText.formatRFC3339))
    }

    /// Largest upload: a 150 000-row export with texts fits.
    static let maxUploadBytes = 100 * 1024 * 1024

    /// Reads the file against the profile and keeps it as a previewed run. A file that cannot be read
    /// at all is refused with the reason and nothing is stored.
    static func upload(_ data: Data, fileName: String, profileID: UUID, access: TenantAccess, now: Date,
                       on db: any Database) async throws -> ImportRun {
        try access.requireCaseRegistration()
        let record = try await ImportProfiles.find(profileID, tenantID: access.tenantID, on: db)
        let preview = try await previewing(data, profile: record, access: access, now: now, on: db)
        let run = ImportRun()
        run.id = TimeOrderedUUID.make(at: now)
        run.tenantID = access.tenantID
        run.profileID = profileID
        run.fileName = String(fileName.prefix(255))
        run.fileSize = data.count
        run.fileData = data
        run.status = ImportRun.Status.previewed.rawValue
        let encoder = JSONEncoder()
        run.previewJSON = String(decoding: try encoder.encode(preview), as: UTF8.self)
        run.totalRows = preview.total_rows
        run.processedRows = 0
        run.createdCount = 0; run.updatedCount = 0; run.unchangedCount = 0; run.rejectedCount = 0
        run.createdByID = access.principal.userID
        run.createdBy = access.principal.label
        run.createdAt = now
        try await db.transaction { tx in
            try await run.create(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "import.upload",
                                   entity: "import_run", entityID: run.id?.uuidString,
                                   after: ["file": run.fileName, "rows": String(preview.total_rows), "profile": record.name])
        }
        return run
    }

    private static func previewing(_ data: Data, profile record: ImportProfileRecord, access: TenantAccess, now: Date,
                                   on db: any Database) async throws -> ImportPreview {
        let importer = SpreadsheetImporter(db: db, tenantID: access.tenantID, timeZone: access.zone,
                                           profile: ImportProfiles.profile(record), now: now)
        do { return try await importer.preview(data) } catch let failure as SpreadsheetImporter.Failure {
            throw Problem(.unprocessableEntity, "Файл не может быть загружен", detail: failure.russian,
                          errors: [FieldIssue("file", failure.russian)], type: "https://otklik.example/problems/import-file")
        }
    }

    /// Reads a previewed run's file again with the profile and translation tables as they are now
    /// (the administrator has just mapped the values the first preview reported).
    static func refreshPreview(_ run: ImportRun, access: TenantAccess, now: Date, on db: any Database) async throws {
        try access.requireCaseRegistration()
        guard run.status == ImportRun.Status.previewed.rawValue, let data = run.fileData else {
            throw Problem.conflict("Загрузка уже запущена: проверять файл заново поздно.")
        }
        let record = try await ImportProfiles.find(run.profileID, tenantID: access.tenantID, on: db)
        let preview = try await previewing(data, profile: record, access: access, now: now, on: db)
        run.previewJSON = String(decoding: try JSONEncoder().encode(preview), as: UTF8.self)
        run.totalRows = preview.total_rows
        try await run.update(on: db)
    }

    /// The large columns of a run, read only where a page or call needs them: the progress poll asks
    /// for a run every second and must not read a 100 MB file each time.
    enum Heavy: Sendable { case file, preview, report }

    static func find(_ id: UUID, access: TenantAccess, including heavy: Set<Heavy> = [.preview],
                     on db: any Database) async throws -> ImportRun {
        guard let r = try await selecting(ImportRun.query(on: db), heavy).filter(\.$tenantID == access.tenantID)
            .filter(\.$id == id).first() else {
            throw Problem.notFound("Загрузка не найдена.")
        }
        return r
    }

    static func recent(access: TenantAccess, on db: any Database) async throws -> [ImportRun] {
        try await selecting(ImportRun.query(on: db), []).filter(\.$tenantID == access.tenantID)
            .sort(\.$createdAt, .descending).limit(50).all()
    }

    private static func selecting(_ q: QueryBuilder<ImportRun>, _ heavy: Set<Heavy>) -> QueryBuilder<ImportRun> {
        var q = q.field(\.$id).field(\.$tenantID).field(\.$profileID).field(\.$fileName).field(\.$fileSize).field(\.$status)
            .field(\.$totalRows).field(\.$processedRows).field(\.$createdCount).field(\.$updatedCount).field(\.$unchangedCount)
            .field(\.$rejectedCount).field(\.$error).field(\.$createdByID).field(\.$createdBy).field(\.$createdAt)
            .field(\.$startedAt).field(\.$finishedAt)
        if heavy.contains(.file) { q = q.field(\.$fileData) }
        if heavy.contains(.preview) { q = q.field(\.$previewJSON) }
        if heavy.contains(.report) { q = q.field(\.$reportJSON) }
        return q
    }

    /// Queues a previewed run; only one commit of a run ever starts (the status flips atomically).
    static func commit(_ run: ImportRun, access: TenantAccess, app: Application, now: Date) async throws {
        try access.requireCaseRegistration()
        guard run.status == ImportRun.Status.previewed.rawValue else {
            throw Problem.conflict("Эта загрузка уже \(run.status == ImportRun.Status.done.rawValue ? "выполнена" : "запущена"): загрузите файл заново, если нужно повторить.")
        }
        // One UPDATE … WHERE status = 'previewed' RETURNING: of two simultaneous commits only one gets the row.
        let sql = app.db as! any SQLDatabase
        let claimed = try await sql.update("import_runs")
            .set("status", to: ImportRun.Status.queued.rawValue).set("started_at", to: now)
            .where("id", .equal, run.id!).where("status", .equal, ImportRun.Status.previewed.rawValue)
            .returning("id").first()
        guard claimed != nil else { throw Problem.conflict("Эту загрузку уже запустил другой пользователь.") }
        try await Audit.record(on: app.db, tenantID: access.tenantID, actor: access.principal, action: "import.commit",
                               entity: "import_run", entityID: run.id?.uuidString, after: ["file": run.fileName])
        ImportRunner.start(runID: run.id!, app: app)
    }

    /// The report as an XLSX workbook: one line per row of the file first, then a summary sheet.
    static func reportXLSX(_ run: ImportRun, zone: TimeZone) throws -> Data {
        let lines = run.reportJSON.flatMap { try? JSONDecoder().decode([ImportReportLine].self, from: Data($0.utf8)) } ?? []
        let summary = XLSXWriter.Sheet(name: "Итог", header: ["Показатель", "Значение"], rows: [
            [.text("Файл"), .text(run.fileName)],
            [.text("Загрузил"), .text(run.createdBy)],
            [.text("Начато"), .text(run.startedAt.map { TimeText.formatLocal($0, in: zone) } ?? "—")],
            [.text("Завершено"), .text(run.finishedAt.map { TimeText.formatLocal($0, in: zone) } ?? "—")],
            [.text("Строк в файле"), .number(Double(run.totalRows))],
            [.text("Создано"), .number(Double(run.createdCount))],
            [.text("Обновлено"), .number(Double(run.updatedCount))],
            [.text("Без изменений"), .number(Double(run.unchangedCount))],
            [.text("Отклонено"), .number(Double(run.rejectedCount))],
        ], widths: [24, 60])
        let rows: [[XLSXWriter.Cell]] = lines.map { l in
            [.number(Double(l.line)), .text(ImportReportLine.title(l.outcome)), l.external_id.map { .text($0) } ?? .empty,
             l.case_number.map { .number(Double($0)) } ?? .empty, l.details.map { .text($0) } ?? .empty]
        }
        let detail = XLSXWriter.Sheet(name: "Строки", header: ["Строка файла", "Результат", "Номер в источнике", "Номер обращения", "Причина / изменения"],
                                      rows: rows, widths: [14, 16, 22, 18, 100])
        return try XLSXPackage.write(XLSXWriter(sheets: [detail, summary]).parts())
    }
}
