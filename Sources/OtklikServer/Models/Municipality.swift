import Fluent
import Foundation
import OtklikCore

/// A municipality: the tenant. Its `id` is the `tenant_id` every other table carries.
final class Municipality: Model, @unchecked Sendable {
    static let schema = "municipalities"
    @ID(key: .id) var id: UUID?
    @OptionalField(key: "region_id") var regionID: UUID?
    @Field(key: "name") var name: String
    @Field(key: "slug") var slug: String
    @OptionalField(key: "oktmo") var oktmo: String?
    @Field(key: "time_zone") var timeZone: String
    @Field(key: "work_start_minute") var workStartMinute: Int
    @Field(key: "work_end_minute") var workEndMinute: Int
    @Field(key: "is_demo") var isDemo: Bool
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}
    init(id: UUID? = nil, regionID: UUID?, name: String, slug: String, oktmo: String? = nil,
         timeZone: String, workingHours: WorkingHours = .standard, isDemo: Bool = false) {
        self.id = id; self.regionID = regionID; self.name = name; self.slug = slug; self.oktmo = oktmo
        self.timeZone = timeZone; self.workStartMinute = workingHours.startMinute
        self.workEndMinute = workingHours.endMinute; self.isDemo = isDemo
    }

    var workingHours: WorkingHours { .init(startMinute: workStartMinute, endMinute: workEndMinute) }
}
