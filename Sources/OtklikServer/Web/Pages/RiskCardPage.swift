import Fluent
import Foundation
import OtklikCore
import Vapor

/// The risk card: facts, sources, linked cases, the stage's forms, the reaction (table and chart) and
/// one timeline of the history and the alert-chat posts with their delivery state.
struct RiskCardPage {
    struct Line: Encodable { var at: String; var title: String; var actor: String; var text: String?; var details: String?; var chat: Bool; var failed: Bool }
    struct SnapshotRow: Encodable { var at: String; var publications: Int; var comments: Int; var negative: Int; var negativeComments: Int; var reach: String; var note: String? }
    struct Context: Encodable {
        var layout: Layout
        var risk: RiskDTO
        var detected: String
        var due: String
        var reacted: String?
        var sources: [RiskDTO.Source]
        var snapshots: [SnapshotRow]
        var chart: String?
        var timeline: [Line]
        var actions: [String: Bool]
        var criticalities: [Choice]
        var values: [String: String]
        var errors: [String: String]
        var openForm: String
        var chatState: String?
        var mayComment: Bool
        var campaigns: [Choice]
    }

    func show(req: Request) async throws -> Response {
        try await render(req, values: [:], errors: [:], openForm: "", status: .ok)
    }

    private func render(_ req: Request, values: [String: String], errors: [String: String], openForm: String, status: HTTPStatus) async throws -> Response {
        let access = try req.tenant
        let id = try req.uuidParameter("riskID", notFound: RiskService.notFound)
        let risk = try await RiskService(db: req.db, access: access, now: req.now, publicURL: nil, notifiers: req.application.notifiers).find(id)
        let dto = try await RiskCard.load(risk, access: access, now: req.now, on: req.db)
        let zone = access.zone
        func local(_ s: String?) -> String? { s.flatMap { try? TimeText.parseRFC3339($0) }.map { RussianDate.dateTime($0, in: zone) } }
        var timeline: [(Date, Int, Line)] = []
        for (order, e) in dto.events.enumerated() {
            let when = (try? TimeText.parseRFC3339(e.at)) ?? req.now
            let details = e.details.compactMap { k, v -> String? in
                switch k {
                case "from": "было: \(v)"
                case "to": e.kind == "criticality_changed" ? "стало: \(v)" : "кому: \(v)"
                case "links": "ссылки: " + v.replacingOccurrences(of: "\n", with: ", ")
                case "platforms": "площадки: \(v)"
                case "case": "обращение №\(v)"
                case "publications": "публикаций \(v)"
                case "comments": "комментариев \(v)"
                case "negative_percent": "негативных \(v) %"
                case "criticality": "критичность \(v)"
                case "level": "уровень \(v)"
                case "due_at": "срок \(local(v) ?? v)"
                default: nil
                }
            }.sorted().joined(separator: "; ")
            timeline.append((when, order, Line(at: RussianDate.dateTime(when, in: zone), title: e.title, actor: e.actor, text: e.comment,
                                        details: details.isEmpty ? nil : details, chat: false, failed: false)))
        }
        for (order, a) in dto.alerts.reversed().enumerated() {
            let when = (try? TimeText.parseRFC3339(a.created_at)) ?? req.now
            let state = a.status == "sent" ? "доставлено \(local(a.sent_at) ?? "")"
                : a.status == "pending" ? "ожидает отправки (попыток: \(a.attempts)\(a.last_error.map { ", ошибка: \($0)" } ?? "")\(local(a.next_attempt_at).map { ", повтор \($0)" } ?? ""))"
                : "не отправлено: \(a.last_error ?? "")"
            timeline.append((when, 100_000 + order, Line(at: RussianDate.dateTime(when, in: zone), title: "Алерт-чат: \(state)", actor: "Отклик",
                                                                  text: a.text, details: nil, chat: true, failed: a.status != "sent")))
        }
        let snapshots = dto.snapshots.map { s in
            SnapshotRow(at: local(s.taken_at) ?? s.taken_at, publications: s.publications, comments: s.comments, negative: s.negative_percent,
                        negativeComments: s.negative_comments, reach: s.reach.map(String.init) ?? "—", note: s.note)
        }
        let chart = dto.snapshots.count < 2 ? nil : SVGChart.lines(
            title: "Реакция по замерам", labels: dto.snapshots.map { s in (try? TimeText.parseRFC3339(s.taken_at)).map { RussianDate.shortDate($0, in: zone) + " " + TimeText.formatLocal($0, in: zone).suffix(5) } ?? "" },
            series: [.init(name: "публикации", values: dto.snapshots.map { Double($0.publications) }),
                     .init(name: "негативные комм.", values: dto.snapshots.map { Double($0.negative_comments) })])
        var actions: [String: Bool] = [:]
        for a in dto.allowed_actions { actions[a] = true }
        var chatState: String?
        if let last = dto.alerts.first, last.status != "sent" {
            chatState = last.status == "pending" ? "Последнее сообщение ещё не доставлено в алерт-чат: \(last.last_error ?? "ждёт отправки"). Отклик повторит отправку сам."
                : "Последнее сообщение не доставлено в алерт-чат: \(last.last_error ?? "ошибка")."
        }
        var values = values
        if values.isEmpty {
            values["response_text"] = dto.response_text ?? ""
            values["platforms"] = dto.platforms.joined(separator: "\n")
            values["verification_note"] = dto.verification_note ?? ""
            values["title"] = dto.title
            values["description"] = dto.description
        }
        let campaigns = try await CampaignRecord.query(on: req.db).filter(\.$tenantID == access.tenantID).sort(\.$startsOn, .descending).limit(50).all()
        return try await WebPage.render(req, "risk", Context(
            layout: try await WebPage.layout(req, title: "Риск №\(dto.number)", active: "risks", access: access),
            risk: dto, detected: local(dto.detected_at) ?? "", due: local(dto.reaction_due_at) ?? "", reacted: local(dto.reacted_at),
            sources: dto.sources, snapshots: snapshots, chart: chart,
            // Newest first; within one second the order of writing (a post follows its step).
            timeline: timeline.sorted { $0.0 != $1.0 ? $0.0 > $1.0 : $0.1 > $1.1 }.map(\.2), actions: actions,
            criticalities: ReferenceOptions.options(RiskCriticality.self, selected: values["criticality"], empty: "— выберите —") { $0.title }
                .filter { $0.value != dto.criticality },
            values: values, errors: errors, openForm: openForm, chatState: chatState, mayComment: true,
            campaigns: [Choice(value: "", title: "— без кампании —", selected: dto.campaign == nil)]
                + campaigns.map { Choice(value: $0.id!.uuidString, title: $0.title, selected: $0.id == dto.campaign?.id) }), status: status)
    }

    // MARK: forms

    /// One stage's form: the fields become the action's payload.
    func act(req: Request) async throws -> Response {
        let access = try req.tenant
        let id = try req.uuidParameter("riskID", notFound: RiskService.notFound)
        guard let raw = req.parameters.get("action"), let action = RiskAction(rawValue: raw) else { throw Problem.notFound("Неизвестное действие.") }
        let form = try req.form
        var body: [String: JSONValue] = [:]
        for key in ["version", "note", "verification_note", "response_text", "criticality", "reason", "summary", "to",
                    "publications", "comments", "negative_percent", "reach"] {
            guard let v = form[key] else { continue }
            if ["version", "publications", "comments", "negative_percent", "reach"].contains(key), let n = Int(v.filter { !$0.isWhitespace }) {
                body[key] = .number(Double(n))
            } else { body[key] = .string(v) }
        }
        if let platforms = form.raw("platforms") { body["platforms"] = .string(platforms) }
        if let links = form.raw("links") {
            body["links"] = .array(links.split(whereSeparator: \.isNewline).map { String($0).trimmed }.filter { !$0.isEmpty }.map { .string($0) })
        }
        if let taken = form["taken_at"] {
            switch (try? TimeText.parseRussianLocal(taken, in: access.zone)) ?? nil {
            case .some(let d): body["taken_at"] = .string(TimeText.formatRFC3339(d))
            case .none: return try await render(req, values: form.typed, errors: ["taken_at": "время вида 07.12.2026 14:30"], openForm: raw, status: .unprocessableEntity)
            }
        }
        return try await run(req, form: form, openForm: raw) {
            let s = RiskService(db: req.db, access: access, now: req.now, publicURL: req.application.publicURL, notifiers: req.application.notifiers)
            let risk = try await s.act(id, action, body)
            let chat = try await RiskPages.sendChat(req, risk)
            let posted: Set<RiskAction> = [.changeCriticality, .publish, .close, .escalate, .reopen]
            return "\(action.title): готово." + (posted.contains(action) ? " " + chat : "")
        }
    }

    func edit(req: Request) async throws -> Response {
        let access = try req.tenant
        let id = try req.uuidParameter("riskID", notFound: RiskService.notFound)
        let form = try req.form
        var body: [String: JSONValue] = ["version": .number(Double(Int(form["version"] ?? "") ?? 0))]
        for key in ["title", "description", "campaign_id", "officer_user_id"] where form.has(key) { body[key] = form[key].map { .string($0) } ?? .null }
        return try await run(req, form: form, openForm: "edit") {
            _ = try await RiskService(db: req.db, access: access, now: req.now, publicURL: nil, notifiers: req.application.notifiers).edit(id, body)
            return "Карточка риска сохранена."
        }
    }

    func addSource(req: Request) async throws -> Response {
        let access = try req.tenant
        let id = try req.uuidParameter("riskID", notFound: RiskService.notFound)
        let form = try req.form
        let source = RiskPages.source(form) ?? .object(["url": ""])
        return try await run(req, form: form, openForm: "source") {
            _ = try await RiskService(db: req.db, access: access, now: req.now, publicURL: nil, notifiers: req.application.notifiers).addSources(id, ["sources": .array([source])])
            return "Публикация добавлена к риску."
        }
    }

    func linkCase(req: Request) async throws -> Response {
        let access = try req.tenant
        let id = try req.uuidParameter("riskID", notFound: RiskService.notFound)
        let form = try req.form
        return try await run(req, form: form, openForm: "case") {
            let ref = (form["case"] ?? "").replacingOccurrences(of: "№", with: "").trimmed
            guard !ref.isEmpty else { throw Problem.validation([FieldIssue("case", "укажите номер обращения")]) }
            try await RiskService(db: req.db, access: access, now: req.now, publicURL: nil, notifiers: req.application.notifiers).linkCase(id, ref: ref)
            return "Обращение №\(ref) связано с риском."
        }
    }

    func unlinkCase(req: Request) async throws -> Response {
        let access = try req.tenant
        let id = try req.uuidParameter("riskID", notFound: RiskService.notFound)
        let caseID = try req.uuidParameter("caseID", notFound: "Обращение не найдено.")
        return try await run(req, form: try req.form, openForm: "") {
            try await RiskService(db: req.db, access: access, now: req.now, publicURL: nil, notifiers: req.application.notifiers).unlinkCase(id, caseID: caseID)
            return "Обращение отвязано от риска."
        }
    }

    func comment(req: Request) async throws -> Response {
        let access = try req.tenant
        let id = try req.uuidParameter("riskID", notFound: RiskService.notFound)
        let form = try req.form
        return try await run(req, form: form, openForm: "comment") {
            try await RiskService(db: req.db, access: access, now: req.now, publicURL: nil, notifiers: req.application.notifiers).comment(id, text: form.raw("text"))
            return "Комментарий добавлен."
        }
    }

    /// Runs a change; success goes back to the card with a message, a refusal shows the card again
    /// with the typed values and the reasons (nothing typed is lost).
    private func run(_ req: Request, form: FormFields, openForm: String, _ work: () async throws -> String) async throws -> Response {
        let access = try req.tenant
        let id = try req.uuidParameter("riskID", notFound: RiskService.notFound)
        do {
            let message = try await work()
            return WebPage.redirect(req, to: "/m/\(access.slug)/risks/\(id.uuidString)", flash: message)
        } catch let problem as Problem where [403, 409, 422].contains(problem.statusCode) {
            var errors: [String: String] = [:]
            for e in problem.errors ?? [] { errors[e.field.hasPrefix("placements") || e.field.hasPrefix("links") ? "links" : e.field.hasPrefix("sources") ? "source_url" : e.field] = e.reason }
            if errors.isEmpty { errors["form"] = problem.detail ?? problem.title }
            return try await render(req, values: form.typed, errors: errors, openForm: openForm,
                                    status: problem.status)
        }
    }
}
