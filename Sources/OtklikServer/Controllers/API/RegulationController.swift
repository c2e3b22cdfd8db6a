import Fluent
import OtklikCore
import Vapor

/// Regulation profiles: `/api/v1/municipalities/{m}/regulation…`. Everyone in the tenant reads them; the
/// administrator and the МЦУ head change them. A change is audited and applies to clocks started after
/// it: deadlines already computed for existing cases never move.
struct RegulationController: RouteCollection {
    struct Clock: Content { var spec: String; var title: String }
    struct ProfileDTO: Content {
        var key: String
        var title: String
        var customised: Bool
        var take_in_work: Clock?
        var first_response: Clock?
        var forward: Clock?
        var final_answer: Clock?
        var final_from_assignment: Bool
        var use_source_deadline: Bool
        var assignment_limit: Clock?
        var feedback_window: Clock?
        var silence_accepts: Bool
        var max_extensions: Int?
        var max_extension_days: Int?
        var reminder_minutes: Int

        init(key: ProfileKey, profile p: RegulationProfile, customised: Bool) {
            func c(_ r: ClockRule?) -> Clock? { r.map { Clock(spec: $0.spec, title: $0.russian) } }
            self.key = key.rawValue; title = key.title; self.customised = customised
            take_in_work = c(p.takeInWork); first_response = c(p.firstResponse); forward = c(p.forward)
            final_answer = c(p.finalAnswer); final_from_assignment = p.finalFromAssignment
            use_source_deadline = p.useSourceDeadline; assignment_limit = c(p.assignmentLimit)
            feedback_window = c(p.feedbackWindow); silence_accepts = p.silenceAccepts
            max_extensions = p.maxExtensions; max_extension_days = p.maxExtensionDays; reminder_minutes = p.reminderMinutes
        }
    }
    struct OverrideDTO: Content {
        var id: UUID
        var profile_key: String?
        var category_id: UUID?
        var urgent: Bool?
        var settings: [String: String]
        var updated_at: String
        var updated_by: String

        init(_ r: RegulationSetting) {
            id = r.id!; profile_key = r.profileKey; category_id = r.categoryID; urgent = r.urgent
            settings = RegulationController.stored(r)
            updated_at = TimeText.formatRFC3339(r.updatedAt); updated_by = r.updatedBy
        }
    }
    struct Overview: Content {
        var profiles: [ProfileDTO]
        var overrides: [OverrideDTO]
    }

    func boot(routes: any RoutesBuilder) throws {
        let r = routes.grouped("regulation")
        r.get(use: overview)
        r.put("channels", ":key", use: updateChannel)
        r.post("overrides", use: createOverride)
        r.delete("overrides", ":id", use: deleteOverride)
    }

    func overview(req: Request) async throws -> Overview {
        let access = try req.tenant
        let rows = try await RegulationSetting.query(on: req.db).filter(\.$tenantID == access.tenantID).sort(\.$updatedAt).all()
        let book = try RegulationSettings.book(rows)
        return Overview(
            profiles: ProfileKey.allCases.map { ProfileDTO(key: $0, profile: book.channelProfile($0), customised: book.channelPatches[$0] != nil) },
            overrides: rows.filter { $0.scope == "override" }.map(OverrideDTO.init))
    }

    func updateChannel(req: Request) async throws -> ProfileDTO {
        let access = try req.tenant
        try Self.requireEditor(access)
        let raw = req.parameters.get("key") ?? ""
        guard let key = ProfileKey(rawValue: raw) else {
            throw Problem.notFound("Неизвестный канал «\(raw)». Допустимые: " + ProfileKey.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        let body = try req.jsonObject()
        let existing = try await RegulationSetting.query(on: req.db).filter(\.$tenantID == access.tenantID)
            .filter(\.$scope == "channel").filter(\.$profileKey == key.rawValue).first()
        let row = existing ?? RegulationSetting()
        let before = existing.map(Self.stored)
        if existing == nil {
            row.id = TimeOrderedUUID.make()
            row.tenantID = access.tenantID
            row.scope = "channel"
            row.profileKey = key.rawValue
        }
        var issues: [FieldIssue] = []
        Self.rejectUnknown(body, allowed: RegulationSettings.settingFields, issues: &issues)
        RegulationSettings.read(body, into: row, issues: &issues)
        if !issues.isEmpty { throw Problem.validation(issues) }
        row.updatedAt = req.now
        row.updatedBy = access.principal.label
        try await req.db.transaction { tx in
            try await row.save(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "regulation.channel.update",
                                   entity: "regulation_profile", entityID: key.rawValue, before: before, after: Self.stored(row))
        }
        let rows = try await RegulationSetting.query(on: req.db).filter(\.$tenantID == access.tenantID).all()
        return ProfileDTO(key: key, profile: try RegulationSettings.book(rows).channelProfile(key), customised: true)
    }

    func createOverride(req: Request) async throws -> Response {
        let access = try req.tenant
        try Self.requireEditor(access)
        let body = try req.jsonObject()
        var p = PayloadReader(body)
        let keyRaw = p.string("profile_key", max: 64)
        let categoryID = p.uuid("category_id")
        let urgent = p.bool("urgent")
        var issues = p.issues
        Self.rejectUnknown(body, allowed: RegulationSettings.settingFields + ["profile_key", "category_id", "urgent"], issues: &issues)
        if let keyRaw, ProfileKey(rawValue: keyRaw) == nil { issues.append(FieldIssue("profile_key", "неизвестный канал «\(keyRaw)»")) }
        if categoryID == nil && urgent == nil {
            issues.append(FieldIssue("category_id", "переопределение задаётся для категории и/или срочности (urgent)"))
        }
        if let categoryID, try await Rubric.query(on: req.db).filter(\.$tenantID == access.tenantID).filter(\.$id == categoryID).count() == 0 {
            issues.append(FieldIssue("category_id", "категория не найдена в рубрикаторе"))
        }
        let row = RegulationSetting()
        row.id = TimeOrderedUUID.make()
        row.tenantID = access.tenantID
        row.scope = "override"
        row.profileKey = keyRaw
        row.categoryID = categoryID
        row.urgent = urgent
        RegulationSettings.read(body, into: row, issues: &issues)
        if !issues.isEmpty { throw Problem.validation(issues) }
        row.updatedAt = req.now
        row.updatedBy = access.principal.label
        try await req.db.transaction { tx in
            try await row.create(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "regulation.override.create",
                                   entity: "regulation_override", entityID: row.id?.uuidString, after: OverrideDTO(row))
        }
        return try await OverrideDTO(row).encodeResponse(status: .created, for: req)
    }

    func deleteOverride(req: Request) async throws -> HTTPStatus {
        let access = try req.tenant
        try Self.requireEditor(access)
        guard let id = req.parameters.get("id", as: UUID.self),
              let row = try await RegulationSetting.query(on: req.db).filter(\.$tenantID == access.tenantID)
                .filter(\.$scope == "override").filter(\.$id == id).first() else {
            throw Problem.notFound("Переопределение не найдено.")
        }
        try await req.db.transaction { tx in
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "regulation.override.delete",
                                   entity: "regulation_override", entityID: id.uuidString, before: OverrideDTO(row))
            try await row.delete(on: tx)
        }
        return .noContent
    }

    static func requireEditor(_ access: TenantAccess) throws {
        guard access.administers || access.roles.contains(.mcuHead) else {
            throw Problem.forbidden("Регламент меняют администратор и руководитель МЦУ.")
        }
    }

    static func rejectUnknown(_ body: [String: JSONValue], allowed: [String], issues: inout [FieldIssue]) {
        for key in body.keys.sorted() where !allowed.contains(key) {
            issues.append(FieldIssue(key, "неизвестное поле; допустимы: " + allowed.joined(separator: ", ")))
        }
    }

    /// The stored settings as text, for the audit log and the overrides list.
    static func stored(_ r: RegulationSetting) -> [String: String] {
        var out: [String: String] = [:]
        for clock in RegulationSettings.clocks { if let v = r[keyPath: clock.stored] { out[clock.field] = v } }
        if let v = r.silenceAccepts { out["silence_accepts"] = String(v) }
        if let v = r.maxExtensions { out["max_extensions"] = String(v) }
        if let v = r.maxExtensionDays { out["max_extension_days"] = String(v) }
        if let v = r.reminderMinutes { out["reminder_minutes"] = String(v) }
        return out
    }
}
