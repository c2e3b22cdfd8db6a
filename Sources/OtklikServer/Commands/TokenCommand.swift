import OtklikCore
import Vapor

struct TokenCommandGroup: AsyncCommandGroup {
    var help: String { "API-токены интеграций" }
    var commands: [String: any AnyAsyncCommand] { ["create": TokenCreateCommand()] }
}

/// `otklik token create --municipality SLUG --name NAME [--role channel_operator]`
struct TokenCreateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "municipality", short: "m", help: "Код муниципального образования") var municipality: String?
        @Option(name: "name", help: "Название интеграции") var name: String?
        @Option(name: "role", help: "Роль токена (по умолчанию channel_operator)") var role: String?
    }
    var help: String { "Выпустить API-токен (показывается один раз)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        guard let slug = signature.municipality else { throw CommandFailure("Укажите --municipality") }
        guard let name = signature.name, !name.isEmpty else { throw CommandFailure("Укажите --name") }
        let role = try signature.role.map { raw in
            guard let r = Role(rawValue: raw), r.scope == .municipality, !r.requiresOrganisation, !r.requiresBlock else {
                throw CommandFailure("--role: недопустимая роль для токена «\(raw)»")
            }
            return r
        } ?? .channelOperator
        try await app.autoMigrate()
        let tenantID = try await app.municipality(slug: slug).requireID()
        let (token, record) = try await TokensController.issue(name: name, role: role, tenantID: tenantID, createdBy: nil, on: app.db)
        try await Audit.record(on: app.db, tenantID: tenantID, actor: nil, actorLabel: "командная строка",
                               action: "api_token.create", entity: "api_token", entityID: record.id?.uuidString)
        context.console.print("Токен «\(name)» (\(role.title)): \(token)\nСохраните его: он показан один раз.")
    }
}
