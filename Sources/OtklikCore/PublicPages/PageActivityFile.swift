/// A file of the official pages' last publication dates (an export from a monitoring service or a table
/// kept by hand): a column with the page address and one with the date. Every row is checked before
/// anything is written; problems are named with their line.
public enum PageActivityFile {
    public struct Row: Sendable, Equatable {
        public var line: Int
        public var url: String
        public var day: LocalDay
    }

    public struct Problems: Error, Sendable { public var issues: [FieldIssue] }

    static let urlColumns = ["адрес страницы", "страница", "ссылка", "url", "адрес"]
    static let dateColumns = ["дата последней публикации", "последняя публикация", "дата публикации", "дата", "last_post_on"]

    /// Rows, or the problems of the file (nothing is usable then).
    public static func read(_ bytes: [UInt8], today: LocalDay) -> Result<[Row], Problems> {
        let table: CSVTable
        do { table = try CSVTable(bytes: bytes) } catch { return .failure(Problems(issues: [FieldIssue("file", error.russian)])) }
        let names = table.header.map { $0.lowercased().trimmed }
        guard let u = urlColumns.lazy.compactMap({ names.firstIndex(of: $0) }).first,
              let d = dateColumns.lazy.compactMap({ names.firstIndex(of: $0) }).first else {
            return .failure(Problems(issues: [FieldIssue("file", "нужны столбцы «Адрес страницы» и «Дата последней публикации»; в файле: "
                                                         + table.header.map { "«\($0)»" }.joined(separator: ", "))]))
        }
        var rows: [Row] = [], issues: [FieldIssue] = []
        for r in table.rows where !r.fields.allSatisfy({ $0.trimmed.isEmpty }) {
            let line = "строка \(r.line)"
            let url: String
            switch WebLink.parse(r.fields[u]) {
            case .success(let link): url = link.text
            case .failure(let why): issues.append(FieldIssue(line, why.text)); continue
            }
            let raw = r.fields[d].trimmed.split(separator: " ").first.map(String.init) ?? ""
            guard let day = LocalDay(raw) else { issues.append(FieldIssue(line, "дата «\(r.fields[d].trimmed)» — ожидается 10.12.2026 или 2026-12-10")); continue }
            if day > today { issues.append(FieldIssue(line, "дата \(day.russian) ещё не наступила")); continue }
            rows.append(Row(line: r.line, url: url, day: day))
        }
        if rows.isEmpty && issues.isEmpty { issues.append(FieldIssue("file", "в файле нет строк со страницами")) }
        return issues.isEmpty ? .success(rows) : .failure(Problems(issues: issues))
    }
}
