import Fluent
import OtklikCore
import Vapor

/// Case intake and reading: `/api/v1/municipalities/{municipality}/cases…`.
struct CasesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let cases = routes.grouped("cases")
        cases.get(use: list)
        cases.post(use: create)
        cases.post("batch", use: batch)
        cases.get(":caseID", use: show)
        cases.post(":caseID", "actions", ":action", use: act)
    }

    func list(req: Request) async throws -> CasePage {
        let access = try req.tenant
        let zone = access.zone
        let filter = try CaseListFilter.parse(try req.query.decode([String: String].self), timeZone: zone)
        return try await CaseQueries.list(filter, access: access, now: req.now, on: req.db)
    }

    func show(req: Request) async throws -> CaseDTO {
        let access = try req.tenant
        guard let id = req.parameters.get("caseID", as: UUID.self) else {
            throw Problem.notFound("Обращение не найдено или недоступно вам.")
        }
        return try await CaseCard.load(id, access: access, now: req.now, on: req.db)
    }

    /// One lifecycle action. The body carries the version the user saw (`version`) and the action's
    /// fields; the answer is the case card after the action, or a problem (a 409 carries the current card).
    func act(req: Request) async throws -> CaseDTO {
        let access = try req.tenant
        guard let id = req.parameters.get("caseID", as: UUID.self) else {
            throw Problem.notFound("Обращение не найдено или недоступно вам.")
        }
        let name = req.parameters.get("action") ?? ""
        guard let action = CaseAction(rawValue: name), action != .acceptBySilence else {
            throw Problem.notFound("Неизвестное действие «\(name)». Допустимые: "
                + CaseAction.allCases.filter { $0 != .acceptBySilence }.map(\.rawValue).joined(separator: ", ") + ".")
        }
        let body = try req.jsonObject()
        var reader = PayloadReader(body)
        let version = reader.int("version", range: 1...Int(Int32.max), required: true)
        try reader.check()
        let service = LifecycleService(db: req.db, tenantID: access.tenantID, notifiers: req.application.notifiers)
        do {
            _ = try await service.perform(action, caseID: id, payload: body, actor: ActionActor(access),
                                          expectedVersion: version, now: req.now)
        } catch var problem as Problem where problem.statusCode == 409 {
            problem.current = try? await CaseCard.load(id, access: access, now: req.now, on: req.db)
            throw problem
        }
        return try await CaseCard.load(id, access: access, now: req.now, on: req.db)
    }

    func create(req: Request) async throws -> Response {
        let access = try req.tenant
        try access.requireCaseRegistration()
        let outcome = parser(req).parse(try req.jsonObject())
        let result = try await service(req, access, source: "api").intake([outcome])[0]
        switch result {
        case .rejected(let issues):
            throw Problem.validation(issues, detail: "Обращение не зарегистрировано: " + issues.map(\.description).joined(separator: "; "))
        case .created(let id, _), .existing(let id, _):
            let record = try await CaseRecord.find(id, on: req.db)!
            let dto = CaseDTO(record, showPersonalData: access.seesPersonalData)
            let response = try await dto.encodeResponse(status: { if case .created = result { .created } else { .ok } }(), for: req)
            response.headers.replaceOrAdd(name: .location, value: "/api/v1/municipalities/\(access.slug)/cases/\(id)")
            return response
        }
    }

    struct BatchResult: Content {
        struct Item: Content {
            var index: Int
            var status: String
            var id: UUID?
            var number: Int?
            var errors: [FieldIssue]?
        }
        var created: Int
        var existing: Int
        var rejected: Int
        var results: [Item]
    }

    func batch(req: Request) async throws -> BatchResult {
        let access = try req.tenant
        try access.requireCaseRegistration()
        let body = try req.jsonObject()
        guard case .array(let items)? = body["cases"] else {
            throw Problem.validation([FieldIssue("cases", "ожидался массив обращений")])
        }
        guard items.count <= CaseIntakeService.maxBatch else {
            throw Problem(.payloadTooLarge, "Слишком большой пакет",
                          detail: "В пакете \(items.count) обращений; за один запрос — не более \(CaseIntakeService.maxBatch).")
        }
        let p = parser(req)
        let outcomes: [CaseDraftParser.Outcome] = items.map { item in
            guard case .object(let object) = item else {
                return .invalid([FieldIssue("", "ожидался JSON-объект, получено: \(item.typeName)")])
            }
            return p.parse(object)
        }
        let results = try await service(req, access, source: "batch").intake(outcomes)
        var out = BatchResult(created: 0, existing: 0, rejected: 0, results: [])
        out.results.reserveCapacity(results.count)
        for (index, r) in results.enumerated() {
            switch r {
            case .created(let id, let n): out.created += 1; out.results.append(.init(index: index, status: "created", id: id, number: n))
            case .existing(let id, let n): out.existing += 1; out.results.append(.init(index: index, status: "existing", id: id, number: n))
            case .rejected(let e): out.rejected += 1; out.results.append(.init(index: index, status: "rejected", errors: e))
            }
        }
        if out.created > 0 {
            try await Audit.record(on: req.db, tenantID: access.tenantID, actor: access.principal,
                                   action: "cases.batch", entity: "case", entityID: nil,
                                   after: ["created": out.created, "existing": out.existing, "rejected": out.rejected])
        }
        return out
    }

    private func parser(_ req: Request) -> CaseDraftParser {
        CaseDraftParser(now: req.now)
    }

    private func service(_ req: Request, _ access: TenantAccess, source: String) -> CaseIntakeService {
        CaseIntakeService(db: req.db, tenantID: access.tenantID,
                          actor: IntakeActor(userID: access.principal.userID, label: access.principal.label, source: source),
                          now: req.now)
    }
}
