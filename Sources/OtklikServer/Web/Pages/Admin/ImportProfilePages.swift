import Fluent
import Foundation
import OtklikCore
import Vapor

/// The administrator's mapping profiles: the list, a new profile from a shipped one or from scratch,
/// and the editor where each field gets its headers, typed or picked from a sample file's header row.
struct ImportProfilePages {
    struct Item: Encodable { var href: String; var name: String; var kind: String; var channel: String; var updated: String }
    struct ListContext: Encodable {
        var layout: Layout
        var items: [Item]
        var starts: [Choice]
        var channels: [Choice]
        var err: [String: String]
        var name: String
    }

    func list(req: Request) async throws -> Response {
        try await renderList(req, err: [:], name: "", status: .ok)
    }

    private func renderList(_ req: Request, err: [String: String], name: String, status: HTTPStatus) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let records = try await ImportProfiles.list(tenantID: access.tenantID, now: req.now, on: req.db)
        let items = records.map { r in
            Item(href: "/m/\(access.slug)/admin/import-profiles/\(r.id!.uuidString)", name: r.name,
                 kind: ImportProfile.Kind(rawValue: r.kind)?.title ?? r.kind, channel: CaseChannel(rawValue: r.channel)?.title ?? r.channel,
                 updated: RussianDate.dateTime(r.updatedAt, in: access.zone) + " · " + r.updatedBy)
        }
        return try await WebPage.render(req, "admin/import_profiles", ListContext(
            layout: try await WebPage.layout(req, title: "Профили загрузки", active: "admin", access: access),
            items: items, starts: ImportProfile.Kind.allCases.map { Choice(value: $0.rawValue, title: $0.title, selected: $0 == .generic) },
            channels: CaseChannel.allCases.map { Choice(value: $0.rawValue, title: $0.title, selected: $0 == .manualMonitoring) },
            err: err, name: name), status: status)
    }

    /// A new profile starts as a copy of a shipped one (or of the generic starting point).
    func create(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        let start = ImportProfile.Kind(rawValue: form["start"] ?? "") ?? .generic
        let template = [ImportProfile.pos, .incident, .generic].first { $0.kind == start } ?? .generic
        let payload: [String: JSONValue] = [
            "name": form["name"].map(JSONValue.string) ?? .null, "kind": .string(start.rawValue),
            "channel": .string(form["channel"] ?? template.channel.rawValue),
            "columns": .object(template.columns.mapValues { .array($0.map(JSONValue.string)) }),
            "keep": .array(template.keep.map(JSONValue.string)),
        ]
        do {
            let r = try await ImportProfiles.save(payload, existing: nil, access: access, now: req.now, on: req.db)
            return WebPage.redirect(req, to: "/m/\(access.slug)/admin/import-profiles/\(r.id!.uuidString)",
                                    flash: "Профиль «\(r.name)» создан. Загрузите образец выгрузки, чтобы выбрать столбцы.")
        } catch let problem as Problem where problem.statusCode == 422 {
            return try await renderList(req, err: problem.reasonsByField, name: form.raw("name") ?? "", status: .unprocessableEntity)
        }
    }

    struct FieldRow: Encodable { var key: String; var title: String; var value: String; var required: Bool; var error: String? }
    struct SampleColumn: Encodable { var index: Int; var header: String; var options: [Choice] }
    struct EditContext: Encodable {
        var layout: Layout
        var id: String
        var name: String
        var kind: String
        var version: Int
        var channels: [Choice]
        var emptyMarkers: String
        var keep: String
        var fields: [FieldRow]
        var sample: [SampleColumn]
        var sampleCount: Int
        var sampleLine: Int
        var err: [String: String]
        var formError: String?
    }

    func edit(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let r = try await ImportProfiles.find(try id(req), tenantID: access.tenantID, on: req.db)
        return try await render(req, record: r, profile: ImportProfiles.profile(r), version: r.version)
    }

    /// Reads the header row of an uploaded sample and shows it as a column → field table; nothing is stored.
    func sample(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let r = try await ImportProfiles.find(try id(req), tenantID: access.tenantID, on: req.db)
        struct Upload: Content { var file: File? }
        let profile = ImportProfiles.profile(r)
        guard let file = try req.content.decode(Upload.self).file, file.data.readableBytes > 0 else {
            return try await render(req, record: r, profile: profile, version: r.version, formError: "Выберите файл образца (.xlsx или .csv).",
                                    status: .unprocessableEntity)
        }
        do {
            let (headers, line) = try SpreadsheetImporter.sampleHeaders(Data(buffer: file.data), profile: profile)
            return try await render(req, record: r, profile: profile, version: r.version, sample: headers, sampleLine: line)
        } catch let failure as SpreadsheetImporter.Failure {
            return try await render(req, record: r, profile: profile, version: r.version, formError: "Образец не прочитан: " + failure.russian,
                                    status: .unprocessableEntity)
        }
    }

    func save(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireAdministration()
        let r = try await ImportProfiles.find(try id(req), tenantID: access.tenantID, on: req.db)
        let form = try req.form
        let typed = Self.profile(from: form, base: ImportProfiles.profile(r))
        let sample = Self.sampleHeaders(form)
        var payload: [String: JSONValue] = [
            "name": .string(typed.name), "channel": .string(typed.channel.rawValue),
            "columns": .object(typed.columns.mapValues { .array($0.map(JSONValue.string)) }),
            "keep": .array(typed.keep.map(JSONValue.string)), "empty_markers": .array(typed.emptyMarkers.map(JSONValue.string)),
        ]
        payload["version"] = Int(form["version"] ?? "").map { .number(Double($0)) } ?? .null
        do {
            let saved = try await ImportProfiles.save(payload, existing: r, access: access, now: req.now, on: req.db)
            return WebPage.redirect(req, to: "/m/\(access.slug)/admin/import-profiles/\(saved.id!.uuidString)",
                                    flash: "Профиль «\(saved.name)» сохранён. Новые загрузки читаются по нему.")
        } catch let problem as Problem where problem.statusCode == 422 {
            return try await render(req, record: r, profile: typed, version: Int(form["version"] ?? "") ?? r.version, sample: sample.headers,
                                    sampleLine: sample.line, err: problem.reasonsByField,
                                    formError: "Профиль не сохранён: исправьте отмеченные поля.", status: .unprocessableEntity)
        } catch let problem as Problem where problem.statusCode == 409 {
            // Nothing typed is lost: the form comes back with the newer version to save over it deliberately.
            return try await render(req, record: r, profile: typed, version: r.version, sample: sample.headers, sampleLine: sample.line,
                                    formError: (problem.detail ?? problem.title) + " Ваши правки остались в форме: сравните и сохраните ещё раз.",
                                    status: .conflict)
        }
    }

    func delete(req: Request) async throws -> Response {
        let access = try req.tenant
        let r = try await ImportProfiles.find(try id(req), tenantID: access.tenantID, on: req.db)
        let back = "/m/\(access.slug)/admin/import-profiles"
        do {
            try await ImportProfiles.delete(r, access: access, on: req.db)
            return WebPage.redirect(req, to: back, flash: "Профиль «\(r.name)» удалён.")
        } catch let problem as Problem where problem.statusCode == 409 {
            return WebPage.redirect(req, to: "\(back)/\(r.id!.uuidString)", flash: problem.detail ?? problem.title, error: true)
        }
    }

    // MARK: - The form

    /// The profile as typed: headers per field separated by «;», kept columns one per line, then the
    /// sample table's picks on top.
    static func profile(from form: FormFields, base: ImportProfile) -> ImportProfile {
        var p = base
        p.name = form.raw("name")?.trimmed ?? ""
        p.channel = CaseChannel(rawValue: form["channel"] ?? "") ?? base.channel
        p.emptyMarkers = split(form.raw("empty_markers") ?? "", by: ";")
        p.keep = split(form.raw("keep") ?? "", by: "\n")
        var columns: [String: [String]] = [:]
        for field in ImportField.allCases {
            let names = split(form.raw("col_" + field.rawValue) ?? "", by: ";")
            if !names.isEmpty { columns[field.rawValue] = names }
        }
        p.columns = columns
        let sample = sampleHeaders(form)
        return p.applying(sample.headers.enumerated().map { i, h in (h, ColumnPick(formValue: form.raw("pick_\(i)") ?? "")) })
    }

    static func sampleHeaders(_ form: FormFields) -> (headers: [String], line: Int) {
        let count = min(500, Int(form["sample_count"] ?? "") ?? 0)
        let headers = (0..<max(0, count)).map { form.raw("sample_\($0)") ?? "" }
        return (headers, Int(form["sample_line"] ?? "") ?? 0)
    }

    private static func split(_ text: String, by separator: Character) -> [String] {
        text.split(separator: separator).map { String($0).trimmed }.filter { !$0.isEmpty }
    }

    private func render(_ req: Request, record r: ImportProfileRecord, profile p: ImportProfile, version: Int,
                        sample: [String] = [], sampleLine: Int = 0, err: [String: String] = [:], formError: String? = nil,
                        status: HTTPStatus = .ok) async throws -> Response {
        let access = try req.tenant
        let required = Set(p.requiredFields)
        let pickChoices: [(String, String)] = [("", "— не загружать —"), ("keep", "хранить как данные источника")]
            + ImportField.allCases.map { ($0.rawValue, $0.title) }
        let columns = sample.enumerated().filter { !$0.element.isEmpty }.map { i, header in
            let current = p.pick(for: header).formValue
            return SampleColumn(index: i, header: header,
                                options: pickChoices.map { Choice(value: $0.0, title: $0.1, selected: $0.0 == current) })
        }
        return try await WebPage.render(req, "admin/import_profile", EditContext(
            layout: try await WebPage.layout(req, title: "Профиль «\(r.name)»", active: "admin", access: access),
            id: r.id!.uuidString, name: p.name, kind: p.kind.title, version: version,
            channels: CaseChannel.allCases.map { Choice(value: $0.rawValue, title: $0.title, selected: $0 == p.channel) },
            emptyMarkers: p.emptyMarkers.joined(separator: "; "), keep: p.keep.joined(separator: "\n"),
            fields: ImportField.allCases.map { f in
                FieldRow(key: f.rawValue, title: f.title, value: p.headers(for: f).joined(separator: "; "), required: required.contains(f),
                         error: err["columns.\(f.rawValue)"])
            },
            sample: columns, sampleCount: sample.count, sampleLine: sampleLine, err: err, formError: formError), status: status)
    }

    private func id(_ req: Request) throws -> UUID {
        try req.uuidParameter(notFound: "Профиль загрузки не найден.")
    }
}
