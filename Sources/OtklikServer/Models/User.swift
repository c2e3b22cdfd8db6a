import Fluent
import Foundation

/// A person who signs in. `tenant_id` is the home municipality (nil for platform and regional staff);
/// what they may do is in `role_assignments`.
final class User: Model, @unchecked Sendable {
    static let schema = "users"
    @ID(key: .id) var id: UUID?
    @OptionalField(key: "tenant_id") var tenantID: UUID?
    @Field(key: "login") var login: String
    @Field(key: "full_name") var fullName: String
    @OptionalField(key: "email") var email: String?
    @Field(key: "password_hash") var passwordHash: String
    @Field(key: "must_change_password") var mustChangePassword: Bool
    @Field(key: "is_active") var isActive: Bool
    @Field(key: "failed_logins") var failedLogins: Int
    @OptionalField(key: "locked_until") var lockedUntil: Date?
    @OptionalField(key: "last_login_at") var lastLoginAt: Date?
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
    init(id: UUID? = nil, tenantID: UUID?, login: String, fullName: String, email: String? = nil,
         passwordHash: String, mustChangePassword: Bool) {
        self.id = id; self.tenantID = tenantID; self.login = login; self.fullName = fullName; self.email = email
        self.passwordHash = passwordHash; self.mustChangePassword = mustChangePassword
        self.isActive = true; self.failedLogins = 0
    }
}
