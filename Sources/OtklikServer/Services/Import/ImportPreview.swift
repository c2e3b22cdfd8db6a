import Foundation

/// What the operator sees before committing an import; stored with the run as JSON (the API's shape).
struct ImportPreview: Codable, Sendable {
    struct Mapping: Codable, Sendable { var field: String; var title: String; var header: String? }
    struct SampleRow: Codable, Sendable { var line: Int; var values: [String] }
    struct Problem: Codable, Sendable { var line: Int; var reason: String }
    struct Unmapped: Codable, Sendable { var kind: String; var kind_title: String; var value: String; var rows: Int }

    var format: String
    var encoding: String
    var sheet: String?
    var header_line: Int
    var headers: [String]
    var mapping: [Mapping]
    var kept: [String]
    var unused: [String]
    var total_rows: Int
    /// Rows whose source number is already a case: they will be compared and updated.
    var existing_rows: Int
    var invalid_rows: Int
    var sample_columns: [String]
    var sample: [SampleRow]
    var problems: [Problem]
    var unmapped: [Unmapped]
    var warnings: [String]
}

/// One line of the result report.
struct ImportReportLine: Codable, Sendable {
    /// created, updated, unchanged, rejected
    var outcome: String
    var line: Int
    var external_id: String?
    var case_number: Int?
    var details: String?

    static func title(_ outcome: String) -> String {
        switch outcome {
        case "created": "создано"
        case "updated": "обновлено"
        case "unchanged": "без изменений"
        case "rejected": "отклонено"
        default: outcome
        }
    }
}
