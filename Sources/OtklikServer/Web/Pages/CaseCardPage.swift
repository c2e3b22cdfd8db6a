import Fluent
import Foundation
import OtklikCore
import SQLKit
import Vapor

/// The case card page: the citizen's text (always escaped), the author for roles that may see them, location,
/// clocks, history, answer versions, and a form for each action the reader may take now.
struct CaseCardPage {
    struct Fact: Encodable { var label: String; var value: String; var href: String? }
    struct ClockItem: Encodable {
        var title: String
        var rule: String
        var due: String
        var text: String
        var epoch: Int
        var mode: String
        var state: String
        var open: Bool
    }
    struct Event: Encodable { var when: String; var title: String; var actor: String; var comment: String?; var details: [String] }
    struct Answer: Encodable {
        var version: Int
        var text: String
        var result: String
        var attachments: [String]
        var author: String
        var created: String
        var state: String
        var stateTitle: String
        var reviewComment: String?
        var reviewer: String?
    }
    struct Template: Encodable { var id: String; var title: String; var text: String }
    /// The cluster of similar messages the case is in: a link to it and what the card says about it.
    struct ClusterInfo: Encodable { var href: String; var size: Int; var isMain: Bool; var mainNumber: Int?; var mainHref: String }
    struct SimilarAnswer: Encodable { var number: Int; var href: String; var title: String; var percent: String; var answer: String; var answered: String }
    struct Suggestion: Encodable { var id: String; var name: String; var percent: String; var current: Bool }
    /// The classifier's top-3 for one label; `action`/`field`: the form that applies one (nil: not now).
    struct SuggestionGroup: Encodable { var title: String; var target: String; var items: [Suggestion]; var action: String?; var field: String }
    struct Context: Encodable {
        var layout: Layout
        var id: String
        var number: Int
        var version: Int
        var heading: String
        var text: String
        var status: String
        var urgent: Bool
        var facts: [Fact]
        var author: [Fact]
        var authorHidden: Bool
        var noAuthorOrPlace: Bool
        var place: [Fact]
        var mapHref: String?
        var clocks: [ClockItem]
        var events: [Event]
        var answers: [Answer]
        var hasAnswers: Bool
        var extensionRequest: String?
        var can: [String: Bool]
        var hasActions: Bool
        var organisations: [Choice]
        var executors: [Choice]
        var categories: [Choice]
        var blocks: [Choice]
        var territories: [Choice]
        var closingResults: [Choice]
        var templates: [Template]
        var hasTemplates: Bool
        var openAction: String
        /// The answer form starts open for an executor who has not answered yet.
        var submitOpen: Bool
        var err: [String: [String: String]]
        var val: [String: [String: String]]
        var conflict: String?
        var actionTitle: [String: String]
        var suggestions: [SuggestionGroup]
        var classifierHref: String?
        var cluster: ClusterInfo?
        var mayCluster: Bool
        var similar: [SimilarAnswer]
        /// Information risks this case is linked to, and whether the reader may make one from it.
        var risks: [Choice] = []
        var mayMakeRisk = false
    }

    func show(req: Request) async throws -> Response {
        let access = try req.tenant
        var ctx = try await context(req, access: access, caseID: try caseID(req))
        if let id = UUID(uuidString: ctx.id), access.readsAllRisks || access.managesRisks {
            let linked = try await (req.db as! any SQLDatabase).select().column("risk_id").from("risk_cases").where("case_id", .equal, id)
                .all(decoding: [String: UUID].self).compactMap { $0["risk_id"] }
            if !linked.isEmpty {
                ctx.risks = try await RiskRecord.query(on: req.db).filter(\.$id ~~ linked).sort(\.$number).all().map {
                    Choice(value: "/m/\(access.slug)/risks/\($0.id!.uuidString)", title: "№\($0.number) \($0.title) — \($0.riskStatus.title)", selected: false)
                }
            }
            ctx.mayMakeRisk = access.managesRisks
        }
        return try await WebPage.render(req, "case", ctx)
    }

    /// One action from its form. Success: back to the card with a note. A field error or a stale version:
    /// the card again with the message next to the field and everything the user typed kept.
    func act(req: Request) async throws -> Response {
        let access = try req.tenant
        let id = try caseID(req)
        let name = req.parameters.get("action") ?? ""
        guard let action = CaseAction(rawValue: name), action != .acceptBySilence else {
            throw Problem.notFound("Неизвестное действие «\(name)».")
        }
        let form = try req.form
        var payload = form.json(except: ["_csrf", "version"])
        var typed: [String: String] = [:]
        for key in form.values.keys where key != "_csrf" { typed[key] = form.raw(key) ?? "" }
        let card = "/m/\(access.slug)/cases/\(id.uuidString)"
        do {
            guard let version = form["version"].flatMap(Int.init) else {
                throw Problem.conflict("Форма устарела: в ней нет версии обращения. Обновите карточку.")
            }
            try LocalDateTime.convert(&payload, zone: access.zone)
            for key in ["rating", "days"] {
                if case .string(let s)? = payload[key] { payload[key] = Double(s).map(JSONValue.number) ?? .string(s) }
            }
            if case .string(let s)? = payload["attachments"] {
                payload["attachments"] = .array(s.split(whereSeparator: \.isNewline).map { .string(String($0).trimmed) }.filter { $0 != .string("") })
            }
            let service = LifecycleService(db: req.db, tenantID: access.tenantID, notifiers: req.application.notifiers)
            _ = try await service.perform(action, caseID: id, payload: payload, actor: ActionActor(access),
                                          expectedVersion: version, now: req.now)
            return WebPage.redirect(req, to: card, flash: "Выполнено: «\(action.title)».")
        } catch let problem as Problem where [409, 422].contains(problem.statusCode) {
            var ctx = try await context(req, access: access, caseID: id)
            ctx.openAction = action.rawValue
            ctx.submitOpen = action == .submitAnswer
            ctx.val = [action.rawValue: typed]
            if problem.statusCode == 409 {
                ctx.conflict = problem.detail ?? problem.title
            } else {
                var errors: [String: String] = [:]
                for issue in problem.errors ?? [FieldIssue("form", problem.detail ?? problem.title)] {
                    errors[issue.field.isEmpty ? "form" : issue.field] = issue.reason
                }
                ctx.err = [action.rawValue: errors]
            }
            return try await WebPage.render(req, "case", ctx, status: problem.status)
        }
    }

    private func caseID(_ req: Request) throws -> UUID {
        guard let id = req.parameters.get("caseID", as: UUID.self) else { throw Problem.notFound("Обращение не найдено или недоступно вам.") }
        return id
    }

    private func context(_ req: Request, access: TenantAccess, caseID: UUID) async throws -> Context {
        let contents = try await CaseCard.contents(caseID, access: access, on: req.db)
        let dto = CaseCard.dto(contents, access: access, now: req.now)
        let record = contents.record
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        let schedule = contents.schedule
        let zone = schedule.zone
        let now = req.now
        func local(_ text: String?) -> String? {
            text.flatMap { try? TimeText.parseRFC3339($0) }.map { RussianDate.dateTime($0, in: zone) }
        }

        var facts: [Fact] = [
            Fact(label: "Канал", value: dto.channel_title),
            Fact(label: "Поступило", value: RussianDate.dateTime(record.receivedAt, in: zone)),
            Fact(label: "Режим", value: LegalRegime(rawValue: record.legalRegime)?.title ?? record.legalRegime),
        ]
        if let p = record.platform { facts.append(Fact(label: "Площадка", value: Platform(rawValue: p)?.title ?? p)) }
        if let url = record.sourceURL { facts.append(Fact(label: "Источник", value: url, href: Self.httpLink(url))) }
        if let ext = record.externalID { facts.append(Fact(label: "Номер в источнике", value: ext)) }
        if let cat = record.sourceCategory { facts.append(Fact(label: "Рубрика источника", value: cat)) }
        facts.append(Fact(label: "Категория", value: books.name(record.categoryID) ?? "не задана"))
        facts.append(Fact(label: "Блок", value: books.name(record.blockID) ?? "не задан"))
        facts.append(Fact(label: "Организация", value: books.name(record.organisationID) ?? "не назначена"))
        if let exec = record.executorID, let user = try await User.find(exec, on: req.db) {
            facts.append(Fact(label: "Исполнитель", value: user.fullName))
        }
        if record.riskScore > 0 {
            let risk = RiskText.assessment(score: record.riskScore, json: record.riskSignalsJSON)
            facts.append(Fact(label: "Сигналы риска", value: "\(risk.score) из 100 — \(risk.explanation)"
                              + (record.riskCandidate ? " (кандидат в информационные риски)" : "")))
        }
        if let r = record.result { facts.append(Fact(label: "Результат", value: CaseResult(rawValue: r)?.title ?? r)) }
        if record.reopenCount > 0 { facts.append(Fact(label: "Повторных рассмотрений", value: String(record.reopenCount))) }
        if record.returnCount > 0 { facts.append(Fact(label: "Возвратов на доработку", value: String(record.returnCount))) }
        if let rating = record.feedbackRating { facts.append(Fact(label: "Оценка заявителя", value: "\(rating) из 5")) }
        if let to = record.forwardedTo { facts.append(Fact(label: "Переадресовано", value: to)) }
        for a in dto.attachments { facts.append(Fact(label: "Вложение", value: a, href: Self.httpLink(a))) }

        var author: [Fact] = []
        if let a = dto.author {
            if let v = a.name { author.append(Fact(label: "Автор", value: v)) }
            if let v = a.phone { author.append(Fact(label: "Телефон", value: v, href: "tel:" + v.filter { "+0123456789".contains($0) })) }
            if let v = a.email { author.append(Fact(label: "Эл. почта", value: v, href: "mailto:" + v)) }
            if let v = a.profile_url { author.append(Fact(label: "Профиль", value: v, href: Self.httpLink(v))) }
        }
        var place: [Fact] = []
        if let v = record.address { place.append(Fact(label: "Адрес", value: v)) }
        if let t = books.name(record.territoryID) { place.append(Fact(label: "Территория", value: t)) }
        var mapHref: String?
        if let lat = record.latitude, let lon = record.longitude {
            place.append(Fact(label: "Координаты", value: String(format: "%.5f, %.5f", lat, lon)))
            mapHref = String(format: "https://www.openstreetmap.org/?mlat=%.6f&mlon=%.6f#map=17/%.6f/%.6f", lat, lon, lat, lon)
        }

        let clockRows = contents.clocks
        let clocks = clockRows.map { c -> ClockItem in
            let title = CaseClockKind(rawValue: c.kind)?.title ?? c.kind
            if c.stoppedAt == nil {
                let reading = ClockReading(c, now: now, schedule: schedule)
                return ClockItem(title: title, rule: ClockPlanner.russian(rule: c.rule), due: RussianDate.dateTime(c.dueAt, in: zone),
                                 text: reading.text, epoch: Int(c.dueAt.timeIntervalSince1970),
                                 mode: reading.everyHour ? "hours" : "working", state: reading.state, open: true)
            }
            let outcome = c.outcome.flatMap(ClockOutcome.init(rawValue:))
            return ClockItem(title: title, rule: ClockPlanner.russian(rule: c.rule), due: RussianDate.dateTime(c.dueAt, in: zone),
                             text: (outcome?.title ?? "остановлен") + (c.stoppedAt.map { ", " + RussianDate.dateTime($0, in: zone) } ?? ""),
                             epoch: 0, mode: "", state: outcome?.rawValue ?? "", open: false)
        }

        let events = (dto.history ?? []).reversed().map { e in
            Event(when: local(e.occurred_at) ?? e.occurred_at, title: e.kind_title, actor: e.actor, comment: e.comment,
                  details: Self.describe(e.details, books: books, zone: zone))
        }
        let answers = (dto.answers ?? []).reversed().map { a in
            Answer(version: a.version, text: a.text, result: a.result_title, attachments: a.attachments, author: a.author,
                   created: local(a.created_at) ?? a.created_at, state: a.state,
                   stateTitle: ["submitted": "на согласовании", "returned": "возвращён на доработку", "approved": "согласован",
                                "published": "опубликован"][a.state] ?? a.state,
                   reviewComment: a.review_comment, reviewer: a.reviewer)
        }
        var can: [String: Bool] = [:]
        for a in dto.allowed_actions ?? [] { can[a.action] = true }

        let executors = try await ReferenceOptions.executors(tenantID: access.tenantID, books: books, selected: record.executorID,
                                                             empty: "— любой исполнитель организации —", on: req.db)

        var templates: [Template] = []
        if can["submit_answer"] == true || can["first_response"] == true || can["intermediate_answer"] == true {
            let due = clockRows.filter { $0.stoppedAt == nil && ($0.kind == CaseClockKind.finalAnswer.rawValue || $0.kind == CaseClockKind.executor.rawValue) }
                .map(\.dueAt).min()
            let values: [String: String] = [
                "имя": access.seesPersonalData ? (record.authorName ?? "") : "",
                "адрес": record.address ?? "",
                "номер": String(record.number),
                "дата": RussianDate.day(record.receivedAt, in: zone),
                "срок": due.map { RussianDate.dateTime($0, in: zone) } ?? "",
                "организация": books.name(record.organisationID) ?? "",
                "исполнитель": access.principal.label,
            ]
            templates = try await AnswerTemplateRecord.query(on: req.db).filter(\.$tenantID == access.tenantID).sort(\.$title).all()
                .map { Template(id: $0.id!.uuidString, title: $0.title, text: AnswerTemplate.render($0.body, values: values)) }
        }
        // Earlier answers to messages like this one: shown beside the answer form and offered in its picker.
        var similar: [SimilarAnswer] = []
        if can["submit_answer"] == true || can["first_response"] == true {
            for item in try await SimilarAnswers.find(for: record, access: access, on: req.db) {
                let percent = ConfidenceText.percent(item.similarity)
                similar.append(SimilarAnswer(number: item.number, href: "/m/\(access.slug)/cases/\(item.case_id.uuidString)", title: item.title,
                                             percent: percent, answer: item.answer, answered: RussianDate.day(item.answered_at, in: zone)))
                templates.append(Template(id: "similar-\(item.case_id.uuidString)", title: "Ответ по похожему №\(item.number) (сходство \(percent))",
                                          text: item.answer))
            }
        }
        var cluster: ClusterInfo?
        if let clusterID = record.clusterID {
            let size = try await Clusters(db: req.db, access: access, now: now).sizes([clusterID])[clusterID] ?? 1
            let main = clusterID == record.id ? record : try await CaseRecord.query(on: req.db)
                .filter(\.$tenantID == access.tenantID).filter(\.$id == clusterID).first()
            cluster = ClusterInfo(href: "/m/\(access.slug)/clusters/\(clusterID.uuidString)", size: size, isMain: clusterID == record.id,
                                  mainNumber: main?.number, mainHref: "/m/\(access.slug)/cases/\(clusterID.uuidString)")
        }
        var extensionRequest: String?
        if let ext = dto.extension_request {
            extensionRequest = "Исполнитель (\(ext["by"] ?? "—")) просит перенести срок на \(ext["days"] ?? "?") дн.: \(ext["reason"] ?? "")"
        }
        var titles: [String: String] = [:]
        for a in CaseAction.allCases { titles[a.rawValue] = a.title }
        var suggestions: [SuggestionGroup] = []
        if can["classify"] == true || can["assign"] == true {
            suggestions = try await CaseSuggestions.build(record, tenantID: access.tenantID, books: books, on: req.db).map { g in
                let isOrganisation = g.target == LabelTarget.organisation.rawValue
                let action = isOrganisation ? (can["assign"] == true ? "assign" : nil) : (can["classify"] == true ? "classify" : nil)
                return SuggestionGroup(title: g.title, target: g.target, items: g.suggestions.map {
                    Suggestion(id: $0.id.uuidString, name: $0.name, percent: ConfidenceText.percent($0.confidence), current: $0.id == g.current)
                }, action: action, field: isOrganisation ? "organisation_id" : g.target + "_id")
            }.filter { !$0.items.isEmpty }
        }
        return Context(
            layout: try await WebPage.layout(req, title: "Обращение №\(record.number)", active: "", access: access, schedule: schedule),
            id: caseID.uuidString, number: record.number, version: record.version,
            heading: record.title.map { "№\(record.number). \($0)" } ?? "Обращение №\(record.number)", text: record.text, status: record.caseStatus.title,
            urgent: record.urgent, facts: facts, author: author, authorHidden: dto.author_hidden,
            noAuthorOrPlace: author.isEmpty && place.isEmpty && !dto.author_hidden, place: place, mapHref: mapHref,
            clocks: clocks, events: Array(events), answers: Array(answers), hasAnswers: !answers.isEmpty,
            extensionRequest: extensionRequest, can: can, hasActions: !can.isEmpty,
            organisations: ReferenceOptions.options(books.organisations, selected: record.organisationID, empty: "— выберите организацию —"),
            executors: executors,
            categories: ReferenceOptions.options(books.rubrics, selected: record.categoryID, empty: "— не задана —"),
            blocks: ReferenceOptions.options(books.blocks, selected: record.blockID, empty: "— не задан —"),
            territories: ReferenceOptions.options(books.territories, selected: record.territoryID, empty: "— не задана —"),
            closingResults: Lifecycle.closingResults(from: record.caseStatus).sorted { $0.title < $1.title }
                .map { Choice(value: $0.rawValue, title: $0.title, selected: false) },
            templates: templates, hasTemplates: !templates.isEmpty,
            openAction: "", submitOpen: answers.isEmpty, err: [:], val: [:], conflict: nil, actionTitle: titles,
            suggestions: suggestions,
            classifierHref: TextModelsController.mayRead(access) ? "/m/\(access.slug)/admin/classifier" : nil,
            cluster: cluster, mayCluster: Clusters(db: req.db, access: access, now: now).mayChange, similar: similar)
    }

    /// Only web links become links; anything else (javascript:, data:) stays text.
    static func httpLink(_ s: String) -> String? {
        let lower = s.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://") ? s : nil
    }

    /// The history details a person reads, in Russian; technical ones (clock outcomes) stay out.
    static func describe(_ details: [String: String], books: ReferenceOptions, zone: TimeZone) -> [String] {
        var out: [String] = []
        func date(_ s: String?) -> String? { s.flatMap { try? TimeText.parseRFC3339($0) }.map { RussianDate.dateTime($0, in: zone) } }
        if let v = details["status_to"] { out.append("Статус: " + (CaseStatus(rawValue: v)?.title ?? v)) }
        if let v = details["organisation"] { out.append("Организация: " + v) }
        if let v = details["deadline"], let d = date(v) { out.append("Срок: " + d) }
        if let v = details["text"] { out.append("Текст: " + v) }
        if let v = details["result"] { out.append("Результат: " + (CaseResult(rawValue: v)?.title ?? v)) }
        if let v = details["rating"] { out.append("Оценка: " + v) }
        if let v = details["feedback"] { out.append("Отзыв заявителя: " + v) }
        if let v = details["days"] { out.append("Дней: " + v) }
        if let v = details["reason"] { out.append("Причина: " + v) }
        if let v = details["to"] { out.append("Куда: " + v) }
        if let v = details["duplicate_of"] { out.append("Дубликат обращения №" + v) }
        if let v = details["url"] { out.append("Публикация: " + v) }
        if let v = details["notice"] { out.append(v) }
        if let v = details["executor"] { out.append("Исполнитель: " + v) }
        if let v = details["tags"] { out.append("Метки: " + v) }
        if details["urgent"] != nil { out.append("Срочно") }
        if let v = details["risk"] { out.append(v.prefix(1).uppercased() + v.dropFirst()) }
        for key in ["category", "block", "territory"] {
            if let v = details[key] { out.append(["category": "Категория", "block": "Блок", "territory": "Территория"][key]! + ": " + v) }
        }
        return out
    }
}
