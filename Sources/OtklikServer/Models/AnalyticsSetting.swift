import Fluent
import Foundation

/// A municipality's analytics settings: for now the weights of the composite rating (JSON).
final class AnalyticsSetting: Model, @unchecked Sendable {
    static let schema = "analytics_settings"
    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "weights_json") var weightsJSON: String
    @Field(key: "version") var version: Int
    @Field(key: "updated_at") var updatedAt: Date
    @Field(key: "updated_by") var updatedBy: String
    init() {}
}
