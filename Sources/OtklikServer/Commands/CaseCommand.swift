import Fluent
import OtklikCore
import Vapor

struct CaseCommandGroup: AsyncCommandGroup {
    var help: String { "Действия над обращениями из командной строки" }
    var commands: [String: any AnyAsyncCommand] { ["act": CaseActCommand(), "show": CaseShowCommand()] }
}

/// Resolves `--municipality`, `--number` and `--user` into the case and the acting user's access.
private func resolve(_ app: Application, slug: String?, number: Int?, login: String?) async throws -> (TenantAccess, CaseRecord) {
    guard let slug else { throw CommandFailure("Укажите --municipality") }
    guard let number else { throw CommandFailure("Укажите --number (номер обращения)") }
    guard let login else { throw CommandFailure("Укажите --user: действие выполняется от имени пользователя и попадает в историю") }
    let m = try await app.municipality(slug: slug)
    guard let user = try await User.query(on: app.db).filter(\.$login == login).first(), user.isActive else {
        throw CommandFailure("Пользователь «\(login)» не найден или отключён.")
    }
    let principal = try await PrincipalLoader.principal(for: user, on: app.db)
    guard let access = try await TenantAccess.make(principal: principal, municipality: m, on: app.db) else {
        throw CommandFailure("У пользователя «\(login)» нет роли в «\(m.name)».")
    }
    guard let record = try await CaseQueries.scoped(access, on: app.db).filter(\.$number == number).first() else {
        throw CommandFailure("Обращение №\(number) не найдено или недоступно пользователю «\(login)».")
    }
    return (access, record)
}

/// `otklik case act --municipality SLUG --number N --action ACTION --user LOGIN [--data '{"text":"…"}']`
struct CaseActCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "municipality", short: "m", help: "Код муниципального образования") var municipality: String?
        @Option(name: "number", short: "n", help: "Номер обращения") var number: Int?
        @Option(name: "action", short: "a", help: "Действие: " + CaseAction.allCases.filter { $0 != .acceptBySilence }.map(\.rawValue).joined(separator: ", ")) var action: String?
        @Option(name: "user", short: "u", help: "Логин пользователя, от имени которого выполняется действие") var user: String?
        @Option(name: "data", short: "d", help: "Поля действия в JSON, например {\"comment\":\"…\"}") var data: String?
    }
    var help: String { "Выполнить действие жизненного цикла (как в API, с теми же проверками)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let raw = signature.action, let action = CaseAction(rawValue: raw), action != .acceptBySilence else {
            throw CommandFailure("--action: укажите одно из: " + CaseAction.allCases.filter { $0 != .acceptBySilence }.map(\.rawValue).joined(separator: ", "))
        }
        var payload: [String: JSONValue] = [:]
        if let data = signature.data {
            guard case .object(let o)? = try? JSONParser.parse(data) else { throw CommandFailure("--data: ожидался JSON-объект") }
            payload = o
        }
        try await app.autoMigrate()
        let (access, record) = try await resolve(app, slug: signature.municipality, number: signature.number, login: signature.user)
        do {
            let done = try await LifecycleService(db: app.db, tenantID: access.tenantID, notifiers: app.notifiers)
                .perform(action, caseID: record.id!, payload: payload, actor: ActionActor(access),
                         expectedVersion: record.version, now: app.clock.now)
            context.console.print("Обращение №\(record.number): «\(action.title)» выполнено, статус — «\(done.status.title)».")
        } catch let problem as Problem {
            let fields = problem.errors.map { ": " + $0.map(\.description).joined(separator: "; ") } ?? ""
            throw CommandFailure("\(problem.title). \(problem.detail ?? "")\(problem.detail == nil ? fields : "")")
        }
    }
}

/// `otklik case show --municipality SLUG --number N --user LOGIN`: status, clocks and allowed actions.
struct CaseShowCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "municipality", short: "m", help: "Код муниципального образования") var municipality: String?
        @Option(name: "number", short: "n", help: "Номер обращения") var number: Int?
        @Option(name: "user", short: "u", help: "Логин пользователя") var user: String?
    }
    var help: String { "Показать статус, сроки и доступные действия обращения" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let (access, record) = try await resolve(app, slug: signature.municipality, number: signature.number, login: signature.user)
        let card = try await CaseCard.load(record.id!, access: access, now: app.clock.now, on: app.db)
        var lines = ["Обращение №\(card.number) · \(card.channel_title) · \(card.status_title) · версия \(card.version)"]
        for c in card.clocks ?? [] {
            let state = c.outcome_title ?? c.remaining_text ?? ""
            lines.append("  \(c.title): до \(c.due_local) (\(c.rule_title)) — \(state)")
        }
        let actions = (card.allowed_actions ?? []).map(\.action)
        lines.append("Доступно: " + (actions.isEmpty ? "нет действий" : actions.joined(separator: ", ")))
        context.console.print(lines.joined(separator: "\n"))
    }
}

/// `otklik monitor run`: one pass of the deadline monitor (for cron-driven deployments and checks).
struct MonitorRunCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Один проход контроля сроков: напоминания, просрочки, эскалации" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        try await app.autoMigrate()
        let r = try await DeadlineMonitor(db: app.db, notifiers: app.notifiers).tick(now: app.clock.now)
        context.console.print("Контроль сроков: напоминаний \(r.reminders), просрочено \(r.overdue), эскалаций \(r.escalations), принято без возражений \(r.acceptedBySilence).")
        let k = try await RiskMonitor(db: app.db, publicURL: app.publicURL, notifiers: app.notifiers).tick(now: app.clock.now)
        context.console.print("Инфориски: напоминаний \(k.reminders), просрочено \(k.overdue), эскалаций \(k.escalations), сезонных напоминаний \(k.seasons).")
        let o = try await AssignmentMonitor(db: app.db, notifiers: app.notifiers).tick(now: app.clock.now)
        context.console.print("Поручения: напоминаний \(o.reminders), просрочено \(o.overdue), эскалаций \(o.escalations).")
    }
}
