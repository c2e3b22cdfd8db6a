import Fluent
import Foundation
import OtklikCore
import SQLKit
import Vapor

/// A risk as the API and its card show it. The author of a source publication is personal data: only
/// roles that see personal data get it.
struct RiskDTO: Content {
    struct Ref: Content { var id: UUID; var name: String }
    struct Source: Content { var id: UUID; var url: String; var platform: String; var platform_title: String; var community: String?
                             var author: String?; var reach: Int?; var published_at: String? }
    struct Placement: Content { var url: String; var place: String; var platform: String; var published_at: String }
    struct Snapshot: Content { var taken_at: String; var publications: Int; var comments: Int; var negative_percent: Int
                               var negative_comments: Int; var reach: Int?; var note: String?; var entered_by: String }
    struct LinkedCase: Content { var id: UUID; var number: Int; var title: String; var status: String }
    struct Event: Content { var kind: String; var title: String; var actor: String; var at: String; var comment: String?; var details: [String: String] }
    struct Alert: Content { var status: String; var status_title: String; var attempts: Int; var last_error: String?
                            var next_attempt_at: String?; var sent_at: String?; var created_at: String; var text: String }
    struct Reaction: Content { var verdict: String; var text: String }

    var id: UUID
    var number: Int
    var title: String
    var description: String
    var status: String
    var status_title: String
    var criticality: String
    var criticality_title: String
    var detected_at: String
    var reaction_due_at: String
    var reacted_at: String?
    var overdue: Bool
    var category: Ref?
    var block: Ref?
    var territory: Ref?
    var organisation: Ref?
    var officer: Ref?
    var campaign: Ref?
    var verification_note: String?
    var response_text: String?
    var platforms: [String]
    var published_at: String?
    var closed_at: String?
    var outcome: String?
    var escalated_to: String?
    var sources: [Source]
    var placements: [Placement]
    var snapshots: [Snapshot]
    var cases: [LinkedCase]
    var events: [Event]
    var alerts: [Alert]
    var reaction: Reaction
    var allowed_actions: [String]
    var may_manage: Bool
    var version: Int
    var created_by: String
    var updated_at: String
}

extension RiskDTO.Ref {
    /// A referenced row by id with the name to show; nil when none is named or it is gone.
    static func load<M: Model>(_ type: M.Type, on db: any Database, _ id: UUID?, _ name: (M) -> String) async throws -> RiskDTO.Ref?
    where M.IDValue == UUID {
        guard let id, let m = try await M.find(id, on: db) else { return nil }
        return .init(id: id, name: name(m))
    }
}

/// One line of the board and of `GET /risks`.
struct RiskSummary: Content {
    var id: UUID
    var number: Int
    var title: String
    var status: String
    var status_title: String
    var criticality: String
    var criticality_title: String
    var detected_at: String
    var reaction_due_at: String
    var reacted_at: String?
    var overdue: Bool
    var organisation: String?
    var sources: Int
    var cases: Int
    var last_snapshot: RiskDTO.Snapshot?
    var updated_at: String
    var version: Int
}

enum RiskCard {
    static func overdue(_ r: RiskRecord, now: Date) -> Bool { r.reactedAt == nil && r.riskStatus.isActive && r.reactionDueAt <= now }

    static func load(_ risk: RiskRecord, access: TenantAccess, now: Date, on db: any Database) async throws -> RiskDTO {
        let id = risk.id!
        let sources = try await RiskSourceRecord.query(on: db).filter(\.$riskID == id).sort(\.$addedAt).all()
        let placements = try await RiskPlacementRecord.query(on: db).filter(\.$riskID == id).sort(\.$publishedAt).all()
        let snapshots = try await RiskSnapshotRecord.query(on: db).filter(\.$riskID == id).sort(\.$takenAt).all()
        let events = try await RiskEventRecord.query(on: db).filter(\.$riskID == id).sort(\.$occurredAt).sort(\.$id).all()
        let alerts = try await RiskAlerts.deliveries(riskID: id, on: db)
        struct Link: Decodable { var case_id: UUID }
        let linked = try await (db as! any SQLDatabase).select().column("case_id").from("risk_cases").where("risk_id", .equal, id)
            .all(decoding: Link.self).map(\.case_id)
        let cases = linked.isEmpty ? [] : try await CaseQueries.scoped(access, on: db).filter(\.$id ~~ linked).sort(\.$number).all()
        let reaction = RiskReaction.assess(snapshots.map(\.snapshot), publishedAt: risk.publishedAt)
        let zone = access.zone
        let manage = access.managesRisks
        return RiskDTO(
            id: id, number: risk.number, title: risk.title, description: risk.description, status: risk.status,
            status_title: risk.riskStatus.title, criticality: risk.criticality, criticality_title: risk.riskCriticality.title,
            detected_at: TimeText.formatRFC3339(risk.detectedAt), reaction_due_at: TimeText.formatRFC3339(risk.reactionDueAt),
            reacted_at: risk.reactedAt.map(TimeText.formatRFC3339), overdue: overdue(risk, now: now),
            category: try await RiskDTO.Ref.load(Rubric.self, on: db, risk.categoryID) { $0.name }, block: try await RiskDTO.Ref.load(ThematicBlock.self, on: db, risk.blockID) { $0.name },
            territory: try await RiskDTO.Ref.load(Territory.self, on: db, risk.territoryID) { $0.name },
            organisation: try await RiskDTO.Ref.load(Organisation.self, on: db, risk.organisationID) { $0.name },
            officer: try await RiskDTO.Ref.load(User.self, on: db, risk.officerUserID) { $0.fullName },
            campaign: try await RiskDTO.Ref.load(CampaignRecord.self, on: db, risk.campaignID) { $0.title },
            verification_note: risk.verificationNote, response_text: risk.responseText, platforms: risk.platforms,
            published_at: risk.publishedAt.map(TimeText.formatRFC3339), closed_at: risk.closedAt.map(TimeText.formatRFC3339),
            outcome: risk.outcome, escalated_to: risk.escalatedTo.flatMap(RiskEscalationTarget.init(rawValue:))?.title,
            sources: sources.map {
                .init(id: $0.id!, url: $0.url, platform: $0.platform, platform_title: Platform(rawValue: $0.platform)?.title ?? $0.platform,
                      community: $0.community, author: access.seesPersonalData ? $0.author : ($0.author == nil ? nil : "скрыто"),
                      reach: $0.reach, published_at: $0.publishedAt.map(TimeText.formatRFC3339))
            },
            placements: placements.map { .init(url: $0.url, place: $0.place, platform: $0.platform, published_at: TimeText.formatRFC3339($0.publishedAt)) },
            snapshots: snapshots.map(snapshotDTO),
            cases: cases.map { .init(id: $0.id!, number: $0.number, title: Clusters.title($0), status: $0.caseStatus.title) },
            events: events.map { e in
                .init(kind: e.kind, title: RiskEventKind(rawValue: e.kind)?.title ?? e.kind, actor: e.actorLabel,
                      at: TimeText.formatRFC3339(e.occurredAt), comment: e.comment, details: JSONText.decodeObject(e.detailsJSON))
            },
            alerts: alerts.map {
                .init(status: $0.status, status_title: NotificationDelivery.Status(rawValue: $0.status)?.title ?? $0.status, attempts: $0.attempts,
                      last_error: $0.lastError, next_attempt_at: $0.nextAttemptAt.map(TimeText.formatRFC3339),
                      sent_at: $0.sentAt.map(TimeText.formatRFC3339), created_at: TimeText.formatRFC3339($0.createdAt), text: $0.body)
            },
            reaction: reactionDTO(reaction, zone: zone),
            allowed_actions: manage ? RiskAction.allCases.filter { $0.next(from: risk.riskStatus) != nil }.map(\.rawValue) : [],
            may_manage: manage, version: risk.version, created_by: risk.createdBy, updated_at: TimeText.formatRFC3339(risk.updatedAt))
    }

    static func snapshotDTO(_ s: RiskSnapshotRecord) -> RiskDTO.Snapshot {
        .init(taken_at: TimeText.formatRFC3339(s.takenAt), publications: s.publications, comments: s.comments, negative_percent: s.negativePercent,
              negative_comments: s.snapshot.negativeComments, reach: s.reach, note: s.note, entered_by: s.enteredBy)
    }

    static func reactionDTO(_ r: RiskReaction, zone: TimeZone) -> RiskDTO.Reaction {
        switch r {
        case .calm: .init(verdict: "calm", text: "С прошлого замера новых публикаций и негативных комментариев нет: риск можно закрыть как отработанный.")
        case .growing: .init(verdict: "growing", text: r.closingRefusal ?? "")
        case .notEnoughData: .init(verdict: "not_enough_data", text: r.closingRefusal ?? "")
        }
    }

    /// The board's lines, newest first within the reader's scope.
    static func list(_ query: QueryBuilder<RiskRecord>, now: Date, on db: any Database) async throws -> [RiskSummary] {
        let risks = try await query.sort(\.$detectedAt, .descending).all()
        guard !risks.isEmpty else { return [] }
        let ids = risks.compactMap(\.id)
        let sql = db as! any SQLDatabase
        struct Count: Decodable { var risk_id: UUID; var n: Int }
        func counts(_ table: String) async throws -> [UUID: Int] {
            let rows = try await sql.select().column("risk_id").column(SQLFunction("count", args: SQLLiteral.all), as: "n").from(table)
                .where("risk_id", .in, ids).groupBy("risk_id").all(decoding: Count.self)
            return Dictionary(uniqueKeysWithValues: rows.map { ($0.risk_id, $0.n) })
        }
        let sources = try await counts("risk_sources"), cases = try await counts("risk_cases")
        var last: [UUID: RiskSnapshotRecord] = [:]
        for s in try await RiskSnapshotRecord.query(on: db).filter(\.$riskID ~~ ids).sort(\.$takenAt).all() { last[s.riskID] = s }
        let orgIDs = Set(risks.compactMap(\.organisationID))
        let orgs = orgIDs.isEmpty ? [:] : Dictionary(uniqueKeysWithValues: try await Organisation.query(on: db).withDeleted()
            .filter(\.$id ~~ Array(orgIDs)).all().map { ($0.id!, $0.name) })
        return risks.map { r in
            RiskSummary(id: r.id!, number: r.number, title: r.title, status: r.status, status_title: r.riskStatus.title,
                        criticality: r.criticality, criticality_title: r.riskCriticality.title,
                        detected_at: TimeText.formatRFC3339(r.detectedAt), reaction_due_at: TimeText.formatRFC3339(r.reactionDueAt),
                        reacted_at: r.reactedAt.map(TimeText.formatRFC3339), overdue: overdue(r, now: now),
                        organisation: r.organisationID.flatMap { orgs[$0] }, sources: sources[r.id!] ?? 0, cases: cases[r.id!] ?? 0,
                        last_snapshot: last[r.id!].map(snapshotDTO), updated_at: TimeText.formatRFC3339(r.updatedAt), version: r.version)
        }
    }
}
