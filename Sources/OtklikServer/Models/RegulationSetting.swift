import Fluent
import Foundation

/// A tenant's change to a regulation profile: a whole channel (`scope = channel`) or an override for a
/// category and/or urgency (`scope = override`). NULL clock columns inherit; "off" switches a clock off.
final class RegulationSetting: Model, @unchecked Sendable {
    static let schema = "regulation_settings"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "scope") var scope: String
    @OptionalField(key: "profile_key") var profileKey: String?
    @OptionalField(key: "category_id") var categoryID: UUID?
    @OptionalField(key: "urgent") var urgent: Bool?
    @OptionalField(key: "take_in_work") var takeInWork: String?
    @OptionalField(key: "first_response") var firstResponse: String?
    @OptionalField(key: "forward") var forward: String?
    @OptionalField(key: "final_answer") var finalAnswer: String?
    @OptionalField(key: "assignment_limit") var assignmentLimit: String?
    @OptionalField(key: "feedback_window") var feedbackWindow: String?
    @OptionalField(key: "silence_accepts") var silenceAccepts: Bool?
    @OptionalField(key: "max_extensions") var maxExtensions: Int?
    @OptionalField(key: "max_extension_days") var maxExtensionDays: Int?
    @OptionalField(key: "reminder_minutes") var reminderMinutes: Int?
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "updated_by") var updatedBy: String

    init() {}
}
