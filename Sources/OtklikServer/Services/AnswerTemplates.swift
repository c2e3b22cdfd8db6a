import Fluent
import Foundation
import OtklikCore

/// Answer templates of a municipality: one set of rules for the API and the administration page.
enum AnswerTemplates {
    struct DTO: Codable, Sendable {
        var id: UUID
        var title: String
        var body: String
        var updated_at: String
        var updated_by: String
        init(_ t: AnswerTemplateRecord) {
            id = t.id!; title = t.title; body = t.body
            updated_at = TimeText.formatRFC3339(t.updatedAt); updated_by = t.updatedBy
        }
    }

    static func list(tenantID: UUID, on db: any Database) async throws -> [AnswerTemplateRecord] {
        try await AnswerTemplateRecord.query(on: db).filter(\.$tenantID == tenantID).sort(\.$title).all()
    }

    static func find(_ id: UUID, access: TenantAccess, on db: any Database) async throws -> AnswerTemplateRecord {
        guard let t = try await AnswerTemplateRecord.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$id == id).first() else {
            throw Problem.notFound("Шаблон ответа не найден в этом муниципальном образовании.")
        }
        return t
    }

    /// Creates (`existing` nil) or updates a template from `title` and `body`; unknown placeholders and a
    /// repeated title are field errors. Audited.
    @discardableResult
    static func save(_ payload: [String: JSONValue], existing: AnswerTemplateRecord?, access: TenantAccess, now: Date,
                     on db: any Database) async throws -> AnswerTemplateRecord {
        try access.requireAdministration()
        var p = PayloadReader(payload)
        let title = p.string("title", required: existing == nil, max: 120)
        let body = p.string("body", required: existing == nil, max: 20_000)
        if let body {
            let unknown = AnswerTemplate.unknownPlaceholders(in: body)
            if !unknown.isEmpty {
                p.issues.append(FieldIssue("body", "неизвестные подстановки: " + unknown.map { "{{\($0)}}" }.joined(separator: ", ")
                    + "; допустимы: " + AnswerTemplate.placeholders.map { "{{\($0.key)}}" }.joined(separator: ", ")))
            }
        }
        if let title {
            let clash = try await AnswerTemplateRecord.query(on: db).filter(\.$tenantID == access.tenantID)
                .filter(\.$title == title).all().contains { $0.id != existing?.id }
            if clash { p.issues.append(FieldIssue("title", "шаблон с таким названием уже есть")) }
        }
        try p.check()
        let t = existing ?? AnswerTemplateRecord()
        let before = existing.map(DTO.init)
        if existing == nil { t.id = TimeOrderedUUID.make(at: now); t.tenantID = access.tenantID }
        if let title { t.title = title }
        if let body { t.body = body }
        t.updatedAt = now
        t.updatedBy = access.principal.label
        try await db.transaction { tx in
            if existing == nil { try await t.create(on: tx) } else { try await t.update(on: tx) }
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal,
                                   action: existing == nil ? "answer_template.create" : "answer_template.update",
                                   entity: "answer_template", entityID: t.id?.uuidString, before: before, after: DTO(t))
        }
        return t
    }

    static func delete(_ t: AnswerTemplateRecord, access: TenantAccess, on db: any Database) async throws {
        try access.requireAdministration()
        try await Audit.deleting(t, entity: "answer_template", before: DTO(t), access: access, on: db)
    }
}
