import Fluent
import OtklikCore
import Vapor

/// Spreadsheet imports: `/api/v1/municipalities/{m}/imports`, their mapping profiles
/// (`/import-profiles`) and translation tables (`/import-mappings`).
struct ImportsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let profiles = routes.grouped("import-profiles")
        profiles.get(use: listProfiles)
        profiles.post(use: createProfile)
        profiles.patch(":id", use: updateProfile)
        profiles.delete(":id", use: deleteProfile)

        let mappings = routes.grouped("import-mappings")
        mappings.get(use: listMappings)
        mappings.put(use: putMapping)
        mappings.delete(":id", use: deleteMapping)

        let imports = routes.grouped("imports")
        imports.get(use: listRuns)
        imports.on(.POST, body: .collect(maxSize: ByteCount(value: ImportRuns.maxUploadBytes)), use: upload)
        imports.get(":id", use: showRun)
        imports.post(":id", "commit", use: commit)
        imports.get(":id", "report.xlsx", use: report)
    }

    func listProfiles(req: Request) async throws -> [ImportProfiles.DTO] {
        let access = try req.tenant
        return try await ImportProfiles.list(tenantID: access.tenantID, now: req.now, on: req.db).map(ImportProfiles.dto)
    }

    func createProfile(req: Request) async throws -> Response {
        let r = try await ImportProfiles.save(try req.jsonObject(), existing: nil, access: try req.tenant, now: req.now, on: req.db)
        return try await ImportProfiles.dto(r).encodeResponse(status: .created, for: req)
    }

    func updateProfile(req: Request) async throws -> ImportProfiles.DTO {
        let access = try req.tenant
        let r = try await ImportProfiles.find(try id(req), tenantID: access.tenantID, on: req.db)
        return ImportProfiles.dto(try await ImportProfiles.save(try req.jsonObject(), existing: r, access: access, now: req.now, on: req.db))
    }

    func deleteProfile(req: Request) async throws -> HTTPStatus {
        let access = try req.tenant
        try await ImportProfiles.delete(try await ImportProfiles.find(try id(req), tenantID: access.tenantID, on: req.db), access: access, on: req.db)
        return .noContent
    }

    func listMappings(req: Request) async throws -> [ValueMappings.DTO] {
        let access = try req.tenant
        var kind: ImportMappings.Kind?
        if let raw = req.query[String.self, at: "kind"] {
            guard let k = ImportMappings.Kind(rawValue: raw) else {
                throw Problem.validation([FieldIssue("kind", "неизвестная таблица «\(raw)»; допустимо: \(ImportMappings.Kind.allCases.map(\.rawValue).joined(separator: ", "))")])
            }
            kind = k
        }
        let titles = try await ValueMappings.bookTitles(tenantID: access.tenantID, on: req.db)
        return try await ValueMappings.list(tenantID: access.tenantID, kind: kind, on: req.db).map { ValueMappings.dto($0, titles: titles) }
    }

    func putMapping(req: Request) async throws -> ValueMappings.DTO {
        let access = try req.tenant
        let m = try await ValueMappings.put(try req.jsonObject(), access: access, now: req.now, on: req.db)
        return ValueMappings.dto(m, titles: try await ValueMappings.bookTitles(tenantID: access.tenantID, on: req.db))
    }

    func deleteMapping(req: Request) async throws -> HTTPStatus {
        try await ValueMappings.delete(try id(req), access: try req.tenant, on: req.db)
        return .noContent
    }

    func listRuns(req: Request) async throws -> [ImportRuns.DTO] {
        try await ImportRuns.recent(access: try req.tenant, on: req.db).map { ImportRuns.dto($0, withPreview: false) }
    }

    /// The file is the raw request body (any content type), or the part `file` of a multipart form;
    /// `profile_id` and `file_name` come in the query (or the form).
    func upload(req: Request) async throws -> Response {
        let access = try req.tenant
        let upload = try ImportUpload(req)
        let run = try await ImportRuns.upload(upload.data, fileName: upload.fileName, profileID: upload.profileID,
                                              access: access, now: req.now, on: req.db)
        return try await ImportRuns.dto(run).encodeResponse(status: .created, for: req)
    }

    func showRun(req: Request) async throws -> ImportRuns.DTO {
        ImportRuns.dto(try await ImportRuns.find(try id(req), access: try req.tenant, on: req.db))
    }

    func commit(req: Request) async throws -> Response {
        let access = try req.tenant
        let run = try await ImportRuns.find(try id(req), access: access, including: [], on: req.db)
        try await ImportRuns.commit(run, access: access, app: req.application, now: req.now)
        let fresh = try await ImportRuns.find(try id(req), access: access, including: [], on: req.db)
        return try await ImportRuns.dto(fresh, withPreview: false).encodeResponse(status: .accepted, for: req)
    }

    func report(req: Request) async throws -> Response {
        let access = try req.tenant
        let run = try await ImportRuns.find(try id(req), access: access, including: [.report], on: req.db)
        guard run.status == ImportRun.Status.done.rawValue else {
            throw Problem.conflict("Отчёт будет готов, когда загрузка завершится (сейчас: \(ImportRun.Status(rawValue: run.status)?.title.lowercased() ?? run.status)).")
        }
        return Download.attachment(try ImportRuns.reportXLSX(run, zone: access.zone), contentType: Download.xlsx,
                                   fileName: "otchet-zagruzki-\(run.createdAt.timeIntervalSince1970.rounded()).xlsx")
    }

    private func id(_ req: Request) throws -> UUID {
        try req.uuidParameter(notFound: "Запись не найдена.")
    }
}

/// The uploaded file of an import request, raw or multipart.
struct ImportUpload {
    var data: Data
    var fileName: String
    var profileID: UUID

    init(_ req: Request) throws {
        var profile = req.query[String.self, at: "profile_id"]
        var name = req.query[String.self, at: "file_name"]
        var bytes: Data?
        if req.headers.contentType?.type == "multipart" {
            struct Form: Content { var file: File?; var profile_id: String?; var file_name: String? }
            let form = try req.content.decode(Form.self)
            if let f = form.file { bytes = Data(buffer: f.data); name = name ?? f.filename }
            profile = profile ?? form.profile_id
            name = form.file_name ?? name
        } else if let body = req.body.data {
            bytes = Data(buffer: body)
        }
        guard let bytes, !bytes.isEmpty else {
            throw Problem.validation([FieldIssue("file", "файл не передан или пуст")])
        }
        guard let raw = profile, let id = UUID(uuidString: raw) else {
            throw Problem.validation([FieldIssue("profile_id", "выберите профиль загрузки")])
        }
        data = bytes
        fileName = (name?.trimmed).flatMap { $0.isEmpty ? nil : $0 } ?? "выгрузка"
        profileID = id
    }
}

extension ImportProfiles.DTO: Content {}
extension ValueMappings.DTO: Content {}
extension ImportRuns.DTO: Content {}
