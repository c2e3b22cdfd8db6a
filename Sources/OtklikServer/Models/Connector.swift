import Fluent
import Foundation

/// One outside connection of a municipality. `secret` (VK secret key, bot token, password…) is used by
/// the server only: no page, API answer or log line shows more than its last four characters.
final class Connector: Model, @unchecked Sendable {
    static let schema = "connectors"

    enum Kind: String, Sendable, CaseIterable {
        case vk, telegram, webhook, smtp
        var title: String {
            switch self {
            case .smtp: "Почтовый сервер (SMTP): уведомления на e-mail"
            case .vk: "Сообщество ВКонтакте (Callback API)"
            case .telegram: "Telegram-бот"
            case .webhook: "Вебхук: события обращений внешней системе"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "kind") var kind: String
    @Field(key: "name") var name: String
    @Field(key: "config_json") var configJSON: String
    @OptionalField(key: "secret") var secret: String?
    @Field(key: "enabled") var enabled: Bool
    @Field(key: "version") var version: Int
    @OptionalField(key: "last_event_at") var lastEventAt: Date?
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "updated_by") var updatedBy: String

    init() {}
}
