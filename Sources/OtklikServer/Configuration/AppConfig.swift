import Foundation
import OtklikCore

/// The server's typed configuration, read once from the environment (Vapor has already merged `.env`
/// into it). Every wrong value is reported by name with the reason, before anything starts.
public struct AppConfig: Sendable, Equatable {
    public enum DatabaseChoice: Sendable, Equatable {
        case sqlite(path: String)
        case postgres(url: String)
    }

    public struct ConfigError: Error, CustomStringConvertible, Sendable {
        public var problems: [String]
        public var description: String {
            "Ошибка конфигурации:\n" + problems.map { "  • \($0)" }.joined(separator: "\n")
        }
    }

    public var database: DatabaseChoice
    /// Largest request body accepted (bytes); a batch of 10 000 cases fits in the default.
    public var maxBodyBytes: Int
    /// Migrate the database when `serve` starts (convenient for one instance; off for a fleet).
    public var autoMigrate: Bool
    /// Bcrypt cost for passwords; lowered only by tests.
    public var bcryptCost: Int
    /// Mark the session cookie `Secure` (behind HTTPS).
    public var secureCookies: Bool
    /// Seconds between passes of the deadline monitor in `serve`; 0 switches it off on this instance.
    public var monitorIntervalSeconds: Int
    /// How long a request waits for a free PostgreSQL connection before it fails.
    public var databasePoolTimeoutSeconds: Int
    /// Seconds between passes of the Telegram bots (new messages, answers to send); 0 switches them off.
    public var telegramIntervalSeconds: Int = 3
    /// Seconds between passes of the outbound webhooks (queue new events, send what is due); 0 switches them off.
    public var webhookIntervalSeconds: Int = 5
    /// Seconds between passes of the notification outbox (letters, the Telegram alert chat); 0 switches it off.
    public var notificationIntervalSeconds: Int = 10
    /// Seconds between checks for the weekly memo (made on Monday 08:00 local); 0 switches it off.
    public var memoIntervalSeconds: Int = 300
    /// Seconds between checks whether a municipality's classifier is due for retraining; 0 switches it off.
    public var textIntervalSeconds: Int = 3_600
    /// Where Otklik is reached from outside (`https://otklik.admin.example`): links in letters and alerts.
    public var publicURL: String?
    /// `OTKLIK_MAP_TILE_URL`: a tile server under the municipality map (`https://tiles.example/{z}/{x}/{y}.png`); nil — the map
    /// draws boundaries and cases alone. `OTKLIK_MAP_TILE_ATTRIBUTION`: the credit the tiles' licence asks for.
    public var mapTileURL: String?
    public var mapTileAttribution = ""

    public init(database: DatabaseChoice, maxBodyBytes: Int = 32 << 20, autoMigrate: Bool = true,
                bcryptCost: Int = 12, secureCookies: Bool = false, monitorIntervalSeconds: Int = 60,
                databasePoolTimeoutSeconds: Int = 10) {
        self.monitorIntervalSeconds = monitorIntervalSeconds
        self.databasePoolTimeoutSeconds = databasePoolTimeoutSeconds
        self.database = database
        self.maxBodyBytes = maxBodyBytes
        self.autoMigrate = autoMigrate
        self.bcryptCost = bcryptCost
        self.secureCookies = secureCookies
    }

    public static func from(environment env: [String: String]) throws(ConfigError) -> AppConfig {
        var problems: [String] = []
        var database = DatabaseChoice.sqlite(path: "./otklik.sqlite")
        if let url = env["DATABASE_URL"], !url.isEmpty {
            if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
                if URLComponents(string: url)?.host == nil {
                    problems.append("DATABASE_URL: не удалось разобрать адрес PostgreSQL (пример: postgres://otklik:пароль@127.0.0.1:5432/otklik)")
                }
                database = .postgres(url: url)
            } else if url.hasPrefix("sqlite://") || url.hasPrefix("sqlite:") {
                let path = url.replacingOccurrences(of: "sqlite://", with: "").replacingOccurrences(of: "sqlite:", with: "")
                database = .sqlite(path: path.isEmpty ? "./otklik.sqlite" : path)
            } else {
                problems.append("DATABASE_URL: поддерживаются только postgres://… и sqlite://путь; получено «\(url.prefix(20))…»")
            }
        } else if let path = env["OTKLIK_SQLITE_PATH"], !path.isEmpty {
            database = .sqlite(path: path)
        }
        func int(_ key: String, default value: Int, range: ClosedRange<Int>) -> Int {
            guard let raw = env[key], !raw.isEmpty else { return value }
            guard let v = Self.parseSize(raw), range.contains(v) else {
                problems.append("\(key): ожидалось число от \(range.lowerBound) до \(range.upperBound), получено «\(raw)»")
                return value
            }
            return v
        }
        func bool(_ key: String, default value: Bool) -> Bool {
            guard let raw = env[key]?.lowercased(), !raw.isEmpty else { return value }
            switch raw {
            case "1", "true", "yes", "on", "да": return true
            case "0", "false", "no", "off", "нет": return false
            default:
                problems.append("\(key): ожидалось true или false, получено «\(raw)»")
                return value
            }
        }
        var config = AppConfig(
            database: database,
            maxBodyBytes: int("OTKLIK_MAX_BODY", default: 32 << 20, range: 1024...(1 << 30)),
            autoMigrate: bool("OTKLIK_AUTO_MIGRATE", default: true),
            bcryptCost: int("OTKLIK_BCRYPT_COST", default: 12, range: 4...16),
            secureCookies: bool("OTKLIK_SECURE_COOKIES", default: false),
            monitorIntervalSeconds: int("OTKLIK_MONITOR_INTERVAL", default: 60, range: 0...86_400),
            databasePoolTimeoutSeconds: int("OTKLIK_DB_POOL_TIMEOUT", default: 10, range: 1...600)
        )
        config.telegramIntervalSeconds = int("OTKLIK_TELEGRAM_INTERVAL", default: 3, range: 0...3_600)
        config.webhookIntervalSeconds = int("OTKLIK_WEBHOOK_INTERVAL", default: 5, range: 0...3_600)
        config.notificationIntervalSeconds = int("OTKLIK_NOTIFY_INTERVAL", default: 10, range: 0...3_600)
        config.memoIntervalSeconds = int("OTKLIK_MEMO_INTERVAL", default: 300, range: 0...86_400)
        config.textIntervalSeconds = int("OTKLIK_TEXT_INTERVAL", default: 3_600, range: 0...86_400)
        if let raw = env["OTKLIK_PUBLIC_URL"]?.trimmed, !raw.isEmpty {
            if let u = URL(string: raw), ["http", "https"].contains(u.scheme ?? ""), u.host != nil, u.query == nil {
                config.publicURL = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
            } else {
                problems.append("OTKLIK_PUBLIC_URL: ожидался адрес вида https://otklik.admin.example, получено «\(raw.prefix(60))»")
            }
        }
        if let raw = env["OTKLIK_MAP_TILE_URL"]?.trimmed, !raw.isEmpty {
            let probe = raw.replacingOccurrences(of: "{z}", with: "1").replacingOccurrences(of: "{x}", with: "1").replacingOccurrences(of: "{y}", with: "1")
            if let u = URL(string: probe), ["http", "https"].contains(u.scheme ?? ""), u.host != nil,
               ["{z}", "{x}", "{y}"].allSatisfy(raw.contains) {
                config.mapTileURL = raw
                config.mapTileAttribution = env["OTKLIK_MAP_TILE_ATTRIBUTION"]?.trimmed ?? ""
            } else {
                problems.append("OTKLIK_MAP_TILE_URL: ожидался адрес с {z}, {x} и {y}, например https://tiles.example/{z}/{x}/{y}.png, получено «\(raw.prefix(80))»")
            }
        }
        if !problems.isEmpty { throw ConfigError(problems: problems) }
        return config
    }

    /// "32mb", "512kb", "1048576".
    static func parseSize(_ raw: String) -> Int? {
        let s = raw.lowercased().trimmed
        for (suffix, factor) in [("gb", 1 << 30), ("mb", 1 << 20), ("kb", 1 << 10)] where s.hasSuffix(suffix) {
            return Int(s.dropLast(2)).map { $0 * factor }
        }
        return Int(s)
    }
}
