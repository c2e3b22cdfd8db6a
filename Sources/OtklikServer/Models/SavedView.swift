import Fluent
import Foundation

/// A user's named queue filter («Мои срочные», «Просрочено у ЖКХ»): the query string of the queue page.
final class SavedView: Model, @unchecked Sendable {
    static let schema = "saved_views"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "user_id") var userID: UUID
    @Field(key: "name") var name: String
    @Field(key: "query") var query: String
    @Field(key: "created_at") var createdAt: Date

    init() {}
}
