import Fluent
import Foundation

/// A responsible organisation (ответственный получатель): a department or an institution, in a hierarchy.
/// Deleting archives it (soft delete) so that past cases keep their organisation.
final class Organisation: Model, @unchecked Sendable {
    static let schema = "organisations"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @OptionalField(key: "parent_id") var parentID: UUID?
    @Field(key: "name") var name: String
    @OptionalField(key: "short_name") var shortName: String?
    @Field(key: "kind") var kind: String
    @OptionalField(key: "email") var email: String?
    @OptionalField(key: "phone") var phone: String?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Timestamp(key: "deleted_at", on: .delete) var deletedAt: Date?

    init() {}
    init(id: UUID? = nil, tenantID: UUID, parentID: UUID? = nil, name: String, shortName: String? = nil,
         kind: OrganisationKind, email: String? = nil, phone: String? = nil) {
        self.id = id; self.tenantID = tenantID; self.parentID = parentID; self.name = name
        self.shortName = shortName; self.kind = kind.rawValue; self.email = email; self.phone = phone
    }
}

enum OrganisationKind: String, CaseIterable, Codable, Sendable {
    case administration, department, institution, enterprise, external

    var title: String {
        switch self {
        case .administration: "Администрация"
        case .department: "Структурное подразделение"
        case .institution: "Муниципальное учреждение"
        case .enterprise: "Муниципальное предприятие"
        case .external: "Сторонняя организация"
        }
    }
}
