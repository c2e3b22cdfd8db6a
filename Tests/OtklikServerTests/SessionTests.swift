import Fluent
import Foundation
import OtklikCore
@testable import OtklikServer
import Testing
import Vapor

@Suite("Вход, CSRF и первый запуск")
struct SessionTests {
    @Test("Изменения по cookie сеанса требуют CSRF-токен; токен API — нет", arguments: TestDB.all)
    func csrf(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let op = try await app.signIn("a.operator")
            var noCSRF = op
            noCSRF.headers.remove(name: "X-CSRF-Token")
            let refused = try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: noCSRF, json: caseJSON("C-1"))
            #expect(refused.status == .forbidden)
            #expect(refused.json["title"]?.string == "Нет CSRF-токена")
            var forged = op
            forged.headers.replaceOrAdd(name: "X-CSRF-Token", value: "поддельный")
            #expect(try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: forged, json: caseJSON("C-1")).status == .forbidden)
            #expect(try await app.call(.GET, "/api/v1/municipalities/alpha/cases", as: noCSRF).status == .ok, "чтение без CSRF")
            #expect(try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: op, json: caseJSON("C-1")).status == .created)
            #expect(try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: .token(f.alpha.token), json: caseJSON("C-2")).status == .created)
            #expect(try await CaseRecord.query(on: app.db).count() == 2)
            // Signing out ends the session.
            #expect(try await app.call(.DELETE, "/api/v1/session", as: op).status == .noContent)
            #expect(try await app.call(.GET, "/api/v1/municipalities/alpha/cases", as: op).status == .unauthorized)
        }
    }

    @Test("Пять неудачных попыток блокируют вход на 15 минут", arguments: TestDB.all)
    func lockout(db: TestDB) async throws {
        try await withOtklik(db) { app in
            _ = try await Fixture.make(app)
            for _ in 0..<5 {
                let res = try await app.call(.POST, "/api/v1/session", json: #"{"login":"a.operator","password":"неверный"}"#)
                #expect(res.status == .unauthorized)
                #expect(res.json["title"]?.string == "Неверный логин или пароль")
            }
            let locked = try await app.call(.POST, "/api/v1/session", json: #"{"login":"a.operator","password":"\#(Fixture.password)"}"#)
            #expect(locked.status == .tooManyRequests)
            #expect(locked.json["detail"]?.string?.contains("15 минут") == true)
            let failures = try await AuditEntry.query(on: app.db).filter(\.$action == "session.login_failed").count()
            #expect(failures == 5)
        }
    }

    @Test("Смена пароля проверяет текущий пароль и длину нового", arguments: TestDB.all)
    func changePassword(db: TestDB) async throws {
        try await withOtklik(db) { app in
            _ = try await Fixture.make(app)
            let me = try await app.signIn("a.analyst")
            let wrong = try await app.call(.POST, "/api/v1/session/password", as: me, json: #"{"current_password":"x","new_password":"новый-пароль-2026"}"#)
            #expect(wrong.json["errors"]?[0]?["field"]?.string == "current_password")
            let short = try await app.call(.POST, "/api/v1/session/password", as: me, json: #"{"current_password":"\#(Fixture.password)","new_password":"123"}"#)
            #expect(short.json["errors"]?[0]?["field"]?.string == "new_password")
            let ok = try await app.call(.POST, "/api/v1/session/password", as: me, json: #"{"current_password":"\#(Fixture.password)","new_password":"новый-пароль-2026"}"#)
            #expect(ok.status == .noContent)
            _ = try await app.signIn("a.analyst", "новый-пароль-2026")
        }
    }

    @Test("Первый запуск создаёт администратора с одноразовым паролем ровно один раз", arguments: TestDB.all)
    func firstStart(db: TestDB) async throws {
        let printed = Printed()
        try await withOtklik(db, bootstrap: true, printer: { printed.append($0) }) { app in
            let text = printed.all
            #expect(text.contains("Логин:               admin"))
            let password = try #require(text.split(separator: "\n").first { $0.contains("Одноразовый пароль") }?
                .split(separator: " ").last.map(String.init))
            #expect(password.count >= 12)
            let admin = try await app.signIn("admin", password)
            let me = try await app.call(.GET, "/api/v1/session", as: admin)
            #expect(me.json["must_change_password"]?.bool == true)
            #expect(me.json["roles"]?[0]?["role"]?.string == "platform_admin")
            try await Bootstrap.ensureAdministrator(app)
            #expect(try await User.query(on: app.db).count() == 1, "повторный запуск не создаёт второго")
        }
    }
}

/// Collects what the app prints for a person (thread-safe for the printer closure).
final class Printed: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ s: String) { lock.lock(); lines.append(s); lock.unlock() }
    var all: String { lock.lock(); defer { lock.unlock() }; return lines.joined(separator: "\n") }
}
