import Fluent
import Foundation

/// One uploaded export: previewed, then imported in the background with progress, then reported.
/// The file is kept until the import finishes (so a preview can be committed later) and then dropped.
final class ImportRun: Model, @unchecked Sendable {
    static let schema = "import_runs"

    enum Status: String, Sendable {
        case previewed, queued, running, done, failed
        var title: String {
            switch self {
            case .previewed: "Предпросмотр"
            case .queued: "В очереди"
            case .running: "Загружается"
            case .done: "Загружено"
            case .failed: "Ошибка"
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "tenant_id") var tenantID: UUID
    @Field(key: "profile_id") var profileID: UUID
    @Field(key: "file_name") var fileName: String
    @Field(key: "file_size") var fileSize: Int
    @OptionalField(key: "file_data") var fileData: Data?
    @Field(key: "status") var status: String
    @OptionalField(key: "preview_json") var previewJSON: String?
    @Field(key: "total_rows") var totalRows: Int
    @Field(key: "processed_rows") var processedRows: Int
    @Field(key: "created_count") var createdCount: Int
    @Field(key: "updated_count") var updatedCount: Int
    @Field(key: "unchanged_count") var unchangedCount: Int
    @Field(key: "rejected_count") var rejectedCount: Int
    @OptionalField(key: "report_json") var reportJSON: String?
    @OptionalField(key: "error") var error: String?
    @OptionalField(key: "created_by_id") var createdByID: UUID?
    @Field(key: "created_by") var createdBy: String
    @Field(key: "created_at") var createdAt: Date
    @OptionalField(key: "started_at") var startedAt: Date?
    @OptionalField(key: "finished_at") var finishedAt: Date?

    init() {}
}
