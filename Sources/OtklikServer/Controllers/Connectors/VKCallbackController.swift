import Fluent
import Foundation
import OtklikCore
import Vapor

/// `POST /connectors/vk/{connector}` — the address given to VK in the community's Callback API settings.
/// VK wants the plain text «ok» for every accepted event (or it repeats the event), the confirmation
/// string for the handshake, anything else for a refusal.
struct VKCallbackController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped("connectors", "vk").on(.POST, ":connector", body: .collect(maxSize: "1mb"), use: receive)
    }

    func receive(req: Request) async throws -> Response {
        guard let id = req.parameters.get("connector", as: UUID.self),
              let connector = try await Connector.query(on: req.db).filter(\.$id == id)
                .filter(\.$kind == Connector.Kind.vk.rawValue).first(), connector.enabled,
              let groupID = Connectors.config(connector)["group_id"].flatMap(Int.init),
              let municipality = try await Municipality.find(connector.tenantID, on: req.db) else {
            return Self.text("подключение не найдено или выключено", .notFound)
        }
        let body = req.body.data.map { Array($0.readableBytesView) } ?? []
        let event: VKCallback.Event
        do {
            event = try VKCallback.read(body, groupID: groupID) { Connectors.secretMatches($0, connector.secret) }
        } catch {
            // Logged without the body: it may carry the secret.
            req.logger.warning("VK callback refused for connector \(id): \(error.russian)")
            try await note(connector, error: error.russian, at: req.now, on: req.db)
            return Self.text(error.russian, error == .wrongSecret ? .forbidden : .badRequest)
        }
        switch event {
        case .confirmation:
            return Self.text(Connectors.config(connector)["confirmation"] ?? "", .ok)
        case .ignored:
            try await note(connector, error: nil, at: req.now, on: req.db)
            return Self.text("ok", .ok)
        case .intake(var record):
            if record["received_at"] == nil { record["received_at"] = .string(TimeText.formatRFC3339(req.now)) }
            let zone = TimeZone(identifier: municipality.timeZone) ?? .gmt
            let outcome = CaseDraftParser(now: req.now, localTimeZone: zone).parse(record)
            let intake = CaseIntakeService(db: req.db, tenantID: connector.tenantID,
                                           actor: IntakeActor(userID: nil, label: "ВКонтакте: \(connector.name)", source: "vk"), now: req.now)
            if case .rejected(let issues) = try await intake.intake([outcome])[0] {
                // A post VK cannot fix by repeating is acknowledged, and the reason kept on the connector.
                let reason = issues.map(\.description).joined(separator: "; ")
                try await note(connector, error: "событие не зарегистрировано: \(reason)", at: req.now, on: req.db)
                return Self.text("ok", .ok)
            }
            try await note(connector, error: nil, at: req.now, on: req.db)
            return Self.text("ok", .ok)
        }
    }

    private func note(_ c: Connector, error: String?, at now: Date, on db: any Database) async throws {
        try await Connector.query(on: db).filter(\.$id == c.id!)
            .set(\.$lastEventAt, to: now).set(\.$lastError, to: error.map { String($0.prefix(500)) }).update()
    }

    static func text(_ s: String, _ status: HTTPResponseStatus) -> Response {
        let r = Response(status: status, body: .init(string: s))
        r.headers.contentType = .plainText
        return r
    }
}
