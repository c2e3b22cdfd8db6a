import Fluent
import Foundation

/// A municipality's answer template (шаблон ответа); placeholders are those of `AnswerTemplate`.
final class AnswerTemplateRecord: Model, @unchecked Sendable {
    static let schema = "answer_templates"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "title") var title: String
    @Field(key: "body") var body: String
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "updated_by") var updatedBy: String

    init() {}
}
