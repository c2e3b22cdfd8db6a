import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Кампании и сезонные угрозы»: the month calendar of preventive campaigns, the content plan's posts
/// and the seasons of recurring threats; the campaign form; the list of threats the centre edits.
struct CampaignPages {
    struct Event: Encodable { var title: String; var href: String?; var kind: String }
    struct Day: Encodable { var number: Int; var other: Bool; var today: Bool; var events: [Event] }
    struct Row: Encodable { var href: String; var title: String; var dates: String; var status: String; var owner: String?; var risks: String }
    struct ThreatRow: Encodable { var id: String; var title: String; var topic: String; var start: String; var end: String; var lead: Int; var active: Bool; var next: String; var remind: String }
    struct Context: Encodable {
        var layout: Layout
        var monthTitle: String
        var prev: String
        var next: String
        var weeks: [[Day]]
        var rows: [Row]
        var threats: [ThreatRow]
        var mayEdit: Bool
        var mayEditThreats: Bool
        var values: [String: String]
        var errors: [String: String]
        var statuses: [Choice]
        var threatChoices: [Choice]
        var owners: [Choice]
        var categories: [Choice]
        var editing: Campaigns.DTO?
    }

    func calendar(req: Request) async throws -> Response {
        try await render(req, values: [:], errors: [:], editing: nil, status: .ok)
    }

    func show(req: Request) async throws -> Response {
        let access = try req.tenant
        let s = Campaigns(db: req.db, access: access, now: req.now, publicURL: nil)
        let c = try await s.dto(try await s.find(try req.uuidParameter("id", notFound: Campaigns.notFound)))
        return try await render(req, values: Self.values(c), errors: [:], editing: c, status: .ok)
    }

    static func values(_ c: Campaigns.DTO) -> [String: String] {
        ["title": c.title, "goal": c.goal, "audience": c.audience, "channels": c.channels.joined(separator: "\n"), "materials": c.materials,
         "starts_on": LocalDay(c.starts_on)?.russian ?? c.starts_on, "ends_on": LocalDay(c.ends_on)?.russian ?? c.ends_on, "status": c.status,
         "result": c.result ?? "", "risks": c.risks.map { String($0.number) }.joined(separator: ", "), "threat_id": c.threat?.id.uuidString ?? "",
         "owner_user_id": c.owner?.id.uuidString ?? "", "category_id": c.category?.id.uuidString ?? "", "version": String(c.version)]
    }

    private func render(_ req: Request, values: [String: String], errors: [String: String], editing: Campaigns.DTO?, status: HTTPStatus) async throws -> Response {
        let access = try req.tenant
        let zone = access.zone
        let today = LocalDay(req.now, in: zone)
        let month = (try? req.query.get(String.self, at: "month")).flatMap { LocalDay($0 + "-01") }
            ?? editing.flatMap { LocalDay($0.starts_on) }.map { LocalDay(year: $0.year, month: $0.month, day: 1)! }
            ?? LocalDay(year: today.year, month: today.month, day: 1)!
        let first = LocalDay(year: month.year, month: month.month, day: 1)!
        let gridStart = first.adding(days: -first.weekdayFromMonday)
        let lastOfMonth = first.adding(days: LocalDay.length(first.year, first.month) - 1)
        let gridEnd = lastOfMonth.adding(days: 6 - lastOfMonth.weekdayFromMonday)
        let campaigns = Campaigns(db: req.db, access: access, now: req.now, publicURL: nil)
        let inMonth = try await campaigns.list(from: gridStart, to: gridEnd)
        let posts = try await ContentPlan(db: req.db, access: access, now: req.now).list(
            from: gridStart.start(in: zone), to: gridEnd.adding(days: 1).start(in: zone))
        let threats = try await SeasonalThreats(db: req.db, access: access, now: req.now).list()
        var weeks: [[Day]] = []
        var day = gridStart
        while day <= gridEnd {
            var week: [Day] = []
            for _ in 0..<7 {
                var events: [Event] = []
                for c in inMonth where c.startsOn <= day.iso && c.endsOn >= day.iso {
                    events.append(Event(title: c.title, href: "/m/\(access.slug)/campaigns/\(c.id!.uuidString)", kind: "campaign"))
                }
                for p in posts where LocalDay(p.plannedAt, in: zone) == day {
                    events.append(Event(title: "пост: " + p.title, href: "/m/\(access.slug)/public-pages#post-\(p.id!.uuidString)", kind: "post"))
                }
                for t in threats where t.active && t.startMonth == day.month && t.startDay == day.day {
                    events.append(Event(title: "сезон: " + t.title, href: nil, kind: "threat"))
                }
                week.append(Day(number: day.day, other: day.month != month.month, today: day == today, events: events))
                day = day.adding(days: 1)
            }
            weeks.append(week)
        }
        var rows: [Row] = []
        for c in try await campaigns.list(from: nil, to: nil).reversed().prefix(60) {
            let d = try await campaigns.dto(c)
            rows.append(Row(href: "/m/\(access.slug)/campaigns/\(c.id!.uuidString)", title: c.title,
                            dates: "\(LocalDay(c.startsOn)?.russian ?? c.startsOn) — \(LocalDay(c.endsOn)?.russian ?? c.endsOn)",
                            status: c.campaignStatus.title, owner: d.owner?.name, risks: d.risks.map { "№\($0.number)" }.joined(separator: ", ")))
        }
        let threatService = SeasonalThreats(db: req.db, access: access, now: req.now)
        let prev = first.adding(days: -1), next = lastOfMonth.adding(days: 1)
        return try await WebPage.render(req, "campaigns", Context(
            layout: try await WebPage.layout(req, title: editing.map { "Кампания «\($0.title)»" } ?? "Кампании и сезонные угрозы", active: "risks", access: access),
            monthTitle: "\(RussianDate.monthName(month.month).capitalized) \(month.year)",
            prev: String(format: "%04d-%02d", prev.year, prev.month), next: String(format: "%04d-%02d", next.year, next.month),
            weeks: weeks, rows: rows,
            threats: threats.map { t in
                let d = threatService.dto(t)
                return ThreatRow(id: d.id.uuidString, title: d.title, topic: d.topic, start: d.start, end: d.end, lead: d.lead_days, active: d.active,
                                 next: d.next_start, remind: d.remind_on)
            },
            mayEdit: access.editsOutreach, mayEditThreats: access.managesRisks, values: values, errors: errors,
            statuses: CampaignStatus.allCases.map { Choice(value: $0.rawValue, title: $0.title, selected: $0.rawValue == (values["status"] ?? "planned")) },
            threatChoices: [Choice(value: "", title: "— без угрозы —", selected: (values["threat_id"] ?? "").isEmpty)]
                + threats.map { Choice(value: $0.id!.uuidString, title: $0.title, selected: $0.id!.uuidString == values["threat_id"]) },
            owners: try await RiskPages.staff(access, selected: values["owner_user_id"].flatMap(UUID.init(uuidString:)), on: req.db),
            categories: ReferenceOptions.options(try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db).rubrics.filter { $0.parentID == nil },
                                                 selected: values["category_id"].flatMap(UUID.init(uuidString:)), empty: "— тема не указана —"),
            editing: editing), status: status)
    }

    // MARK: forms

    func save(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        let s = Campaigns(db: req.db, access: access, now: req.now, publicURL: req.application.publicURL)
        var existing: CampaignRecord?
        if let id = req.parameters.get("id", as: UUID.self) { existing = try await s.find(id) }
        var body: [String: JSONValue] = [:]
        for key in ["title", "goal", "audience", "materials", "starts_on", "ends_on", "status", "result", "threat_id", "owner_user_id", "category_id", "risks"] {
            if let v = form[key] { body[key] = .string(v) } else if existing != nil && form.has(key) { body[key] = .null }
        }
        body["channels"] = .string(form.raw("channels") ?? "")
        if let v = form["version"].flatMap(Int.init) { body["version"] = .number(Double(v)) }
        if body["risks"] == nil { body["risks"] = .array([]) }
        do {
            let c = try await s.save(body, existing: existing)
            return WebPage.redirect(req, to: "/m/\(access.slug)/campaigns/\(c.id!.uuidString)",
                                    flash: existing == nil ? "Кампания «\(c.title)» запланирована и объявлена в алерт-чате." : "Кампания сохранена.")
        } catch let problem as Problem where [403, 409, 422].contains(problem.statusCode) {
            var errors = problem.reasonsByField
            if errors.isEmpty { errors["form"] = problem.detail ?? problem.title }
            var values = form.typed
            values["version"] = form["version"] ?? ""
            var editing: Campaigns.DTO?
            if let existing { editing = try await s.dto(existing) }
            return try await render(req, values: values, errors: errors, editing: editing,
                                    status: problem.statusCode == 409 ? .conflict : .unprocessableEntity)
        }
    }

    func saveThreat(req: Request) async throws -> Response {
        let access = try req.tenant
        let form = try req.form
        let s = SeasonalThreats(db: req.db, access: access, now: req.now)
        var existing: SeasonalThreatRecord?
        if let id = req.parameters.get("id", as: UUID.self) { existing = try await s.find(id) }
        var body: [String: JSONValue] = ["active": .bool(form.has("active") || existing == nil)]
        for key in ["title", "topic", "start", "end"] { if let v = form[key] { body[key] = .string(v) } }
        if let lead = form["lead_days"] { body["lead_days"] = Int(lead).map { .number(Double($0)) } ?? .string(lead) }
        do {
            if form.has("delete"), let existing {
                try await s.delete(existing)
                return WebPage.redirect(req, to: "/m/\(access.slug)/campaigns", flash: "Угроза «\(existing.title)» удалена из списка.")
            }
            let t = try await s.save(body, existing: existing)
            return WebPage.redirect(req, to: "/m/\(access.slug)/campaigns#threats", flash: "Сезонная угроза «\(t.title)» сохранена.")
        } catch let problem as Problem where [403, 422].contains(problem.statusCode) {
            let why = problem.errors?.map(\.reason).joined(separator: "; ") ?? problem.detail ?? problem.title
            return WebPage.redirect(req, to: "/m/\(access.slug)/campaigns#threats", flash: "Угроза не сохранена: \(why)", error: true)
        }
    }
}
