import Fluent
import Foundation
import OtklikCore

/// Imports cases from a JSON Lines or CSV file through the same intake as the API. Works in chunks,
/// each its own transaction; re-running a file is safe for rows that carry an external id.
struct CaseFileImporter {
    enum Format: String, Sendable { case csv, jsonl }

    struct Rejection: Sendable, Equatable {
        var line: Int
        var issues: [FieldIssue]
    }

    struct Summary: Sendable {
        var format: Format
        var encoding: String
        var rows = 0
        var created = 0
        var existing = 0
        var rejected: [Rejection] = []
        var warnings: [String] = []
    }

    /// A problem with the whole file: nothing was imported.
    struct FileError: Error, CustomStringConvertible, Sendable {
        var description: String
    }

    let db: any Database
    let tenantID: UUID
    let timeZone: TimeZone
    var defaultChannel: CaseChannel?
    var chunkSize = 5_000
    var now = Date()
    var actorLabel = "импорт из файла"

    static func format(for path: String, explicit: String?) throws(FileError) -> Format {
        if let explicit {
            guard let f = Format(rawValue: explicit.lowercased()) else {
                throw FileError(description: "неизвестный формат «\(explicit)»: укажите csv или jsonl")
            }
            return f
        }
        switch URL(fileURLWithPath: path).pathExtension.lowercased() {
        case "csv", "tsv", "txt": return .csv
        case "jsonl", "ndjson", "json": return .jsonl
        default: throw FileError(description: "не удалось определить формат по расширению файла; укажите --format csv или --format jsonl")
        }
    }

    func run(bytes: [UInt8], format: Format, progress: (Int, Int) -> Void = { _, _ in }) async throws -> Summary {
        let decoded: (text: String, encoding: TextDecoding.Encoding)
        do { decoded = try TextDecoding.decode(bytes) } catch { throw FileError(description: error.russian) }
        var summary = Summary(format: format, encoding: decoded.encoding.rawValue)
        if decoded.encoding == .cp1251 {
            summary.warnings.append("файл в кодировке Windows-1251: перекодирован автоматически")
        }
        let records = try records(from: decoded.text, format: format, summary: &summary)
        summary.rows = records.count
        let parser = CaseDraftParser(now: now, localTimeZone: timeZone)
        let service = CaseIntakeService(db: db, tenantID: tenantID,
                                        actor: IntakeActor(userID: nil, label: actorLabel, source: "import"), now: now)
        var done = 0
        progress(0, records.count)
        for chunk in records.chunked(chunkSize) {
            let outcomes: [CaseDraftParser.Outcome] = chunk.map { item in
                switch item.record {
                case .failure(let issue): return .invalid([issue])
                case .success(var object):
                    if object["channel"] == nil || object["channel"] == .string(""), let ch = defaultChannel {
                        object["channel"] = .string(ch.rawValue)
                    }
                    return parser.parse(object)
                }
            }
            let results = try await service.intake(outcomes)
            for (item, result) in zip(chunk, results) {
                switch result {
                case .created: summary.created += 1
                case .existing: summary.existing += 1
                case .rejected(let issues): summary.rejected.append(Rejection(line: item.line, issues: issues))
                }
            }
            done += chunk.count
            progress(done, records.count)
        }
        return summary
    }

    private func records(from text: String, format: Format, summary: inout Summary) throws(FileError)
        -> [(line: Int, record: Result<[String: JSONValue], FieldIssue>)] {
        switch format {
        case .jsonl:
            var out: [(Int, Result<[String: JSONValue], FieldIssue>)] = []
            let decoder = JSONDecoder()
            var lineNumber = 0
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                lineNumber += 1
                let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                if trimmed.isEmpty { continue }
                switch try? decoder.decode(JSONValue.self, from: Data(trimmed.utf8)) {
                case .object(let o)?: out.append((lineNumber, .success(o)))
                case nil: out.append((lineNumber, .failure(FieldIssue("", "строка не является корректным JSON"))))
                case let v?: out.append((lineNumber, .failure(FieldIssue("", "ожидался JSON-объект, получено: \(v.typeName)"))))
                }
            }
            return out
        case .csv:
            let reader = CSVReader(text: text)
            let rows: [CSVReader.Row]
            do { rows = try reader.rows() } catch { throw FileError(description: error.russian) }
            guard let header = rows.first else { throw FileError(description: "файл пуст: нет строки заголовков") }
            let mapping = CaseCSVHeader(columns: header.fields, channelGiven: defaultChannel != nil)
            if !mapping.missingRequired.isEmpty {
                throw FileError(description: "в заголовке нет обязательных столбцов: \(mapping.missingRequired.joined(separator: ", ")) (найдены: \(header.fields.joined(separator: ", ")))")
            }
            if !mapping.unknownColumns.isEmpty {
                summary.warnings.append("столбцы пропущены как неизвестные: \(mapping.unknownColumns.joined(separator: ", "))")
            }
            return rows.dropFirst().map { row in
                if row.fields.count > header.fields.count {
                    return (row.line, .failure(FieldIssue("", "в строке \(row.fields.count) полей, а в заголовке \(header.fields.count): проверьте разделители и кавычки")))
                }
                return (row.line, .success(mapping.record(from: row.fields)))
            }
        }
    }
}
