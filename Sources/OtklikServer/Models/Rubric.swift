import Fluent
import Foundation

/// One node of the rubricator: category → subcategory → fact (as in ПОС exports), each with the block
/// and organisation that usually handle it.
final class Rubric: Model, @unchecked Sendable {
    static let schema = "rubrics"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @OptionalField(key: "parent_id") var parentID: UUID?
    @Field(key: "level") var level: String
    @Field(key: "name") var name: String
    @OptionalField(key: "code") var code: String?
    @OptionalField(key: "default_block_id") var defaultBlockID: UUID?
    @OptionalField(key: "default_organisation_id") var defaultOrganisationID: UUID?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Timestamp(key: "deleted_at", on: .delete) var deletedAt: Date?

    init() {}
    init(id: UUID? = nil, tenantID: UUID, parentID: UUID?, level: RubricLevel, name: String, code: String? = nil,
         defaultBlockID: UUID? = nil, defaultOrganisationID: UUID? = nil) {
        self.id = id; self.tenantID = tenantID; self.parentID = parentID; self.level = level.rawValue
        self.name = name; self.code = code; self.defaultBlockID = defaultBlockID
        self.defaultOrganisationID = defaultOrganisationID
    }
}

enum RubricLevel: String, CaseIterable, Codable, Sendable {
    case category, subcategory, fact

    var child: RubricLevel? {
        switch self {
        case .category: .subcategory
        case .subcategory: .fact
        case .fact: nil
        }
    }
    var title: String {
        switch self {
        case .category: "Категория"
        case .subcategory: "Подкатегория"
        case .fact: "Факт"
        }
    }
}
