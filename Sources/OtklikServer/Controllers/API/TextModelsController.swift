import Fluent
import OtklikCore
import Vapor

/// `/api/v1/municipalities/{m}/text-models…` and `…/cases/{id}/suggestions`: the municipality's
/// classifiers, their settings, training on demand, and the suggestions for one case.
struct TextModelsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let t = routes.grouped("text-models")
        t.get(use: overview)
        t.put("settings", use: saveSettings)
        t.post("train", use: train)
        routes.get("cases", ":caseID", "suggestions", use: suggestions)
    }

    struct ClassRowDTO: Content {
        var label_id: String
        var name: String?
        var precision: Double
        var recall: Double
        var f1: Double
        var support: Int
    }

    struct ModelDTO: Content {
        var target: String
        var title: String
        var examples: Int
        var classes: Int
        var holdout_accuracy: Double?
        var holdout_macro_f1: Double?
        var trained_at: Date
        var trained_by: String
        var trigger: String
        var duration_ms: Int
        var warnings: [String]
        var report: [ClassRowDTO]
    }

    struct SettingsDTO: Content {
        var auto_apply: Bool
        var threshold: Double
        var retrain_days: Int
        var version: Int
        var updated_by: String?
        var training_under_way: Bool
        var training_started_at: Date?
        var training_by: String?
        var last_error: String?
    }

    struct OverviewDTO: Content {
        var settings: SettingsDTO
        var models: [ModelDTO]
    }

    struct TrainOutcomeDTO: Content {
        var target: String
        var trained: Bool
        var examples: Int?
        var holdout_macro_f1: Double?
        var problem: String?
    }

    struct TrainDTO: Content {
        var started: Bool
        var finished: Bool
        var outcomes: [TrainOutcomeDTO]
    }

    static func mayRead(_ access: TenantAccess) -> Bool {
        TextSettings.mayManage(access) || !access.roles.isDisjoint(with: CaseAction.classify.roles.union([.analyst, .curator]))
    }

    static func overview(_ access: TenantAccess, now: Date, on db: any Database) async throws -> OverviewDTO {
        guard mayRead(access) else {
            throw Problem.forbidden("Классификатор доступен сотрудникам МЦУ, которые распределяют обращения.")
        }
        let (s, _) = try await TextSettings.load(tenantID: access.tenantID, on: db)
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: db)
        let records = try await TextModelRecord.query(on: db).filter(\.$tenantID == access.tenantID).all()
        let models: [ModelDTO] = LabelTarget.allCases.compactMap { target in
            guard let r = records.first(where: { $0.target == target.rawValue }) else { return nil }
            return ModelDTO(target: target.rawValue, title: target.title, examples: r.examples, classes: r.classes,
                            holdout_accuracy: r.holdoutAccuracy, holdout_macro_f1: r.holdoutMacroF1, trained_at: r.trainedAt,
                            trained_by: r.trainedBy, trigger: r.trigger, duration_ms: r.durationMS,
                            warnings: JSONText.decodeArray(r.warningsJSON), report: report(r.reportJSON, books: books))
        }
        let underWay = s.trainingUnderWay(now: now)
        return OverviewDTO(settings: SettingsDTO(
            auto_apply: s.policy.enabled, threshold: s.policy.threshold, retrain_days: s.retrainDays, version: s.version,
            updated_by: s.updatedBy, training_under_way: underWay, training_started_at: underWay ? s.trainingStartedAt : nil,
            training_by: underWay ? s.trainingBy : nil, last_error: s.lastError), models: models)
    }

    static func report(_ json: String, books: ReferenceOptions) -> [ClassRowDTO] {
        guard case .array(let rows)? = try? JSONParser.parse(Array(json.utf8)) else { return [] }
        return rows.compactMap { row -> ClassRowDTO? in
            guard case .object(let o) = row, case .string(let label)? = o["label"] else { return nil }
            func number(_ k: String) -> Double { if case .number(let n)? = o[k] { return n }; return 0 }
            return ClassRowDTO(label_id: label, name: UUID(uuidString: label).flatMap(books.name), precision: number("precision"),
                               recall: number("recall"), f1: number("f1"), support: Int(number("support")))
        }
    }

    func overview(req: Request) async throws -> OverviewDTO {
        try await Self.overview(try req.tenant, now: req.now, on: req.db)
    }

    func saveSettings(req: Request) async throws -> OverviewDTO {
        let access = try req.tenant
        _ = try await TextSettings.save(try req.jsonObject(), access: access, now: req.now, on: req.db)
        return try await Self.overview(access, now: req.now, on: req.db)
    }

    /// Body (optional): `targets` (category, block, organisation; all by default), `wait` (train within the
    /// request). 200 with the outcomes when waited for, 202 when started in the background.
    func train(req: Request) async throws -> Response {
        let body = req.body.data == nil ? [:] : try req.jsonObject()
        var reader = PayloadReader(body)
        let names = reader.has("targets") ? reader.strings("targets", maxCount: 3, maxLength: 32) : LabelTarget.allCases.map(\.rawValue)
        let wait = reader.bool("wait") ?? false
        var targets: [LabelTarget] = []
        for name in names {
            if let t = LabelTarget(rawValue: name) { targets.append(t) }
            else { reader.issues.append(FieldIssue("targets", "неизвестный признак «\(name)»; допустимо: category, block, organisation")) }
        }
        if targets.isEmpty && reader.issues.isEmpty { reader.issues.append(FieldIssue("targets", "укажите хотя бы один признак")) }
        try reader.check()
        let outcomes = try await TextTraining.start(req, targets: targets, wait: wait)
        let dto = TrainDTO(started: true, finished: outcomes != nil, outcomes: (outcomes ?? []).map {
            TrainOutcomeDTO(target: $0.target.rawValue, trained: $0.record != nil, examples: $0.record?.examples,
                            holdout_macro_f1: $0.record?.holdoutMacroF1, problem: $0.problem)
        })
        return try await dto.encodeResponse(status: outcomes == nil ? .accepted : .ok, for: req)
    }

    func suggestions(req: Request) async throws -> [CaseSuggestions.Group] {
        let access = try req.tenant
        let id = try req.uuidParameter("caseID", notFound: "Обращение не найдено или недоступно вам.")
        guard !access.roles.isDisjoint(with: CaseAction.classify.roles.union(CaseAction.assign.roles)) || access.administers else {
            throw Problem.forbidden("Подсказки классификатора видят те, кто распределяет обращения.")
        }
        guard let record = try await CaseQueries.scoped(access, on: req.db).filter(\.$id == id).first() else {
            throw Problem.notFound("Обращение не найдено или недоступно вам.")
        }
        let books = try await ReferenceOptions.load(tenantID: access.tenantID, on: req.db)
        return try await CaseSuggestions.build(record, tenantID: access.tenantID, books: books, on: req.db)
    }
}
