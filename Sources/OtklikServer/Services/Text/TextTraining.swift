import Fluent
import Foundation
import NIOConcurrencyHelpers
import OtklikCore
import Vapor

/// Starts trainings: on demand (a person's «Обучить сейчас», in the background or awaited) and on schedule
/// (a municipality's models older than its retraining period, or none yet). Each holds the municipality's
/// training claim while it runs and leaves the outcome in the settings (the last error, if any).
enum TextTraining {
    /// Trains under a claim already taken; releases it with the first problem met, if any.
    static func run(db: any Database, tenantID: UUID, targets: [LabelTarget], trigger: String, by: String,
                    now: Date) async -> [ClassifierTraining.Outcome] {
        let outcomes = await ClassifierTraining(db: db, tenantID: tenantID).trainAll(targets, trigger: trigger, by: by, now: now)
        let problems = outcomes.compactMap(\.problem)
        try? await TextSettings.releaseTraining(tenantID, error: problems.isEmpty ? nil : problems.joined(separator: "\n"), on: db)
        return outcomes
    }

    /// A person's request. `wait`: train within the request; otherwise in the background (the page shows
    /// «идёт обучение» until it ends). Refused while another training of the municipality runs.
    static func start(_ req: Request, targets: [LabelTarget], wait: Bool) async throws -> [ClassifierTraining.Outcome]? {
        let access = try req.tenant
        guard TextSettings.mayManage(access) else {
            throw Problem.forbidden("Обучать классификатор могут руководитель МЦУ, координатор или администратор.")
        }
        let by = access.principal.label, tenantID = access.tenantID, now = req.now
        guard try await TextSettings.claimTraining(tenantID, by: by, now: now, on: req.db) else {
            throw Problem.conflict("Классификатор этого муниципального образования уже обучается. Дождитесь окончания.")
        }
        try await Audit.record(on: req.db, tenantID: tenantID, actor: access.principal, action: "text_model.train_requested",
                               entity: "text_models", entityID: nil, after: ["targets": targets.map(\.rawValue).joined(separator: ",")])
        if wait {
            return await run(db: req.db, tenantID: tenantID, targets: targets, trigger: "manual", by: by, now: now)
        }
        let app = req.application
        app.textTrainings.start {
            _ = await run(db: app.db, tenantID: tenantID, targets: targets, trigger: "manual", by: by, now: now)
        }
        return nil
    }

    /// The scheduled pass: every municipality whose models are due.
    static func tick(_ app: Application) async {
        do {
            for m in try await Municipality.query(on: app.db).all() {
                try await trainIfDue(app.db, tenantID: m.requireID(), now: app.clock.now, logger: app.logger)
            }
        } catch {
            app.logger.warning("Обучение классификатора: \(error)")
        }
    }

    static func trainIfDue(_ db: any Database, tenantID: UUID, now: Date, logger: Logger) async throws {
        let (settings, _) = try await TextSettings.load(tenantID: tenantID, on: db)
        guard settings.retrainDays > 0, !settings.trainingUnderWay(now: now) else { return }
        let trained = try await TextModelRecord.query(on: db).filter(\.$tenantID == tenantID).all()
        let horizon = now.addingTimeInterval(-Double(settings.retrainDays) * 86_400)
        let due = LabelTarget.allCases.filter { target in
            guard let r = trained.first(where: { $0.target == target.rawValue }) else { return true }
            return r.trainedAt <= horizon
        }
        guard !due.isEmpty else { return }
        // Without a model yet, try only when the cases could make one (no hourly failures on a new municipality).
        let closed = try await CaseRecord.query(on: db).filter(\.$tenantID == tenantID).filter(\.$status == CaseStatus.closed.rawValue)
            .filter(\.$categoryID != nil).count()
        guard closed >= ClassifierTraining.minimumExamples else { return }
        guard try await TextSettings.claimTraining(tenantID, by: "Отклик (по расписанию)", now: now, on: db) else { return }
        let outcomes = await run(db: db, tenantID: tenantID, targets: due, trigger: "schedule", by: "Отклик (по расписанию)", now: now)
        let done = outcomes.compactMap { $0.record.map { "\($0.target): \($0.examples)" } }
        logger.info("Классификатор переобучен по расписанию (\(tenantID)): \(done.joined(separator: ", "))")
    }
}

/// On-demand trainings running in the background of `serve`; awaited at shutdown so none is cut off
/// half-written (the model is stored in one transaction anyway).
final class TextTrainingJobs: LifecycleHandler, Sendable {
    private let tasks = NIOLockedValueBox<[UUID: Task<Void, Never>]>([:])

    func start(_ body: @escaping @Sendable () async -> Void) {
        let id = UUID()
        let task = Task { [tasks] in
            await body()
            tasks.withLockedValue { _ = $0.removeValue(forKey: id) }
        }
        tasks.withLockedValue { $0[id] = task }
    }

    /// Waits for every training under way (tests; shutdown).
    func wait() async {
        while let next = tasks.withLockedValue({ $0.values.first }) { await next.value }
    }

    func shutdownAsync(_ app: Application) async { await wait() }
}

struct TextTrainingJobsKey: StorageKey { typealias Value = TextTrainingJobs }

extension Application {
    /// Registered by `configure`.
    var textTrainings: TextTrainingJobs { storage[TextTrainingJobsKey.self]! }
}
