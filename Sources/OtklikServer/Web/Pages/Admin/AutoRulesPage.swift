import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Автоправила»: the municipality's rules in order with what each does in words, how often it fired,
/// ↑/↓, edit, delete, a dry run on past cases, and the form of a new rule.
struct AutoRulesPage {
    struct Check: Encodable { var value: String; var title: String; var checked: Bool }
    struct RuleForm: Encodable {
        var id: String
        var action: String
        var submit: String
        var version: Int
        var name: String
        var enabled: Bool
        var stop: Bool
        var channels: [Check]
        var platforms: [Check]
        var words: String
        var pattern: String
        var territories: [Choice]
        var categories: [Choice]
        var author: String
        var weekdays: [Check]
        var timeFrom: String
        var timeTo: String
        var sourceURL: String
        var category: [Choice]
        var block: [Choice]
        var organisation: [Choice]
        var executor: [Choice]
        var urgent: Bool
        var tags: String
        var notify: [Check]
        var days: String
        var errors: [String: String]
        var formError: String?
    }
    struct RuleView: Encodable {
        var id: String
        var position: Int
        var name: String
        var enabled: Bool
        var stop: Bool
        var when: [String]
        var then: [String]
        var fired: String
        /// One form, as a list: the shared form template is bound by iterating.
        var forms: [RuleForm]
        var first: Bool
        var last: Bool
    }
    struct DryRunView: Encodable {
        var ruleName: String
        var summary: String
        var matches: [MatchView]
    }
    struct MatchView: Encodable { var href: String; var number: Int; var received: String; var excerpt: String; var changes: String }
    struct Context: Encodable {
        var layout: Layout
        var rules: [RuleView]
        var newForms: [RuleForm]
        var openNew: Bool
        var openRule: String
        var dryRun: DryRunView?
        var mayManage: Bool
    }

    static let notifyRoles: [Role] = [.mcuHead, .coordinator, .curator, .channelOperator, .riskOfficer, .editor, .analyst]

    func show(req: Request) async throws -> Response { try await render(req) }

    /// New rule, edit, or dry run (`intent=dry-run`) from one form.
    func save(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        let id = req.parameters.get("ruleID").flatMap(UUID.init(uuidString:))
        let body = Self.body(form)
        let back = "/m/\(access.slug)/admin/rules"
        do {
            if form["intent"] == "dry-run" {
                var withDays = body
                withDays["days"] = form["days"].map { Double($0).map(JSONValue.number) ?? .string($0) } ?? .null
                let result = try await APIBridge.call(req, body: withDays) { sub in try await AutoRulesController().dryRunDraft(req: sub) }
                return try await render(req, dryRun: (form["name"] ?? "без названия", result), keep: (id, form, nil))
            }
            if let id {
                _ = try await APIBridge.call(req, body: body, parameters: ["ruleID": id.uuidString]) { sub in
                    try await AutoRulesController().update(req: sub)
                }
                return WebPage.redirect(req, to: back, flash: "Правило «\(form["name"] ?? "")» сохранено. Оно действует для новых обращений.")
            }
            _ = try await APIBridge.call(req, body: body) { sub in try await AutoRulesController().create(req: sub) }
            return WebPage.redirect(req, to: back, flash: "Правило «\(form["name"] ?? "")» добавлено в конец списка.")
        } catch let problem as Problem where [409, 422].contains(problem.statusCode) {
            return try await render(req, keep: (id, form, problem), status: problem.status)
        }
    }

    func move(req: Request) async throws -> Response {
        let access = try req.tenant
        let id = try req.uuidParameter("ruleID", notFound: AutoRulesController.notFound)
        let form = try req.form
        _ = try await APIBridge.call(req, body: ["direction": .string(form["direction"] == "up" ? "up" : "down")],
                                     parameters: ["ruleID": id.uuidString]) { sub in try await AutoRulesController().move(req: sub) }
        return WebPage.redirect(req, to: "/m/\(access.slug)/admin/rules", flash: "Порядок правил изменён.")
    }

    func delete(req: Request) async throws -> Response {
        let access = try req.tenant
        let id = try req.uuidParameter("ruleID", notFound: AutoRulesController.notFound)
        try await AutoRules.delete(id, access: access, on: req.db)
        return WebPage.redirect(req, to: "/m/\(access.slug)/admin/rules", flash: "Правило удалено. Записи в историях обращений остались.")
    }

    /// The form as the API's JSON: lists from checkboxes and multi-selects, words one per line, tags by comma.
    static func body(_ form: FormFields) -> [String: JSONValue] {
        func list(_ key: String) -> JSONValue { .array(form.all(key).map(\.trimmed).filter { !$0.isEmpty }.map(JSONValue.string)) }
        func text(_ key: String) -> JSONValue { form[key].map(JSONValue.string) ?? .null }
        let words = (form.raw("words") ?? "").split(whereSeparator: \.isNewline).map { String($0).trimmed }.filter { !$0.isEmpty }
        let tags = (form["tags"] ?? "").split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
        var body: [String: JSONValue] = [
            "name": text("name"), "enabled": .bool(form.has("enabled")), "stop": .bool(form.has("stop")),
            "conditions": .object([
                "channels": list("channels"), "platforms": list("platforms"), "words": .array(words.map(JSONValue.string)),
                "pattern": text("pattern"), "territory_ids": list("territory_ids"), "category_ids": list("category_ids"),
                "author": text("author"), "weekdays": .array(form.all("weekdays").compactMap { Double($0) }.map(JSONValue.number)),
                "time_from": text("time_from"), "time_to": text("time_to"), "source_url": text("source_url"),
            ]),
            "actions": .object([
                "category_id": text("category_id"), "block_id": text("block_id"), "organisation_id": text("organisation_id"),
                "executor_id": text("executor_id"), "urgent": .bool(form.has("urgent")), "tags": .array(tags.map(JSONValue.string)),
                "notify_roles": list("notify_roles"),
            ]),
        ]
        if let v = form["version"].flatMap(Double.init) { body["version"] = .number(v) }
        return body
    }

    private func render(_ req: Request, dryRun: (String, AutoRuleDryRun.Result)? = nil,
                        keep: (UUID?, FormFields, Problem?)? = nil, status: HTTPStatus = .ok) async throws -> Response {
        let access = try req.tenant
        let dtos = try await AutoRulesController.list(access, on: req.db)
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        let executors = try await ReferenceOptions.executors(tenantID: access.tenantID, books: books, selected: nil,
                                                             empty: "— не менять —", on: req.db)
        let zone = access.zone
        let base = "/m/\(access.slug)/admin/rules"
        func form(_ dto: AutoRuleDTO?) -> RuleForm {
            let c = dto?.conditions, a = dto?.actions
            return RuleForm(
                id: dto.map { "r-\($0.id.uuidString)" } ?? "new", action: dto.map { "\(base)/\($0.id.uuidString)" } ?? base,
                submit: dto == nil ? "Добавить правило" : "Сохранить", version: dto?.version ?? 0, name: dto?.name ?? "",
                enabled: dto?.enabled ?? true, stop: dto?.stop ?? false,
                channels: CaseChannel.allCases.map { Check(value: $0.rawValue, title: $0.title, checked: c?.channels.contains($0.rawValue) ?? false) },
                platforms: Platform.allCases.map { Check(value: $0.rawValue, title: $0.title, checked: c?.platforms.contains($0.rawValue) ?? false) },
                words: (c?.words ?? []).joined(separator: "\n"), pattern: c?.pattern ?? "",
                territories: Self.multi(books.territories, selected: Set(c?.territory_ids ?? [])),
                categories: Self.multi(books.rubrics, selected: Set(c?.category_ids ?? [])),
                author: c?.author ?? "",
                weekdays: zip(1...7, ["пн", "вт", "ср", "чт", "пт", "сб", "вс"]).map { Check(value: String($0), title: $1, checked: c?.weekdays.contains($0) ?? false) },
                timeFrom: c?.time_from ?? "", timeTo: c?.time_to ?? "", sourceURL: c?.source_url ?? "",
                category: ReferenceOptions.options(books.rubrics, selected: a?.category_id, empty: "— не менять —"),
                block: ReferenceOptions.options(books.blocks, selected: a?.block_id, empty: "— не менять —"),
                organisation: ReferenceOptions.options(books.organisations, selected: a?.organisation_id, empty: "— не менять —"),
                executor: executors.map { Choice(value: $0.value, title: $0.title, selected: $0.value == a?.executor_id?.uuidString) },
                urgent: a?.urgent ?? false, tags: (a?.tags ?? []).joined(separator: ", "),
                notify: Self.notifyRoles.map { Check(value: $0.rawValue, title: $0.title, checked: a?.notify_roles.contains($0.rawValue) ?? false) },
                days: "30", errors: [:], formError: nil)
        }
        var rules = dtos.enumerated().map { i, d in
            RuleView(id: d.id.uuidString, position: i + 1, name: d.name, enabled: d.enabled, stop: d.stop, when: d.when, then: d.then,
                     fired: d.matched_count == 0 ? "ещё не срабатывало"
                        : "сработало \(RussianPlural.count(d.matched_count, one: "раз", few: "раза", many: "раз"))"
                            + (d.last_matched_at.map { ", последний — \(RussianDate.dateTime($0, in: zone))" } ?? ""),
                     forms: [form(d)], first: i == 0, last: i == dtos.count - 1)
        }
        var newForm = form(nil)
        var openNew = false, openRule = ""
        if let (id, typed, problem) = keep {
            var refilled = Self.refill(id.flatMap { id in rules.first { $0.id == id.uuidString }?.forms.first } ?? newForm, typed, problem: problem)
            refilled.days = typed["days"] ?? "30"
            if let id, let i = rules.firstIndex(where: { $0.id == id.uuidString }) { rules[i].forms = [refilled]; openRule = id.uuidString }
            else { newForm = refilled; openNew = true }
        }
        var dry: DryRunView?
        if let (name, result) = dryRun {
            let period = "за \(RussianPlural.count(result.days, one: "день", few: "дня", many: "дней"))"
            dry = DryRunView(ruleName: name,
                             summary: "Проверено \(RussianPlural.count(result.checked, one: "обращение", few: "обращения", many: "обращений")) \(period)"
                                + (result.limited ? " (самые новые; остальные не проверялись)" : "")
                                + ": подошло бы \(result.matched), изменило бы \(result.would_change). Ничего не записано.",
                             matches: result.matches.map {
                                 MatchView(href: "/m/\(access.slug)/cases/\($0.id.uuidString)", number: $0.number,
                                           received: RussianDate.dateTime($0.received_at, in: zone), excerpt: $0.excerpt,
                                           changes: $0.would_change.isEmpty ? "всё уже задано" : $0.would_change.joined(separator: ", "))
                             })
        }
        return try await WebPage.render(req, "admin/rules", Context(
            layout: try await WebPage.layout(req, title: "Автоправила", active: "admin", access: access),
            rules: rules, newForms: [newForm], openNew: openNew, openRule: openRule, dryRun: dry,
            mayManage: AutoRules.mayManage(access)), status: status)
    }

    static func multi(_ nodes: [ReferenceOptions.Node], selected: Set<UUID>) -> [Choice] {
        ReferenceOptions.options(nodes, selected: nil, empty: "").dropFirst().map {
            Choice(value: $0.value, title: $0.title, selected: UUID(uuidString: $0.value).map(selected.contains) ?? false)
        }
    }

    /// What the person typed, back in the form, with the API's reasons next to the fields.
    static func refill(_ f: RuleForm, _ t: FormFields, problem: Problem?) -> RuleForm {
        var f = f
        let picked = { (key: String, checks: [Check]) in checks.map { Check(value: $0.value, title: $0.title, checked: t.all(key).contains($0.value)) } }
        let chosen = { (key: String, choices: [Choice]) in choices.map { Choice(value: $0.value, title: $0.title, selected: t.all(key).contains($0.value)) } }
        f.name = t.raw("name") ?? ""
        f.enabled = t.has("enabled")
        f.stop = t.has("stop")
        f.channels = picked("channels", f.channels)
        f.platforms = picked("platforms", f.platforms)
        f.words = t.raw("words") ?? ""
        f.pattern = t.raw("pattern") ?? ""
        f.territories = chosen("territory_ids", f.territories)
        f.categories = chosen("category_ids", f.categories)
        f.author = t.raw("author") ?? ""
        f.weekdays = picked("weekdays", f.weekdays)
        f.timeFrom = t.raw("time_from") ?? ""
        f.timeTo = t.raw("time_to") ?? ""
        f.sourceURL = t.raw("source_url") ?? ""
        f.category = chosen("category_id", f.category)
        f.block = chosen("block_id", f.block)
        f.organisation = chosen("organisation_id", f.organisation)
        f.executor = chosen("executor_id", f.executor)
        f.urgent = t.has("urgent")
        f.tags = t.raw("tags") ?? ""
        f.notify = picked("notify_roles", f.notify)
        if let problem {
            var errors: [String: String] = [:]
            for (k, v) in problem.reasonsByField { errors[k.replacingOccurrences(of: "conditions.", with: "").replacingOccurrences(of: "actions.", with: "")] = v }
            f.errors = errors
            if problem.errors == nil || errors["actions"] != nil || errors["conditions"] != nil {
                f.formError = errors["actions"] ?? errors["conditions"] ?? problem.detail ?? problem.title
            }
        }
        return f
    }
}
