import Fluent
import Foundation
import OtklikCore
import Vapor

/// An auto-rule as the API shows it, with its conditions and actions told in Russian.
struct AutoRuleDTO: Content {
    struct Conditions: Content {
        var channels: [String]
        var platforms: [String]
        var words: [String]
        var pattern: String?
        var territory_ids: [UUID]
        var category_ids: [UUID]
        var author: String?
        var weekdays: [Int]
        var time_from: String?
        var time_to: String?
        var source_url: String?
    }
    struct Actions: Content {
        var category_id: UUID?
        var block_id: UUID?
        var organisation_id: UUID?
        var executor_id: UUID?
        var urgent: Bool
        var tags: [String]
        var notify_roles: [String]
    }
    var id: UUID
    var position: Int
    var name: String
    var enabled: Bool
    var stop: Bool
    var version: Int
    var matched_count: Int
    var last_matched_at: Date?
    var updated_by: String
    var conditions: Conditions
    var actions: Actions
    /// «Если …» and «то …» in words.
    var when: [String]
    var then: [String]

    static func clock(_ minute: Int?) -> String? {
        minute.map { String(format: "%02d:%02d", $0 / 60, $0 % 60) }
    }

    init(_ r: AutoRuleRecord, names: AutoRuleNames) {
        let rule = r.rule
        let c = rule.conditions, a = rule.actions
        id = r.id!
        position = r.position
        name = r.name
        enabled = r.enabled
        stop = r.stop
        version = r.version
        matched_count = r.matchedCount
        last_matched_at = r.lastMatchedAt
        updated_by = r.updatedBy
        conditions = Conditions(channels: c.channels, platforms: c.platforms, words: c.words, pattern: c.pattern,
                                territory_ids: c.territoryIDs, category_ids: c.categoryIDs, author: c.author, weekdays: c.weekdays,
                                time_from: Self.clock(c.minuteFrom), time_to: Self.clock(c.minuteTo), source_url: c.sourceURL)
        actions = Actions(category_id: a.categoryID, block_id: a.blockID, organisation_id: a.organisationID, executor_id: a.executorID,
                          urgent: a.urgent, tags: a.tags, notify_roles: a.notifyRoles)
        (when, then) = Self.describe(rule, names: names)
    }

    static func describe(_ rule: AutoRule, names: AutoRuleNames) -> (when: [String], then: [String]) {
        let c = rule.conditions, a = rule.actions
        var when: [String] = []
        if !c.channels.isEmpty { when.append("канал: " + c.channels.map { CaseChannel(rawValue: $0)?.title ?? $0 }.joined(separator: " или ")) }
        if !c.platforms.isEmpty { when.append("площадка: " + c.platforms.map { Platform(rawValue: $0)?.title ?? $0 }.joined(separator: " или ")) }
        if !c.words.isEmpty { when.append("в тексте: " + c.words.map { "«\($0)»" }.joined(separator: " или ")) }
        if let p = c.pattern { when.append("текст подходит под выражение /\(p)/") }
        if !c.territoryIDs.isEmpty { when.append("территория: " + c.territoryIDs.map { names.name($0) }.joined(separator: " или ")) }
        if !c.categoryIDs.isEmpty { when.append("категория: " + c.categoryIDs.map { names.name($0) }.joined(separator: " или ")) }
        if let v = c.author { when.append("автор содержит «\(v)»") }
        if !c.weekdays.isEmpty {
            let days = ["пн", "вт", "ср", "чт", "пт", "сб", "вс"]
            when.append("дни: " + c.weekdays.sorted().map { days[$0 - 1] }.joined(separator: ", "))
        }
        if c.minuteFrom != nil || c.minuteTo != nil {
            when.append("время поступления \(clock(c.minuteFrom) ?? "00:00")–\(clock(c.minuteTo) ?? "23:59")")
        }
        if let v = c.sourceURL { when.append("ссылка источника содержит «\(v)»") }
        if when.isEmpty { when.append("любое новое обращение") }
        var then: [String] = []
        if let v = a.categoryID { then.append("категория «\(names.name(v))»") }
        if let v = a.blockID { then.append("блок «\(names.name(v))»") }
        if let v = a.organisationID { then.append("организация «\(names.name(v))»") }
        if let v = a.executorID { then.append("исполнитель \(names.name(v))") }
        if a.urgent { then.append("срочно") }
        if !a.tags.isEmpty { then.append("метки: " + a.tags.joined(separator: ", ")) }
        if !a.notifyRoles.isEmpty { then.append("уведомить: " + a.notifyRoles.map { Role(rawValue: $0)?.title ?? $0 }.joined(separator: ", ")) }
        if rule.stop { then.append("остальные правила не применять") }
        return (when, then)
    }
}

/// Names of everything a rule may refer to: rubrics, blocks, organisations, territories, executors.
struct AutoRuleNames: Sendable {
    var names: [UUID: String]

    func name(_ id: UUID) -> String { names[id] ?? "(удалено)" }

    static func load(tenantID: UUID, on db: any Database) async throws -> AutoRuleNames {
        var names = try await ReferenceOptions.load(tenantID: tenantID, on: db).names
        let grants = try await RoleAssignment.query(on: db).filter(\.$tenantID == tenantID)
            .filter(\.$role ~~ [Role.executor.rawValue, Role.organisationHead.rawValue]).all()
        for u in try await User.query(on: db).filter(\.$id ~~ grants.map(\.userID)).all() {
            if let id = u.id { names[id] = u.fullName }
        }
        return AutoRuleNames(names: names)
    }
}
