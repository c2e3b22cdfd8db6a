import Fluent
import Foundation
import OtklikCore
@testable import OtklikServer
import Testing
import Vapor

@Suite("Жизненный цикл обращения через API")
struct LifecycleFlowTests {
    // The fixture's municipality works in Asia/Novokuznetsk (UTC+7), 08:00–17:00 = 01:00–10:00Z.

    @Test("Порядок 003 §2.1 целиком: взять, назначить со сроком, ответ, возврат, согласование, публикация, 2 дня молчания → принято", arguments: TestDB.all)
    func incidentManagerEndToEnd(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T02:30:00Z"))   // Friday 09:30 local
            let c = try await CaseDriver.register(app, f, channel: "incident_manager", external: "IM-1")
            let op = try await app.signIn("a.operator"), exec = try await app.signIn("a.exec.zhkh")
            let head = try await app.signIn("a.head")

            var card = try await c.card(op)
            // Received Fri 09:15 local: the first answer is due within one working hour, 10:15 local.
            #expect(card.clock("first_response")?["due_at"]?.string == "2026-11-20T03:15:00Z")
            #expect(card.clock("first_response")?["rule_title"]?.string == "1 рабочий час")
            #expect(card.allowedActions.contains("first_response") && card.allowedActions.contains("assign"))
            #expect(!card.allowedActions.contains("approve"), "согласовывать пока нечего")

            app.clock.set(at("2026-11-20T02:40:00Z"))
            card = try await c.act("first_response", as: op, #""text":"Здравствуйте! Ответ будет дан в течение рабочего дня.""#)
            #expect(card["status"]?.string == "in_work")
            #expect(card.clock("first_response")?["outcome"]?.string == "met")

            // The final term is set at assignment: by default 9 working hours = 7 h 20 min on Friday from
            // 09:40 + 1 h 40 min on Monday → Mon 23 Nov 09:40 local. More than 5 working days is refused.
            let orgJSON = #""organisation_id":"\#(f.alpha.orgs["zhkh"]!.uuidString)""#
            let tooLate = try await c.act("assign", as: op, orgJSON + #","deadline":"2026-11-30T10:00:00Z""#, expect: .unprocessableEntity)
            #expect(tooLate["detail"]?.string?.contains("не позднее 27.11.2026 17:00") == true, "\(tooLate)")
            let execID = try await User.query(on: app.db).filter(\.$login == "a.exec.zhkh").first()!.id!
            card = try await c.act("assign", as: op, orgJSON + #","executor_id":"\#(execID.uuidString)""#)
            #expect(card["status"]?.string == "assigned")
            #expect(card.clock("executor")?["due_at"]?.string == "2026-11-23T02:40:00Z")
            #expect(card.clock("final_answer")?["due_at"]?.string == "2026-11-23T02:40:00Z")

            // The executor sees the case (their organisation) and answers.
            app.clock.set(at("2026-11-20T04:00:00Z"))
            card = try await c.card(exec)
            #expect(card.allowedActions == ["intermediate_answer", "request_extension", "submit_answer"], "\(card.allowedActions)")
            card = try await c.act("submit_answer", as: exec, #""text":"Подача воды восстановлена.","result":"resolved""#)
            #expect(card["status"]?.string == "on_review")
            #expect(card.clock("executor")?["outcome"]?.string == "met")

            // The operator returns it with a comment; the executor reworks against the same deadline.
            card = try await c.act("return_for_rework", as: op, #""comment":"Укажите адреса и время восстановления""#)
            #expect(card["status"]?.string == "returned")
            #expect(card["return_count"]?.int == 1)
            #expect(card.clock("executor")?["due_at"]?.string == "2026-11-23T02:40:00Z")
            #expect(card.clock("executor")?["stopped_at"] == JSONValue.null || card.clock("executor")?["stopped_at"] == nil)
            card = try await c.act("submit_answer", as: exec, #""text":"Подача воды по ул. Лесной, 1–15 восстановлена в 10:40.","result":"resolved""#)
            #expect(card["answers"]?.array.count == 2, "версии ответа сохраняются")
            #expect(card["answers"]?[0]?["state"]?.string == "returned")
            #expect(card["answers"]?[0]?["review_comment"]?.string == "Укажите адреса и время восстановления")

            // The executor may not approve; the operator (or the МЦУ head) approves; the operator publishes.
            let refused = try await c.act("approve", as: exec, expect: .forbidden)
            #expect(refused["detail"]?.string?.contains("Руководитель МЦУ") == true)
            card = try await c.act("approve", as: head)
            #expect(card["status"]?.string == "approved")
            app.clock.set(at("2026-11-20T07:00:00Z"))   // Friday 14:00 local
            card = try await c.act("publish", as: op, #""url":"https://vk.com/wall-1_2""#)
            #expect(card["status"]?.string == "awaiting_feedback")
            #expect(card["result"]?.string == "resolved")
            #expect(card.clock("final_answer")?["outcome"]?.string == "met")
            // 48 hours, every day counting: Sunday 14:00 local.
            #expect(card.clock("feedback")?["due_at"]?.string == "2026-11-22T07:00:00Z")

            // Silence: one second before the window nothing happens; after it the answer is accepted.
            app.clock.set(at("2026-11-22T06:59:59Z"))
            var report = try await DeadlineMonitor(db: app.db).tick(now: app.clock.now)
            #expect(report.acceptedBySilence == 0)
            app.clock.set(at("2026-11-22T07:00:01Z"))
            report = try await DeadlineMonitor(db: app.db).tick(now: app.clock.now)
            #expect(report.acceptedBySilence == 1)
            card = try await c.card(op)
            #expect(card["status"]?.string == "closed")
            #expect(card["accepted_by_silence"]?.bool == true)
            let kinds = card["history"]?.array.compactMap { $0["kind"]?.string } ?? []
            #expect(kinds == ["received", "first_response", "assign", "submit_answer", "return_for_rework", "submit_answer",
                              "approve", "publish", "accept_by_silence"], "\(kinds)")
            #expect(card["history"]?.array.last?["actor"]?.string == "система (контроль сроков)")
        }
    }

    @Test("Комментарий заявителя после публикации возвращает обращение в работу (повторное рассмотрение)", arguments: TestDB.all)
    func commentReopens(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T02:30:00Z"))
            let c = try await CaseDriver.register(app, f, channel: "incident_manager", external: "IM-2")
            let op = try await app.signIn("a.operator"), exec = try await app.signIn("a.exec.zhkh")
            let head = try await app.signIn("a.head")
            try await c.act("assign", as: op, #""organisation_id":"\#(f.alpha.orgs["zhkh"]!.uuidString)""#)
            try await c.act("submit_answer", as: exec, #""text":"Проверено, течи нет.","result":"explained""#)
            try await c.act("approve", as: head)
            try await c.act("publish", as: op)
            let rating7 = try await c.act("record_feedback", as: op, #""rating":7"#, expect: .unprocessableEntity)
            #expect(rating7["errors"]?[0]?["reason"]?.string == "оценка заявителя — целое число от 1 до 5", "\(rating7)")
            let card = try await c.act("record_feedback", as: op, #""text":"Течь есть, приезжайте и посмотрите""#)
            #expect(card["status"]?.string == "reopened")
            #expect(card["reopen_count"]?.int == 1)
            #expect(card["result"] == nil || card["result"] == .null)
            #expect(card.allowedActions.contains("assign"))
            #expect(card.clock("feedback")?["outcome"]?.string == "met")
        }
    }

    @Test("ПОС: оценка 1–3 → повторное рассмотрение с новым сроком; 4–5 → закрыто", arguments: TestDB.all)
    func posRating(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T03:00:00Z"))
            // ПОС sent its own planned date: it becomes the final-answer deadline.
            let c = try await CaseDriver.register(app, f, channel: "pos", external: "POS-77",
                                                  extra: #""source_deadline":"2026-11-26T17:00:00+07:00""#)
            let op = try await app.signIn("a.operator"), exec = try await app.signIn("a.exec.zhkh")
            let head = try await app.signIn("a.head")
            var card = try await c.card(op)
            #expect(card.clock("take_in_work")?["due_at"]?.string == "2026-11-20T10:00:00Z", "в тот же рабочий день, 17:00")
            #expect(card.clock("final_answer")?["due_at"]?.string == "2026-11-26T10:00:00Z")
            #expect(card.clock("final_answer")?["rule"]?.string == "source_deadline")
            card = try await c.act("take_in_work", as: op)
            #expect(card.clock("take_in_work")?["outcome"]?.string == "met")
            try await c.act("assign", as: op, #""organisation_id":"\#(f.alpha.orgs["zhkh"]!.uuidString)""#)
            try await c.act("submit_answer", as: exec, #""text":"Сделано.""#)
            try await c.act("approve", as: head)
            try await c.act("publish", as: op)
            card = try await c.act("record_feedback", as: op, #""rating":2,"text":"Ничего не сделано""#)
            #expect(card["status"]?.string == "reopened")
            #expect(card["feedback_rating"]?.int == 2)
            // Повторное рассмотрение runs a fresh 8-working-day term from now (Fri 20 Nov) → Wed 2 Dec 17:00.
            #expect(card.clock("final_answer")?["due_at"]?.string == "2026-12-02T10:00:00Z")
            try await c.act("submit_answer", as: exec, #""text":"Сделано, фото приложено.","attachments":["https://example.org/1.jpg"]"#)
            try await c.act("approve", as: head)
            try await c.act("publish", as: op)
            card = try await c.act("record_feedback", as: op, #""rating":5"#)
            #expect(card["status"]?.string == "closed")
            #expect(card["reopen_count"]?.int == 1)
            #expect(card["accepted_by_silence"]?.bool == false)
        }
    }

    @Test("Региональная платформа и страницы губернатора: без окна оценки ответ остаётся опубликованным до закрытия с результатом", arguments: TestDB.all)
    func noFeedbackWindow(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T03:00:00Z"))
            let c = try await CaseDriver.register(app, f, channel: "governor_pages", external: "GOV-1")
            let op = try await app.signIn("a.operator"), exec = try await app.signIn("a.exec.zhkh")
            let head = try await app.signIn("a.head")
            var card = try await c.card(op)
            // «В течение суток до 18.00»: the same day 18:00 local = 11:00Z.
            #expect(card.clock("final_answer")?["due_at"]?.string == "2026-11-20T11:00:00Z")
            try await c.act("assign", as: op, #""organisation_id":"\#(f.alpha.orgs["zhkh"]!.uuidString)""#)
            try await c.act("submit_answer", as: exec, #""text":"Разъяснили по телефону.","result":"explained""#)
            try await c.act("approve", as: head)
            card = try await c.act("publish", as: op)
            #expect(card["status"]?.string == "published")
            let bad = try await c.act("close", as: op, #""result":"rejected""#, expect: .unprocessableEntity)
            #expect(bad["detail"]?.string?.contains("Разъяснено") == true)
            card = try await c.act("close", as: op)
            #expect(card["status"]?.string == "closed")
            #expect(card["result"]?.string == "explained")
        }
    }
}
