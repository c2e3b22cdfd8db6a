import Fluent
import Foundation
import OtklikCore

/// A preventive campaign on a socially significant topic (decree 001, §3): goal, audience, channels,
/// materials, dates, owner, status and result; risks and a seasonal threat may point at it.
final class CampaignRecord: Model, @unchecked Sendable {
    static let schema = "campaigns"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "title") var title: String
    @Field(key: "goal") var goal: String
    @Field(key: "audience") var audience: String
    @Field(key: "channels") var channels: String
    @Field(key: "materials") var materials: String
    /// Local days, YYYY-MM-DD.
    @Field(key: "starts_on") var startsOn: String
    @Field(key: "ends_on") var endsOn: String
    @OptionalField(key: "owner_user_id") var ownerUserID: UUID?
    @Field(key: "status") var status: String
    @OptionalField(key: "result") var result: String?
    @OptionalField(key: "category_id") var categoryID: UUID?
    @OptionalField(key: "threat_id") var threatID: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    var campaignStatus: CampaignStatus { CampaignStatus(rawValue: status) ?? .planned }
}

/// A recurring threat of the municipality's list, with the season last reminded of.
final class SeasonalThreatRecord: Model, @unchecked Sendable {
    static let schema = "seasonal_threats"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "title") var title: String
    @Field(key: "topic") var topic: String
    @Field(key: "start_month") var startMonth: Int
    @Field(key: "start_day") var startDay: Int
    @Field(key: "end_month") var endMonth: Int
    @Field(key: "end_day") var endDay: Int
    @Field(key: "lead_days") var leadDays: Int
    @Field(key: "active") var active: Bool
    @OptionalField(key: "reminded_for") var remindedFor: String?
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    var threat: SeasonalThreat {
        SeasonalThreat(title: title, start: (startMonth, startDay), end: (endMonth, endDay), leadDays: leadDays, topic: topic)
    }
}
