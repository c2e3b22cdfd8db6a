import Fluent
import OtklikCore
import Vapor

struct MunicipalityCommandGroup: AsyncCommandGroup {
    var help: String { "Муниципальные образования" }
    var commands: [String: any AnyAsyncCommand] { ["create": MunicipalityCreateCommand()] }
}

/// `otklik municipality create --slug SLUG --name NAME --time-zone ZONE [--oktmo CODE]`
struct MunicipalityCreateCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "slug", help: "Код для адресов API (латиница, цифры, дефис)") var slug: String?
        @Option(name: "name", help: "Полное название") var name: String?
        @Option(name: "time-zone", help: "Часовой пояс IANA, например Europe/Moscow") var timeZone: String?
        @Option(name: "oktmo", help: "Код ОКТМО (8 или 11 цифр)") var oktmo: String?
    }
    var help: String { "Создать муниципальное образование с семью отраслевыми блоками по умолчанию" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        var problems: [String] = []
        let slug = signature.slug ?? ""
        let name = signature.name ?? ""
        let zone = signature.timeZone ?? ""
        if let issue = MunicipalityRules.slugIssue(slug) { problems.append("--slug: \(issue)") }
        if name.trimmed.isEmpty { problems.append("--name: укажите название") }
        if let issue = MunicipalityRules.timeZoneIssue(zone) { problems.append("--time-zone: \(issue)") }
        if let oktmo = signature.oktmo, let issue = MunicipalityRules.oktmoIssue(oktmo) { problems.append("--oktmo: \(issue)") }
        guard problems.isEmpty else { throw CommandFailure(problems.joined(separator: "\n")) }
        try await app.autoMigrate()
        if try await Municipality.query(on: app.db).filter(\.$slug == slug).first() != nil {
            throw CommandFailure("Код «\(slug)» уже занят.")
        }
        let m = Municipality(regionID: nil, name: name, slug: slug, oktmo: signature.oktmo, timeZone: zone)
        try await app.db.transaction { tx in
            try await Tenants.create(m, on: tx)
            try await Audit.record(on: tx, tenantID: m.id, actor: nil, actorLabel: "командная строка", action: "municipality.create",
                                   entity: "municipality", entityID: m.id?.uuidString)
        }
        context.console.print("Создано муниципальное образование «\(name)» (код \(slug), \(zone)).")
    }
}
