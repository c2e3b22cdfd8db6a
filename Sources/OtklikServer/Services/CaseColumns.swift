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
        "created_at", "updated_at", "urgent", "next_due_at", "feedback_rating", "closed_at", "source_status",
        "source_fields_json", "risk_score", "risk_signals_json", "risk_candidate",
        "cluster_id",
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
        /// Named in advance by an auto-rule.
        var executorID: UUID?
        /// Set once the regulation's clocks are planned.
        var nextDueAt: Date?
        /// What an import's source says about the case now (status, rating, result…), if anything.
        var state: SourceState?
        /// The lexicon's findings in the text.
        var risk: RiskAssessment?
        /// History entries besides «Поступило» that intake itself makes (the classifier, auto-rules).
        var autoEvents: [AutoEvent] = []
        /// The cluster of similar messages it joined at intake (the main case's id).
        var clusterID: UUID?
    }

    struct AutoEvent: Sendable {
        var kind: String
        var actorLabel: String
        var details: [String: String]
    }

    static func values(_ row: Row, tenantID: UUID, now: Date) -> [SQLCell] {
        let d = row.draft
        return [
            .uuid(row.id), .uuid(tenantID), .int(row.number), .text(d.channel.rawValue), .text(d.externalID),
            .date(d.receivedAt), .text(d.legalRegime.rawValue), .text((row.state?.mappedStatus ?? .new).rawValue),
            .text(row.state?.result?.rawValue), .text(d.title),
            .text(d.text), .text(d.searchText),
            .text(d.sourceURL), .text(d.platform?.rawValue), .text(d.publicationKind?.rawValue),
            .text(d.author.name), .text(d.author.phone), .text(d.author.email), .text(d.author.profileURL),
            .text(d.location.address), .double(d.location.latitude), .double(d.location.longitude),
            .uuid(row.territoryID), .text(JSONText.array(d.attachments)), .text(d.sourceCategory),
            .date(d.sourceDeadline), .uuid(row.categoryID), .uuid(row.blockID), .uuid(row.organisationID), .uuid(row.executorID),
            .text(JSONText.array(d.tags)), .int(1), .date(now), .date(now), .bool(d.urgent), .date(row.nextDueAt),
            .int(row.state?.rating), .date(row.state?.isClosed == true ? (row.state?.completedAt ?? now) : nil),
            .text(row.state?.status), .text(row.state.flatMap { SourceFields.json($0.fields) }),
            .int(row.risk?.score ?? 0), .text(row.risk.flatMap { $0.hits.isEmpty ? nil : RiskText.json($0) }),
            .bool(row.risk?.riskCandidate ?? false),
            .uuid(row.clusterID),
        ]
    }
}

/// The source's kept columns as stored on a case: a JSON array of [header, value] pairs, in file order.
enum SourceFields {
    static func json(_ fields: [(String, String)]) -> String? {
        fields.isEmpty ? nil : JSONValue.array(fields.map { .array([.string($0.0), .string($0.1)]) }).jsonText
    }

    static func decode(_ text: String?) -> [(String, String)] {
        guard let text, case .array(let items)? = try? JSONParser.parse(text) else { return [] }
        return items.compactMap { item in
            guard case .array(let pair) = item, pair.count == 2, case .string(let k) = pair[0], case .string(let v) = pair[1] else { return nil }
            return (k, v)
        }
    }
}

/// Small JSON texts stored in TEXT columns (portable between SQLite and PostgreSQL).
enum JSONText {
    static func array(_ items: [String]) -> String {
        items.isEmpty ? "[]" : JSONValue.array(items.map { .string($0) }).jsonText
    }

    static func decodeArray(_ text: String) -> [String] {
        guard case .array(let items)? = try? JSONParser.parse(text) else { return [] }
        return items.compactMap { if case .string(let s) = $0 { s } else { nil } }
    }

    static func decodeObject(_ text: String) -> [String: String] {
        guard case .object(let members)? = try? JSONParser.parse(text) else { return [:] }
        return members.compactMapValues { if case .string(let s) = $0 { s } else { nil } }
    }

    static func object(_ dict: [String: String]) -> String {
        JSONValue.object(dict.mapValues { .string($0) }).jsonText
    }
}

extension CaseColumns.Row {
    /// A category with the block and organisation its rubric names, where those are still empty (the
    /// source's, a rule's or the classifier's category alike).
    mutating func setCategory(_ info: ReferenceBook.RubricInfo) {
        categoryID = info.id
        blockID = blockID ?? info.blockID
        organisationID = organisationID ?? info.organisationID
    }
}
