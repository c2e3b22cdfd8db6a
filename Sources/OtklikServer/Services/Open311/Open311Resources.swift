import Fluent
import Foundation
import OtklikCore

/// The municipality's GeoReport v2 resources: services are the rubricator, requests are the cases.
/// Built as `Open311Node` trees so that JSON and XML say exactly the same.
struct Open311Resources {
    let db: any Database
    let access: TenantAccess
    let now: Date

    struct Failure: Error { var status: Int; var description: String }

    // MARK: Services

    private func rubrics() async throws -> [Rubric] {
        try await Rubric.query(on: db).filter(\.$tenantID == access.tenantID).sort(\.$name).all()
    }

    static func serviceCode(_ r: Rubric) -> String { r.code ?? r.id!.uuidString }

    func services() async throws -> Open311Node {
        let all = try await rubrics()
        let byID = Dictionary(uniqueKeysWithValues: all.map { ($0.id!, $0) })
        func path(_ r: Rubric) -> [Rubric] {
            var chain = [r], seen: Set<UUID> = [r.id!]
            while let p = chain[0].parentID.flatMap({ byID[$0] }), seen.insert(p.id!).inserted { chain.insert(p, at: 0) }
            return chain
        }
        // Parents first, then their children, as the rubricator reads.
        let ordered = all.map { (path($0).map(\.name).joined(separator: " / "), $0) }.sorted { $0.0 < $1.0 }
        return .list(item: "service", ordered.map { title, r in
            .object([
                .init("service_code", .text(Self.serviceCode(r))),
                .init("service_name", .text(r.name)),
                .init("description", .text(title)),
                .init("metadata", .bool(false)),
                .init("type", .text("realtime")),
                .init("keywords", .text(nil)),
                .init("group", .text(path(r).first?.name)),
            ])
        })
    }

    func rubric(code: String) async throws -> Rubric {
        let all = try await rubrics()
        if let r = all.first(where: { Self.serviceCode($0) == code || $0.id?.uuidString.lowercased() == code.lowercased() }) { return r }
        throw Failure(status: 404, description: "Услуга (рубрика) с кодом «\(code)» не найдена")
    }

    /// Our rubrics carry no extra questions, so every definition has no attributes.
    func definition(code: String) async throws -> Open311Node {
        let r = try await rubric(code: code)
        return .object([.init("service_code", .text(Self.serviceCode(r))), .init("attributes", .list(item: "attribute", []))])
    }

    // MARK: Requests

    func requests(_ filter: Open311.RequestFilter) async throws -> Open311Node {
        var q = CaseRecord.query(on: db).filter(\.$tenantID == access.tenantID)
        if let visible = access.visibleOrganisationIDs { q = q.filter(\.$organisationID ~~ Array(visible)) }
        if !filter.numbers.isEmpty { q = q.filter(\.$number ~~ filter.numbers) }
        if !filter.serviceCodes.isEmpty {
            let all = try await rubrics()
            let ids = all.filter { r in filter.serviceCodes.contains { $0 == Self.serviceCode(r) || $0.lowercased() == r.id!.uuidString.lowercased() } }.map { $0.id! }
            q = q.filter(\.$categoryID ~~ ids)
        }
        if let s = filter.start { q = q.filter(\.$receivedAt >= s) }
        if let e = filter.end { q = q.filter(\.$receivedAt <= e) }
        if filter.status == "closed" { q = q.filter(\.$status == CaseStatus.closed.rawValue) }
        if filter.status == "open" { q = q.filter(\.$status != CaseStatus.closed.rawValue) }
        let cases = try await q.sort(\.$receivedAt, .descending).limit(Open311.RequestFilter.maxResults).all()
        return .list(item: "request", try await nodes(cases))
    }

    func request(number raw: String) async throws -> Open311Node {
        guard let n = Int(raw), n > 0 else { throw Failure(status: 404, description: "«\(raw)» — не номер обращения") }
        let node = try await requests(Open311.RequestFilter(numbers: [n]))
        guard case .list(_, let items) = node, !items.isEmpty else { throw Failure(status: 404, description: "Обращение №\(n) не найдено") }
        return node
    }

    private func nodes(_ cases: [CaseRecord]) async throws -> [Open311Node] {
        guard !cases.isEmpty else { return [] }
        let ids = cases.map { $0.id! }
        var due: [UUID: Date] = [:]
        for c in try await CaseClock.query(on: db).filter(\.$caseID ~~ ids).filter(\.$kind == CaseClockKind.finalAnswer.rawValue).all() {
            due[c.caseID] = c.dueAt
        }
        let rubricIDs = Set(cases.compactMap(\.categoryID)), orgIDs = Set(cases.compactMap(\.organisationID))
        let rubrics = rubricIDs.isEmpty ? [] : try await Rubric.query(on: db).filter(\.$id ~~ Array(rubricIDs)).withDeleted().all()
        let orgs = orgIDs.isEmpty ? [] : try await Organisation.query(on: db).filter(\.$id ~~ Array(orgIDs)).all()
        let rubricByID = Dictionary(uniqueKeysWithValues: rubrics.map { ($0.id!, $0) })
        let orgNames = Dictionary(uniqueKeysWithValues: orgs.map { ($0.id!, $0.name) })
        let zone = access.zone
        return cases.map { c in
            let status = CaseStatus(rawValue: c.status) ?? .new
            var notes = status.title
            if let result = c.result.flatMap(CaseResult.init(rawValue:)) { notes += " (\(result.title.lowercased()))" }
            let rubric = c.categoryID.flatMap { rubricByID[$0] }
            let media = (try? JSONDecoder().decode([String].self, from: Data(c.attachmentsJSON.utf8)))?.first
            return .object([
                .init("service_request_id", .text(String(c.number))),
                .init("status", .text(Open311.status(status))),
                .init("status_notes", .text(notes)),
                .init("service_name", .text(rubric?.name)),
                .init("service_code", .text(rubric.map(Self.serviceCode))),
                .init("description", .text(c.title.map { $0 + ". " + c.text } ?? c.text)),
                .init("agency_responsible", .text(c.organisationID.flatMap { orgNames[$0] })),
                .init("service_notice", .text(nil)),
                .init("requested_datetime", .text(TimeText.formatRFC3339(c.receivedAt, in: zone))),
                .init("updated_datetime", .text(TimeText.formatRFC3339(c.updatedAt, in: zone))),
                .init("expected_datetime", .text(due[c.id!].map { TimeText.formatRFC3339($0, in: zone) })),
                .init("address", .text(c.address)),
                .init("address_id", .text(nil)),
                .init("zipcode", .text(nil)),
                .init("lat", .number(c.latitude)),
                .init("long", .number(c.longitude)),
                .init("media_url", .text(media)),
            ])
        }
    }

    // MARK: Creating a request

    /// `POST requests`: a new case of the Open311 channel through the common intake.
    func create(_ form: [String: String]) async throws -> Open311Node {
        try access.requireCaseRegistration()
        guard let code = form["service_code"]?.trimmed, !code.isEmpty else {
            throw Failure(status: 400, description: "Не указан service_code: выберите услугу из списка services")
        }
        let rubric = try await rubric(code: code)
        let lat = form["lat"].flatMap { Double($0.trimmed.replacingOccurrences(of: ",", with: ".")) }
        let lon = form["long"].flatMap { Double($0.trimmed.replacingOccurrences(of: ",", with: ".")) }
        let address = (form["address_string"]?.trimmed).flatMap { $0.isEmpty ? nil : $0 }
        if (form["lat"] != nil && lat == nil) || (form["long"] != nil && lon == nil) {
            throw Failure(status: 400, description: "Координаты lat и long должны быть числами (например, 56.01 и 92.85)")
        }
        guard (lat != nil && lon != nil) || address != nil || !(form["address_id"] ?? "").trimmed.isEmpty else {
            throw Failure(status: 400, description: "Укажите место: lat и long или address_string")
        }
        var record: [String: JSONValue] = [
            "channel": .string(CaseChannel.open311.rawValue),
            "received_at": .string(TimeText.formatRFC3339(now)),
            "category": .string(rubric.id!.uuidString),
        ]
        let description = (form["description"] ?? "").trimmed
        record["text"] = .string(description.isEmpty ? "Заявка по теме «\(rubric.name)» (без описания, Open311)" : description)
        var author: [String: JSONValue] = [:]
        let name = [form["first_name"], form["last_name"]].compactMap { $0?.trimmed }.filter { !$0.isEmpty }.joined(separator: " ")
        if !name.isEmpty { author["name"] = .string(name) }
        if let e = form["email"]?.trimmed, !e.isEmpty { author["email"] = .string(e) }
        if let p = form["phone"]?.trimmed, !p.isEmpty { author["phone"] = .string(p) }
        if !author.isEmpty { record["author"] = .object(author) }
        var location: [String: JSONValue] = [:]
        if let address { location["address"] = .string(address) }
        if let lat, let lon { location["latitude"] = .number(lat); location["longitude"] = .number(lon) }
        record["location"] = .object(location)
        if let media = form["media_url"]?.trimmed, !media.isEmpty { record["attachments"] = .array([.string(media)]) }

        let outcome = CaseDraftParser(now: now, localTimeZone: access.zone).parse(record)
        let intake = CaseIntakeService(db: db, tenantID: access.tenantID,
                                       actor: IntakeActor(userID: access.principal.userID, label: access.principal.label, source: "open311"),
                                       now: now)
        switch try await intake.intake([outcome])[0] {
        case .rejected(let issues):
            throw Failure(status: 400, description: issues.map { Self.open311Name($0.field) + ": " + $0.reason }.joined(separator: "; "))
        case .created(let id, let number), .existing(let id, let number):
            let due = try await CaseClock.query(on: db).filter(\.$caseID == id).filter(\.$kind == CaseClockKind.finalAnswer.rawValue).first()
            let notice = "Обращение №\(number) зарегистрировано" + (due.map { ", ответ до " + RussianDate.dateTime($0.dueAt, in: access.zone) } ?? "")
            return .list(item: "request", [.object([
                .init("service_request_id", .text(String(number))),
                .init("service_notice", .text(notice)),
                .init("account_id", .text(nil)),
            ])])
        }
    }

    /// Our intake's field names in the standard's words, for error descriptions.
    static func open311Name(_ field: String) -> String {
        ["text": "description", "location.latitude": "lat", "location.longitude": "long", "location.address": "address_string",
         "author.email": "email", "author.phone": "phone", "author.name": "first_name/last_name", "attachments": "media_url",
         "category": "service_code"][field] ?? field
    }
}
