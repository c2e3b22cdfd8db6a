import Fluent
import Foundation

/// A notification on its way out of Otklik: a letter to one person (SMTP connector) or a post to the
/// operators' alert chat (Telegram connector). pending → sent, or failed after the last retry. The queue
/// is also the delivery log an administrator reads.
final class NotificationDelivery: Model, @unchecked Sendable {
    static let schema = "notification_deliveries"

    enum Channel: String, Sendable {
        case email, telegram
    }

    enum Status: String, Sendable {
        case pending, sent, failed
        var title: String {
            switch self {
            case .pending: "ожидает отправки"
            case .sent: "отправлено"
            case .failed: "не отправлено"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "connector_id") var connectorID: UUID
    @Field(key: "channel") var channel: String
    /// The same event reaches the same address once, whichever app instance saw it.
    @Field(key: "dedupe_key") var dedupeKey: String
    @Field(key: "kind") var kind: String
    @OptionalField(key: "case_id") var caseID: UUID?
    @OptionalField(key: "user_id") var userID: UUID?
    /// The information risk an alert-chat post is about.
    @OptionalField(key: "risk_id") var riskID: UUID?
    /// The e-mail address or the chat id.
    @Field(key: "recipient") var recipient: String
    @Field(key: "subject") var subject: String
    @Field(key: "body") var body: String
    @Field(key: "status") var status: String
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "next_attempt_at") var nextAttemptAt: Date?
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "sent_at") var sentAt: Date?

    init() {}
}
