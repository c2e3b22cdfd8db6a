import Foundation

/// Turns one row of a foreign export into what intake understands (the same record the API takes, so
/// every rule of `CaseDraftParser` applies) plus the source's current state and the values no mapping
/// table knew. Pure: the tables come in, nothing is looked up elsewhere.
public struct ProfileRowMapper: Sendable {
    public struct Mapped: Sendable {
        public var line: Int
        public var record: [String: JSONValue]
        public var state: SourceState
        /// Problems that make the row unusable (on top of what the draft parser finds).
        public var issues: [FieldIssue]
        /// Problems that do not stop the row (an unreadable rating, an unknown territory…).
        public var warnings: [String]
        public var unmapped: [UnmappedValue]
    }

    public let profile: ImportProfile
    public let layout: HeaderLayout
    public let mappings: ImportMappings
    public let timeZone: TimeZone
    private let empties: Set<String>
    /// Longer cells cannot be an empty marker: no need to normalize them (this runs for every cell).
    private let emptyMaxBytes: Int
    private let appealColumns: [Int]
    private let urgentColumns: [Int]

    public init(profile: ImportProfile, layout: HeaderLayout, mappings: ImportMappings, timeZone: TimeZone) {
        self.profile = profile; self.layout = layout; self.mappings = mappings; self.timeZone = timeZone
        self.empties = Set(profile.emptyMarkers.map(SearchText.normalize))
        self.emptyMaxBytes = 4 * (profile.emptyMarkers.map(\.utf8.count).max() ?? 0)
        self.appealColumns = layout.flagColumns(.appeal59, profile: profile)
        self.urgentColumns = layout.flagColumns(.urgent, profile: profile)
    }

    public func map(line: Int, cells: [String]) -> Mapped {
        var out = Mapped(line: line, record: [:], state: SourceState(), issues: [], warnings: [], unmapped: [])
        func value(_ field: ImportField) -> String? {
            guard let i = layout.columns[field], i < cells.count else { return nil }
            return clean(cells[i])
        }
        var record: [String: JSONValue] = ["channel": .string(profile.channel.rawValue)]
        func put(_ key: String, _ field: ImportField) { if let v = value(field) { record[key] = .string(v) } }

        let url = value(.sourceURL)
        if let id = value(.externalID) { record["external_id"] = .string(id) }
        else if let url, layout.columns[.externalID] == nil { record["external_id"] = .string(url) }
        else { out.issues.append(FieldIssue("external_id", "не указан номер в источнике: без него строку нельзя сопоставить при повторной загрузке")) }
        put("received_at", .receivedAt)
        put("title", .title)
        put("source_url", .sourceURL)

        // Rubric: the most specific known level wins; the foreign path is kept as the source category.
        let levels = [value(.category), value(.subcategory), value(.fact)].compactMap { $0 }
        if !levels.isEmpty {
            let path = levels.joined(separator: " / ")
            record["source_category"] = .string(String(path.prefix(CaseDraft.Limits.shortFieldCharacters)))
            var candidates: [String] = []
            for k in stride(from: levels.count, through: 1, by: -1) { candidates.append(levels.prefix(k).joined(separator: " / ")) }
            if let fact = value(.fact) { candidates.insert(fact, at: 1) }
            if let id = candidates.lazy.compactMap({ self.mappings.categories[SearchText.normalize($0)] }).first {
                record["category"] = .string(id)
            } else {
                out.unmapped.append(UnmappedValue(kind: .category, value: path))
            }
        }
        if let text = value(.text) {
            record["text"] = .string(text)
        } else if layout.columns[.text] == nil || profile.kind != .generic {
            // ПОС exports often carry no message text: the case still needs one to be read in the queue.
            let rubric = levels.isEmpty ? "не указана" : levels.joined(separator: " / ")
            record["text"] = .string("[Текст сообщения в выгрузке отсутствует] Рубрика источника: \(rubric)")
        }

        if let p = value(.platform) {
            if let platform = mappings.platforms[SearchText.normalize(p)] { record["platform"] = .string(platform.rawValue) }
            else { out.unmapped.append(UnmappedValue(kind: .platform, value: p)) }
        }
        var author: [String: JSONValue] = [:]
        if let v = value(.authorName) { author["name"] = .string(v) }
        if let v = value(.authorPhone) { author["phone"] = .string(v) }
        if let v = value(.authorEmail) { author["email"] = .string(v) }
        if let v = value(.authorProfileURL) { author["profile_url"] = .string(v) }
        if !author.isEmpty { record["author"] = .object(author) }

        var location: [String: JSONValue] = [:]
        if let v = value(.address) { location["address"] = .string(v) }
        if let v = value(.latitude) { location["latitude"] = .string(v.replacingOccurrences(of: ",", with: ".")) }
        if let v = value(.longitude) { location["longitude"] = .string(v.replacingOccurrences(of: ",", with: ".")) }
        if let t = value(.territory) {
            if let id = mappings.territories[SearchText.normalize(t)] { location["territory"] = .string(id) }
            else { out.unmapped.append(UnmappedValue(kind: .territory, value: t)) }
        }
        if !location.isEmpty { record["location"] = .object(location) }

        if flag(appealColumns, cells) == true { record["legal_regime"] = .string(LegalRegime.appeal59FZ.rawValue) }
        if flag(urgentColumns, cells) == true { record["urgent"] = .bool(true) }
        put("source_deadline", .plannedAt)

        // The source's state.
        var state = SourceState()
        if let s = value(.status) {
            state.status = s
            if let mapped = mappings.statuses[SearchText.normalize(s)] { state.mappedStatus = mapped }
            else { out.unmapped.append(UnmappedValue(kind: .status, value: s)) }
        }
        if let r = value(.result) {
            if let mapped = mappings.results[SearchText.normalize(r)] { state.result = mapped }
            else { out.unmapped.append(UnmappedValue(kind: .result, value: r)) }
        }
        if let o = value(.organisation) {
            if let id = mappings.organisations[SearchText.normalize(o)] { state.organisationRef = id }
            else { out.unmapped.append(UnmappedValue(kind: .organisation, value: o)) }
        }
        if let raw = value(.rating) {
            if let n = Int(raw.replacingOccurrences(of: ",0", with: "")), (1...5).contains(n) { state.rating = n }
            else { out.warnings.append("оценка «\(raw)» не число от 1 до 5: не учтена") }
        }
        if let raw = value(.plannedAt) { state.plannedAt = date(raw) }
        if let raw = value(.completedAt) {
            if let d = date(raw) { state.completedAt = d }
            else { out.issues.append(FieldIssue("completed_at", "«\(raw)»: дата не в формате ДД.ММ.ГГГГ [ЧЧ:ММ]")) }
        }
        for (header, index) in layout.kept where index < cells.count {
            if let v = clean(cells[index]) { state.fields.append((header, String(v.prefix(CaseDraft.Limits.shortFieldCharacters)))) }
        }
        out.record = record
        out.state = state
        return out
    }

    /// Trimmed text, nil when empty or an "empty" marker such as «-».
    private func clean(_ raw: String) -> String? {
        let t = raw.trimmed
        if t.isEmpty || (t.utf8.count <= emptyMaxBytes && empties.contains(SearchText.normalize(t))) { return nil }
        return t
    }

    /// Any of the columns says yes: «Да», «1», «59-ФЗ»…; nil when none of them has a value.
    private func flag(_ columns: [Int], _ cells: [String]) -> Bool? {
        var seen = false
        for i in columns where i < cells.count {
            guard let v = clean(cells[i]) else { continue }
            seen = true
            let n = SearchText.normalize(v)
            if ["да", "yes", "true", "1", "+", "истина"].contains(n) || n.contains("59") { return true }
        }
        return seen ? false : nil
    }

    private func date(_ raw: String) -> Date? {
        if let d = try? TimeText.parseRussianLocal(raw, in: timeZone) { return d }
        return try? TimeText.parseRFC3339(raw)
    }
}
