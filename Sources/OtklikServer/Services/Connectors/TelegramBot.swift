import Fluent
import Foundation
import OtklikCore
import Vapor

/// The municipality's Telegram bot: residents' messages become cases (with the number told back at once),
/// and a published answer is sent to the chat the message came from. One pass per connector; the
/// background service repeats it, tests call it directly.
struct TelegramBot {
    let app: Application
    let connector: Connector

    var client: TelegramBotClient {
        TelegramBotClient(http: app.http.client.shared, base: Connectors.config(connector)["api_base"] ?? TelegramBotClient.defaultBase,
                          token: connector.secret ?? "")
    }

    /// Every enabled bot of every municipality, once.
    static func tick(_ app: Application) async {
        guard let bots = try? await Connector.query(on: app.db).filter(\.$kind == Connector.Kind.telegram.rawValue)
            .filter(\.$enabled == true).all() else { return }
        for c in bots {
            let bot = TelegramBot(app: app, connector: c)
            // Receiving and delivering fail independently: answers still go out when getUpdates does not.
            var failures: [String] = []
            for step in [bot.receive, bot.deliverAnswers] {
                do { try await step() } catch {
                    let text = (error as? TelegramBotClient.Failure)?.russian ?? "ошибка: \(type(of: error))"
                    app.logger.warning("Telegram bot «\(c.name)»: \(text)")
                    failures.append(text)
                }
            }
            try? await bot.note(error: failures.isEmpty ? nil : failures.joined(separator: "; "))
        }
    }

    /// New messages since the stored offset.
    func receive() async throws {
        guard let municipality = try await Municipality.find(connector.tenantID, on: app.db) else { return }
        let zone = TimeZone(identifier: municipality.timeZone) ?? .gmt
        let offset = Connectors.config(connector)["offset"].flatMap(Int.init)
        let updates = try await client.getUpdates(offset: offset.map { $0 + 1 })
        guard !updates.isEmpty else { return }
        let now = app.clock.now
        let intake = CaseIntakeService(db: app.db, tenantID: connector.tenantID,
                                       actor: IntakeActor(userID: nil, label: "Telegram-бот «\(connector.name)»", source: "telegram"), now: now)
        for update in updates {
            switch update.action {
            case .greet(let chat):
                try await client.sendMessage(chatID: chat, text: TelegramIntake.greeting)
            case .skip(let reason, let chat, let reply):
                app.logger.info("Telegram bot «\(connector.name)»: пропущено — \(reason)")
                if let chat, let reply { try await client.sendMessage(chatID: chat, text: reply) }
            case .intake(let chat, var record):
                if record["received_at"] == nil { record["received_at"] = .string(TimeText.formatRFC3339(now)) }
                let outcome = CaseDraftParser(now: now, localTimeZone: zone).parse(record)
                switch try await intake.intake([outcome])[0] {
                case .created(let id, let number):
                    let due = try await CaseClock.query(on: app.db).filter(\.$caseID == id)
                        .filter(\.$kind == CaseClockKind.finalAnswer.rawValue).first()
                    let when = due.map { " Ответ — до \(RussianDate.dateTime($0.dueAt, in: zone))." } ?? ""
                    try await client.sendMessage(chatID: chat, text: "Обращение зарегистрировано, номер \(number).\(when) Ответ придёт в этот чат.")
                case .existing:
                    break // a repeated update: told already
                case .rejected(let issues):
                    try await client.sendMessage(chatID: chat, text: "Не удалось зарегистрировать сообщение: " + issues.map(\.reason).joined(separator: "; "))
                }
            }
            // The offset moves after each update: a failure later does not replay the ones done.
            try await saveOffset(update.updateID)
        }
    }

    /// Published answers of this municipality's bot cases that have not reached their chat yet.
    func deliverAnswers() async throws {
        let since = app.clock.now.addingTimeInterval(-30 * 86_400)
        let cases = try await CaseRecord.query(on: app.db).filter(\.$tenantID == connector.tenantID)
            .filter(\.$channel == CaseChannel.telegramBot.rawValue)
            .filter(\.$status ~~ [CaseStatus.published, .awaitingFeedback, .closed].map(\.rawValue))
            .filter(\.$updatedAt >= since).all()
        guard !cases.isEmpty else { return }
        // Three queries for the whole batch, not two per case: this runs every few seconds.
        let ids = cases.map { $0.id! }
        var latest: [UUID: CaseAnswer] = [:]
        for a in try await CaseAnswer.query(on: app.db).filter(\.$caseID ~~ ids)
            .filter(\.$state == CaseAnswer.State.published.rawValue).all() where a.version > (latest[a.caseID]?.version ?? 0) {
            latest[a.caseID] = a
        }
        var delivered: [UUID: [String]] = [:], noted = Set<UUID>()
        for e in try await CaseEvent.query(on: app.db).filter(\.$caseID ~~ ids)
            .filter(\.$kind ~~ [CaseEventKind.answerDelivered.rawValue, CaseEventKind.answerNotDelivered.rawValue]).all() {
            if e.kind == CaseEventKind.answerDelivered.rawValue { delivered[e.caseID, default: []].append(e.detailsJSON) } else { noted.insert(e.caseID) }
        }
        for record in cases {
            guard let answer = latest[record.id!] else { continue }
            let done = (delivered[record.id!] ?? []).contains { $0.contains("\"answer_version\":\"\(answer.version)\"") }
            guard !done, let external = record.externalID, let chat = TelegramIntake.chatID(fromExternalID: external) else { continue }
            let now = app.clock.now
            let details = ["answer_version": String(answer.version), "chat": String(chat)]
            do {
                try await client.sendMessage(chatID: chat, text: TelegramIntake.answerMessage(number: record.number, text: answer.text))
                try await CaseEvent(tenantID: record.tenantID, caseID: record.id!, kind: CaseEventKind.answerDelivered.rawValue,
                                    actorUserID: nil, actorLabel: "Telegram-бот «\(connector.name)»", at: now,
                                    comment: "Ответ отправлен в чат заявителя", details: details).create(on: app.db)
            } catch let failure as TelegramBotClient.Failure {
                // Recorded once per case and tried again on the next pass.
                if !noted.contains(record.id!) {
                    try await CaseEvent(tenantID: record.tenantID, caseID: record.id!, kind: CaseEventKind.answerNotDelivered.rawValue,
                                        actorUserID: nil, actorLabel: "Telegram-бот «\(connector.name)»", at: now,
                                        comment: failure.russian + "; повторим автоматически", details: details).create(on: app.db)
                }
                throw failure
            }
        }
    }

    private func saveOffset(_ id: Int) async throws {
        var config = Connectors.config(connector)
        config["offset"] = String(id)
        connector.configJSON = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        try await Connector.query(on: app.db).filter(\.$id == connector.id!).set(\.$configJSON, to: connector.configJSON).update()
    }

    func note(error: String?) async throws {
        try await Connector.query(on: app.db).filter(\.$id == connector.id!)
            .set(\.$lastEventAt, to: app.clock.now).set(\.$lastError, to: error.map { String($0.prefix(500)) }).update()
    }
}
