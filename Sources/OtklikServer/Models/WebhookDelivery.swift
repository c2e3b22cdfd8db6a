import Fluent
import Foundation

/// One case event for one webhook subscriber: pending → delivered, or failed after the last retry.
final class WebhookDelivery: Model, @unchecked Sendable {
    static let schema = "webhook_deliveries"

    enum Status: String, Sendable {
        case pending, delivered, failed
        var title: String {
            switch self {
            case .pending: "ожидает отправки"
            case .delivered: "доставлено"
            case .failed: "не доставлено"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "connector_id") var connectorID: UUID
    @Field(key: "event_id") var eventID: UUID
    @Field(key: "case_id") var caseID: UUID
    @Field(key: "case_number") var caseNumber: Int
    @Field(key: "event_kind") var eventKind: String
    @Field(key: "payload_json") var payloadJSON: String
    @Field(key: "status") var status: String
    @Field(key: "attempts") var attempts: Int
    @OptionalField(key: "next_attempt_at") var nextAttemptAt: Date?
    @OptionalField(key: "last_status_code") var lastStatusCode: Int?
    @OptionalField(key: "last_error") var lastError: String?
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "delivered_at") var deliveredAt: Date?

    init() {}
}
