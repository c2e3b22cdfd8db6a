import AsyncHTTPClient
import Crypto
import Fluent
import Foundation
import NIOCore
import OtklikCore
import Vapor

/// Outbound webhooks: every case event of the municipality (or the kinds a subscriber chose) is queued
/// for each subscriber and POSTed as JSON signed with HMAC-SHA256 of the body under the subscriber's key
/// (`X-Otklik-Signature: sha256=<hex>`); failures are retried with `WebhookBackoff`. One pass = queue the
/// new events, then send what is due. The queue is the delivery log.
struct WebhookDispatcher {
    let app: Application
    var now: Date { app.clock.now }

    static func tick(_ app: Application) async {
        let d = WebhookDispatcher(app: app)
        do {
            try await d.enqueue()
            try await d.sendDue()
        } catch {
            app.logger.warning("Webhooks: \(error)")
        }
    }

    static func signature(_ body: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + mac.map { String(format: "%02x", $0) }.joined()
    }

    /// New case events since each subscriber's cursor become pending deliveries.
    func enqueue() async throws {
        let hooks = try await Connector.query(on: app.db).filter(\.$kind == Connector.Kind.webhook.rawValue).filter(\.$enabled == true).all()
        for hook in hooks {
            var config = Connectors.config(hook)
            let cursor = config["cursor"].flatMap { try? TimeText.parseRFC3339($0) } ?? now
            let kinds = config["events"].map { Set($0.split(separator: ",").map(String.init)) }
            let events = try await CaseEvent.query(on: app.db).filter(\.$tenantID == hook.tenantID).filter(\.$occurredAt >= cursor)
                .sort(\.$occurredAt).limit(1_000).all()
            guard !events.isEmpty else { continue }
            let known = Set(try await WebhookDelivery.query(on: app.db).filter(\.$connectorID == hook.id!)
                .filter(\.$eventID ~~ events.map { $0.id! }).all().map(\.eventID))
            let fresh = events.filter { !known.contains($0.id!) && (kinds?.contains($0.kind) ?? true) }
            let cases = Dictionary(uniqueKeysWithValues: try await CaseRecord.query(on: app.db)
                .filter(\.$id ~~ Array(Set(fresh.map(\.caseID)))).all().map { ($0.id!, $0) })
            let slug = try await Municipality.find(hook.tenantID, on: app.db)?.slug ?? ""
            config["cursor"] = TimeText.formatRFC3339(events.last!.occurredAt)
            let configJSON = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
            let now = self.now
            try await app.db.transaction { tx in
                for e in fresh {
                    guard let c = cases[e.caseID] else { continue }
                    let d = WebhookDelivery()
                    d.id = TimeOrderedUUID.make(at: now)
                    d.tenantID = hook.tenantID; d.connectorID = hook.id!; d.eventID = e.id!; d.caseID = c.id!
                    d.caseNumber = c.number; d.eventKind = e.kind
                    d.payloadJSON = Self.payload(delivery: d.id!, event: e, case: c, municipality: slug)
                    d.status = WebhookDelivery.Status.pending.rawValue
                    d.attempts = 0; d.nextAttemptAt = now; d.createdAt = now
                    try await d.create(on: tx)
                }
                try await Connector.query(on: tx).filter(\.$id == hook.id!).set(\.$configJSON, to: configJSON).update()
            }
        }
    }

    /// The JSON a subscriber receives: the event and the case as the API names them; no personal data.
    static func payload(delivery: UUID, event e: CaseEvent, case c: CaseRecord, municipality: String) -> String {
        let details = (try? JSONDecoder().decode([String: String].self, from: Data(e.detailsJSON.utf8))) ?? [:]
        let object: [String: JSONValue] = [
            "delivery_id": .string(delivery.uuidString.lowercased()),
            "event": .string(e.kind),
            "event_id": .string(e.id!.uuidString.lowercased()),
            "occurred_at": .string(TimeText.formatRFC3339(e.occurredAt)),
            "municipality": .string(municipality),
            "actor": .string(e.actorLabel),
            "comment": e.comment.map(JSONValue.string) ?? .null,
            "details": .object(details.mapValues(JSONValue.string)),
            "case": .object([
                "id": .string(c.id!.uuidString.lowercased()), "number": .number(Double(c.number)), "channel": .string(c.channel),
                "status": .string(c.status), "external_id": c.externalID.map(JSONValue.string) ?? .null,
                "received_at": .string(TimeText.formatRFC3339(c.receivedAt)),
            ]),
        ]
        return JSONValue.object(object).jsonText
    }

    /// Pending deliveries whose time has come, oldest first.
    func sendDue() async throws {
        let due = try await WebhookDelivery.query(on: app.db).filter(\.$status == WebhookDelivery.Status.pending.rawValue)
            .filter(\.$nextAttemptAt <= now).sort(\.$createdAt).limit(200).all()
        guard !due.isEmpty else { return }
        let hooks = Dictionary(uniqueKeysWithValues: try await Connector.query(on: app.db)
            .filter(\.$id ~~ Array(Set(due.map(\.connectorID)))).all().map { ($0.id!, $0) })
        for d in due {
            guard let hook = hooks[d.connectorID], hook.enabled, let url = Connectors.config(hook)["url"] else { continue }
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
            request.headers.add(name: "User-Agent", value: "Otklik-Webhooks/1")
            request.headers.add(name: "X-Otklik-Event", value: d.eventKind)
            request.headers.add(name: "X-Otklik-Delivery", value: d.id!.uuidString.lowercased())
            request.headers.add(name: "X-Otklik-Signature", value: Self.signature(d.payloadJSON, secret: hook.secret ?? ""))
            request.body = .bytes(ByteBuffer(string: d.payloadJSON))
            var code: Int?
            var failure: String?
            do {
                let response = try await app.http.client.shared.execute(request, timeout: .seconds(15))
                code = Int(response.status.code)
                _ = try? await response.body.collect(upTo: 64 * 1024)
                if !(200..<300).contains(Int(response.status.code)) { failure = "получатель ответил \(response.status.code)" }
            } catch {
                failure = "получатель недоступен (\(type(of: error)))"
            }
            d.attempts += 1
            d.lastStatusCode = code
            d.lastError = failure
            if failure == nil {
                d.status = WebhookDelivery.Status.delivered.rawValue
                d.deliveredAt = now
                d.nextAttemptAt = nil
            } else if let delay = WebhookBackoff.delay(afterAttempts: d.attempts) {
                d.nextAttemptAt = now.addingTimeInterval(TimeInterval(delay))
            } else {
                d.status = WebhookDelivery.Status.failed.rawValue
                d.nextAttemptAt = nil
            }
            try await d.update(on: app.db)
            try await Connector.query(on: app.db).filter(\.$id == hook.id!)
                .set(\.$lastEventAt, to: now).set(\.$lastError, to: failure).update()
        }
    }
}
