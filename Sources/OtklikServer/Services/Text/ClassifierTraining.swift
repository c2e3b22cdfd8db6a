import Fluent
import Foundation
import OtklikCore
import SQLKit

/// Trains a municipality's classifiers on its own closed cases: the text (title and body) against the
/// category, block or organisation the case was closed with. Labels that were deleted from the reference
/// books since are left out, so a model never suggests something that no longer exists.
struct ClassifierTraining {
    let db: any Database
    let tenantID: UUID

    static let minimumExamples = 20
    /// The newest cases; more adds little and costs minutes.
    static let maximumExamples = 100_000

    struct Outcome: Sendable {
        var target: LabelTarget
        var record: TextModelRecord?
        var problem: String?
    }

    /// The labelled texts, newest first.
    func examples(_ target: LabelTarget) async throws -> (texts: [String], labels: [String]) {
        let live: Set<UUID> = switch target {
        case .category: Set(try await Rubric.query(on: db).filter(\.$tenantID == tenantID).all().compactMap(\.id))
        case .block: Set(try await ThematicBlock.query(on: db).filter(\.$tenantID == tenantID).all().compactMap(\.id))
        case .organisation: Set(try await Organisation.query(on: db).filter(\.$tenantID == tenantID).all().compactMap(\.id))
        }
        struct Row: Decodable { var title: String?; var text: String; var label: UUID }
        let rows = try await (db as! any SQLDatabase).select().column("title").column("text")
            .column(SQLIdentifier(target.column), as: "label").from(CaseRecord.schema)
            .where("tenant_id", .equal, SQLBind(tenantID)).where("status", .equal, SQLBind(CaseStatus.closed.rawValue))
            .where(SQLIdentifier(target.column), .isNot, SQLLiteral.null)
            .orderBy("received_at", .descending).limit(Self.maximumExamples).all(decoding: Row.self)
        var texts: [String] = [], labels: [String] = []
        for r in rows where live.contains(r.label) {
            texts.append(Self.text(title: r.title, body: r.text))
            labels.append(r.label.uuidString)
        }
        return (texts, labels)
    }

    /// What the classifier reads of a case.
    static func text(title: String?, body: String) -> String {
        guard let title, !title.isEmpty else { return body }
        return title + "\n" + body
    }

    /// Trains and stores one model; throws a Russian `Problem` when the cases cannot make one.
    func train(_ target: LabelTarget, trigger: String, by: String, now: Date) async throws -> TextModelRecord {
        let (texts, labels) = try await examples(target)
        guard texts.count >= Self.minimumExamples else {
            throw Problem.conflict("\(target.title): мало закрытых обращений с этим признаком — \(texts.count), а для обучения нужно не меньше \(Self.minimumExamples).")
        }
        let options = { var o = ClassifierTrainer.Options(); o.target = target.rawValue; return o }()
        let started = Date()
        let trained: (model: TextModel, summary: ClassifierTrainer.Summary)
        do {
            // Seconds of work on all cores: off the cooperative pool, so requests keep being served.
            trained = try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global(qos: .utility).async {
                    continuation.resume(with: Result { try ClassifierTrainer.train(texts: texts, labels: labels, options: options) })
                }
            }
        } catch ClassifierTrainer.Problem.oneClass(let label, let n) {
            let name = try await ReferenceOptions.load(tenantID: tenantID, on: db).name(UUID(uuidString: label)) ?? label
            throw Problem.conflict("\(target.title): все \(n) закрытых обращений относятся к одному значению «\(name)» — модели нечего различать. Для обучения нужны хотя бы два разных значения.")
        } catch let problem as ClassifierTrainer.Problem {
            throw Problem.conflict("\(target.title): \(problem.russian)")
        }
        let record = TextModelRecord()
        record.id = TimeOrderedUUID.make(at: now)
        record.tenantID = tenantID
        record.target = target.rawValue
        record.model = Data(ModelFile.encode(trained.model))
        record.examples = trained.summary.examples
        record.classes = trained.model.classCount
        record.holdoutAccuracy = trained.summary.holdout?.accuracy
        record.holdoutMacroF1 = trained.summary.holdout?.macroF1
        record.reportJSON = JSONValue.array((trained.summary.holdout?.rows ?? []).map { row in
            .object(["label": .string(row.label), "precision": .number(row.precision), "recall": .number(row.recall),
                     "f1": .number(row.f1), "support": .number(Double(row.support))])
        }).jsonText
        record.warningsJSON = JSONText.array(trained.summary.warnings)
        record.trigger = trigger
        record.trainedAt = now
        record.trainedBy = by
        record.durationMS = Int(Date().timeIntervalSince(started) * 1000)
        let tenantID = self.tenantID
        try await db.transaction { tx in
            let previous = try await TextModelRecord.query(on: tx).filter(\.$tenantID == tenantID).filter(\.$target == target.rawValue).first()
            try await previous?.delete(on: tx)
            try await record.create(on: tx)
            try await Audit.record(on: tx, tenantID: tenantID, actor: nil, actorLabel: by, action: "text_model.train",
                                   entity: "text_models", entityID: record.id?.uuidString,
                                   before: previous.map { ["examples": String($0.examples), "trained_at": TimeText.formatRFC3339($0.trainedAt)] },
                                   after: ["target": target.rawValue, "examples": String(record.examples), "classes": String(record.classes),
                                           "macro_f1": record.holdoutMacroF1.map { String(format: "%.3f", $0) } ?? "—"])
        }
        return record
    }

    /// Every label in turn; one that cannot be trained does not stop the others.
    func trainAll(_ targets: [LabelTarget] = LabelTarget.allCases, trigger: String, by: String, now: Date) async -> [Outcome] {
        var out: [Outcome] = []
        for target in targets {
            do { out.append(Outcome(target: target, record: try await train(target, trigger: trigger, by: by, now: now))) }
            catch let problem as Problem { out.append(Outcome(target: target, problem: problem.detail ?? problem.title)) }
            catch { out.append(Outcome(target: target, problem: "\(target.title): \(error)")) }
        }
        return out
    }
}
