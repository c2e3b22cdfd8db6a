import FluentKit
import Foundation
import OtklikCore
import SQLKit

/// The bench data generator for analytics: N cases over the two years before now in the demo
/// municipality's own reference books, with a realistic mix — channels and topics skewed as in real
/// centres (a few carry most of the volume), yearly seasonality and quiet weekends, territories with
/// coordinates near their centres, the lifecycle's outcomes by age (old cases mostly closed, with results,
/// ratings, silences, reopenings, returns; young ones spread over the open statuses) and the clocks the
/// KPIs read. Written straight through SQL in chunks, so a million cases take minutes, not hours.
enum AnalyticsData {
    struct Books {
        var tenant: UUID
        /// Leaf topics with the block and organisation their parents name by default.
        var facts: [(id: UUID, block: UUID?, organisation: UUID?)]
        var territories: [(id: UUID, lat: Double, lon: Double)]
        var executors: [UUID: [UUID]]
    }

    static let caseColumns = ["id", "tenant_id", "number", "channel", "external_id", "received_at", "legal_regime", "status", "result",
                              "text", "search_text", "address", "latitude", "longitude", "territory_id", "attachments_json",
                              "category_id", "block_id", "organisation_id", "executor_id", "tags_json", "version", "created_at",
                              "updated_at", "urgent", "reopen_count", "return_count", "first_response_at", "feedback_rating",
                              "accepted_by_silence", "closed_at", "next_due_at"]
    static let clockColumns = ["id", "tenant_id", "case_id", "kind", "rule", "started_at", "due_at", "original_due_at",
                               "stopped_at", "outcome", "escalation_level", "used_fallback"]

    static func books(_ sql: any SQLDatabase, slug: String) async throws -> Books {
        struct M: Decodable { var id: UUID }
        let tenant = try await sql.raw("SELECT id FROM municipalities WHERE slug = \(bind: slug)").first(decoding: M.self)!.id
        struct R: Decodable { var id: UUID; var parent_id: UUID?; var level: String; var default_block_id: UUID?; var default_organisation_id: UUID? }
        let rubrics = try await sql.raw("SELECT id, parent_id, level, default_block_id, default_organisation_id FROM rubrics WHERE tenant_id = \(bind: tenant)")
            .all(decoding: R.self)
        let byID = Dictionary(uniqueKeysWithValues: rubrics.map { ($0.id, $0) })
        func inherited(_ r: R, _ key: KeyPath<R, UUID?>) -> UUID? {
            var current: R? = r
            while let c = current { if let v = c[keyPath: key] { return v }; current = c.parent_id.flatMap { byID[$0] } }
            return nil
        }
        let facts = rubrics.filter { $0.level == "fact" }.sorted { $0.id.uuidString < $1.id.uuidString }
            .map { (id: $0.id, block: inherited($0, \.default_block_id), organisation: inherited($0, \.default_organisation_id)) }
        struct T: Decodable { var id: UUID; var latitude: Double?; var longitude: Double? }
        let territories = try await sql.raw("SELECT id, latitude, longitude FROM territories WHERE tenant_id = \(bind: tenant) ORDER BY name")
            .all(decoding: T.self).map { (id: $0.id, lat: $0.latitude ?? 56.1, lon: $0.longitude ?? 92.9) }
        struct E: Decodable { var user_id: UUID; var organisation_id: UUID? }
        let executors = try await sql.raw("SELECT user_id, organisation_id FROM role_assignments WHERE tenant_id = \(bind: tenant) AND role = 'executor'")
            .all(decoding: E.self)
        var byOrg: [UUID: [UUID]] = [:]
        for e in executors { if let o = e.organisation_id { byOrg[o, default: []].append(e.user_id) } }
        return Books(tenant: tenant, facts: facts, territories: territories, executors: byOrg)
    }

    /// Writes `count` cases and their clocks; returns the seconds spent and prints progress.
    static func load(_ db: any Database, books: Books, count: Int, now: Date) async throws -> TimeInterval {
        let started = Date()
        var rng = SplitMix64(seed: 2026)
        func unit() -> Double { Double(rng.next() >> 11) / Double(1 << 53) }
        func pick<T>(_ items: [T], weights: [Double]) -> T {
            var r = unit() * weights.reduce(0, +)
            for (i, w) in weights.enumerated() { r -= w; if r <= 0 { return items[i] } }
            return items[items.count - 1]
        }
        let channels: [CaseChannel] = [.incidentManager, .pos, .officialPages, .hotline, .regionalPlatform, .email, .governorPages,
                                       .manualMonitoring, .webForm, .personalReception, .telegramBot, .open311]
        let channelWeights: [Double] = [30, 28, 8, 8, 6, 5, 4, 3, 3, 2, 2, 1]
        let factWeights = books.facts.indices.map { 1 / Double($0 + 2) }   // a long tail: the first topics carry the most
        let territoryWeights = books.territories.indices.map { 1 / Double($0 + 3) }
        let span = 730.0 * 86_400
        // Arrival times first, in order: a real database receives its cases in time order, so a week's cases
        // sit together on disk (a random order would make every range query a random read).
        var times: [Date] = []
        times.reserveCapacity(count)
        for _ in 0..<count {
            // Two years back, more in autumn–winter, fewer at weekends (rejection sampling).
            while true {
                let t = now.addingTimeInterval(-unit() * span)
                let day = t.timeIntervalSince1970 / 86_400
                let season = 1 + 0.3 * cos(2 * .pi * (day.truncatingRemainder(dividingBy: 365.25) - 15) / 365.25)
                let weekday = Int(day + 4) % 7 >= 5 ? 0.6 : 1   // 1970-01-01 was a Thursday
                if unit() * 1.3 <= season * weekday { times.append(t); break }
            }
        }
        times.sort()
        let chunk = 20_000
        var number = 1_000_000
        for first in stride(from: 0, to: count, by: chunk) {
            var cases: [[any Encodable & Sendable]] = [], clocks: [[any Encodable & Sendable]] = []
            for i in first..<min(first + chunk, count) {
                let received = times[i]
                let id = TimeOrderedUUID.make(at: received)
                let fact = pick(books.facts, weights: factWeights)
                let territory = pick(books.territories, weights: territoryWeights)
                let channel = pick(channels, weights: channelWeights)
                let located = unit() < 0.8
                let age = now.timeIntervalSince(received)
                let status: String
                if age > 45 * 86_400 {
                    status = pick(["closed", "awaiting_feedback", "reopened", "in_work"], weights: [92, 2, 2, 4])
                } else {
                    status = pick(["new", "assigned", "in_work", "on_review", "published", "awaiting_feedback", "closed"],
                                  weights: [20, 25, 20, 5, 5, 10, 15])
                }
                let answered = ["closed", "awaiting_feedback", "reopened", "published"].contains(status)
                let result: String? = answered ? (unit() < 0.6 ? "resolved" : "explained") : nil
                var rating: Int?, silence = false
                if status == "closed" {
                    let r = unit()
                    if r < 0.55 { rating = unit() < 0.68 ? 4 + Int(unit() * 2) : 1 + Int(unit() * 3) } else if r < 0.8 { silence = true }
                }
                let taken = status != "new"
                let firstResponse: Date? = taken ? received.addingTimeInterval(-log(max(unit(), 1e-9)) * 20 * 3_600) : nil
                let open = !["closed"].contains(status)
                let finalDue = received.addingTimeInterval(30 * 86_400)
                let closedAt: Date? = status == "closed" ? received.addingTimeInterval((3 + unit() * 32) * 86_400) : nil
                let executor = fact.organisation.flatMap { books.executors[$0] }.flatMap { $0.isEmpty || unit() > 0.7 ? nil : $0[Int(unit() * Double($0.count))] }
                let text = "Обращение бенчмарка \(i): сгенерированный текст без персональных данных."
                cases.append([id, books.tenant, number, channel.rawValue, "A-\(i)", received, "message", status, result,
                              text, text.lowercased(), located ? "ул. Бенчмарка, \(i % 90 + 1)" : nil,
                              located ? territory.lat + (unit() - 0.5) * 0.01 : nil, located ? territory.lon + (unit() - 0.5) * 0.016 : nil,
                              territory.id, "[]", fact.id, fact.block, fact.organisation, executor, "[]", 1, received, received,
                              unit() < 0.02, status == "reopened" || unit() < 0.05 ? 1 : 0, unit() < 0.06 ? 1 : 0, firstResponse, rating,
                              silence, closedAt, open ? min(finalDue, received.addingTimeInterval(taken ? 30 * 86_400 : 86_400)) : nil])
                number += 1
                // Taking in work: due in a day; stopped when taken (a few hours, sometimes late).
                let takeDue = received.addingTimeInterval(86_400)
                let takenAt: Date? = taken ? received.addingTimeInterval(-log(max(unit(), 1e-9)) * 8 * 3_600) : nil
                clocks.append([TimeOrderedUUID.make(at: received), books.tenant, id, "take_in_work", "bench", received, takeDue, takeDue,
                               takenAt, takenAt.map { $0 <= takeDue ? "met" : "missed" }, 0, false])
                // The executor's own deadline: ten days from assignment, stopped when the answer went for review.
                if let takenAt, fact.organisation != nil {
                    let due = takenAt.addingTimeInterval(10 * 86_400)
                    let submitted: Date? = ["on_review", "published", "awaiting_feedback", "reopened", "closed"].contains(status)
                        ? takenAt.addingTimeInterval(-log(max(unit(), 1e-9)) * 4 * 86_400) : nil
                    clocks.append([TimeOrderedUUID.make(at: takenAt), books.tenant, id, "executor", "bench", takenAt, due, due,
                                   submitted, submitted.map { $0 <= due ? "met" : "missed" }, 0, false])
                }
                clocks.append([TimeOrderedUUID.make(at: received), books.tenant, id, "final_answer", "bench", received, finalDue, finalDue,
                               closedAt, closedAt.map { $0 <= finalDue ? "met" : "missed" }, 0, false])
            }
            let (c, k) = (cases, clocks)
            try await db.transaction { tx in
                try await RawInsert.multiRow(tx, table: "cases", columns: caseColumns, rows: c)
                try await RawInsert.multiRow(tx, table: "case_clocks", columns: clockColumns, rows: k)
            }
            let done = min(first + chunk, count)
            if done % 100_000 == 0 || done == count {
                print(String(format: "  generated %d of %d cases (%.0f s)", done, count, Date().timeIntervalSince(started)))
            }
        }
        return Date().timeIntervalSince(started)
    }
}
