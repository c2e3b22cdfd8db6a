/// Where a profile's fields sit in one file: found by header name (case, ё/е and spacing ignored),
/// never by position. Exports often start with a title block above the table, so the header row is the
/// first of the leading rows that names the most of the profile's columns.
public struct HeaderLayout: Sendable {
    /// Field → column index.
    public let columns: [ImportField: Int]
    /// Kept header → column index, in file order.
    public let kept: [(header: String, index: Int)]
    public let headers: [String]
    /// Required fields without a column.
    public let missing: [ImportField]
    /// Non-empty headers that the profile neither maps nor keeps.
    public let unused: [String]

    public init(headers: [String], profile: ImportProfile) {
        let normalized = headers.map(Self.normalize)
        var firstIndex: [String: Int] = [:]
        for (i, h) in normalized.enumerated() where !h.isEmpty && firstIndex[h] == nil { firstIndex[h] = i }
        var columns: [ImportField: Int] = [:]
        var used = Set<Int>()
        for field in ImportField.allCases {
            for name in profile.headers(for: field) {
                if let i = firstIndex[Self.normalize(name)] { columns[field] = i; used.insert(i); break }
            }
        }
        // Flags may come from several columns (ПОС: «ФЗ» and «Заявитель выбрал подачу по 59-ФЗ»).
        var kept: [(String, Int)] = []
        let keepSet = Set(profile.keep.map(Self.normalize))
        for (i, h) in normalized.enumerated() where keepSet.contains(h) {
            kept.append((headers[i].trimmed, i)); used.insert(i)
        }
        for field in ImportField.allCases where field.isFlag {
            for name in profile.headers(for: field) { if let i = firstIndex[Self.normalize(name)] { used.insert(i) } }
        }
        self.columns = columns
        self.kept = kept
        self.headers = headers
        self.missing = profile.requiredFields.filter { field in
            // A publication link identifies an incident as well as a number does.
            columns[field] == nil && !(field == .externalID && columns[.sourceURL] != nil)
        }
        self.unused = headers.indices.filter { !used.contains($0) && !normalized[$0].isEmpty }.map { headers[$0].trimmed }
    }

    /// Column indices of every header of a flag field that the file has.
    public func flagColumns(_ field: ImportField, profile: ImportProfile) -> [Int] {
        let normalized = headers.map(Self.normalize)
        return profile.headers(for: field).compactMap { name in normalized.firstIndex(of: Self.normalize(name)) }
    }

    /// How many of the profile's headers a row names (to find the header row).
    public static func score(_ cells: [String], profile: ImportProfile) -> Int {
        var names = Set<String>()
        for field in ImportField.allCases { for n in profile.headers(for: field) { names.insert(normalize(n)) } }
        for n in profile.keep { names.insert(normalize(n)) }
        return Set(cells.map(normalize)).intersection(names).count
    }

    /// Picks the header row among the first rows: the best-scoring one; when none scores (a new profile
    /// names no column yet), the first of the widest rows, since a title block above a table is narrower.
    public static func headerRowIndex(_ rows: [[String]], profile: ImportProfile) -> Int {
        var best = 0, bestScore = 0
        for (i, row) in rows.prefix(20).enumerated() {
            let s = score(row, profile: profile)
            if s > bestScore { best = i; bestScore = s }
        }
        guard bestScore == 0 else { return best }
        var widest = 0, width = 0
        for (i, row) in rows.prefix(20).enumerated() {
            let w = row.filter { !$0.trimmed.isEmpty }.count
            if w > width { widest = i; width = w }
        }
        return widest
    }

    public static func normalize(_ header: String) -> String {
        var h = SearchText.normalize(header.replacingOccurrences(of: "\u{FEFF}", with: ""))
        while let last = h.last, last == "*" || last == ":" || last == " " { h.removeLast() }
        return h
    }
}
