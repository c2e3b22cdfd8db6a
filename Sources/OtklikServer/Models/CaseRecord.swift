import Fluent
import Foundation

/// A case (сообщение or обращение). Named CaseRecord because `case` is a Swift keyword.
/// Intake writes these rows in bulk through SQL (`CaseRows`); column names live in `CaseColumns` so the
/// two paths cannot drift apart.
final class CaseRecord: Model, @unchecked Sendable {
    static let schema = "cases"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "number") var number: Int
    @Field(key: "channel") var channel: String
    @OptionalField(key: "external_id") var externalID: String?
    @Field(key: "received_at") var receivedAt: Date
    @Field(key: "legal_regime") var legalRegime: String
    @Field(key: "status") var status: String
    @OptionalField(key: "result") var result: String?
    @OptionalField(key: "title") var title: String?
    @Field(key: "text") var text: String
    @Field(key: "search_text") var searchText: String
    @OptionalField(key: "source_url") var sourceURL: String?
    @OptionalField(key: "platform") var platform: String?
    @OptionalField(key: "publication_kind") var publicationKind: String?
    @OptionalField(key: "author_name") var authorName: String?
    @OptionalField(key: "author_phone") var authorPhone: String?
    @OptionalField(key: "author_email") var authorEmail: String?
    @OptionalField(key: "author_profile_url") var authorProfileURL: String?
    @OptionalField(key: "address") var address: String?
    @OptionalField(key: "latitude") var latitude: Double?
    @OptionalField(key: "longitude") var longitude: Double?
    @OptionalField(key: "territory_id") var territoryID: UUID?
    @Field(key: "attachments_json") var attachmentsJSON: String
    @OptionalField(key: "source_category") var sourceCategory: String?
    @OptionalField(key: "source_deadline") var sourceDeadline: Date?
    @OptionalField(key: "category_id") var categoryID: UUID?
    @OptionalField(key: "block_id") var blockID: UUID?
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @OptionalField(key: "executor_id") var executorID: UUID?
    @Field(key: "tags_json") var tagsJSON: String
    /// Optimistic version: every change increments it, a stale edit is refused.
    @Field(key: "version") var version: Int
    // Lifecycle state (M0006).
    @Field(key: "urgent") var urgent: Bool
    @Field(key: "reopen_count") var reopenCount: Int
    @Field(key: "return_count") var returnCount: Int
    @Field(key: "extensions_used") var extensionsUsed: Int
    /// A pending extension request as JSON {"days","reason","by"}; nil when none waits.
    @OptionalField(key: "extension_request_json") var extensionRequestJSON: String?
    @OptionalField(key: "first_response_at") var firstResponseAt: Date?
    @OptionalField(key: "duplicate_of_id") var duplicateOfID: UUID?
    @OptionalField(key: "forwarded_to") var forwardedTo: String?
    @OptionalField(key: "feedback_rating") var feedbackRating: Int?
    @OptionalField(key: "feedback_comment") var feedbackComment: String?
    @Field(key: "accepted_by_silence") var acceptedBySilence: Bool
    @OptionalField(key: "closed_at") var closedAt: Date?
    /// The status as the source system last reported it (imports), and the source's other columns.
    @OptionalField(key: "source_status") var sourceStatus: String?
    @OptionalField(key: "source_fields_json") var sourceFieldsJSON: String?
    /// The nearest deadline of the open clocks (the author's rating window aside): the queue sorts by it.
    @OptionalField(key: "next_due_at") var nextDueAt: Date?
    /// The cluster of similar messages this case belongs to, named by its main case's id (M0018).
    @OptionalField(key: "cluster_id") var clusterID: UUID?
    /// Risk signals of the text (M0017): 0…100, what was found, candidate information risk.
    @Field(key: "risk_score") var riskScore: Int
    @OptionalField(key: "risk_signals_json") var riskSignalsJSON: String?
    @Field(key: "risk_candidate") var riskCandidate: Bool
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}
}
