import Foundation
import OtklikCore

/// The columns of `cases` in the order bulk intake writes them. `CaseRecord` declares the same keys;
/// a test reads rows written here back through the model, field by field.
enum CaseColumns {
    static let all = [
        "id", "tenant_id", "number", "channel", "external_id", "received_at", "legal_regime", "status",
        "result", "title", "text", "search_text", "source_url", "platform", "publication_kind",
        "author_name", "author_phone", "author_email", "author_profile_url", "address", "latitude",
        "longitude", "territory_id", "attachments_json", "source_category", "source_deadline",
        "category_id", "block_id", "organisation_id", "executor_id", "tags_json", "version",
        "created_at", "updated_at",
    ]

    static let eventColumns = [
        "id", "tenant_id", "case_id", "kind", "actor_user_id", "actor_label", "occurred_at", "comment", "details_json",
    ]

    /// A resolved draft ready to be written.
    struct Row: Sendable {
        var id: UUID
        var number: Int
        var draft: CaseDraft
        var territoryID: UUID?
        var categoryID: UUID?
        var blockID: UUID?
        var organisationID: UUID?
    }

    static func values(_ row: Row, tenantID: UUID, now: Date) -> [any Encodable & Sendable] {
        let d = row.draft
        return [
            row.id, tenantID, row.number, d.channel.rawValue, d.externalID, d.receivedAt, d.legalRegime.rawValue,
            CaseStatus.new.rawValue, String?.none, d.title, d.text, SearchText.normalize((d.title.map { $0 + " " } ?? "") + d.text),
            d.sourceURL, d.platform?.rawValue, d.publicationKind?.rawValue,
            d.author.name, d.author.phone, d.author.email, d.author.profileURL, d.location.address,
            d.location.latitude, d.location.longitude, row.territoryID, JSONText.array(d.attachments),
            d.sourceCategory, d.sourceDeadline, row.categoryID, row.blockID, row.organisationID, UUID?.none,
            JSONText.array(d.tags), 1, now, now,
        ]
    }
}

/// Small JSON texts stored in TEXT columns (portable between SQLite and PostgreSQL).
enum JSONText {
    static func array(_ items: [String]) -> String {
        guard !items.isEmpty, let data = try? JSONEncoder().encode(items) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }

    static func decodeArray(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }

    static func object(_ dict: [String: String]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: dict, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
