import Fluent
import Foundation
import OtklikCore
import Vapor

/// Findings as stored on a case: {"signal": ["entry", …]}.
enum RiskText {
    static func json(_ a: RiskAssessment) -> String {
        JSONValue.object(Dictionary(uniqueKeysWithValues: a.hits.map { ($0.key.rawValue, JSONValue.array($0.value.map(JSONValue.string))) })).jsonText
    }

    static func assessment(score: Int, json: String?) -> RiskAssessment {
        var hits: [RiskSignal: [String]] = [:]
        if let json, case .object(let o)? = try? JSONParser.parse(json) {
            for (k, v) in o {
                guard let signal = RiskSignal(rawValue: k), case .array(let items) = v else { continue }
                hits[signal] = items.compactMap { if case .string(let s) = $0 { s } else { nil } }
            }
        }
        return RiskAssessment(hits: hits, score: score)
    }
}

/// A municipality's word lists: its own where it has edited one, the shipped list otherwise. Edited by
/// the risk officer, the МЦУ head, the coordinator or the administrator; every change audited.
enum RiskLexicons {
    static func mayManage(_ access: TenantAccess) -> Bool {
        TextSettings.mayManage(access) || access.roles.contains(.riskOfficer)
    }

    static func load(tenantID: UUID, on db: any Database) async throws -> (lexicon: RiskLexicon, own: [RiskSignal: RiskLexiconRecord]) {
        var lists = RiskLexicon.shipped.lists
        var own: [RiskSignal: RiskLexiconRecord] = [:]
        for r in try await RiskLexiconRecord.query(on: db).filter(\.$tenantID == tenantID).all() {
            guard let signal = RiskSignal(rawValue: r.signal) else { continue }
            lists[signal] = JSONText.decodeArray(r.entriesJSON)
            own[signal] = r
        }
        return (RiskLexicon(lists: lists), own)
    }

    struct ListDTO: Content {
        var signal: String
        var title: String
        var entries: [String]
        var shipped: Bool
        var version: Int
        var updated_by: String?
    }

    static func dto(tenantID: UUID, on db: any Database) async throws -> [ListDTO] {
        let (lexicon, own) = try await load(tenantID: tenantID, on: db)
        return RiskSignal.allCases.map { s in
            ListDTO(signal: s.rawValue, title: s.title, entries: lexicon.lists[s] ?? [], shipped: own[s] == nil,
                    version: own[s]?.version ?? 0, updated_by: own[s]?.updatedBy)
        }
    }

    /// Replaces one list (`entries`; `reset: true` returns to the shipped one). Needs `version`.
    static func save(_ signalName: String, _ body: [String: JSONValue], access: TenantAccess, now: Date, on db: any Database) async throws {
        guard mayManage(access) else {
            throw Problem.forbidden("Словари сигналов риска меняют ответственный за инфориски, руководитель МЦУ, координатор или администратор.")
        }
        guard let signal = RiskSignal(rawValue: signalName) else {
            throw Problem.notFound("Неизвестный сигнал «\(signalName)»; есть: " + RiskSignal.allCases.map(\.rawValue).joined(separator: ", "))
        }
        var reader = PayloadReader(body)
        let version = reader.int("version", range: 0...Int.max, required: true)
        let reset = reader.bool("reset") ?? false
        let entries = reset ? [] : reader.strings("entries", maxCount: RiskLexicon.maxEntries, maxLength: 100)
            .map { $0.lowercased().replacingOccurrences(of: "ё", with: "е").trimmed }
        if !reset { for p in RiskLexicon.problems(entries) { reader.issues.append(FieldIssue("entries", p)) } }
        try reader.check()
        let (_, own) = try await load(tenantID: access.tenantID, on: db)
        let current = own[signal]
        guard version == (current?.version ?? 0) else {
            throw Problem.conflict("Словарь «\(signal.title)» уже изменил \(current?.updatedBy ?? "другой пользователь"): обновите страницу.")
        }
        let before = current.map { JSONText.decodeArray($0.entriesJSON) } ?? RiskLexicon.shipped.lists[signal] ?? []
        try await db.transaction { tx in
            if reset {
                try await current?.delete(on: tx)
            } else {
                let r = current ?? RiskLexiconRecord()
                if current == nil { r.id = TimeOrderedUUID.make(at: now); r.tenantID = access.tenantID; r.signal = signal.rawValue; r.version = 0 }
                r.entriesJSON = JSONText.array(entries)
                r.version += 1
                r.updatedAt = now
                r.updatedBy = access.principal.label
                if current == nil { try await r.create(on: tx) } else { try await r.update(on: tx) }
            }
            try await Audit.record(on: tx, tenantID: access.tenantID, actor: access.principal,
                                   action: reset ? "risk_lexicon.reset" : "risk_lexicon.update", entity: "risk_lexicons",
                                   entityID: signal.rawValue, before: ["entries": before.joined(separator: ", ")],
                                   after: ["entries": reset ? "по умолчанию" : entries.joined(separator: ", ")])
        }
    }
}
