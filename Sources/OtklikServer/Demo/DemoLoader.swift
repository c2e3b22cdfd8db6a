import Fluent
import Foundation
import OtklikCore
import Vapor

/// Loads the fictional demo municipality: structure, books, users for every role, an API token and
/// thousands of cases. Idempotent: a database that already has it is left alone.
struct DemoLoader {
    let app: Application
    var caseCount = 5_600
    var now = Date()
    /// How the demo's cases are walked through the lifecycle after intake.
    enum Walk: Sendable, Equatable {
        case none
        /// All of them, before returning (the `demo` command), with progress printed.
        case all
        /// The newest n (tests).
        case newest(Int)
        /// All of them in the background after the server starts (`serve --demo`): the API is up at once.
        case background
    }
    var walk: Walk = .all

    struct Report: Sendable {
        var created: Bool
        var cases: Int
        var password: String?
        var token: String?
    }

    @discardableResult
    func loadIfAbsent() async throws -> Report {
        let print = app.launchOptions.printer
        if let existing = try await Municipality.query(on: app.db).filter(\.$slug == DemoData.slug).first() {
            let cases = try await CaseRecord.query(on: app.db).filter(\.$tenantID == existing.requireID()).count()
            print("Демо-муниципалитет «\(DemoData.name)» уже загружен (\(RussianPlural.count(cases, one: "обращение", few: "обращения", many: "обращений"))). Пароли демо-пользователей были показаны при загрузке; сбросить пароль: otklik user password --login demo.mcu")
            return Report(created: false, cases: cases)
        }
        print("Загружаю демо-муниципалитет «\(DemoData.name)»…")
        let report = try await load()
        print(credentials(report))
        return report
    }

    func load() async throws -> Report {
        let db = app.db
        let password = Environment.get("OTKLIK_DEMO_PASSWORD").flatMap { $0.isEmpty ? nil : $0 } ?? Passwords.generate()
        let hash = try await app.password.async.hash(password)

        var region = try await Region.query(on: db).filter(\.$code == DemoData.regionCode).first()
        if region == nil {
            let created = Region(name: DemoData.regionName, code: DemoData.regionCode)
            try await created.create(on: db)
            region = created
        }
        let regionID = region?.id
        let municipality = Municipality(regionID: regionID, name: DemoData.name, slug: DemoData.slug,
                                        timeZone: DemoData.timeZone, isDemo: true)
        let (token, facts, territoryRefs) = try await db.transaction { tx in
            var facts: [DemoCaseGenerator.FactRef] = []
            var territoryRefs: [DemoCaseGenerator.TerritoryRef] = []
            try await Tenants.create(municipality, on: tx)
            let tenantID = try municipality.requireID()
            var orgs: [String: UUID] = [:]
            for (key, name, short, kind, parent) in DemoData.organisations {
                let org = Organisation(tenantID: tenantID, parentID: parent.flatMap { orgs[$0] }, name: name,
                                       shortName: short, kind: kind)
                try await org.create(on: tx)
                orgs[key] = org.id
            }
            let blocks = try await ThematicBlock.query(on: tx).filter(\.$tenantID == tenantID).all()
            let blockIDs = Dictionary(uniqueKeysWithValues: blocks.map { ($0.code, $0.id!) })
            for category in DemoData.rubricator {
                let c = Rubric(tenantID: tenantID, parentID: nil, level: .category, name: category.name,
                               defaultBlockID: blockIDs[category.block], defaultOrganisationID: orgs[category.organisation])
                try await c.create(on: tx)
                for sub in category.subcategories {
                    let s = Rubric(tenantID: tenantID, parentID: c.id, level: .subcategory, name: sub.name,
                                   defaultOrganisationID: orgs[sub.organisation])
                    try await s.create(on: tx)
                    for fact in sub.facts {
                        let f = Rubric(tenantID: tenantID, parentID: s.id, level: .fact, name: fact.name)
                        try await f.create(on: tx)
                        facts.append(.init(id: f.id!, fact: fact))
                    }
                }
            }
            let boundaries = DemoBoundaries.cells(DemoData.territories.map { GeoPoint(lon: $0.3, lat: $0.2) })
            for (i, (name, kind, lat, lon, streets)) in DemoData.territories.enumerated() {
                let t = Territory(tenantID: tenantID, name: name, kind: kind, latitude: lat, longitude: lon)
                t.boundaryGeoJSON = boundaries[i].geoJSON
                try await t.create(on: tx)
                territoryRefs.append(.init(id: t.id!, name: name, latitude: lat, longitude: lon, streets: streets))
            }
            for (suffix, fullName, role, orgKey, blockCode) in DemoData.users {
                let user = User(tenantID: tenantID, login: "demo.\(suffix)", fullName: fullName, passwordHash: hash,
                                mustChangePassword: false)
                try await user.create(on: tx)
                try await RoleAssignment(userID: user.id!, tenantID: tenantID, role: role.rawValue,
                                         organisationID: orgKey.flatMap { orgs[$0] },
                                         blockID: blockCode.flatMap { blockIDs[$0] }).create(on: tx)
                if let blockCode, let block = blocks.first(where: { $0.code == blockCode }) {
                    block.leadUserID = user.id
                    try await block.save(on: tx)
                }
            }
            // Every other organisation gets one executor, so that routed cases can be answered in the demo.
            let named = Set(DemoData.users.compactMap(\.3))
            for (key, _, short, _, _) in DemoData.organisations where !named.contains(key) && key != "adm" {
                let user = User(tenantID: tenantID, login: "demo.exec.\(key)", fullName: "Исполнитель: \(short ?? key) (демо)",
                                passwordHash: hash, mustChangePassword: false)
                try await user.create(on: tx)
                try await RoleAssignment(userID: user.id!, tenantID: tenantID, role: Role.executor.rawValue,
                                         organisationID: orgs[key]).create(on: tx)
            }
            let regional = User(tenantID: nil, login: "demo.region", fullName: "Региональный центр (демо)",
                                passwordHash: hash, mustChangePassword: false)
            try await regional.create(on: tx)
            try await RoleAssignment(userID: regional.id!, tenantID: nil, regionID: regionID,
                                     role: Role.regionalCentre.rawValue).create(on: tx)
            for (title, body) in DemoData.answerTemplates {
                let t = AnswerTemplateRecord()
                t.id = TimeOrderedUUID.make(at: now)
                t.tenantID = tenantID
                t.title = title
                t.body = body
                t.updatedAt = now
                t.updatedBy = "демо-загрузка"
                try await t.create(on: tx)
            }
            let token = try await TokensController.issue(name: "Демо-интеграция", role: .channelOperator, tenantID: tenantID,
                                                     createdBy: nil, on: tx).0
            try await Audit.record(on: tx, tenantID: tenantID, actor: nil, actorLabel: "демо-загрузка", action: "demo.load",
                                   entity: "municipality", entityID: tenantID.uuidString)
            return (token, facts, territoryRefs)
        }
        let drafts = DemoCaseGenerator(facts: facts, territories: territoryRefs, now: now, target: caseCount).generate()
        let service = CaseIntakeService(db: db, tenantID: try municipality.requireID(),
                                        actor: IntakeActor(userID: nil, label: "демо-загрузка", source: "demo"), now: now)
        var stored = 0
        for chunk in drafts.chunked(2_000) {
            let results = try await service.intake(chunk.map { .valid($0) })
            stored += results.filter { if case .created = $0 { true } else { false } }.count
        }
        try await DemoRisks(app: app, tenantID: try municipality.requireID(), now: now).load()
        try await DemoCentre(app: app, tenantID: try municipality.requireID(), now: now).load()
        switch walk {
        case .none, .background: break
        case .all: try await Self.walk(app, tenantID: try municipality.requireID(), now: now, limit: nil)
        case .newest(let n): try await Self.walk(app, tenantID: try municipality.requireID(), now: now, limit: n)
        }
        return Report(created: true, cases: stored, password: password, token: token)
    }

    /// Walks the demo through the lifecycle and runs the deadline monitor once, printing progress.
    static func walk(_ app: Application, tenantID: UUID, now: Date, limit: Int?) async throws {
        let print = app.launchOptions.printer
        let start = Date()
        let processed = try await DemoLifecycle(app: app, tenantID: tenantID, now: now).run(limit: limit) { done, total in
            print("Демо: обращения проходят регламент — \(done) из \(total)…")
        }
        let monitor = try await DeadlineMonitor(db: app.db, notifiers: app.notifiers).tick(now: now)
        print("Демо: \(RussianPlural.count(processed, one: "обращение проведено", few: "обращения проведены", many: "обращений проведены")) по регламенту за \(Int(Date().timeIntervalSince(start))) с; отмечено просроченных сроков: \(monitor.overdue).")
        if limit == nil { try await train(app, tenantID: tenantID, now: now) }
    }

    /// The classifier learns from the demo's closed cases, so the case card has suggestions at once.
    static func train(_ app: Application, tenantID: UUID, now: Date) async throws {
        let print = app.launchOptions.printer
        guard try await TextSettings.claimTraining(tenantID, by: "демо-загрузка", now: now, on: app.db) else { return }
        print("Демо: классификатор учится на закрытых обращениях…")
        let outcomes = await TextTraining.run(db: app.db, tenantID: tenantID, targets: LabelTarget.allCases, trigger: "demo",
                                              by: "демо-загрузка", now: now)
        for o in outcomes {
            if let r = o.record {
                print("Демо: модель «\(o.target.title)» — \(r.examples) примеров, \(r.classes) классов"
                      + (r.holdoutMacroF1.map { String(format: ", macro-F1 на проверке %.2f", $0) } ?? "") + ".")
            } else if let problem = o.problem {
                print("Демо: модель «\(o.target.title)» не обучена: \(problem)")
            }
        }
    }

    func credentials(_ report: Report) -> String {
        let logins = DemoData.users.map { ($0.0, $0.2.title) } + [("region", Role.regionalCentre.title)]
        let width = logins.map { "demo.\($0.0)".count }.max() ?? 20
        var lines = ["", "══════════ Демо-муниципалитет загружен (данные вымышленные) ══════════",
                     "  \(DemoData.name): \(RussianPlural.count(report.cases, one: "обращение", few: "обращения", many: "обращений")) за 90 дней",
                     "  Пароль всех демо-пользователей: \(report.password ?? "—")", ""]
        for (suffix, title) in logins {
            let login = "demo.\(suffix)"
            lines.append("  " + login + String(repeating: " ", count: width - login.count + 2) + title)
        }
        lines.append("  demo.exec.<код организации>  исполнители остальных организаций (например, demo.exec.heat)")
        lines += ["", "  Веб-интерфейс: адрес сервера в браузере (по умолчанию http://127.0.0.1:8080/);",
                  "  начните с demo.pos (входящие оператора) и demo.exec.water (исполнитель).",
                  "", "  API-токен «Демо-интеграция» (роль: ответственный за каналы): \(report.token ?? "—")",
                  "  Пример: curl -H 'Authorization: Bearer \(report.token ?? "…")' http://127.0.0.1:8080/api/v1/municipalities/\(DemoData.slug)/cases",
                  "══════════════════════════════════════════════════════════════════════", ""]
        return lines.joined(separator: "\n")
    }
}
