import Fluent
import Foundation
import NIOConcurrencyHelpers
import OtklikCore
import SQLKit

/// Decoded models by municipality and label. A model file is decoded once per training: each use first
/// reads the small (id, trained_at) list of the municipality's models and decodes only what changed.
/// Shared by every application in the process; the key holds the record id, so databases cannot mix.
final class TextModelCache: Sendable {
    static let shared = TextModelCache()

    private struct Entry { var recordID: UUID; var trainedAt: Date; var model: TextModel }
    private let entries = NIOLockedValueBox<[String: Entry]>([:])

    /// The municipality's usable models; a model file that no longer decodes is left out (and logged by
    /// the caller's training page, which reads the record itself).
    func models(tenantID: UUID, on db: any Database) async throws -> [LabelTarget: TextModel] {
        struct Head: Decodable { var id: UUID; var target: String; var trained_at: Date }
        let heads = try await (db as! any SQLDatabase).select().column("id").column("target").column("trained_at")
            .from(TextModelRecord.schema).where("tenant_id", .equal, SQLBind(tenantID)).all(decoding: Head.self)
        var out: [LabelTarget: TextModel] = [:]
        for head in heads {
            guard let target = LabelTarget(rawValue: head.target) else { continue }
            let key = "\(tenantID.uuidString)|\(head.target)"
            if let hit = entries.withLockedValue({ $0[key] }), hit.recordID == head.id, hit.trainedAt == head.trained_at {
                out[target] = hit.model
                continue
            }
            guard let record = try await TextModelRecord.find(head.id, on: db),
                  let model = try? ModelFile.decode(Array(record.model)) else { continue }
            entries.withLockedValue { $0[key] = Entry(recordID: head.id, trainedAt: head.trained_at, model: model) }
            out[target] = model
        }
        return out
    }
}
