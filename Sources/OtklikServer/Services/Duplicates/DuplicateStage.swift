import FluentKit
import Foundation
import OtklikCore
import SQLKit

/// Intake's search for earlier messages about the same problem: each new open message received within the
/// duplicate window is compared (text, place, time) with the municipality's recent messages that share a
/// grid cell, an address or a text band with it, and joins the cluster of the most similar one (the older
/// message becomes the main case of a new cluster). Runs inside intake's transaction, after numbering.
struct DuplicateStage {
    static let actorLabel = "система (поиск похожих)"
    /// Keys in one `IN (…)`: below SQLite's and PostgreSQL's bind limits with room to spare.
    static let keysPerQuery = 500
    /// Filed cases considered per key (the newest).
    static let perKey = 300

    let tenantID: UUID
    let now: Date
    var rule = DuplicateRule()

    struct Known {
        var id: UUID
        var number: Int
        var side: DuplicateRule.Side
    }

    /// Signs the rows that take part (in parallel for import chunks): open at their source, received within
    /// the window before now, with at least one word. History imports are left alone: nothing new can
    /// join a problem of last month, and the past is not re-clustered.
    func sides(_ rows: [CaseColumns.Row]) -> [Int: DuplicateRule.Side] {
        let earliest = now.addingTimeInterval(-rule.windowDays * 86_400), latest = now.addingTimeInterval(86_400)
        let taking = rows.indices.filter {
            let r = rows[$0]
            return r.state?.isClosed != true && r.draft.receivedAt >= earliest && r.draft.receivedAt <= latest
        }
        let texts = taking.map { ClassifierTraining.text(title: rows[$0].draft.title, body: rows[$0].draft.text) }
        let places = taking.map { rows[$0].draft.location.address }
        let signatures = ParallelTexts.map(Array(zip(texts, places)), maxWorkers: texts.count >= 64 ? 8 : 1) { item, _ in
            MinHashSignature(text: item.0, place: item.1)
        }
        var out: [Int: DuplicateRule.Side] = [:]
        for (i, signature) in zip(taking, signatures) {
            guard let signature else { continue }
            let loc = rows[i].draft.location
            out[i] = .init(signature: signature, receivedAt: rows[i].draft.receivedAt, address: loc.address,
                           latitude: loc.latitude, longitude: loc.longitude)
        }
        return out
    }

    /// Sets `clusterID` on the new rows that match, adds their «Найдено похожее обращение» entries, files
    /// their keys, and names older cases that became the main case of a new cluster.
    func link(_ rows: inout [(index: Int, row: CaseColumns.Row)], on db: any Database) async throws {
        let sql = db as! any SQLDatabase
        let sides = self.sides(rows.map(\.row))
        guard !sides.isEmpty else { return }
        let order = sides.keys.sorted { (sides[$0]!.receivedAt, rows[$0].row.number) < (sides[$1]!.receivedAt, rows[$1].row.number) }
        let lookups = Dictionary(uniqueKeysWithValues: order.map { ($0, DuplicateKeys.lookup(sides[$0]!)) })
        let since = sides.values.map(\.receivedAt).min()!.addingTimeInterval(-rule.windowDays * 86_400)
        var filed = try await filedCases(keys: Set(lookups.values.joined()), since: since, on: sql)
        var known = try await knownCases(ids: Set(filed.values.joined()), on: sql)

        // Each row's most similar earlier message (ties: the lower number), rows in order of receipt so
        // that later rows of the same batch find earlier ones.
        var best: [Int: (Known, DuplicateRule.Verdict)] = [:]
        var signatureRows: [[SQLCell]] = [], keyRows: [[SQLCell]] = []
        for i in order {
            let side = sides[i]!
            var found: (Known, DuplicateRule.Verdict)?
            var seen = Set<UUID>()
            for key in lookups[i]! {
                for id in filed[key] ?? [] where seen.insert(id).inserted {
                    guard let other = known[id], let verdict = rule.judge(side, other.side) else { continue }
                    if found == nil || verdict.similarity > found!.1.similarity
                        || (verdict.similarity == found!.1.similarity && other.number < found!.0.number) {
                        found = (other, verdict)
                    }
                }
            }
            best[i] = found
            let row = rows[i].row
            known[row.id] = Known(id: row.id, number: row.number, side: side)
            for key in DuplicateKeys.stored(side) {
                filed[key, default: []].append(row.id)
                keyRows.append([.uuid(tenantID), .int(Int(key)), .uuid(row.id), .date(side.receivedAt)])
            }
            signatureRows.append([.uuid(row.id), .uuid(tenantID), .date(side.receivedAt), .text(side.signature.hex), .int(row.number),
                                  .text(side.normalAddress), .double(side.latitude), .double(side.longitude)])
        }

        // The clusters of the earlier cases found, read now (people change them), then joined in order.
        let batchIDs = Set(rows.map(\.row.id))
        var clusterOf = try await clusters(of: Set(best.values.map(\.0.id)).subtracting(batchIDs), on: sql)
        var newMains: Set<UUID> = []
        for i in order {
            guard let (other, verdict) = best[i] else { continue }
            let cluster: UUID
            if let existing = clusterOf[other.id] ?? nil {
                cluster = existing
            } else {
                cluster = other.id
                newMains.insert(other.id)
                clusterOf[other.id] = other.id
            }
            rows[i].row.clusterID = cluster
            clusterOf[rows[i].row.id] = cluster
            rows[i].row.autoEvents.append(.init(kind: CaseEventKind.similarFound.rawValue, actorLabel: Self.actorLabel, details: [
                "similar_to": String(other.number),
                "notice": "Похоже на обращение №\(other.number): \(verdict.explanation)" + (verdict.explanation.hasSuffix(".") ? "" : "."),
            ]))
        }
        // Older cases that now head a cluster (new rows are written with theirs).
        let olderMains = newMains.subtracting(batchIDs)
        for chunk in Array(olderMains).chunked(Self.keysPerQuery) {
            try await sql.update("cases").set(SQLIdentifier("cluster_id"), to: SQLIdentifier("id"))
                .where("tenant_id", .equal, tenantID).where(SQLIdentifier("id"), .in, SQLBind.group(Array(chunk))).run()
        }
        for i in rows.indices where newMains.contains(rows[i].row.id) { rows[i].row.clusterID = rows[i].row.id }
        try await BulkInsert.run(on: db, table: "case_signatures",
                                 columns: ["case_id", "tenant_id", "received_at", "signature", "number", "address", "latitude", "longitude"],
                                 rows: signatureRows, rowsPerStatement: 400)
        try await BulkInsert.run(on: db, table: "case_match_keys", columns: ["tenant_id", "match_key", "case_id", "received_at"],
                                 rows: keyRows, rowsPerStatement: 400)
        try await prune(on: sql)
    }

    /// Cases filed under any of `keys` since `since`: key → case ids, the newest `perKey` of each. A key
    /// shared by hundreds (a busy square, a text every message repeats) then costs a bounded comparison.
    private func filedCases(keys: Set<Int64>, since: Date, on sql: any SQLDatabase) async throws -> [Int64: [UUID]] {
        var found: [Int64: [(UUID, Date)]] = [:]
        for chunk in Array(keys).chunked(Self.keysPerQuery) {
            let rows = try await sql.select().column("match_key").column("case_id").column("received_at").from("case_match_keys")
                .where("tenant_id", .equal, tenantID).where(SQLIdentifier("match_key"), .in, SQLBind.group(Array(chunk)))
                .where("received_at", .greaterThanOrEqual, since).all()
            for r in rows {
                found[try r.decode(column: "match_key", as: Int64.self), default: []]
                    .append((try r.decode(column: "case_id", as: UUID.self), try r.decode(column: "received_at", as: Date.self)))
            }
        }
        return found.mapValues { list in
            (list.count > Self.perKey ? Array(list.sorted { $0.1 > $1.1 }.prefix(Self.perKey)) : list).map(\.0)
        }
    }

    private func knownCases(ids: Set<UUID>, on sql: any SQLDatabase) async throws -> [UUID: Known] {
        var out: [UUID: Known] = [:]
        for chunk in Array(ids).chunked(Self.keysPerQuery) {
            let rows = try await sql.select().columns("case_id", "signature", "received_at", "number", "address", "latitude", "longitude")
                .from("case_signatures").where("tenant_id", .equal, tenantID)
                .where(SQLIdentifier("case_id"), .in, SQLBind.group(Array(chunk))).all()
            for r in rows {
                guard let signature = MinHashSignature(hex: try r.decode(column: "signature", as: String.self)) else { continue }
                let id = try r.decode(column: "case_id", as: UUID.self)
                out[id] = Known(id: id, number: try r.decode(column: "number", as: Int.self),
                                side: .init(signature: signature, receivedAt: try r.decode(column: "received_at", as: Date.self),
                                            normalAddress: try r.decode(column: "address", as: String?.self),
                                            latitude: try r.decode(column: "latitude", as: Double?.self),
                                            longitude: try r.decode(column: "longitude", as: Double?.self)))
            }
        }
        return out
    }

    /// The current cluster of each case (nil: none yet).
    private func clusters(of ids: Set<UUID>, on sql: any SQLDatabase) async throws -> [UUID: UUID?] {
        var out: [UUID: UUID?] = [:]
        for chunk in Array(ids).chunked(Self.keysPerQuery) {
            for r in try await sql.select().column("id").column("cluster_id").from("cases").where("tenant_id", .equal, tenantID)
                .where(SQLIdentifier("id"), .in, SQLBind.group(Array(chunk))).all() {
                out[try r.decode(column: "id", as: UUID.self)] = .some(try r.decode(column: "cluster_id", as: UUID?.self))
            }
        }
        return out
    }

    /// Signatures and keys of messages older than twice the window can match nothing new. They go in one
    /// sweep once some are older than three windows (the keys have no index by date: a sweep reads them
    /// all, so it is done about once a fortnight rather than at every intake).
    private func prune(on sql: any SQLDatabase) async throws {
        let before = now.addingTimeInterval(-2 * rule.windowDays * 86_400)
        let due = try await sql.select().column("case_id").from("case_signatures").where("tenant_id", .equal, tenantID)
            .where("received_at", .lessThan, now.addingTimeInterval(-3 * rule.windowDays * 86_400)).limit(1).first()
        guard due != nil else { return }
        try await sql.delete(from: "case_match_keys").where("tenant_id", .equal, tenantID).where("received_at", .lessThan, before).run()
        try await sql.delete(from: "case_signatures").where("tenant_id", .equal, tenantID).where("received_at", .lessThan, before).run()
    }
}
