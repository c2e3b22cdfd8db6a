import Fluent
import Foundation

/// A vote, a public discussion or the centre's own question, with its result.
final class PollRecord: Model, @unchecked Sendable {
    static let schema = "polls"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "question") var question: String
    @OptionalField(key: "territory") var territory: String?
    @OptionalField(key: "from_on") var fromOn: String?
    @OptionalField(key: "to_on") var toOn: String?
    @OptionalField(key: "category_id") var categoryID: UUID?
    @OptionalField(key: "roadmap_id") var roadmapID: UUID?
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    init() {}
}

final class PollOptionRecord: Model, @unchecked Sendable {
    static let schema = "poll_options"
    @ID(key: .id) var id: UUID?
    @Field(key: "poll_id") var pollID: UUID
    @Field(key: "position") var position: Int
    @Field(key: "text") var text: String
    @Field(key: "votes") var votes: Int
    init() {}
}
