import Fluent
import Foundation
import OtklikCore
import SQLKit

/// Loads and saves a municipality's text settings, and claims the right to train (one training at a time
/// per municipality, whichever instance or person starts it; a claim older than `claimLifetime` is taken
/// over, so a crashed training does not block the next one forever).
enum TextSettings {
    static let defaultRetrainDays = 7
    static let claimLifetime: TimeInterval = 30 * 60

    struct Value: Sendable {
        var policy: AutoApplyPolicy
        var retrainDays: Int
        var version: Int
        var updatedBy: String?
        var trainingStartedAt: Date?
        var trainingBy: String?
        var lastError: String?

        func trainingUnderWay(now: Date) -> Bool {
            trainingStartedAt.map { now.timeIntervalSince($0) < TextSettings.claimLifetime } ?? false
        }
    }

    static func load(tenantID: UUID, on db: any Database) async throws -> (Value, TextSetting?) {
        let s = try await TextSetting.query(on: db).filter(\.$tenantID == tenantID).first()
        guard let s else { return (Value(policy: .default, retrainDays: defaultRetrainDays, version: 0), nil) }
        return (Value(policy: AutoApplyPolicy(enabled: s.autoApply, threshold: s.threshold), retrainDays: s.retrainDays,
                      version: s.version, updatedBy: s.updatedBy, trainingStartedAt: s.trainingStartedAt,
                      trainingBy: s.trainingBy, lastError: s.lastError), s)
    }

    static func mayManage(_ access: TenantAccess) -> Bool {
        access.administers || !access.roles.isDisjoint(with: [.mcuHead, .coordinator])
    }

    static func save(_ payload: [String: JSONValue], access: TenantAccess, now: Date, on db: any Database) async throws -> Value {
        guard mayManage(access) else {
            throw Problem.forbidden("Настройки классификатора меняют руководитель МЦУ, координатор или администратор.")
        }
        var reader = PayloadReader(payload)
        let (current, stored) = try await load(tenantID: access.tenantID, on: db)
        let enabled = reader.has("auto_apply") ? reader.bool("auto_apply") : current.policy.enabled
        let range = AutoApplyPolicy.thresholdRange
        let threshold = reader.has("threshold") ? reader.double("threshold", range: range) : current.policy.threshold
        let days = reader.has("retrain_days")
            ? reader.int("retrain_days", range: 0...365, message: "от 0 (не переобучать по расписанию) до 365 дней")
            : current.retrainDays
        let version = reader.int("version", range: 0...Int.max, required: true)
        try reader.check()
        if let version, version != current.version {
            throw Problem.conflict("Настройки уже изменил \(current.updatedBy ?? "другой пользователь"): обновите страницу и внесите правку заново.")
        }
        let s = try await ensureRow(access.tenantID, stored: stored, now: now, on: db)
        let before = ["auto_apply": String(s.autoApply), "threshold": String(s.threshold), "retrain_days": String(s.retrainDays)]
        s.autoApply = enabled ?? current.policy.enabled
        s.threshold = threshold ?? current.policy.threshold
        s.retrainDays = days ?? current.retrainDays
        s.version += 1
        s.updatedAt = now
        s.updatedBy = access.principal.label
        try await db.transaction { tx in
            try await s.update(on: tx)
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal, action: "text_settings.update",
                                   entity: "text_settings", entityID: s.id?.uuidString, before: before,
                                   after: ["auto_apply": String(s.autoApply), "threshold": String(s.threshold),
                                           "retrain_days": String(s.retrainDays)])
        }
        return try await load(tenantID: access.tenantID, on: db).0
    }

    /// The row, created with the defaults when the municipality has none yet (two creators: one wins).
    static func ensureRow(_ tenantID: UUID, stored: TextSetting?, now: Date, on db: any Database) async throws -> TextSetting {
        if let stored { return stored }
        try await (db as! any SQLDatabase).insert(into: TextSetting.schema)
            .columns("id", "tenant_id", "auto_apply", "threshold", "retrain_days", "version", "updated_at", "updated_by")
            .values(SQLBind(TimeOrderedUUID.make(at: now)), SQLBind(tenantID), SQLBind(AutoApplyPolicy.default.enabled),
                    SQLBind(AutoApplyPolicy.default.threshold), SQLBind(defaultRetrainDays), SQLBind(0), SQLBind(now),
                    SQLBind("Отклик (по умолчанию)"))
            .ignoringConflicts(with: ["tenant_id"]).run()
        guard let row = try await TextSetting.query(on: db).filter(\.$tenantID == tenantID).first() else {
            throw Problem(.internalServerError, "Внутренняя ошибка сервера", detail: "Не удалось сохранить настройки классификатора.")
        }
        return row
    }

    /// True when this caller may train now; false when a training of the municipality is under way.
    static func claimTraining(_ tenantID: UUID, by: String, now: Date, on db: any Database) async throws -> Bool {
        _ = try await ensureRow(tenantID, stored: try await load(tenantID: tenantID, on: db).1, now: now, on: db)
        let sql = db as! any SQLDatabase
        let claimed = try await sql.update(TextSetting.schema)
            .set("training_started_at", to: SQLBind(now)).set("training_by", to: SQLBind(by))
            .where("tenant_id", .equal, SQLBind(tenantID))
            .where(SQLGroupExpression(SQLBinaryExpression(
                SQLBinaryExpression(SQLIdentifier("training_started_at"), .is, SQLLiteral.null), .or,
                SQLBinaryExpression(SQLIdentifier("training_started_at"), .lessThan, SQLBind(now.addingTimeInterval(-claimLifetime))))))
            .returning("id").all()
        return !claimed.isEmpty
    }

    static func releaseTraining(_ tenantID: UUID, error: String?, on db: any Database) async throws {
        try await (db as! any SQLDatabase).update(TextSetting.schema)
            .set("training_started_at", to: SQLLiteral.null).set("training_by", to: SQLLiteral.null)
            .set("last_error", to: error.map { SQLBind($0) as any SQLExpression } ?? SQLLiteral.null)
            .where("tenant_id", .equal, SQLBind(tenantID)).run()
    }
}
