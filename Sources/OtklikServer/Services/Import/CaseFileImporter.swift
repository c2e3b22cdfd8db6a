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
        let source = try Source.read(decoded.text, format: format, defaultChannel: defaultChannel, summary: &summary)
        summary.rows = source.count
        let parser = CaseDraftParser(now: now, localTimeZone: timeZone)
        let service = CaseIntakeService(db: db, tenantID: tenantID,
                                        actor: IntakeActor(userID: nil, label: actorLabel, source: "import"), now: now)
        let chunks = stride(from: 0, to: source.count, by: chunkSize).map { $0..<min($0 + chunkSize, source.count) }
        var done = 0
        progress(0, source.count)
        // Parsing is pure: the next chunk is parsed on another core while this one is written.
        var next: Task<[Source.Parsed], Never>? = chunks.first.map { range in Task.detached { source.parse(range, parser) } }
        for (k, _) in chunks.enumerated() {
            let parsed = await next!.value
            next = k + 1 < chunks.count ? { let range = chunks[k + 1]; return Task.detached { source.parse(range, parser) } }() : nil
            let results = try await service.intake(parsed.map(\.outcome))
            for (item, result) in zip(parsed, results) {
                switch result {
                case .created: summary.created += 1
                case .existing: summary.existing += 1
                case .rejected(let issues): summary.rejected.append(Rejection(line: item.line, issues: issues))
                }
            }
            done += parsed.count
            progress(done, source.count)
        }
        return summary
    }

    /// The file split into records (cheap), to be parsed chunk by chunk (the expensive part).
    struct Source: Sendable {
        struct Parsed: Sendable { var line: Int; var outcome: CaseDraftParser.Outcome }

        enum Records: Sendable {
            case jsonLines(bytes: [UInt8], lines: [(line: Int, range: Range<Int>)])
            case csv(header: CaseCSVHeader, width: Int, rows: [CSVReader.Row])
        }
        let records: Records
        let defaultChannel: CaseChannel?

        var count: Int {
            switch records {
            case .jsonLines(_, let lines): lines.count
            case .csv(_, _, let rows): rows.count
            }
        }

        static func read(_ text: String, format: Format, defaultChannel: CaseChannel?, summary: inout Summary) throws(FileError) -> Source {
            switch format {
            case .jsonl:
                let bytes = Array(text.utf8)
                var lines: [(Int, Range<Int>)] = []
                var lineNumber = 1, start = 0
                for i in 0...bytes.count where i == bytes.count || bytes[i] == 0x0A {
                    var lo = start, hi = i
                    while lo < hi, bytes[lo] == 0x20 || bytes[lo] == 0x09 || bytes[lo] == 0x0D { lo += 1 }
                    while hi > lo, bytes[hi - 1] == 0x20 || bytes[hi - 1] == 0x09 || bytes[hi - 1] == 0x0D { hi -= 1 }
                    if lo < hi { lines.append((lineNumber, lo..<hi)) }
                    lineNumber += 1
                    start = i + 1
                }
                return Source(records: .jsonLines(bytes: bytes, lines: lines), defaultChannel: defaultChannel)
            case .csv:
                let rows: [CSVReader.Row]
                do { rows = try CSVReader(text: text).rows() } catch { throw FileError(description: error.russian) }
                guard let header = rows.first else { throw FileError(description: "файл пуст: нет строки заголовков") }
                let mapping = CaseCSVHeader(columns: header.fields, channelGiven: defaultChannel != nil)
                if !mapping.missingRequired.isEmpty {
                    throw FileError(description: "в заголовке нет обязательных столбцов: \(mapping.missingRequired.joined(separator: ", ")) (найдены: \(header.fields.joined(separator: ", ")))")
                }
                if !mapping.unknownColumns.isEmpty {
                    summary.warnings.append("столбцы пропущены как неизвестные: \(mapping.unknownColumns.joined(separator: ", "))")
                }
                return Source(records: .csv(header: mapping, width: header.fields.count, rows: Array(rows.dropFirst())),
                              defaultChannel: defaultChannel)
            }
        }

        func parse(_ range: Range<Int>, _ parser: CaseDraftParser) -> [Parsed] {
            range.map { index in
                let (line, record) = self.record(at: index)
                switch record {
                case .failure(let issue): return Parsed(line: line, outcome: .invalid([issue]))
                case .success(var object):
                    if object["channel"] == nil || object["channel"] == .string(""), let ch = defaultChannel {
                        object["channel"] = .string(ch.rawValue)
                    }
                    return Parsed(line: line, outcome: parser.parse(object))
                }
            }
        }

        private func record(at index: Int) -> (Int, Result<[String: JSONValue], FieldIssue>) {
            switch records {
            case .jsonLines(let bytes, let lines):
                let (line, range) = lines[index]
                do {
                    switch try JSONParser.parse(Array(bytes[range])) {
                    case .object(let o): return (line, .success(o))
                    case let v: return (line, .failure(FieldIssue("", "ожидался JSON-объект, получено: \(v.typeName)")))
                    }
                } catch {
                    return (line, .failure(FieldIssue("", "строка не является корректным JSON: \(error.reason) (символ \(error.offset + 1))")))
                }
            case .csv(let header, let width, let rows):
                let row = rows[index]
                if row.fields.count > width {
                    return (row.line, .failure(FieldIssue("", "в строке \(row.fields.count) полей, а в заголовке \(width): проверьте разделители и кавычки")))
                }
                return (row.line, .success(header.record(from: row.fields)))
            }
        }
    }
}
