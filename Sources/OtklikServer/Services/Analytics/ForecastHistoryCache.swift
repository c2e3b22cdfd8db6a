import Foundation
import NIOConcurrencyHelpers
import Vapor

/// Two years of weekly counts take seconds to read on a municipality with a million cases (measured by
/// `otklik-bench analytics`), yet they change only when a week ends. The history is kept per tenant,
/// reader restriction and week for an hour (late edits to old cases show within that hour).
final class ForecastHistoryCache: Sendable {
    static let lifetime: TimeInterval = 3_600
    static let capacity = 512

    private struct Entry { var history: ForecastQuery.History; var storedAt: Date }
    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    static func key(_ slice: AnalyticsSlice, week: Date) -> String {
        let restriction = slice.visibleOrganisationIDs.map { $0.map(\.uuidString).sorted().joined(separator: ",") } ?? "*"
        return "\(slice.tenantID.uuidString)|\(restriction)|\(Int(week.timeIntervalSince1970))"
    }

    func history(_ key: String, now: Date, load: () async throws -> ForecastQuery.History) async throws -> ForecastQuery.History {
        if let hit = entries.withLockedValue({ $0[key] }), now.timeIntervalSince(hit.storedAt) < Self.lifetime,
           now >= hit.storedAt {
            return hit.history
        }
        let fresh = try await load()
        entries.withLockedValue { all in
            if all.count >= Self.capacity { all.removeAll() }
            all[key] = Entry(history: fresh, storedAt: now)
        }
        return fresh
    }
}

struct ForecastHistoryCacheKey: StorageKey { typealias Value = ForecastHistoryCache }
