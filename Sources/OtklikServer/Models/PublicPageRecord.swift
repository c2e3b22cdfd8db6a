import Fluent
import Foundation
import OtklikCore

/// An official page (госпаблик) of the administration or an institution, with its ПОС widget.
final class PublicPageRecord: Model, @unchecked Sendable {
    static let schema = "public_pages"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @OptionalField(key: "organisation_id") var organisationID: UUID?
    @Field(key: "platform") var platform: String
    @Field(key: "title") var title: String
    @Field(key: "url") var url: String
    @Field(key: "responsible") var responsible: String
    @Field(key: "widget_placed") var widgetPlaced: Bool
    @OptionalField(key: "widget_url") var widgetURL: String?
    @OptionalField(key: "last_post_on") var lastPostOn: String?
    @OptionalField(key: "note") var note: String?
    @Field(key: "version") var version: Int
    @Field(key: "updated_at") var updatedAt: Date
    init() {}

    /// The widget check: nil when no widget is placed.
    var widgetCheck: PosWidgetLink.Check? {
        guard widgetPlaced else { return nil }
        guard let widgetURL, !widgetURL.isEmpty else { return .init(problems: ["ссылка виджета не указана"], opaID: nil) }
        return PosWidgetLink.check(widgetURL)
    }
}

/// A post of the content plan of the official pages (editor, SMM), linked to a campaign or a risk.
final class ContentPostRecord: Model, @unchecked Sendable {
    static let schema = "content_posts"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @OptionalField(key: "page_id") var pageID: UUID?
    @Field(key: "planned_at") var plannedAt: Date
    @Field(key: "title") var title: String
    @Field(key: "text") var text: String
    @Field(key: "status") var status: String
    @OptionalField(key: "campaign_id") var campaignID: UUID?
    @OptionalField(key: "risk_id") var riskID: UUID?
    @OptionalField(key: "published_url") var publishedURL: String?
    @OptionalField(key: "author_user_id") var authorUserID: UUID?
    @Field(key: "version") var version: Int
    @Field(key: "updated_at") var updatedAt: Date
    init() {}
}
