import Fluent
import Foundation
import OtklikCore
import SQLKit
import Vapor

/// «Информационные риски»: the board of active risks by stage and criticality with the candidates
/// raised by intake, the registration form (from a link or from a case), and the risk card with its
/// timeline, reaction chart and the forms of each stage. Forms call the same `RiskService` as the API;
/// a refused form is shown again with what was typed and the reason next to the field.
struct RiskPages {
    struct Card: Encodable {
        var href: String
        var number: Int
        var title: String
        var criticality: String
        var criticalityTitle: String
        var due: String
        var overdue: Bool
        var organisation: String?
        var sources: Int
        var cases: Int
    }
    struct Column: Encodable { var status: String; var title: String; var cards: [Card] }
    struct Candidate: Encodable { var href: String; var makeHref: String; var number: Int; var title: String; var received: String; var score: Int }
    struct Growth: Encodable { var title: String; var explanation: String; var makeHref: String; var casesHref: String }
    struct BoardContext: Encodable {
        var layout: Layout
        var columns: [Column]
        var total: Int
        var overdue: Int
        var byCriticality: [Choice]
        var candidates: [Candidate]
        var growth: [Growth]
        var closed: [Card]
        var mayManage: Bool
        var filter: String
    }

    func board(req: Request) async throws -> Response {
        let access = try req.tenant
        let q = try access.risks(on: req.db)
        let filter = (try? req.query.get(String.self, at: "criticality")).flatMap(RiskCriticality.init(rawValue:))
        let all = try await RiskCard.list(q, now: req.now, on: req.db)
        let zone = access.zone
        func card(_ r: RiskSummary) -> Card {
            Card(href: "/m/\(access.slug)/risks/\(r.id.uuidString)", number: r.number, title: r.title, criticality: r.criticality,
                 criticalityTitle: r.criticality_title,
                 due: r.reacted_at == nil ? "реакция до " + RussianDate.dateTime((try? TimeText.parseRFC3339(r.reaction_due_at)) ?? req.now, in: zone) : "реакция опубликована",
                 overdue: r.overdue, organisation: r.organisation, sources: r.sources, cases: r.cases)
        }
        let active = all.filter { $0.status != RiskStatus.closed.rawValue && (filter == nil || $0.criticality == filter!.rawValue) }
        // Most critical first, then the nearest deadline.
        let ordered = active.sorted {
            let a = RiskCriticality(rawValue: $0.criticality) ?? .low, b = RiskCriticality(rawValue: $1.criticality) ?? .low
            return a != b ? a > b : $0.reaction_due_at < $1.reaction_due_at
        }
        let columns = RiskStatus.board.map { s in Column(status: s.rawValue, title: s.title, cards: ordered.filter { $0.status == s.rawValue }.map(card)) }
        var candidates: [Candidate] = []
        if access.managesRisks {
            let linked = try await (req.db as! any SQLDatabase).select().column("case_id").from("risk_cases").where("tenant_id", .equal, access.tenantID)
                .all(decoding: [String: UUID].self).compactMap { $0["case_id"] }
            let recent = try await CaseQueries.scoped(access, on: req.db).filter(\.$riskCandidate == true)
                .filter(\.$receivedAt >= req.now.addingTimeInterval(-14 * 86_400)).sort(\.$receivedAt, .descending).limit(40).all()
            candidates = recent.filter { !Set(linked).contains($0.id!) }.prefix(15).map { c in
                Candidate(href: "/m/\(access.slug)/cases/\(c.id!.uuidString)", makeHref: "/m/\(access.slug)/risks/new?case=\(c.id!.uuidString)",
                          number: c.number, title: Clusters.title(c), received: RussianDate.dateTime(c.receivedAt, in: zone), score: c.riskScore)
            }
        }
        let closed = all.filter { $0.status == RiskStatus.closed.rawValue }.prefix(30).map(card)
        // Abnormal growth of a topic in the last seven days (the analytics' detector) is a candidate too.
        var growth: [Growth] = []
        if access.managesRisks, let period = try? AnalyticsPeriod(from: req.now.addingTimeInterval(-7 * 86_400), to: req.now) {
            let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
            let slice = AnalyticsSlice(tenantID: access.tenantID, period: period, visibleOrganisationIDs: access.visibleOrganisationIDs, listParameters: [:])
            let found = (try? await GrowthQuery(db: req.db).factors(slice, zone: zone, books: books, limit: 6)) ?? []
            growth = found.filter { $0.dimension == .category }.map { f in
                var q = URLComponents()
                q.queryItems = [URLQueryItem(name: "category", value: f.factor.key), URLQueryItem(name: "title", value: "Рост обращений: \(f.factor.name)"),
                                URLQueryItem(name: "description", value: f.explanation)]
                var list = URLComponents()
                list.queryItems = f.casesParameters.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
                return Growth(title: f.factor.name, explanation: f.explanation, makeHref: "/m/\(access.slug)/risks/new?" + (q.percentEncodedQuery ?? ""),
                              casesHref: "/m/\(access.slug)/cases?" + (list.percentEncodedQuery ?? ""))
            }
        }
        return try await WebPage.render(req, "risks", BoardContext(
            layout: try await WebPage.layout(req, title: "Информационные риски", active: "risks", access: access),
            columns: columns, total: active.count, overdue: active.filter(\.overdue).count,
            byCriticality: ReferenceOptions.options(RiskCriticality.self, selected: filter?.rawValue, empty: "любая") { $0.title },
            candidates: candidates, growth: growth, closed: Array(closed), mayManage: access.managesRisks, filter: filter?.rawValue ?? ""))
    }

    // MARK: registration

    struct NewContext: Encodable {
        var layout: Layout
        var values: [String: String]
        var errors: [String: String]
        var criticalities: [Choice]
        var categories: [Choice]
        var territories: [Choice]
        var organisations: [Choice]
        var officers: [Choice]
        var fromCase: Int?
        var caseHint: String?
    }

    func newForm(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireRiskManagement()
        var values: [String: String] = [:]
        var fromCase: Int?
        if let raw = try? req.query.get(String.self, at: "case"), let id = UUID(uuidString: raw),
           let c = try await CaseQueries.scoped(access, on: req.db).filter(\.$id == id).first() {
            var body: [String: JSONValue] = [:]
            RiskService.fill(&body, from: c)
            for (k, v) in body { if case .string(let s) = v { values[k] = s } }
            if case .array(let s)? = body["sources"], case .object(let o)? = s.first, case .string(let url)? = o["url"] { values["source_url"] = url }
            values["from_case"] = String(c.number)
            fromCase = c.number
        }
        if fromCase == nil {
            // From the board's growth alert: the topic and what the detector said.
            for (key, param) in [("category_id", "category"), ("title", "title"), ("description", "description")] {
                if let v = try? req.query.get(String.self, at: param), !v.isEmpty { values[key] = String(v.prefix(4_000)) }
            }
        }
        values["criticality"] = values["criticality"] ?? "medium"
        return try await renderNew(req, access, values: values, errors: [:], fromCase: fromCase)
    }

    func create(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        var body: [String: JSONValue] = [:]
        for key in ["title", "description", "criticality", "category_id", "territory_id", "organisation_id", "officer_user_id", "from_case"] {
            if let v = form[key] { body[key] = .string(v) }
        }
        if let source = Self.source(form) { body["sources"] = .array([source]) }
        do {
            let risk = try await RiskService(db: req.db, access: access, now: req.now, publicURL: req.application.publicURL, notifiers: req.application.notifiers).create(body)
            let chat = try await Self.sendChat(req, risk)
            return WebPage.redirect(req, to: "/m/\(access.slug)/risks/\(risk.id!.uuidString)", flash: "Риск №\(risk.number) зарегистрирован. \(chat)")
        } catch let problem as Problem where problem.statusCode == 422 || problem.statusCode == 403 {
            var errors: [String: String] = [:]
            for e in problem.errors ?? [] {
                let key = e.field.hasPrefix("sources") ? "source_" + (e.field.split(separator: ".").last.map(String.init) ?? "url") : e.field
                errors[key == "sources" ? "source_url" : key] = e.reason
            }
            if errors.isEmpty { errors["form"] = problem.detail ?? problem.title }
            return try await renderNew(req, access, values: form.typed, errors: errors, fromCase: form["from_case"].flatMap(Int.init), status: .unprocessableEntity)
        }
    }

    private func renderNew(_ req: Request, _ access: TenantAccess, values: [String: String], errors: [String: String], fromCase: Int?,
                           status: HTTPStatus = .ok) async throws -> Response {
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        func id(_ key: String) -> UUID? { values[key].flatMap(UUID.init(uuidString:)) }
        return try await WebPage.render(req, "risk_new", NewContext(
            layout: try await WebPage.layout(req, title: "Новый информационный риск", active: "risks", access: access),
            values: values, errors: errors,
            criticalities: ReferenceOptions.options(RiskCriticality.self, selected: values["criticality"], empty: "— выберите —") { "\($0.title) (реакция: \($0.defaultReaction.russian))" },
            categories: ReferenceOptions.options(books.rubrics.filter { $0.parentID == nil }, selected: id("category_id"), empty: "— не указана —"),
            territories: ReferenceOptions.options(books.territories, selected: id("territory_id"), empty: "— не указана —"),
            organisations: ReferenceOptions.options(books.organisations, selected: id("organisation_id"), empty: "— не указана —"),
            officers: try await Self.staff(access, selected: id("officer_user_id"), on: req.db),
            fromCase: fromCase, caseHint: fromCase.map { "Риск оформляется по обращению №\($0): поля заполнены из него, обращение будет связано с риском." }), status: status)
    }

    /// The publication fields of a form («source_url», «source_community»…) as one item of the API's
    /// `sources`; nil when none was typed. A reach typed as «4 500» is read as a number.
    static func source(_ form: FormFields) -> JSONValue? {
        var source: [String: JSONValue] = [:]
        if let url = form["source_url"] { source["url"] = .string(url) }
        if let community = form["source_community"] { source["community"] = .string(community) }
        if let author = form["source_author"] { source["author"] = .string(author) }
        if let reach = form["source_reach"] { source["reach"] = Int(reach.filter(\.isNumber)).map { .number(Double($0)) } ?? .string(reach) }
        return source.isEmpty ? nil : .object(source)
    }

    /// People of the municipality who can be responsible for a risk (МЦУ staff and organisations' heads).
    static func staff(_ access: TenantAccess, selected: UUID?, on db: any Database) async throws -> [Choice] {
        let roles: [Role] = [.riskOfficer, .mcuHead, .coordinator, .curator, .editor, .organisationHead]
        let grants = try await RoleAssignment.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$role ~~ roles.map(\.rawValue)).all()
        let users = try await User.query(on: db).filter(\.$id ~~ Array(Set(grants.map(\.userID)))).filter(\.$isActive == true).sort(\.$fullName).all()
        return [Choice(value: "", title: "— не назначен —", selected: selected == nil)]
            + users.map { Choice(value: $0.id!.uuidString, title: $0.fullName, selected: $0.id == selected) }
    }

    /// Sends the risk's pending chat posts now and says in Russian what happened to them.
    static func sendChat(_ req: Request, _ risk: RiskRecord) async throws -> String {
        let deliveries = try await NotificationDispatcher(app: req.application).sendNow(riskID: risk.id!)
        guard let last = deliveries.last else {
            return "Алерт-чат не настроен: сообщение не отправлено (администратор указывает чат в подключении Telegram-бота)."
        }
        switch last.status {
        case NotificationDelivery.Status.sent.rawValue: return "Сообщение отправлено в алерт-чат."
        case NotificationDelivery.Status.pending.rawValue:
            return "Алерт-чат сейчас недоступен (\(last.lastError ?? "нет ответа")): сообщение сохранено и будет отправлено повторно автоматически."
        default: return "Сообщение в алерт-чат не отправлено: \(last.lastError ?? "ошибка")."
        }
    }
}
