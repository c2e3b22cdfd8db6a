import Fluent
import Foundation
import OtklikCore
import SQLKit
import Vapor

/// A rule tried on the municipality's past cases without writing anything: how many it would have
/// matched, how many it would have changed (rules fill only empty fields), and the newest of them.
enum AutoRuleDryRun {
    static let maxCases = 20_000
    static let sample = 50

    struct Match: Content {
        var id: UUID
        var number: Int
        var received_at: Date
        var excerpt: String
        var would_change: [String]
    }

    struct Result: Content {
        var days: Int
        var checked: Int
        /// More cases fell in the period than were checked (the newest `maxCases`).
        var limited: Bool
        var matched: Int
        var would_change: Int
        var matches: [Match]
    }

    static let fieldTitles = ["category": "категория", "block": "блок", "organisation": "организация", "executor": "исполнитель",
                              "urgent": "срочность", "tags": "метки"]

    static func run(_ rule: AutoRule, access: TenantAccess, days: Int, now: Date, on db: any Database) async throws -> Result {
        let engine: RuleEngine
        do { engine = try RuleEngine([rule], zone: access.zone) } catch {
            throw Problem.validation([FieldIssue("conditions", error.russian)])
        }
        struct Row: Decodable {
            var id: UUID; var number: Int; var received_at: Date; var channel: String; var platform: String?
            var title: String?; var text: String; var territory_id: UUID?; var category_id: UUID?; var block_id: UUID?
            var organisation_id: UUID?; var executor_id: UUID?; var urgent: Bool; var tags_json: String
            var author_name: String?; var author_email: String?; var author_phone: String?; var author_profile_url: String?
            var source_url: String?
        }
        let rows = try await (db as! any SQLDatabase).select()
            .columns("id", "number", "received_at", "channel", "platform", "title", "text", "territory_id", "category_id", "block_id",
                     "organisation_id", "executor_id", "urgent", "tags_json", "author_name", "author_email", "author_phone",
                     "author_profile_url", "source_url")
            .from(CaseRecord.schema).where("tenant_id", .equal, SQLBind(access.tenantID))
            .where("received_at", .greaterThanOrEqual, SQLBind(now.addingTimeInterval(-Double(days) * 86_400)))
            .orderBy("received_at", .descending).limit(maxCases + 1).all(decoding: Row.self)
        var matched = 0, changing = 0
        var matches: [Match] = []
        for r in rows.prefix(maxCases) {
            let subject = RuleSubject(channel: r.channel, platform: r.platform, text: ClassifierTraining.text(title: r.title, body: r.text),
                                      territoryID: r.territory_id, categoryID: r.category_id,
                                      authorFields: [r.author_name, r.author_email, r.author_phone, r.author_profile_url].compactMap { $0 },
                                      receivedAt: r.received_at, sourceURL: r.source_url)
            var target = RuleTarget(categoryID: r.category_id, blockID: r.block_id, organisationID: r.organisation_id,
                                    executorID: r.executor_id, urgent: r.urgent, tags: JSONText.decodeArray(r.tags_json))
            guard let hit = engine.run(subject, target: &target).first else { continue }
            matched += 1
            if !hit.changed.isEmpty { changing += 1 }
            if matches.count < sample {
                let plain = HTMLText.plain(r.text).replacingOccurrences(of: "\n", with: " ")
                matches.append(Match(id: r.id, number: r.number, received_at: r.received_at,
                                     excerpt: plain.count > 200 ? String(plain.prefix(200)) + "…" : plain,
                                     would_change: hit.changed.map { fieldTitles[$0] ?? $0 }))
            }
        }
        return Result(days: days, checked: min(rows.count, maxCases), limited: rows.count > maxCases, matched: matched,
                      would_change: changing, matches: matches)
    }
}
