import Fluent
import Foundation
import OtklikCore
import Vapor

/// «Входящие» (what waits for the user) and «Все обращения»: filters, saved views, deadlines with live
/// countdowns, keyset pagination, bulk take-in-work and bulk assignment.
struct QueuePage {
    struct Due: Encodable {
        var local: String
        var text: String
        var epoch: Int
        var mode: String      // working | hours: how the countdown ticks
        var state: String     // overdue | soon | ""
        var kind: String
    }
    struct Row: Encodable {
        var id: String
        var href: String
        var number: Int
        var version: Int
        var title: String
        var excerpt: String?
        var channel: String
        var status: String
        var received: String
        var organisation: String?
        var category: String?
        /// The classifier's best category for a case without one, with its confidence.
        var hint: String?
        var territory: String?
        var urgent: Bool
        var risk: Bool = false
        /// «группа из N»: the case is one of N messages about the same problem.
        var cluster: Int?
        var clusterHref: String?
        var due: Due?
        var rowClass: String
    }
    struct SavedViewItem: Encodable { var id: String; var name: String; var href: String; var active: Bool }
    struct Filters: Encodable {
        var channels: [Choice]
        var statuses: [Choice]
        var organisations: [Choice]
        var blocks: [Choice]
        var categories: [Choice]
        var territories: [Choice]
        var from: String
        var to: String
        var q: String
        var overdue: Bool
        var urgent: Bool
        var riskCandidate: Bool
        var sortDeadline: Bool
    }
    struct Context: Encodable {
        var layout: Layout
        var heading: String
        var action: String
        var isInbox: Bool
        var filters: Filters
        var filterError: String?
        var rows: [Row]
        var empty: Bool
        var emptyText: String
        var nextHref: String?
        var firstHref: String?
        var views: [SavedViewItem]
        var hasViews: Bool
        var showBulk: Bool
        var query: String
        var canTake: Bool
        var canAssign: Bool
        var assignOrganisations: [Choice]
    }

    func inbox(req: Request) async throws -> Response { try await show(req, inbox: true) }
    func all(req: Request) async throws -> Response { try await show(req, inbox: false) }

    private func show(_ req: Request, inbox: Bool) async throws -> Response {
        let access = try req.tenant
        let zone = access.zone
        let params = (try? req.query.decode([String: String].self)) ?? [:]
        var filterError: String?
        var filter: CaseListFilter
        do {
            filter = try CaseListFilter.parse(params, timeZone: zone)
        } catch let problem as Problem {
            filterError = "Фильтр не применён: " + (problem.errors ?? []).map(\.description).joined(separator: "; ")
            filter = CaseListFilter()
        }
        // The inbox: what waits for this user, most urgent first, unless they chose otherwise.
        let inboxStatuses = Inbox.statuses(for: access.roles)
        if inbox {
            if filter.statuses.isEmpty { filter.statuses = (inboxStatuses ?? Inbox.open).map(\.rawValue) }
            if params["sort"] == nil { filter.sort = .deadline }
            let actor = ActionActor(access)
            if access.roles == [.blockLead], filter.blockID == nil, let block = actor.ledBlockIDs.first { filter.blockID = block }
        }
        let (records, next) = try await CaseQueries.records(filter, access: access, now: req.now, on: req.db)
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        let schedule = try await TenantRegulation.schedule(tenantID: access.tenantID, on: req.db)
        let clocks = records.isEmpty ? [] : try await CaseClock.query(on: req.db)
            .filter(\.$caseID ~~ records.map { $0.id! }).filter(\.$stoppedAt == nil).all()
        let byCase = Dictionary(grouping: clocks, by: \.caseID)
        let base = "/m/\(access.slug)"
        let path = base + (inbox ? "/inbox" : "/cases")
        let hints = ActionActor(access).queueRole
            ? try await CaseSuggestions.categoryHints(records, tenantID: access.tenantID, books: books, on: req.db) : [:]
        let clusterSizes = try await Clusters(db: req.db, access: access, now: req.now).sizes(Set(records.compactMap(\.clusterID)))
        let rows = records.map { r in
            var row = row(r, clocks: byCase[r.id!] ?? [], books: books, schedule: schedule, now: req.now, base: base)
            row.risk = r.riskCandidate
            if let c = r.clusterID, let n = clusterSizes[c], n > 1 {
                row.cluster = n
                row.clusterHref = base + "/clusters/" + c.uuidString
            }
            row.hint = hints[r.id!].map { "\($0.name)? \(ConfidenceText.percent($0.confidence))" }
            return row
        }
        var kept = params
        kept["cursor"] = nil
        let query = Self.encode(kept)
        let views = try await SavedView.query(on: req.db).filter(\.$tenantID == access.tenantID)
            .filter(\.$userID == (access.principal.userID ?? UUID())).sort(\.$name).all()
        let actor = ActionActor(access)
        let layout = try await WebPage.layout(req, title: inbox ? "Входящие" : "Обращения", active: inbox ? "inbox" : "cases",
                                              access: access, schedule: schedule)
        let answering = access.visibleOrganisationIDs != nil
        let context = Context(
            layout: layout,
            heading: inbox ? (answering ? "К исполнению" : "Входящие") : (answering ? "Обращения организации" : "Все обращения"),
            action: path, isInbox: inbox,
            filters: Filters(
                channels: ReferenceOptions.options(CaseChannel.self, selected: filter.channels.first, empty: "Все каналы") { $0.title },
                statuses: ReferenceOptions.options(CaseStatus.self, selected: params["status"].flatMap { $0.isEmpty ? nil : $0 },
                                                   empty: inbox ? "Ожидающие меня" : "Все статусы") { $0.title },
                organisations: ReferenceOptions.options(books.organisations, selected: filter.organisationID, empty: "Все организации"),
                blocks: ReferenceOptions.options(books.blocks, selected: filter.blockID, empty: "Все блоки"),
                categories: ReferenceOptions.options(books.rubrics, selected: filter.categoryID, empty: "Все категории"),
                territories: ReferenceOptions.options(books.territories, selected: filter.territoryID, empty: "Все территории"),
                from: params["from"] ?? "", to: params["to"] ?? "", q: params["q"] ?? "",
                overdue: filter.overdue, urgent: filter.urgent, riskCandidate: filter.riskCandidate, sortDeadline: filter.sort == .deadline),
            filterError: filterError, rows: rows, empty: rows.isEmpty,
            emptyText: filterError != nil ? "Исправьте фильтр." : (inbox ? "Нет обращений, которые ждут вас. Хорошая работа!" : "Обращений с такими условиями нет."),
            nextHref: next.map { path + "?" + Self.encode(kept.merging(["cursor": $0]) { $1 }) },
            firstHref: params["cursor"] != nil ? path + (query.isEmpty ? "" : "?" + query) : nil,
            views: views.map { v in SavedViewItem(id: v.id!.uuidString, name: v.name, href: base + "/" + v.query,
                                                   active: base + "/" + v.query == path + (query.isEmpty ? "" : "?" + query)) },
            hasViews: !views.isEmpty,
            showBulk: actor.queueRole,
            query: (inbox ? "inbox" : "cases") + (query.isEmpty ? "" : "?" + query),
            canTake: actor.roles.contains { CaseAction.takeInWork.roles.contains($0) },
            canAssign: actor.queueRole,
            assignOrganisations: ReferenceOptions.options(books.organisations, selected: nil, empty: "— организация —"))
        return try await WebPage.render(req, "queue", context)
    }

    private func row(_ r: CaseRecord, clocks: [CaseClock], books: ReferenceOptions, schedule: WorkSchedule, now: Date,
                     base: String) -> Row {
        let text = r.text.replacingOccurrences(of: "\n", with: " ")
        var due: Due?
        if let nearest = clocks.filter({ CaseClockKind(rawValue: $0.kind)?.countsAsOverdue ?? false }).min(by: { $0.dueAt < $1.dueAt }) {
            let reading = ClockReading(nearest, now: now, schedule: schedule)
            due = Due(local: RussianDate.relative(nearest.dueAt, now: now, in: schedule.zone), text: reading.text,
                      epoch: Int(nearest.dueAt.timeIntervalSince1970), mode: reading.everyHour ? "hours" : "working",
                      state: reading.state, kind: CaseClockKind(rawValue: nearest.kind)?.title ?? nearest.kind)
        }
        return Row(id: r.id!.uuidString, href: "\(base)/cases/\(r.id!.uuidString)", number: r.number, version: r.version,
                   title: r.title ?? Self.clip(text, 160), excerpt: r.title == nil ? nil : Self.clip(text, 240),
                   channel: CaseChannel(rawValue: r.channel)?.title ?? r.channel,
                   status: r.caseStatus.title, received: RussianDate.relative(r.receivedAt, now: now, in: schedule.zone),
                   organisation: books.name(r.organisationID), category: books.name(r.categoryID), hint: nil,
                   territory: books.name(r.territoryID), urgent: r.urgent, due: due, rowClass: due?.state ?? "")
    }

    static func clip(_ text: String, _ n: Int) -> String {
        text.count <= n ? text : String(text.prefix(n)) + "…"
    }

    static func encode(_ params: [String: String]) -> String {
        params.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { k, v in
            "\(k)=\(v.addingPercentEncoding(withAllowedCharacters: .urlQueryValue) ?? "")"
        }.joined(separator: "&")
    }
}

extension CharacterSet {
    static let urlQueryValue: CharacterSet = {
        var s = CharacterSet.alphanumerics
        s.insert(charactersIn: "-._~")
        return s
    }()
}
