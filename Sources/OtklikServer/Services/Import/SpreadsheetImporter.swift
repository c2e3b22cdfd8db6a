import Fluent
import Foundation
import OtklikCore
import SQLKit

/// Imports a foreign export (ПОС, «Инцидент Менеджмент», an administrator's own layout) through a
/// mapping profile: a preview pass that writes nothing, and a run that registers new cases through the
/// common intake and brings known ones up to date (`SourceSync`), chunk by chunk, reporting progress.
struct SpreadsheetImporter {
    struct Failure: Error, Sendable { var russian: String }
    struct Counts: Sendable { var created = 0, updated = 0, unchanged = 0, rejected = 0 }

    let db: any Database
    let tenantID: UUID
    let timeZone: TimeZone
    let profile: ImportProfile
    var now = Date()
    var chunkSize = 5_000

    /// The file opened with its header found and checked against the profile.
    struct Opened {
        var source: SpreadsheetSource
        var headerIndex: Int
        var headerLine: Int
        var layout: HeaderLayout
        var mapper: ProfileRowMapper
    }

    func open(_ data: Data) async throws -> Opened {
        guard !data.isEmpty else { throw Failure(russian: "файл пуст") }
        var source: SpreadsheetSource
        do { source = try SpreadsheetSource.open(data) } catch { throw Failure(russian: error.russian) }
        let leading = source.leadingRows
        guard !leading.isEmpty else { throw Failure(russian: "в файле нет ни одной строки с данными") }
        let headerIndex = HeaderLayout.headerRowIndex(leading.map(\.cells), profile: profile)
        let headers = leading[headerIndex].cells
        let layout = HeaderLayout(headers: headers, profile: profile)
        if !layout.missing.isEmpty {
            let names = layout.missing.map { f in "«\(profile.headers(for: f).first ?? f.title)» (\(f.title.lowercased()))" }
            let found = headers.filter { !$0.trimmed.isEmpty }.map { "«\($0.trimmed)»" }.prefix(40).joined(separator: ", ")
            throw Failure(russian: "в файле нет обязательных столбцов для профиля «\(profile.name)»: \(names.joined(separator: ", ")). Найдены столбцы: \(found.isEmpty ? "нет" : found)")
        }
        let mappings = try await ImportMappingsLoader.load(tenantID: tenantID, on: db)
        let mapper = ProfileRowMapper(profile: profile, layout: layout, mappings: mappings, timeZone: timeZone)
        return Opened(source: source, headerIndex: headerIndex, headerLine: leading[headerIndex].line, layout: layout, mapper: mapper)
    }

    /// The header row of a sample file, for the profile editor's «pick the columns» table: the row that
    /// names most of the profile's columns, the first row when none does (a new profile names none yet).
    static func sampleHeaders(_ data: Data, profile: ImportProfile) throws -> (headers: [String], line: Int) {
        guard !data.isEmpty else { throw Failure(russian: "файл пуст") }
        let source: SpreadsheetSource
        do { source = try SpreadsheetSource.open(data) } catch { throw Failure(russian: error.russian) }
        let leading = source.leadingRows
        guard !leading.isEmpty else { throw Failure(russian: "в файле нет ни одной строки с данными") }
        let row = leading[HeaderLayout.headerRowIndex(leading.map(\.cells), profile: profile)]
        return (row.cells.map(\.trimmed), row.line)
    }

    /// Reads the whole file without writing: mapping, counts, problems, unmapped values, a sample.
    func preview(_ data: Data) async throws -> ImportPreview {
        let f = try await open(data)
        let parser = CaseDraftParser(now: now, localTimeZone: timeZone)
        let sampleFields: [ImportField] = [.externalID, .receivedAt, .category, .subcategory, .fact, .organisation, .status, .text]
            .filter { f.layout.columns[$0] != nil }
        var preview = ImportPreview(
            format: f.source.format.rawValue, encoding: f.source.encoding, sheet: f.source.sheetName,
            header_line: f.headerLine, headers: f.layout.headers.map(\.trimmed),
            mapping: ImportField.allCases.map { field in
                .init(field: field.rawValue, title: field.title, header: f.layout.columns[field].map { f.layout.headers[$0].trimmed })
            },
            kept: f.layout.kept.map(\.header), unused: f.layout.unused, total_rows: 0, existing_rows: 0, invalid_rows: 0,
            sample_columns: sampleFields.map { f.layout.headers[f.layout.columns[$0]!].trimmed }, sample: [], problems: [],
            unmapped: [], warnings: [])
        if f.source.encoding == TextDecoding.Encoding.cp1251.rawValue {
            preview.warnings.append("файл в кодировке Windows-1251: перекодирован автоматически")
        }
        if !f.layout.unused.isEmpty {
            preview.warnings.append("столбцы не используются профилем: \(f.layout.unused.prefix(30).joined(separator: ", "))")
        }
        var unmapped: [UnmappedValue: Int] = [:]
        var externalIDs: [String] = []
        // The XML of the next chunk is read on the other core while this one is checked.
        let reader = ChunkReader(opened: f, chunkSize: chunkSize, parser: parser)
        var next = Task { try reader.read() }
        while true {
            let rows = try await next.value
            if rows.isEmpty { break }
            next = Task { try reader.read() }
            preview.total_rows += rows.count
            guard preview.total_rows <= SpreadsheetSource.maxRows else {
                throw Failure(russian: "в файле больше \(SpreadsheetSource.maxRows.formatted(.number.grouping(.automatic).locale(Locale(identifier: "ru_RU")))) строк: разделите выгрузку по периодам и загрузите частями")
            }
            for (row, (m, outcome)) in zip(rows, await ChunkReader.check(rows, mapper: f.mapper, parser: parser)) {
                for u in Set(m.unmapped) { unmapped[u, default: 0] += 1 }
                if case .invalid(let issues) = outcome {
                    preview.invalid_rows += 1
                    if preview.problems.count < 50 { preview.problems.append(.init(line: row.line, reason: describe(issues, f.layout))) }
                } else if case .string(let id)? = m.record["external_id"] {
                    externalIDs.append(id)
                }
                if preview.sample.count < 10 {
                    preview.sample.append(.init(line: row.line, values: sampleFields.map { field in
                        let i = f.layout.columns[field]!
                        let v = i < row.cells.count ? row.cells[i] : ""
                        return v.count > 160 ? String(v.prefix(160)) + "…" : v
                    }))
                }
                for w in m.warnings where preview.warnings.count < 30 { preview.warnings.append("строка \(row.line): \(w)") }
            }
        }
        preview.existing_rows = try await existingCount(externalIDs)
        preview.unmapped = unmapped.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(200).map {
            .init(kind: $0.key.kind.rawValue, kind_title: $0.key.kind.title, value: $0.key.value, rows: $0.value)
        }
        return preview
    }

    /// Imports every row; `progress` gets (rows done, rows in the file) after each chunk.
    func run(_ data: Data, actor: IntakeActor,
             progress: @Sendable (Int, Counts) async throws -> Void) async throws -> (Counts, [ImportReportLine]) {
        let f = try await open(data)
        let parser = CaseDraftParser(now: now, localTimeZone: timeZone)
        let intake = CaseIntakeService(db: db, tenantID: tenantID, actor: actor, now: now)
        let sync = SourceSync(db: db, tenantID: tenantID, actor: actor, timeZone: timeZone, now: now)
        var counts = Counts()
        var report: [ImportReportLine] = []
        var done = 0
        // The next chunk is read and mapped on the other core while this one is written: reading the XML
        // and checking rows costs about as much as storing them.
        let reader = ChunkReader(opened: f, chunkSize: chunkSize, parser: parser)
        var next = Task { try await reader.next() }
        while true {
            let (mapped, outcomes) = try await next.value
            if mapped.isEmpty { break }
            next = Task { try await reader.next() }
            let results = try await intake.intake(outcomes, states: mapped.map(\.state))
            var toSync: [(caseID: UUID, state: SourceState)] = []
            var numbers: [UUID: Int] = [:]
            for (m, result) in zip(mapped, results) {
                if case .existing(let id, let number) = result { toSync.append((id, m.state)); numbers[id] = number }
            }
            let synced = try await sync.apply(toSync)
            for (m, result) in zip(mapped, results) {
                let ext: String? = if case .string(let s)? = m.record["external_id"] { s } else { nil }
                switch result {
                case .created(_, let number):
                    counts.created += 1
                    report.append(.init(outcome: "created", line: m.line, external_id: ext, case_number: number,
                                        details: m.warnings.isEmpty ? nil : m.warnings.joined(separator: "; ")))
                case .existing(let id, let number):
                    if case .updated(let changes)? = synced[id] {
                        counts.updated += 1
                        report.append(.init(outcome: "updated", line: m.line, external_id: ext, case_number: number,
                                            details: changes.joined(separator: "; ")))
                    } else {
                        counts.unchanged += 1
                        report.append(.init(outcome: "unchanged", line: m.line, external_id: ext, case_number: number, details: nil))
                    }
                case .rejected(let issues):
                    counts.rejected += 1
                    report.append(.init(outcome: "rejected", line: m.line, external_id: ext, case_number: nil,
                                        details: describe(issues, f.layout)))
                }
            }
            done += mapped.count
            try await progress(done, counts)
        }
        return (counts, report)
    }

    /// The opened file read one chunk at a time by one task after another (never two at once: the run
    /// awaits each before starting the next), hence unchecked sendability.
    private final class ChunkReader: @unchecked Sendable {
        var opened: Opened
        let chunkSize: Int
        let parser: CaseDraftParser
        init(opened: Opened, chunkSize: Int, parser: CaseDraftParser) { self.opened = opened; self.chunkSize = chunkSize; self.parser = parser }

        func read() throws -> [SpreadsheetSource.Row] {
            do { return try opened.source.next(chunkSize, afterHeader: opened.headerIndex) } catch { throw Failure(russian: error.russian) }
        }

        func next() async throws -> ([ProfileRowMapper.Mapped], [CaseDraftParser.Outcome]) {
            let rows = try read()
            let done = await Self.check(rows, mapper: opened.mapper, parser: parser)
            return (done.map(\.0), done.map(\.1))
        }

        /// Maps and checks rows in two halves at once: on two cores checking is no longer the slow part.
        static func check(_ rows: [SpreadsheetSource.Row], mapper: ProfileRowMapper,
                          parser: CaseDraftParser) async -> [(ProfileRowMapper.Mapped, CaseDraftParser.Outcome)] {
            func work(_ part: ArraySlice<SpreadsheetSource.Row>) -> [(ProfileRowMapper.Mapped, CaseDraftParser.Outcome)] {
                part.map { row in
                    let m = mapper.map(line: row.line, cells: row.cells)
                    return (m, SpreadsheetImporter.outcome(m, parser))
                }
            }
            guard rows.count > 200 else { return work(rows[...]) }
            let middle = rows.count / 2
            async let first = work(rows[..<middle])
            let second = work(rows[middle...])
            return await first + second
        }
    }

    /// A mapped row as intake sees it: the mapper's problems come first, then the draft parser's.
    static func outcome(_ m: ProfileRowMapper.Mapped, _ parser: CaseDraftParser) -> CaseDraftParser.Outcome {
        let parsed = parser.parse(m.record)
        guard !m.issues.isEmpty else { return parsed }
        if case .invalid(let more) = parsed { return .invalid(m.issues + more) }
        return .invalid(m.issues)
    }

    /// Field issues in the file's own words: the header the user sees instead of an API key.
    func describe(_ issues: [FieldIssue], _ layout: HeaderLayout) -> String {
        issues.map { issue in
            if let field = Self.fieldOfKey[issue.field], let i = layout.columns[field] {
                return "«\(layout.headers[i].trimmed)»: \(issue.reason)"
            }
            return issue.field.isEmpty ? issue.reason : "\(issue.field): \(issue.reason)"
        }.joined(separator: "; ")
    }

    /// The intake record's keys (as `FieldIssue.field` names them) → the profile field that fills them.
    private static let fieldOfKey: [String: ImportField] = [
        "external_id": .externalID, "received_at": .receivedAt, "text": .text, "title": .title, "category": .category,
        "source_url": .sourceURL, "platform": .platform, "author.name": .authorName, "author.phone": .authorPhone,
        "author.email": .authorEmail, "author.profile_url": .authorProfileURL, "location.address": .address,
        "location.latitude": .latitude, "location.longitude": .longitude, "location.territory": .territory,
        "source_deadline": .plannedAt, "completed_at": .completedAt,
    ]

    private func existingCount(_ ids: [String]) async throws -> Int {
        try await CaseIntakeService.existingCases(idsByChannel: [profile.channel.rawValue: Set(ids)], tenantID: tenantID,
                                                  sql: db as! any SQLDatabase).count
    }
}
