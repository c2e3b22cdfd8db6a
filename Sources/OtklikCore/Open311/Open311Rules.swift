import Foundation

/// How Otklik's cases read in GeoReport v2 terms, and the checks of the standard's parameters.
public enum Open311 {
    /// The standard knows two states; our finer status goes into `status_notes`.
    public static func status(_ s: CaseStatus) -> String {
        s == .closed ? "closed" : "open"
    }

    /// The filters of `GET requests`: the standard's defaults (the last 90 days, at most 1 000 requests).
    public struct RequestFilter: Sendable, Equatable {
        public var numbers: [Int] = []
        public var serviceCodes: [String] = []
        public var start: Date?
        public var end: Date?
        public var status: String?
        public static let maxResults = 1_000

        public init(numbers: [Int] = [], serviceCodes: [String] = [], start: Date? = nil, end: Date? = nil, status: String? = nil) {
            self.numbers = numbers; self.serviceCodes = serviceCodes; self.start = start; self.end = end; self.status = status
        }
        public static let defaultWindow: TimeInterval = 90 * 86_400

        /// Parses the query; the issues name the standard's parameter and say what is wrong in Russian.
        public static func parse(_ query: [String: String], now: Date) -> (RequestFilter?, [FieldIssue]) {
            var f = RequestFilter()
            var issues: [FieldIssue] = []
            if let raw = query["service_request_id"], !raw.trimmed.isEmpty {
                let parts = raw.split(separator: ",").map { String($0).trimmed }
                if parts.count > maxResults { issues.append(FieldIssue("service_request_id", "не больше \(maxResults) номеров за раз")) }
                for p in parts.prefix(maxResults) {
                    if let n = Int(p), n > 0 { f.numbers.append(n) } else { issues.append(FieldIssue("service_request_id", "«\(p)» — не номер обращения")) }
                }
            }
            if let raw = query["service_code"], !raw.trimmed.isEmpty {
                f.serviceCodes = raw.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
            }
            for key in ["start_date", "end_date"] {
                guard let raw = query[key]?.trimmed, !raw.isEmpty else { continue }
                guard let date = try? TimeText.parseRFC3339(raw) else {
                    issues.append(FieldIssue(key, "дата «\(raw)» не в формате W3C (например, 2026-11-21T09:00:00+07:00)"))
                    continue
                }
                if key == "start_date" { f.start = date } else { f.end = date }
            }
            if let s = f.start, let e = f.end, e < s { issues.append(FieldIssue("end_date", "конец периода раньше начала")) }
            if let raw = query["status"]?.trimmed.lowercased(), !raw.isEmpty {
                let values = raw.split(separator: ",").map { String($0).trimmed }
                if let bad = values.first(where: { $0 != "open" && $0 != "closed" }) {
                    issues.append(FieldIssue("status", "«\(bad)»: допустимо open или closed"))
                } else if values.count == 1 {
                    f.status = values[0]
                }
            }
            guard issues.isEmpty else { return (nil, issues) }
            // Without numbers the standard's window applies: the last 90 days, or 90 days from a given start.
            if f.numbers.isEmpty {
                if f.start == nil && f.end == nil { f.start = now.addingTimeInterval(-defaultWindow) }
                else if f.start == nil, let e = f.end { f.start = e.addingTimeInterval(-defaultWindow) }
            }
            return (f, [])
        }
    }
}
