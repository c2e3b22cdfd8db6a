import Foundation
import OtklikCore
import Vapor

/// A case as the API shows it. Author's personal data only to roles that answer the author.
struct CaseDTO: Content, Sendable {
    struct Author: Content, Sendable {
        var name: String?
        var phone: String?
        var email: String?
        var profile_url: String?
    }
    struct Location: Content, Sendable {
        var address: String?
        var latitude: Double?
        var longitude: Double?
        var territory_id: UUID?
    }
    struct Event: Content, Sendable {
        var id: UUID
        var kind: String
        var kind_title: String
        var occurred_at: String
        var actor: String
        var comment: String?
        var details: [String: String]
    }

    var id: UUID
    var number: Int
    var channel: String
    var channel_title: String
    var external_id: String?
    var received_at: String
    var legal_regime: String
    var status: String
    var status_title: String
    var result: String?
    var title: String?
    var text: String
    var source_url: String?
    var platform: String?
    var publication_kind: String?
    var author: Author?
    /// True when the author's data exists but the reader's role may not see it.
    var author_hidden: Bool
    var location: Location
    var attachments: [String]
    var source_category: String?
    var source_deadline: String?
    var category_id: UUID?
    var block_id: UUID?
    var organisation_id: UUID?
    var executor_id: UUID?
    var tags: [String]
    var version: Int
    var created_at: String
    var updated_at: String
    var history: [Event]?

    init(_ c: CaseRecord, showPersonalData: Bool, history: [CaseEvent]? = nil) {
        id = c.id!
        number = c.number
        channel = c.channel
        channel_title = CaseChannel(rawValue: c.channel)?.title ?? c.channel
        external_id = c.externalID
        received_at = TimeText.formatRFC3339(c.receivedAt)
        legal_regime = c.legalRegime
        status = c.status
        status_title = CaseStatus(rawValue: c.status)?.title ?? c.status
        result = c.result
        title = c.title
        text = c.text
        source_url = c.sourceURL
        platform = c.platform
        publication_kind = c.publicationKind
        let hasAuthor = c.authorName != nil || c.authorPhone != nil || c.authorEmail != nil || c.authorProfileURL != nil
        if showPersonalData && hasAuthor {
            author = Author(name: c.authorName, phone: c.authorPhone, email: c.authorEmail, profile_url: c.authorProfileURL)
        }
        author_hidden = hasAuthor && !showPersonalData
        location = Location(address: c.address, latitude: c.latitude, longitude: c.longitude, territory_id: c.territoryID)
        attachments = JSONText.decodeArray(c.attachmentsJSON)
        source_category = c.sourceCategory
        source_deadline = c.sourceDeadline.map(TimeText.formatRFC3339)
        category_id = c.categoryID
        block_id = c.blockID
        organisation_id = c.organisationID
        executor_id = c.executorID
        tags = JSONText.decodeArray(c.tagsJSON)
        version = c.version
        created_at = TimeText.formatRFC3339(c.createdAt)
        updated_at = TimeText.formatRFC3339(c.updatedAt)
        self.history = history?.map { e in
            Event(id: e.id!, kind: e.kind, kind_title: CaseEventKind(rawValue: e.kind)?.title ?? e.kind,
                  occurred_at: TimeText.formatRFC3339(e.occurredAt), actor: e.actorLabel, comment: e.comment,
                  details: JSONText.decodeObject(e.detailsJSON))
        }
    }
}

struct CasePage: Content, Sendable {
    var items: [CaseDTO]
    var next_cursor: String?
}
