import Fluent
import Foundation
import OtklikCore

/// A roadmap against a root cause.
final class RoadmapRecord: Model, @unchecked Sendable {
    static let schema = "roadmaps"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "number") var number: Int
    @Field(key: "title") var title: String
    @Field(key: "goal") var goal: String
    @Field(key: "target_kind") var targetKind: String
    @Field(key: "target_id") var targetID: UUID
    @Field(key: "window_days") var windowDays: Int
    @Field(key: "version") var version: Int
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}

final class RoadmapStepRecord: Model, @unchecked Sendable {
    static let schema = "roadmap_steps"
    @ID(key: .id) var id: UUID?
    @Field(key: "roadmap_id") var roadmapID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "title") var title: String
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @Field(key: "due_on") var dueOn: String
    @OptionalField(key: "done_on") var doneOn: String?
    init() {}
}
