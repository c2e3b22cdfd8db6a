import Fluent
import Foundation
import OtklikCore
import Vapor

/// The operator's spreadsheet import: upload with a profile → preview → commit → progress → report.
/// Every step calls the same `ImportRuns` service as the API, so checks, messages and audit are shared.
struct ImportPages {
    struct RunItem: Encodable {
        var href: String; var file: String; var profile: String; var status: String; var statusTitle: String
        var rows: Int; var created: Int; var updated: Int; var unchanged: Int; var rejected: Int
        var when: String; var by: String
    }
    struct ListContext: Encodable {
        var layout: Layout
        var profiles: [Choice]
        var runs: [RunItem]
        var administers: Bool
        var maxMB: Int
    }

    func list(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireCaseRegistration()
        let profiles = try await ImportProfiles.list(tenantID: access.tenantID, now: req.now, on: req.db)
        let names = Dictionary(uniqueKeysWithValues: profiles.map { ($0.id!, $0.name) })
        let chosen = req.query[String.self, at: "profile"].flatMap(UUID.init(uuidString:))
        let runs = try await ImportRuns.recent(access: access, on: req.db).map { r in
            RunItem(href: "/m/\(access.slug)/imports/\(r.id!.uuidString)", file: r.fileName, profile: names[r.profileID] ?? "—",
                    status: r.status, statusTitle: ImportRun.Status(rawValue: r.status)?.title ?? r.status,
                    rows: r.totalRows, created: r.createdCount, updated: r.updatedCount, unchanged: r.unchangedCount,
                    rejected: r.rejectedCount, when: RussianDate.dateTime(r.createdAt, in: access.zone), by: r.createdBy)
        }
        return try await WebPage.render(req, "imports", ListContext(
            layout: try await WebPage.layout(req, title: "Загрузка выгрузок", active: "imports", access: access),
            profiles: profiles.map { Choice(value: $0.id!.uuidString, title: $0.name, selected: $0.id == chosen) },
            runs: runs, administers: access.administers, maxMB: ImportRuns.maxUploadBytes / 1024 / 1024))
    }

    func upload(req: Request) async throws -> Response {
        let access = try req.tenant
        let back = "/m/\(access.slug)/imports"
        let upload: ImportUpload
        do { upload = try ImportUpload(req) } catch let problem as Problem {
            return WebPage.redirect(req, to: back, flash: "Файл не загружен: " + Self.reason(problem), error: true)
        }
        do {
            let run = try await ImportRuns.upload(upload.data, fileName: upload.fileName, profileID: upload.profileID,
                                                  access: access, now: req.now, on: req.db)
            return WebPage.redirect(req, to: "\(back)/\(run.id!.uuidString)",
                                    flash: "Файл прочитан. Проверьте предпросмотр и запустите загрузку: пока ничего не записано.")
        } catch let problem as Problem where problem.statusCode == 422 || problem.statusCode == 404 {
            return WebPage.redirect(req, to: back + "?profile=\(upload.profileID.uuidString)",
                                    flash: "Файл не загружен: " + Self.reason(problem), error: true)
        }
    }

    struct Field: Encodable { var title: String; var header: String }
    struct Unmapped: Encodable { var kindTitle: String; var value: String; var rows: Int; var addHref: String }
    struct ShowContext: Encodable {
        var layout: Layout
        var id: String
        var file: String
        var fileSize: String
        var profile: String
        var status: String
        var statusTitle: String
        var by: String
        var when: String
        var finished: String?
        var error: String?
        var total: Int
        var processed: Int
        var percent: Int
        var created: Int
        var updated: Int
        var unchanged: Int
        var rejected: Int
        var pollURL: String
        var preview: ImportPreview?
        var encoding: String
        var mapped: [Field]
        var unmappedFields: [String]
        var unmapped: [Unmapped]
        var administers: Bool
        var newRows: Int
    }

    func show(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireCaseRegistration()
        let run = try await ImportRuns.find(try id(req), access: access, on: req.db)
        let dto = ImportRuns.dto(run)
        let profile = try? await ImportProfiles.find(run.profileID, tenantID: access.tenantID, on: req.db)
        let preview = dto.preview
        let mapped = (preview?.mapping ?? []).compactMap { m in m.header.map { Field(title: m.title, header: $0) } }
        let admin = "/m/\(access.slug)/admin/import-mappings"
        let unmapped = (preview?.unmapped ?? []).map { u in
            Unmapped(kindTitle: u.kind_title, value: u.value, rows: u.rows,
                     addHref: "\(admin)?kind=\(u.kind)&value=\(u.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")")
        }
        let processed = run.status == ImportRun.Status.done.rawValue ? run.totalRows : run.processedRows
        let context = ShowContext(
            layout: try await WebPage.layout(req, title: "Загрузка «\(run.fileName)»", active: "imports", access: access),
            id: run.id!.uuidString, file: run.fileName, fileSize: Self.size(run.fileSize), profile: profile?.name ?? "—",
            status: run.status, statusTitle: dto.status_title, by: run.createdBy,
            when: RussianDate.dateTime(run.createdAt, in: access.zone),
            finished: run.finishedAt.map { RussianDate.dateTime($0, in: access.zone) }, error: run.error,
            total: run.totalRows, processed: processed,
            percent: run.totalRows > 0 ? min(100, processed * 100 / run.totalRows) : 0,
            created: run.createdCount, updated: run.updatedCount, unchanged: run.unchangedCount, rejected: run.rejectedCount,
            pollURL: "/api/v1/municipalities/\(access.slug)/imports/\(run.id!.uuidString)",
            preview: preview,
            encoding: preview.map { $0.format == "XLSX" ? "Юникод (в XLSX текст всегда в UTF-8)" : $0.encoding } ?? "",
            mapped: mapped,
            unmappedFields: (preview?.mapping ?? []).filter { $0.header == nil }.map(\.title),
            unmapped: unmapped, administers: access.administers,
            newRows: max(0, (preview?.total_rows ?? 0) - (preview?.existing_rows ?? 0) - (preview?.invalid_rows ?? 0)))
        return try await WebPage.render(req, "import_run", context)
    }

    func commit(req: Request) async throws -> Response {
        let access = try req.tenant
        let run = try await ImportRuns.find(try id(req), access: access, including: [], on: req.db)
        let back = "/m/\(access.slug)/imports/\(run.id!.uuidString)"
        do {
            try await ImportRuns.commit(run, access: access, app: req.application, now: req.now)
            return WebPage.redirect(req, to: back, flash: "Загрузка запущена. Можно уйти со страницы: она продолжится, а итог появится здесь.")
        } catch let problem as Problem where problem.statusCode == 409 {
            return WebPage.redirect(req, to: back, flash: Self.reason(problem), error: true)
        }
    }

    /// Reads the kept file again: after the administrator has added mappings for the unmapped values.
    func recheck(req: Request) async throws -> Response {
        let access = try req.tenant
        let run = try await ImportRuns.find(try id(req), access: access, including: [.file], on: req.db)
        let back = "/m/\(access.slug)/imports/\(run.id!.uuidString)"
        do {
            try await ImportRuns.refreshPreview(run, access: access, now: req.now, on: req.db)
            return WebPage.redirect(req, to: back, flash: "Файл проверен заново с текущими профилем и таблицами соответствий.")
        } catch let problem as Problem where problem.statusCode == 409 || problem.statusCode == 422 {
            return WebPage.redirect(req, to: back, flash: Self.reason(problem), error: true)
        }
    }

    func report(req: Request) async throws -> Response {
        try await ImportsController().report(req: req)
    }

    private func id(_ req: Request) throws -> UUID {
        try req.uuidParameter(notFound: "Загрузка не найдена.")
    }

    static func reason(_ problem: Problem) -> String {
        (problem.errors ?? []).map(\.reason).first ?? problem.detail ?? problem.title
    }

    static func size(_ bytes: Int) -> String {
        bytes >= 1024 * 1024 ? String(format: "%.1f МБ", Double(bytes) / 1_048_576).replacingOccurrences(of: ".", with: ",")
            : "\(max(1, bytes / 1024)) КБ"
    }
}
