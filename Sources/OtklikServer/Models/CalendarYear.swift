import Fluent
import Foundation

/// A production-calendar year a tenant's administrator imported or edited; replaces the shipped year.
/// `days_json`: [["MM.DD", kind]] with kind 1 day off, 2 shortened, 3 working weekend day.
final class CalendarYear: Model, @unchecked Sendable {
    static let schema = "calendar_years"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "year") var year: Int
    @Field(key: "days_json") var daysJSON: String
    @Field(key: "imported_at") var importedAt: Date
    @Field(key: "imported_by") var importedBy: String

    init() {}
}
