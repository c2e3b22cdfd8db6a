import Fluent
import Foundation
import OtklikCore

/// An information risk (decree 001): a publication or rumour that may grow into public negativity, and
/// its отработка from detection to «отработан» or escalation.
final class RiskRecord: Model, @unchecked Sendable {
    static let schema = "risks"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "number") var number: Int
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @Field(key: "status") var status: String
    @Field(key: "criticality") var criticality: String
    @OptionalField(key: "category_id") var categoryID: UUID?
    @OptionalField(key: "block_id") var blockID: UUID?
    @OptionalField(key: "territory_id") var territoryID: UUID?
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @OptionalField(key: "officer_user_id") var officerUserID: UUID?
    @OptionalField(key: "campaign_id") var campaignID: UUID?
    @Field(key: "detected_at") var detectedAt: Date
    @OptionalField(key: "verification_note") var verificationNote: String?
    @OptionalField(key: "response_text") var responseText: String?
    /// The platforms where the response is to be placed, one per line.
    @OptionalField(key: "response_platforms") var responsePlatforms: String?
    @OptionalField(key: "published_at") var publishedAt: Date?
    @OptionalField(key: "closed_at") var closedAt: Date?
    @OptionalField(key: "outcome") var outcome: String?
    @OptionalField(key: "escalated_to") var escalatedTo: String?
    @Field(key: "reaction_due_at") var reactionDueAt: Date
    @OptionalField(key: "remind_at") var remindAt: Date?
    @OptionalField(key: "reminded_at") var remindedAt: Date?
    @OptionalField(key: "overdue_at") var overdueAt: Date?
    @Field(key: "escalation_level") var escalationLevel: Int
    @OptionalField(key: "next_escalation_at") var nextEscalationAt: Date?
    @OptionalField(key: "reacted_at") var reactedAt: Date?
    @Field(key: "version") var version: Int
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var riskStatus: RiskStatus { RiskStatus(rawValue: status) ?? .detected }
    var riskCriticality: RiskCriticality { RiskCriticality(rawValue: criticality) ?? .medium }
    var platforms: [String] { (responsePlatforms ?? "").split(separator: "\n").map { String($0).trimmed }.filter { !$0.isEmpty } }
}

/// A publication where the risk was seen: a post, a chat message, an article.
final class RiskSourceRecord: Model, @unchecked Sendable {
    static let schema = "risk_sources"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "risk_id") var riskID: UUID
    @Field(key: "url") var url: String
    @Field(key: "platform") var platform: String
    /// The public or chat (not personal data).
    @OptionalField(key: "community") var community: String?
    /// The person who posted: personal data, shown only to roles that see it.
    @OptionalField(key: "author") var author: String?
    @OptionalField(key: "reach") var reach: Int?
    @OptionalField(key: "published_at") var publishedAt: Date?
    @Field(key: "added_at") var addedAt: Date
    init() {}
}

/// Where the official response was placed: regional or federal media, the official page of the body
/// or the person (decree 001).
final class RiskPlacementRecord: Model, @unchecked Sendable {
    static let schema = "risk_placements"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "risk_id") var riskID: UUID
    @Field(key: "url") var url: String
    @Field(key: "platform") var platform: String
    @Field(key: "place") var place: String
    @Field(key: "published_at") var publishedAt: Date
    init() {}
}

/// The reaction seen at one moment (totals), entered by hand or by a connector.
final class RiskSnapshotRecord: Model, @unchecked Sendable {
    static let schema = "risk_snapshots"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "risk_id") var riskID: UUID
    @Field(key: "taken_at") var takenAt: Date
    @Field(key: "publications") var publications: Int
    @Field(key: "comments") var comments: Int
    @Field(key: "negative_percent") var negativePercent: Int
    @OptionalField(key: "reach") var reach: Int?
    @OptionalField(key: "note") var note: String?
    @Field(key: "entered_by") var enteredBy: String
    init() {}

    var snapshot: RiskSnapshot { RiskSnapshot(at: takenAt, publications: publications, comments: comments, negativePercent: negativePercent, reach: reach) }
}

/// One entry of a risk's append-only history.
final class RiskEventRecord: Model, @unchecked Sendable {
    static let schema = "risk_events"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "risk_id") var riskID: UUID
    @Field(key: "kind") var kind: String
    @OptionalField(key: "actor_user_id") var actorUserID: UUID?
    @Field(key: "actor_label") var actorLabel: String
    @Field(key: "occurred_at") var occurredAt: Date
    @OptionalField(key: "comment") var comment: String?
    @Field(key: "details_json") var detailsJSON: String
    init() {}

    init(risk: RiskRecord, kind: String, actorUserID: UUID?, actorLabel: String, at now: Date, comment: String? = nil, details: [String: String] = [:]) {
        self.id = TimeOrderedUUID.make(at: now)
        self.tenantID = risk.tenantID
        self.riskID = risk.id!
        self.kind = kind
        self.actorUserID = actorUserID
        self.actorLabel = actorLabel
        self.occurredAt = now
        self.comment = comment
        self.detailsJSON = JSONText.object(details)
    }
}
