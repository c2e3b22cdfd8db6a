import Fluent
import Foundation
import OtklikCore

/// Reads an auto-rule from the API's JSON and checks it against the municipality's books: every
/// problem is named by its field in Russian; nothing is stored until all of them are fixed.
struct AutoRulePayload {
    var rule: AutoRule
    var enabled: Bool

    static let maxWords = 200

    static func read(_ body: [String: JSONValue], tenantID: UUID, on db: any Database) async throws -> AutoRulePayload {
        var reader = PayloadReader(body)
        let name = reader.string("name", required: true, max: 200)
        let enabled = reader.bool("enabled") ?? true
        let stop = reader.bool("stop") ?? false
        var issues = reader.issues
        var conditions = RuleConditions(), actions = RuleActions()

        func object(_ key: String) -> [String: JSONValue] {
            switch body[key] {
            case .object(let o)?: return o
            case nil, .null?: return [:]
            default: issues.append(FieldIssue(key, "ожидался объект")); return [:]
            }
        }
        func strings(_ o: [String: JSONValue], _ key: String, field: String, max: Int = 100) -> [String] {
            switch o[key] {
            case nil, .null?: return []
            case .array(let items)?:
                var out: [String] = []
                for item in items {
                    guard case .string(let s) = item, !s.trimmed.isEmpty, s.count <= 500 else {
                        issues.append(FieldIssue(field, "ожидался список непустых строк до 500 знаков")); return []
                    }
                    if !out.contains(s.trimmed) { out.append(s.trimmed) }
                }
                if out.count > max { issues.append(FieldIssue(field, "не больше \(max) значений")) }
                return out
            default: issues.append(FieldIssue(field, "ожидался список строк")); return []
            }
        }
        func text(_ o: [String: JSONValue], _ key: String, field: String) -> String? {
            switch o[key] {
            case nil, .null?: return nil
            case .string(let s)?: let t = s.trimmed; return t.isEmpty ? nil : String(t.prefix(2_000))
            default: issues.append(FieldIssue(field, "ожидалась строка")); return nil
            }
        }
        func uuid(_ o: [String: JSONValue], _ key: String, field: String) -> UUID? {
            guard let s = text(o, key, field: field) else { return nil }
            guard let id = UUID(uuidString: s) else { issues.append(FieldIssue(field, "ожидался идентификатор")); return nil }
            return id
        }
        func uuids(_ o: [String: JSONValue], _ key: String, field: String) -> [UUID] {
            strings(o, key, field: field).compactMap { s in
                guard let id = UUID(uuidString: s) else { issues.append(FieldIssue(field, "«\(s)» — не идентификатор")); return nil }
                return id
            }
        }
        func minute(_ o: [String: JSONValue], _ key: String, field: String) -> Int? {
            guard let s = text(o, key, field: field) else { return nil }
            let parts = s.split(separator: ":")
            guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else {
                issues.append(FieldIssue(field, "время в виде ЧЧ:ММ, от 00:00 до 23:59")); return nil
            }
            return h * 60 + m
        }

        let c = object("conditions")
        conditions.channels = strings(c, "channels", field: "conditions.channels")
        for ch in conditions.channels where CaseChannel(rawValue: ch) == nil {
            issues.append(FieldIssue("conditions.channels", "неизвестный канал «\(ch)»"))
        }
        conditions.platforms = strings(c, "platforms", field: "conditions.platforms")
        for p in conditions.platforms where Platform(rawValue: p) == nil {
            issues.append(FieldIssue("conditions.platforms", "неизвестная площадка «\(p)»"))
        }
        conditions.words = strings(c, "words", field: "conditions.words", max: maxWords)
        for w in conditions.words where TextPipeline.terms(w).isEmpty {
            issues.append(FieldIssue("conditions.words", "«\(w)» — только служебные слова или цифры: такое не ищется"))
        }
        conditions.pattern = text(c, "pattern", field: "conditions.pattern")
        conditions.territoryIDs = uuids(c, "territory_ids", field: "conditions.territory_ids")
        conditions.categoryIDs = uuids(c, "category_ids", field: "conditions.category_ids")
        conditions.author = text(c, "author", field: "conditions.author")
        conditions.sourceURL = text(c, "source_url", field: "conditions.source_url")
        switch c["weekdays"] {
        case nil, .null?: break
        case .array(let days)?:
            for d in days {
                guard case .number(let n) = d, n == n.rounded(), (1...7).contains(Int(n)) else {
                    issues.append(FieldIssue("conditions.weekdays", "дни недели — числа от 1 (понедельник) до 7 (воскресенье)")); break
                }
                if !conditions.weekdays.contains(Int(n)) { conditions.weekdays.append(Int(n)) }
            }
        default: issues.append(FieldIssue("conditions.weekdays", "ожидался список чисел"))
        }
        conditions.minuteFrom = minute(c, "time_from", field: "conditions.time_from")
        conditions.minuteTo = minute(c, "time_to", field: "conditions.time_to")

        let a = object("actions")
        actions.categoryID = uuid(a, "category_id", field: "actions.category_id")
        actions.blockID = uuid(a, "block_id", field: "actions.block_id")
        actions.organisationID = uuid(a, "organisation_id", field: "actions.organisation_id")
        actions.executorID = uuid(a, "executor_id", field: "actions.executor_id")
        switch a["urgent"] {
        case nil, .null?: break
        case .bool(let b)?: actions.urgent = b
        default: issues.append(FieldIssue("actions.urgent", "ожидалось true или false"))
        }
        actions.tags = strings(a, "tags", field: "actions.tags", max: 20).map { String($0.prefix(100)) }
        actions.notifyRoles = strings(a, "notify_roles", field: "actions.notify_roles", max: 20)
        for r in actions.notifyRoles where Role(rawValue: r).map({ $0.scope != .municipality }) ?? true {
            issues.append(FieldIssue("actions.notify_roles", "неизвестная роль муниципального образования «\(r)»"))
        }
        if actions.isEmpty && issues.isEmpty {
            issues.append(FieldIssue("actions", "укажите хотя бы одно действие: категорию, блок, организацию, исполнителя, срочность, метки или уведомление"))
        }

        // References must belong to this municipality (and not be deleted).
        func missing<M: Model>(_ type: M.Type, _ ids: [UUID], tenant: KeyPath<M, FieldProperty<M, UUID>>) async throws -> [UUID] where M.IDValue == UUID {
            guard !ids.isEmpty else { return [] }
            let found = Set(try await M.query(on: db).filter(\._$id ~~ ids).filter(tenant == tenantID).all().compactMap(\.id))
            return ids.filter { !found.contains($0) }
        }
        if !(try await missing(Territory.self, conditions.territoryIDs, tenant: \.$tenantID)).isEmpty {
            issues.append(FieldIssue("conditions.territory_ids", "территория не найдена в этом муниципальном образовании"))
        }
        if !(try await missing(Rubric.self, conditions.categoryIDs + [actions.categoryID].compactMap { $0 }, tenant: \.$tenantID)).isEmpty {
            issues.append(FieldIssue(actions.categoryID != nil ? "actions.category_id" : "conditions.category_ids",
                                     "категория не найдена в рубрикаторе этого муниципального образования"))
        }
        if !(try await missing(ThematicBlock.self, [actions.blockID].compactMap { $0 }, tenant: \.$tenantID)).isEmpty {
            issues.append(FieldIssue("actions.block_id", "блок не найден в этом муниципальном образовании"))
        }
        if !(try await missing(Organisation.self, [actions.organisationID].compactMap { $0 }, tenant: \.$tenantID)).isEmpty {
            issues.append(FieldIssue("actions.organisation_id", "организация не найдена в этом муниципальном образовании"))
        }
        if let exec = actions.executorID {
            let grant = try await RoleAssignment.query(on: db).filter(\.$tenantID == tenantID).filter(\.$userID == exec)
                .filter(\.$role ~~ [Role.executor.rawValue, Role.organisationHead.rawValue]).first()
            if grant == nil {
                issues.append(FieldIssue("actions.executor_id", "исполнитель не найден среди исполнителей этого муниципального образования"))
            } else if let org = actions.organisationID, grant?.organisationID != org {
                issues.append(FieldIssue("actions.executor_id", "исполнитель работает не в выбранной организации"))
            }
        }
        let rule = AutoRule(name: name ?? "", conditions: conditions, actions: actions, stop: stop)
        if issues.isEmpty {
            do { try RuleEngine.validate(rule) } catch {
                let field = error.russian.contains("выражение") ? "conditions.pattern" : "conditions.time_from"
                issues.append(FieldIssue(field, error.russian))
            }
        }
        guard issues.isEmpty else { throw Problem.validation(issues) }
        return AutoRulePayload(rule: rule, enabled: enabled)
    }
}
