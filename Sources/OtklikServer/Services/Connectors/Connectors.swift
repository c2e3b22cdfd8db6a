import Crypto
import Fluent
import Foundation
import OtklikCore

/// The municipality's connector settings. Secrets go in, never out: answers carry only a hint
/// («••••a1b2»), the audit log records that a secret changed but not its value, and an update without a
/// secret keeps the stored one.
enum Connectors {
    struct DTO: Codable, Sendable {
        var id: UUID
        var kind: String
        var kind_title: String
        var name: String
        var enabled: Bool
        var config: [String: String]
        var secret_hint: String?
        /// Where the outside service must send its requests (VK: the Callback API address).
        var callback_path: String?
        var last_event_at: String?
        var last_error: String?
        var version: Int
        var updated_at: String
        var updated_by: String
    }

    static func hint(_ secret: String?) -> String? {
        guard let s = secret, !s.isEmpty else { return nil }
        return "••••" + (s.count > 8 ? String(s.suffix(4)) : "")
    }

    static func config(_ c: Connector) -> [String: String] {
        (try? JSONDecoder().decode([String: String].self, from: Data(c.configJSON.utf8))) ?? [:]
    }

    static func dto(_ c: Connector) -> DTO {
        DTO(id: c.id!, kind: c.kind, kind_title: Connector.Kind(rawValue: c.kind)?.title ?? c.kind, name: c.name, enabled: c.enabled,
            config: config(c), secret_hint: hint(c.secret), callback_path: c.kind == Connector.Kind.vk.rawValue ? "/connectors/vk/\(c.id!.uuidString)" : nil,
            last_event_at: c.lastEventAt.map(TimeText.formatRFC3339), last_error: c.lastError, version: c.version,
            updated_at: TimeText.formatRFC3339(c.updatedAt), updated_by: c.updatedBy)
    }

    static func list(tenantID: UUID, on db: any Database) async throws -> [Connector] {
        try await Connector.query(on: db).filter(\.$tenantID == tenantID).sort(\.$kind).sort(\.$name).all()
    }

    static func find(_ id: UUID, tenantID: UUID, on db: any Database) async throws -> Connector {
        guard let c = try await Connector.query(on: db).filter(\.$tenantID == tenantID).filter(\.$id == id).first() else {
            throw Problem.notFound("Подключение не найдено.")
        }
        return c
    }

    /// Creates (`existing` nil) or updates a connector from the API's JSON; `version` must match on update.
    static func save(_ payload: [String: JSONValue], existing: Connector?, access: TenantAccess, now: Date,
                     on db: any Database) async throws -> Connector {
        try access.requireAdministration()
        var reader = PayloadReader(payload)
        let kind = existing.flatMap { Connector.Kind(rawValue: $0.kind) } ?? reader.oneOf("kind", Connector.Kind.self, required: true)
        let name = reader.string("name", required: existing == nil, max: 200) ?? existing?.name
        let enabled = reader.bool("enabled") ?? existing?.enabled ?? true
        var config = existing.map(Self.config) ?? [:]
        var secret = existing?.secret
        if reader.has("secret") {
            // An empty secret in an update means «keep the stored one»; the form never shows it back.
            if let s = reader.string("secret", max: 500), !s.isEmpty { secret = s }
        }
        switch kind {
        case .vk?:
            if reader.has("group_id") || existing == nil {
                let group = reader.int("group_id", range: 1...Int(Int32.max), required: true,
                                       message: "номер сообщества VK — целое число (из адреса club123456 — 123456)")
                if let group { config["group_id"] = String(group) }
            }
            if reader.has("confirmation") || existing == nil {
                if let code = reader.string("confirmation", required: true, max: 100) { config["confirmation"] = code }
            }
            if secret == nil || secret?.isEmpty == true {
                reader.issues.append(FieldIssue("secret", "задайте секретный ключ — тот же, что в настройках Callback API сообщества"))
            }
        case .telegram?:
            if reader.has("api_base") {
                let base = reader.string("api_base", max: 300)?.trimmed ?? ""
                if base.isEmpty { config["api_base"] = nil }
                else if let u = URL(string: base), ["http", "https"].contains(u.scheme ?? ""), u.host != nil {
                    config["api_base"] = base.hasSuffix("/") ? String(base.dropLast()) : base
                } else {
                    reader.issues.append(FieldIssue("api_base", "адрес Bot API — http(s)://…; пусто — https://api.telegram.org"))
                }
            }
            if let token = secret, !token.isEmpty {
                let parts = token.split(separator: ":", maxSplits: 1)
                if parts.count != 2 || Int(parts[0]) == nil || parts[1].count < 10 {
                    reader.issues.append(FieldIssue("secret", "токен бота вида 123456789:AA… — его выдаёт @BotFather"))
                }
            } else {
                reader.issues.append(FieldIssue("secret", "укажите токен бота (его выдаёт @BotFather)"))
            }
            readAlertSettings(&reader, into: &config)
        case .smtp?:
            readSMTPSettings(&reader, into: &config, creating: existing == nil)
            if config["username"] != nil, (secret ?? "").isEmpty {
                reader.issues.append(FieldIssue("secret", "укажите пароль пользователя \(config["username"]!) на почтовом сервере"))
            }
        case .webhook?:
            if reader.has("url") || existing == nil {
                let raw = reader.string("url", required: true, max: 1_000)?.trimmed ?? ""
                if let u = URL(string: raw), ["http", "https"].contains(u.scheme ?? ""), u.host != nil { config["url"] = raw }
                else if !raw.isEmpty { reader.issues.append(FieldIssue("url", "адрес получателя — http(s)://…")) }
            }
            if reader.has("events") {
                let kinds = (reader.string("events", max: 1_000) ?? "").split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
                let known = Set(CaseEventKind.allCases.map(\.rawValue) + CaseAction.allCases.map(\.rawValue))
                if let bad = kinds.first(where: { !known.contains($0) }) {
                    reader.issues.append(FieldIssue("events", "неизвестное событие «\(bad)»; пусто — все события"))
                }
                config["events"] = kinds.isEmpty ? nil : kinds.joined(separator: ",")
            }
            if (secret ?? "").count < 16 {
                reader.issues.append(FieldIssue("secret", "ключ подписи — не короче 16 знаков (получатель проверяет им подпись HMAC-SHA256)"))
            }
            // A new subscriber gets events from now on, not the municipality's whole history.
            if existing == nil { config["cursor"] = TimeText.formatRFC3339(now) }
        case nil: break
        }
        if let existing {
            let version = reader.int("version", range: 1...Int.max, required: true)
            if let version, version != existing.version {
                throw Problem.conflict("Подключение уже изменил \(existing.updatedBy): обновите страницу и внесите правку заново.")
            }
        }
        try reader.check()
        guard let kind, let name else { throw Problem.validation(reader.issues) }
        let others = try await Connector.query(on: db).filter(\.$tenantID == access.tenantID).filter(\.$kind == kind.rawValue).all()
            .filter { $0.id != existing?.id }
        if others.contains(where: { $0.name == name }) {
            throw Problem.validation([FieldIssue("name", "подключение с таким названием уже есть")])
        }
        if kind == .vk, let group = config["group_id"], others.contains(where: { Self.config($0)["group_id"] == group }) {
            throw Problem.validation([FieldIssue("group_id", "сообщество \(group) уже подключено")])
        }
        let before = existing.map(auditView)
        let c = existing ?? Connector()
        if existing == nil { c.id = TimeOrderedUUID.make(at: now); c.tenantID = access.tenantID; c.kind = kind.rawValue; c.version = 1 }
        else { c.version += 1 }
        let secretChanged = existing?.secret != secret
        c.name = name
        c.enabled = enabled
        c.configJSON = String(decoding: (try? JSONEncoder().encode(config)) ?? Data("{}".utf8), as: UTF8.self)
        c.secret = secret
        c.updatedAt = now
        c.updatedBy = access.principal.label
        try await db.transaction { tx in
            if existing == nil { try await c.create(on: tx) } else { try await c.update(on: tx) }
            var after = auditView(c)
            if secretChanged { after["secret"] = "изменён" }
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal,
                                   action: existing == nil ? "connector.create" : "connector.update",
                                   entity: "connector", entityID: c.id?.uuidString, before: before, after: after)
        }
        return c
    }

    /// The operators' alert chat of a Telegram bot: a chat id (groups are negative) and the kinds to post;
    /// the chat of information risks («МЦУ-ПИЛОТ»), when it is another one.
    private static func readAlertSettings(_ reader: inout PayloadReader, into config: inout [String: String]) {
        for (key, what) in [("alert_chat_id", "без оповещений"), ("risk_chat_id", "риски идут в чат оповещений")] where reader.has(key) {
            let raw: String
            switch reader.object[key] {
            case .number(let n)?: raw = n == n.rounded() ? String(Int64(n)) : String(n)
            default: raw = reader.string(key, max: 40) ?? ""
            }
            if raw.isEmpty { config[key] = nil }
            else if let id = Int64(raw), id != 0 { config[key] = String(id) }
            else { reader.issues.append(FieldIssue(key, "номер чата — целое число (у групп со знаком минус, например -1001234567890); пусто — \(what)")) }
        }
        if reader.has("alert_kinds") {
            switch NotificationKind.parseList(reader.string("alert_kinds", max: 500) ?? "") {
            case .success(let kinds): config["alert_kinds"] = kinds.isEmpty ? nil : kinds.map(\.rawValue).joined(separator: ",")
            case .failure(let bad):
                reader.issues.append(FieldIssue("alert_kinds", "неизвестный вид уведомления «\(bad.word)»; допустимо: \(NotificationKind.allCases.filter { $0 != .test }.map(\.rawValue).joined(separator: ", "))"))
            }
        }
    }

    /// The kinds a bot posts to its alert chat: the listed ones, or the operators' default set.
    static func alertKinds(_ c: Connector) -> [NotificationKind] {
        guard let raw = config(c)["alert_kinds"], case .success(let kinds) = NotificationKind.parseList(raw), !kinds.isEmpty else {
            return NotificationKind.operatorAlerts
        }
        return kinds
    }

    /// The relay of an SMTP connector. The password is the connector's secret.
    private static func readSMTPSettings(_ reader: inout PayloadReader, into config: inout [String: String], creating: Bool) {
        if reader.has("host") || creating {
            let host = reader.string("host", required: true, max: 253) ?? ""
            if !host.isEmpty {
                if host.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-.:".unicodeScalars.contains($0) }) {
                    config["host"] = host
                } else {
                    reader.issues.append(FieldIssue("host", "имя или адрес почтового сервера, например smtp.admin.example или 10.0.0.25"))
                }
            }
        }
        if reader.has("security") || creating {
            let security = reader.oneOf("security", SMTPSettings.Security.self) ?? .starttls
            config["security"] = security.rawValue
        }
        if reader.has("port") || creating {
            let defaultPort = switch SMTPSettings.Security(rawValue: config["security"] ?? "") { case .tls?: 465; case .none?: 25; default: 587 }
            let port: Int?
            if case .string(let s)? = reader.object["port"] {
                port = s.trimmed.isEmpty ? defaultPort : Int(s.trimmed).flatMap { (1...65_535).contains($0) ? $0 : nil }
                if port == nil { reader.issues.append(FieldIssue("port", "порт — число от 1 до 65535 (обычно 25, 465 или 587)")) }
            } else {
                port = reader.int("port", range: 1...65_535, message: "порт — число от 1 до 65535 (обычно 25, 465 или 587)") ?? defaultPort
            }
            if let port { config["port"] = String(port) }
        }
        if reader.has("from") || creating {
            let raw = reader.string("from", required: true, max: 254) ?? ""
            if let address = MailAddress(raw) { config["from"] = address.address }
            else if !raw.isEmpty { reader.issues.append(FieldIssue("from", "адрес отправителя вида mcu@admin.example")) }
        }
        if reader.has("from_name") {
            let name = reader.string("from_name", max: 100) ?? ""
            if name.contains(where: { $0.isNewline }) { reader.issues.append(FieldIssue("from_name", "имя отправителя — одна строка")) }
            else { config["from_name"] = name.isEmpty ? nil : name }
        }
        if reader.has("username") {
            let user = reader.string("username", max: 254) ?? ""
            if user.contains(where: { $0.isNewline || $0 == " " }) { reader.issues.append(FieldIssue("username", "имя пользователя без пробелов")) }
            else { config["username"] = user.isEmpty ? nil : user }
        }
        if reader.has("verify_tls") {
            config["verify_tls"] = reader.bool("verify_tls") == false ? "no" : nil
        }
    }

    static func delete(_ c: Connector, access: TenantAccess, on db: any Database) async throws {
        try access.requireAdministration()
        try await Audit.deleting(c, entity: "connector", before: auditView(c), access: access, on: db)
    }

    /// What the audit log keeps of a connector: everything but the secret itself.
    static func auditView(_ c: Connector) -> [String: String] {
        var out = config(c)
        out["name"] = c.name
        out["enabled"] = c.enabled ? "да" : "нет"
        out["secret"] = hint(c.secret) ?? "не задан"
        return out
    }

    /// Constant-time comparison: a wrong secret must not be guessable from the answer's timing.
    static func secretMatches(_ sent: String?, _ stored: String?) -> Bool {
        guard let sent, let stored, !stored.isEmpty else { return false }
        let a = SHA256.hash(data: Data(sent.utf8)), b = SHA256.hash(data: Data(stored.utf8))
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
