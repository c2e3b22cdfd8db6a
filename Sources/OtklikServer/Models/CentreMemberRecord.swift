import Fluent
import Foundation
import OtklikCore

/// One entry of the МЦУ's personal composition.
final class CentreMemberRecord: Model, @unchecked Sendable {
    static let schema = "centre_members"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @OptionalField(key: "user_id") var userID: UUID?
    @Field(key: "full_name") var fullName: String
    @Field(key: "position") var position: String
    @Field(key: "role") var role: String
    @Field(key: "from_on") var fromOn: String
    @OptionalField(key: "to_on") var toOn: String?
    @OptionalField(key: "substitute_id") var substituteID: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    var member: Composition.Member {
        Composition.Member(id: id!.uuidString, fullName: fullName, position: position, role: CentreRole(rawValue: role) ?? .member,
                           from: LocalDay(fromOn) ?? LocalDay(year: 2000, month: 1, day: 1)!, to: toOn.flatMap(LocalDay.init),
                           substituteID: substituteID?.uuidString)
    }
}

extension CentreMemberRecord: TenantOwned { static var tenantField: KeyPath<CentreMemberRecord, FieldProperty<CentreMemberRecord, UUID>> { \.$tenantID } }
