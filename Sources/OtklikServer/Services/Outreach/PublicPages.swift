import Fluent
import Foundation
import OtklikCore
import Vapor

/// The registry of official pages (госпаблики, decree 004 §3.4.6): owner organisation, platform, URL,
/// responsible person, the ПОС widget and whether its link is well-formed, the last publication date.
struct PublicPages {
    let db: any Database
    let access: TenantAccess
    let now: Date

    static let notFound = "Страница не найдена в реестре этого муниципального образования."

    struct DTO: Content {
        var id: UUID
        var title: String
        var platform: String
        var platform_title: String
        var url: String
        var organisation: RiskDTO.Ref?
        var responsible: String
        var widget_placed: Bool
        var widget_url: String?
        var widget_ok: Bool?
        var widget_problems: [String]
        var opa_id: Int?
        var last_post_on: String?
        /// Days since the last publication (a page silent for a month is a finding).
        var days_silent: Int?
        var silent_long: Bool
        var note: String?
        var version: Int
    }

    func list() async throws -> [PublicPageRecord] {
        try access.requireOutreachReading()
        return try await PublicPageRecord.query(on: db).filter(\.$tenantID == access.tenantID).sort(\.$title).all()
    }

    func find(_ id: UUID) async throws -> PublicPageRecord {
        try access.requireOutreachReading()
        guard let p = try await PublicPageRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$id == id).first() else {
            throw Problem.notFound(Self.notFound)
        }
        return p
    }

    func dtos(_ pages: [PublicPageRecord]) async throws -> [DTO] {
        let orgIDs = Set(pages.compactMap(\.organisationID))
        let orgs = orgIDs.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await Organisation.query(on: db).withDeleted()
            .filter(\.$id ~~ Array(orgIDs)).all().map { ($0.id!, $0.name) })
        let today = LocalDay(now, in: access.zone)
        return pages.map { p in
            let check = p.widgetCheck
            return DTO(id: p.id!, title: p.title, platform: p.platform, platform_title: Platform(rawValue: p.platform)?.title ?? p.platform, url: p.url,
                       organisation: p.organisationID.flatMap { id in orgs[id].map { .init(id: id, name: $0) } }, responsible: p.responsible,
                       widget_placed: p.widgetPlaced, widget_url: p.widgetURL, widget_ok: check?.isWellFormed, widget_problems: check?.problems ?? [],
                       opa_id: check?.opaID, last_post_on: p.lastPostOn,
                       days_silent: p.lastPostOn.flatMap(LocalDay.init).map { today.ordinal - $0.ordinal },
                       silent_long: p.lastPostOn.flatMap(LocalDay.init).map { today.ordinal - $0.ordinal > 14 } ?? false, note: p.note, version: p.version)
        }
    }

    func save(_ body: [String: JSONValue], existing: PublicPageRecord?) async throws -> PublicPageRecord {
        try access.requireOutreachEditing()
        var r = PayloadReader(body)
        let creating = existing == nil
        let version = creating ? nil : r.int("version", range: 1...Int(Int32.max), required: true)
        let title = r.string("title", required: creating, max: 200)
        let urlText = r.string("url", required: creating, max: WebLink.maxLength)
        var link: WebLink?
        if let urlText {
            switch WebLink.parse(urlText) {
            case .success(let l): link = l
            case .failure(let why): r.issues.append(FieldIssue("url", why.text))
            }
        }
        let platform = r.oneOf("platform", Platform.self)
        let responsible = r.string("responsible", required: creating, max: 200)
        let organisation = r.uuid("organisation_id")
        _ = try await ReferenceBooks.requireInTenant(Organisation.self, organisation, field: "organisation_id", what: "Организация", access: access, on: db, issues: &r.issues)
        let widgetPlaced = r.bool("widget_placed")
        let widgetURL = r.string("widget_url", max: WebLink.maxLength)
        if (widgetPlaced ?? existing?.widgetPlaced ?? false) == false && widgetURL != nil {
            r.issues.append(FieldIssue("widget_placed", "указана ссылка виджета ПОС — отметьте, что виджет размещён"))
        }
        let last = r.day("last_post_on")
        if let last, last > LocalDay(now, in: access.zone) { r.issues.append(FieldIssue("last_post_on", "дата последней публикации не может быть в будущем")) }
        let note = r.string("note", max: 2_000)
        if let link, try await PublicPageRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$url == link.text)
            .filter(\.$id != (existing?.id ?? UUID())).count() > 0 {
            r.issues.append(FieldIssue("url", "эта страница уже есть в реестре"))
        }
        try r.check()
        let keys = Set(body.keys)
        let values = (title, link, platform, responsible, organisation, widgetPlaced, widgetURL, last, note)
        return try await db.transaction { tx in
            let p = existing ?? PublicPageRecord()
            if let existing {
                guard let fresh = try await PublicPageRecord.find(existing.id!, on: tx), fresh.version == version else {
                    throw Problem.conflict("Запись реестра изменили, пока вы с ней работали. Обновите страницу и повторите.")
                }
            } else {
                p.id = TimeOrderedUUID.make(at: now)
                p.tenantID = access.tenantID
                p.version = 0
                p.widgetPlaced = false
            }
            let before = existing.map(Self.audit)
            if let v = values.0 { p.title = v }
            if let v = values.1 { p.url = v.text; if values.2 == nil { p.platform = (v.platform ?? .website).rawValue } }
            if let v = values.2 { p.platform = v.rawValue }
            if let v = values.3 { p.responsible = v }
            if keys.contains("organisation_id") { p.organisationID = values.4 }
            if let v = values.5 { p.widgetPlaced = v; if !v { p.widgetURL = nil } }
            if keys.contains("widget_url") { p.widgetURL = values.6 }
            if keys.contains("last_post_on") { p.lastPostOn = values.7?.iso }
            if keys.contains("note") { p.note = values.8 }
            p.version += 1
            p.updatedAt = now
            if creating { try await p.create(on: tx) } else { try await p.update(on: tx) }
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: creating ? "public_page.create" : "public_page.update",
                                   entity: "public_page", entityID: p.id!.uuidString, before: before, after: Self.audit(p))
            return p
        }
    }

    func delete(_ p: PublicPageRecord) async throws {
        try access.requireOutreachEditing()
        try await db.transaction { tx in
            try await ContentPostRecord.query(on: tx).filter(\.$pageID == p.id!).set(\.$pageID, to: nil).update()
            try await p.delete(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "public_page.delete", entity: "public_page",
                                   entityID: p.id!.uuidString, before: Self.audit(p))
        }
    }

    struct ImportReport: Content { var updated: Int; var unchanged: Int; var pages: [String] }

    /// Last publication dates from a file (CSV from a monitoring service or a table): every row must name
    /// a page of the registry and a past date, or nothing is written. A date older than the registry's
    /// is left as it is.
    func importActivity(_ bytes: [UInt8]) async throws -> ImportReport {
        try access.requireOutreachEditing()
        guard !bytes.isEmpty else { throw Problem.validation([FieldIssue("file", "файл пуст")]) }
        let rows: [PageActivityFile.Row]
        switch PageActivityFile.read(bytes, today: LocalDay(now, in: access.zone)) {
        case .success(let r): rows = r
        case .failure(let p): let issues = p.issues; throw Problem.validation(issues, detail: "Файл не загружен: " + issues.prefix(10).map(\.description).joined(separator: "; "))
        }
        let pages = try await PublicPageRecord.query(on: db).filter(\.$tenantID == access.tenantID).all()
        func key(_ url: String) -> String { url.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "/")) }
        let byURL = Dictionary(pages.map { (key($0.url), $0) }, uniquingKeysWith: { a, _ in a })
        let unknown = rows.filter { byURL[key($0.url)] == nil }
        if !unknown.isEmpty {
            let issues = unknown.map { FieldIssue("строка \($0.line)", "страницы \($0.url) нет в реестре: добавьте её или исправьте адрес") }
            throw Problem.validation(issues, detail: "Файл не загружен: " + issues.prefix(10).map(\.description).joined(separator: "; "))
        }
        // The newest date per page, when a file lists a page twice.
        var newest: [String: LocalDay] = [:]
        for r in rows { newest[key(r.url)] = max(newest[key(r.url)] ?? r.day, r.day) }
        let chosen = newest
        return try await db.transaction { tx in
            var updated: [String] = [], unchanged = 0
            for (k, day) in chosen.sorted(by: { $0.key < $1.key }) {
                let page = byURL[k]!
                if let current = page.lastPostOn.flatMap(LocalDay.init), current >= day { unchanged += 1; continue }
                let before = Self.audit(page)
                page.lastPostOn = day.iso
                page.version += 1
                page.updatedAt = now
                try await page.update(on: tx)
                try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "public_page.import", entity: "public_page",
                                       entityID: page.id!.uuidString, before: before, after: Self.audit(page))
                updated.append(page.title)
            }
            return ImportReport(updated: updated.count, unchanged: unchanged, pages: updated)
        }
    }

    struct Snapshot: Encodable { var title: String; var url: String; var widget_placed: Bool; var widget_url: String?; var last_post_on: String?; var version: Int }
    static func audit(_ p: PublicPageRecord) -> Snapshot {
        .init(title: p.title, url: p.url, widget_placed: p.widgetPlaced, widget_url: p.widgetURL, last_post_on: p.lastPostOn, version: p.version)
    }
}
