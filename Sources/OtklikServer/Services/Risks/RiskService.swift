import Fluent
import Foundation
import OtklikCore
import SQLKit
import Vapor

/// The risk register and the отработка of decree 001: register a risk from a link (or from a case), move
/// it through its stages, measure the reaction, close or escalate. Every write runs in one transaction
/// with its history entry, its audit entry and its alert-chat post; a stale version writes nothing.
struct RiskService {
    let db: any Database
    let access: TenantAccess
    let now: Date
    let publicURL: String?
    /// Where the in-app (and e-mail) notices go: the app's notifiers.
    var notifiers: [any Notifier] = [InAppNotifier()]

    static let notFound = "Информационный риск не найден или недоступен вам."

    // MARK: reading

    func find(_ id: UUID) async throws -> RiskRecord {
        guard let risk = try await access.risks(on: db).filter(\.$id == id).first() else { throw Problem.notFound(Self.notFound) }
        return risk
    }

    // MARK: register

    /// Registers a risk: title, description, criticality, at least one source link; topic, territory,
    /// organisation and officer optional. `from_case` fills what is left empty from that case and links it.
    func create(_ body: [String: JSONValue]) async throws -> RiskRecord {
        try access.requireRiskManagement()
        var body = body
        var fromCase: CaseRecord?
        if let ref = body["from_case"], ref != .null {
            let text: String = switch ref { case .number(let n): String(Int(n)); case .string(let s): s; default: "" }
            let found = try await CaseReference.find(text, field: "from_case", unreadable: "укажите номер обращения или его идентификатор",
                                                     in: CaseQueries.scoped(access, on: db))
            fromCase = found
            Self.fill(&body, from: found)
        }
        var reader = PayloadReader(body)
        let title = reader.string("title", required: true, max: 200)
        let description = reader.string("description", max: 4_000) ?? ""
        let criticality = reader.oneOf("criticality", RiskCriticality.self, required: true)
        let sources = RiskInput.sources(&reader, required: true)
        let categoryID = reader.uuid("category_id"), blockID = reader.uuid("block_id"), territoryID = reader.uuid("territory_id")
        let organisationID = reader.uuid("organisation_id"), officerID = reader.uuid("officer_user_id")
        var detectedAt = reader.date("detected_at") ?? now
        if detectedAt > now.addingTimeInterval(300) { reader.issues.append(FieldIssue("detected_at", "время выявления не может быть в будущем")); detectedAt = now }
        try await checkReferences(&reader.issues, category: categoryID, block: blockID, territory: territoryID, organisation: organisationID, officer: officerID)
        try reader.check()
        let schedule = try await TenantRegulation.schedule(tenantID: access.tenantID, on: db)
        let rules = try await RiskReactionRules.load(tenantID: access.tenantID, on: db)
        let clock = RiskReactionRules.clock(criticality!, from: detectedAt, rules: rules, schedule: schedule)
        let detected = detectedAt, origin = fromCase

        return try await db.transaction { tx in
            try await SQLiteWriteLock.acquire(tx)
            let risk = RiskRecord()
            risk.id = TimeOrderedUUID.make(at: now)
            risk.tenantID = access.tenantID
            risk.number = try await TenantCounters.next("risk", tenantID: access.tenantID, on: tx)
            risk.title = title!
            risk.description = description
            risk.status = RiskStatus.detected.rawValue
            risk.criticality = criticality!.rawValue
            risk.categoryID = categoryID
            risk.blockID = blockID
            risk.territoryID = territoryID
            risk.organisationID = organisationID
            risk.officerUserID = officerID
            risk.detectedAt = detected
            risk.reactionDueAt = clock.due
            risk.remindAt = clock.remind
            risk.escalationLevel = 0
            risk.version = 1
            risk.createdBy = access.principal.label
            risk.createdAt = now
            risk.updatedAt = now
            try await risk.create(on: tx)
            for s in sources { try await Self.addSource(s, to: risk, at: now, on: tx) }
            if let origin { try await Self.link(origin, to: risk, at: now, on: tx) }
            try await event(risk, .created, details: ["criticality": criticality!.title, "sources": String(sources.count)]
                            .merging(origin.map { ["case": String($0.number)] } ?? [:]) { a, _ in a }, on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "risk.create", entity: "risk",
                                   entityID: risk.id!.uuidString, after: RiskAudit(risk))
            let (zone, municipality) = try await place(tx)
            let alerts = RiskAlerts(db: tx, publicURL: publicURL, notifiers: notifiers)
            let text = RiskAlertText.detected(alerts.facts(risk, municipality: municipality, zone: zone), description: description,
                                              topic: try await RiskDTO.Ref.load(Rubric.self, on: tx, categoryID) { $0.name }?.name,
                                              territory: try await RiskDTO.Ref.load(Territory.self, on: tx, territoryID) { $0.name }?.name,
                                              responsible: try await responsible(risk, tx),
                                              sources: sources.map { .init(platform: $0.platform.title, community: $0.community, reach: $0.reach, url: $0.url) })
            try await alerts.post(text, about: risk, event: "detected", title: "Новый информационный риск №\(risk.number): \(risk.title)", at: now)
            return risk
        }
    }

    /// What a case gives a risk made from it: its title or opening words, its text, its link, its
    /// category, territory and organisation. Fields the officer filled stay as they are.
    static func fill(_ body: inout [String: JSONValue], from c: CaseRecord) {
        func blank(_ key: String) -> Bool {
            switch body[key] { case nil, .null?: true; case .string(let s)?: s.trimmed.isEmpty; default: false }
        }
        if blank("title") { body["title"] = .string(Clusters.title(c)) }
        if blank("description") { body["description"] = .string(String(HTMLText.plain(c.text).prefix(4_000))) }
        let noSources: Bool = if case .array(let a)? = body["sources"] { a.isEmpty } else { true }
        if noSources, let url = c.sourceURL {
            var s: [String: JSONValue] = ["url": .string(url)]
            if let p = c.platform, Platform(rawValue: p) != nil { s["platform"] = .string(p) }
            body["sources"] = .array([.object(s)])
        }
        if blank("category_id"), let id = c.categoryID { body["category_id"] = .string(id.uuidString) }
        if blank("territory_id"), let id = c.territoryID { body["territory_id"] = .string(id.uuidString) }
        if blank("organisation_id"), let id = c.organisationID { body["organisation_id"] = .string(id.uuidString) }
        if blank("block_id"), let id = c.blockID { body["block_id"] = .string(id.uuidString) }
    }

    // MARK: edit, sources, cases, comments

    func edit(_ id: UUID, _ body: [String: JSONValue]) async throws -> RiskRecord {
        try access.requireRiskManagement()
        var reader = PayloadReader(body)
        let version = reader.int("version", range: 1...Int(Int32.max), required: true)
        let title = reader.string("title", max: 200)
        if reader.has("title") && title == nil && reader.issues.isEmpty { reader.issues.append(FieldIssue("title", "название риска не может быть пустым")) }
        let description = reader.string("description", max: 4_000)
        var ids: [String: UUID?] = [:]
        for key in ["category_id", "block_id", "territory_id", "organisation_id", "officer_user_id", "campaign_id"] where reader.has(key) {
            ids[key] = reader.uuid(key)
        }
        try await checkReferences(&reader.issues, category: ids["category_id"] ?? nil, block: ids["block_id"] ?? nil,
                                  territory: ids["territory_id"] ?? nil, organisation: ids["organisation_id"] ?? nil,
                                  officer: ids["officer_user_id"] ?? nil)
        if let campaign = ids["campaign_id"] ?? nil {
            _ = try await ReferenceBooks.requireInTenant(CampaignRecord.self, campaign, field: "campaign_id", what: "Кампания", access: access, on: db, issues: &reader.issues)
        }
        try reader.check()
        let chosen = ids, hasDescription = reader.has("description")
        return try await change(id, version: version!) { risk, tx in
            let before = RiskAudit(risk)
            if let title { risk.title = title }
            if hasDescription { risk.description = description ?? "" }
            if let v = chosen["category_id"] { risk.categoryID = v }
            if let v = chosen["block_id"] { risk.blockID = v }
            if let v = chosen["territory_id"] { risk.territoryID = v }
            if let v = chosen["organisation_id"] { risk.organisationID = v }
            if let v = chosen["officer_user_id"] { risk.officerUserID = v }
            if let v = chosen["campaign_id"] { risk.campaignID = v }
            try await event(risk, .edited, details: [:], on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "risk.update", entity: "risk",
                                   entityID: risk.id!.uuidString, before: before, after: RiskAudit(risk))
        }
    }

    func addSources(_ id: UUID, _ body: [String: JSONValue]) async throws -> RiskRecord {
        try access.requireRiskManagement()
        var reader = PayloadReader(body)
        let sources = RiskInput.sources(&reader, required: true)
        try reader.check()
        let risk = try await find(id)
        guard risk.riskStatus.isActive else { throw Problem.conflict("Риск закрыт: верните его в работу, чтобы добавить публикации.") }
        try await db.transaction { tx in
            for s in sources { try await Self.addSource(s, to: risk, at: now, on: tx) }
            try await event(risk, .sourceAdded, details: ["links": sources.map(\.url).joined(separator: "\n")], on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "risk.source", entity: "risk",
                                   entityID: risk.id!.uuidString, after: sources.map(\.url))
        }
        return risk
    }

    func linkCase(_ id: UUID, ref: String) async throws {
        try access.requireRiskManagement()
        let risk = try await find(id)
        let c = try await CaseReference.find(ref, field: "case", unreadable: "укажите номер обращения или его идентификатор",
                                             in: CaseQueries.scoped(access, on: db))
        try await db.transaction { tx in
            guard try await Self.link(c, to: risk, at: now, on: tx) else {
                throw Problem.conflict("Обращение №\(c.number) уже связано с этим риском.")
            }
            try await event(risk, .caseLinked, details: ["case": String(c.number)], on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "risk.link_case", entity: "risk",
                                   entityID: risk.id!.uuidString, after: ["case": c.number])
        }
    }

    func unlinkCase(_ id: UUID, caseID: UUID) async throws {
        try access.requireRiskManagement()
        let risk = try await find(id)
        guard let c = try await CaseQueries.scoped(access, on: db).filter(\.$id == caseID).first() else {
            throw Problem.notFound("Обращение не найдено или недоступно вам.")
        }
        try await db.transaction { tx in
            let sql = tx as! any SQLDatabase
            let removed = try await sql.delete(from: "risk_cases").where("risk_id", .equal, risk.id!).where("case_id", .equal, caseID)
                .returning("case_id").all().count
            guard removed > 0 else { throw Problem.conflict("Обращение №\(c.number) не связано с этим риском.") }
            try await event(risk, .caseUnlinked, details: ["case": String(c.number)], on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "risk.unlink_case", entity: "risk",
                                   entityID: risk.id!.uuidString, before: ["case": c.number])
        }
    }

    /// A remark in the risk's history: the responsible organisation's answer during verification, a note.
    func comment(_ id: UUID, text: String?) async throws {
        let risk = try await find(id)
        guard let text = text?.trimmed, !text.isEmpty else { throw Problem.validation([FieldIssue("text", "напишите комментарий")]) }
        guard text.count <= 4_000 else { throw Problem.validation([FieldIssue("text", "комментарий длиннее 4000 символов")]) }
        try await db.transaction { tx in
            try await event(risk, .comment, comment: text, details: [:], on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "risk.comment", entity: "risk",
                                   entityID: risk.id!.uuidString, after: ["text": text])
        }
    }

    // MARK: helpers shared with the actions

    /// Loads, checks the version, applies, bumps the version: all in one transaction.
    func change(_ id: UUID, version: Int, _ apply: @escaping @Sendable (RiskRecord, any Database) async throws -> Void) async throws -> RiskRecord {
        _ = try await find(id)
        return try await db.transaction { tx in
            try await SQLiteWriteLock.acquire(tx)
            guard let risk = try await RiskRecord.find(id, on: tx) else { throw Problem.notFound(Self.notFound) }
            guard risk.version == version else {
                throw Problem.conflict("Риск №\(risk.number) изменили, пока вы с ним работали (версия \(risk.version), у вас \(version)). Обновите страницу и повторите.")
            }
            try await apply(risk, tx)
            risk.version += 1
            risk.updatedAt = now
            try await risk.update(on: tx)
            return risk
        }
    }

    func event(_ risk: RiskRecord, _ kind: RiskEventKind, comment: String? = nil, details: [String: String], on tx: any Database) async throws {
        try await RiskEventRecord(risk: risk, kind: kind.rawValue, actorUserID: access.principal.userID, actorLabel: access.principal.label,
                                  at: now, comment: comment, details: details).create(on: tx)
    }

    func place(_ tx: any Database) async throws -> (TimeZone, Municipality) {
        guard let m = try await Municipality.find(access.tenantID, on: tx) else { throw Problem.notFound("Муниципальное образование не найдено.") }
        return (access.zone, m)
    }


    /// «МУП «Водоканал» (Иванова А. П.)».
    func responsible(_ risk: RiskRecord, _ tx: any Database) async throws -> String? {
        let org = try await RiskDTO.Ref.load(Organisation.self, on: tx, risk.organisationID) { $0.name }?.name
        var officer: String?
        if let id = risk.officerUserID { officer = try await User.find(id, on: tx)?.fullName }
        switch (org, officer) {
        case let (o?, p?): return "\(o) (\(p))"
        case let (o?, nil): return o
        case let (nil, p?): return p
        default: return nil
        }
    }

    private func checkReferences(_ issues: inout [FieldIssue], category: UUID?, block: UUID?, territory: UUID?, organisation: UUID?,
                                 officer: UUID?) async throws {
        _ = try await ReferenceBooks.requireInTenant(Rubric.self, category, field: "category_id", what: "Тема", access: access, on: db, issues: &issues)
        _ = try await ReferenceBooks.requireInTenant(ThematicBlock.self, block, field: "block_id", what: "Блок", access: access, on: db, issues: &issues)
        _ = try await ReferenceBooks.requireInTenant(Territory.self, territory, field: "territory_id", what: "Территория", access: access, on: db, issues: &issues)
        _ = try await ReferenceBooks.requireInTenant(Organisation.self, organisation, field: "organisation_id", what: "Организация", access: access, on: db, issues: &issues)
        try await ReferenceBooks.requireTenantUser(officer, field: "officer_user_id", access: access, on: db, issues: &issues,
                                                   reason: "ответственный должен быть пользователем этого муниципального образования")
    }


    static func addSource(_ s: RiskInput.Source, to risk: RiskRecord, at now: Date, on tx: any Database) async throws {
        let r = RiskSourceRecord()
        r.id = TimeOrderedUUID.make(at: now)
        r.tenantID = risk.tenantID
        r.riskID = risk.id!
        r.url = s.url
        r.platform = s.platform.rawValue
        r.community = s.community
        r.author = s.author
        r.reach = s.reach
        r.publishedAt = s.publishedAt
        r.addedAt = now
        try await r.create(on: tx)
    }

    /// Links a case to a risk; false when it was linked already.
    @discardableResult
    static func link(_ c: CaseRecord, to risk: RiskRecord, at now: Date, on tx: any Database) async throws -> Bool {
        let sql = tx as! any SQLDatabase
        let known = try await sql.select().column("case_id").from("risk_cases").where("risk_id", .equal, risk.id!)
            .where("case_id", .equal, c.id!).all().count
        guard known == 0 else { return false }
        try await sql.insert(into: "risk_cases").columns("risk_id", "case_id", "tenant_id", "linked_at")
            .values(SQLBind(risk.id!), SQLBind(c.id!), SQLBind(risk.tenantID), SQLBind(now)).run()
        return true
    }
}

/// What the audit log keeps of a risk.
struct RiskAudit: Encodable, Sendable {
    var number: Int, title: String, status: String, criticality: String
    var organisation_id: UUID?, officer_user_id: UUID?, category_id: UUID?, territory_id: UUID?, campaign_id: UUID?
    var reaction_due_at: Date, version: Int

    init(_ r: RiskRecord) {
        number = r.number; title = r.title; status = r.status; criticality = r.criticality
        organisation_id = r.organisationID; officer_user_id = r.officerUserID; category_id = r.categoryID
        territory_id = r.territoryID; campaign_id = r.campaignID; reaction_due_at = r.reactionDueAt; version = r.version
    }
}
