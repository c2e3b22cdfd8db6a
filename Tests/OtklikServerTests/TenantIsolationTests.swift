import Fluent
import Foundation
import OtklikCore
@testable import OtklikServer
import Testing
import Vapor

@Suite("Разделение муниципальных образований и организаций")
struct TenantIsolationTests {
    @Test("Пользователь округа A не видит данных округа B ни через один адрес", arguments: TestDB.all)
    func tenantIsolation(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let bCase = try await app.call(.POST, "/api/v1/municipalities/beta/cases", as: .token(f.beta.token), json: caseJSON("B-SECRET", text: "Секрет округа Б"))
            let bCaseID = bCase.json["id"]!.string!
            let aAdmin = try await app.signIn("a.admin")
            let bOrg = f.beta.orgs["zhkh"]!

            // Every route under B's slug refuses A's administrator.
            for path in ["", "/cases", "/cases/\(bCaseID)", "/organisations", "/organisations/\(bOrg)", "/blocks",
                         "/rubrics", "/territories", "/users", "/api-tokens"] {
                let res = try await app.call(.GET, "/api/v1/municipalities/beta\(path)", as: aAdmin)
                #expect(res.status == .forbidden, "GET beta\(path) → \(res.status)")
                #expect(!res.body.string.contains("Секрет"))
            }
            let write = try await app.call(.POST, "/api/v1/municipalities/beta/organisations", as: aAdmin, json: #"{"name":"Чужая"}"#)
            #expect(write.status == .forbidden)
            // B's ids under A's own slug are simply not found.
            for path in ["/cases/\(bCaseID)", "/organisations/\(bOrg)", "/rubrics/\(f.beta.rubrics["zhkh"]!)",
                         "/territories/\(f.beta.territories["centre"]!)"] {
                let res = try await app.call(.GET, "/api/v1/municipalities/alpha\(path)", as: aAdmin)
                #expect(res.status == .notFound, "GET alpha\(path) → \(res.status)")
            }
            let patch = try await app.call(.PATCH, "/api/v1/municipalities/alpha/organisations/\(bOrg)", as: aAdmin, json: #"{"name":"Захват"}"#)
            #expect(patch.status == .notFound)
            // A's token cannot reach B either, and A's list never contains B's case.
            #expect(try await app.call(.GET, "/api/v1/municipalities/beta/cases", as: .token(f.alpha.token)).status == .forbidden)
            let aList = try await app.call(.GET, "/api/v1/municipalities/alpha/cases", as: .token(f.alpha.token))
            #expect(!aList.body.string.contains("B-SECRET"))
            // Referencing B's books from A's intake is refused.
            let foreign = try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: .token(f.alpha.token),
                                             json: caseJSON("X", extra: #""category":"\#(f.beta.rubrics["zhkh"]!)""#))
            #expect(foreign.status == .unprocessableEntity)
            let list = try await app.call(.GET, "/api/v1/municipalities", as: aAdmin)
            #expect(list.json.array.compactMap { $0["slug"]?.string } == ["alpha"])
        }
    }

    @Test("Исполнитель видит только обращения своей организации", arguments: TestDB.all)
    func executorSeesOwnOrganisation(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            let water = try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: .token(f.alpha.token),
                                           json: caseJSON("W-1", extra: #""category":"no-water""#))
            let road = try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: .token(f.alpha.token),
                                          json: caseJSON("R-1", text: "Яма", extra: #""category":"roads""#))
            _ = try await app.call(.POST, "/api/v1/municipalities/alpha/cases", as: .token(f.alpha.token), json: caseJSON("U-1"))

            let zhkh = try await app.signIn("a.exec.zhkh")   // УЖКХ: sees its Водоканал's cases too
            let zhkhList = try await app.call(.GET, "/api/v1/municipalities/alpha/cases", as: zhkh)
            #expect(zhkhList.json["items"]!.array.compactMap { $0["external_id"]?.string } == ["W-1"])
            #expect(try await app.call(.GET, "/api/v1/municipalities/alpha/cases/\(road.json["id"]!.string!)", as: zhkh).status == .notFound)

            let roads = try await app.signIn("a.exec.roads")
            let roadsList = try await app.call(.GET, "/api/v1/municipalities/alpha/cases", as: roads)
            #expect(roadsList.json["items"]!.array.compactMap { $0["external_id"]?.string } == ["R-1"])
            #expect(try await app.call(.GET, "/api/v1/municipalities/alpha/cases/\(water.json["id"]!.string!)", as: roads).status == .notFound)
            // Even filtering by another organisation cannot widen the view.
            let widened = try await app.call(.GET, "/api/v1/municipalities/alpha/cases?organisation=\(f.alpha.orgs["zhkh"]!)", as: roads)
            #expect(widened.json["items"]!.array.isEmpty)

            let op = try await app.signIn("a.operator")
            #expect(try await app.call(.GET, "/api/v1/municipalities/alpha/cases", as: op).json["items"]!.array.count == 3)
        }
    }

    @Test("Региональный центр видит муниципалитеты своего региона, но не чужого", arguments: TestDB.all)
    func regionalCentre(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            _ = try await app.call(.POST, "/api/v1/municipalities/beta/cases", as: .token(f.beta.token), json: caseJSON("B-1"))
            let regional = try await app.signIn("regional")
            let list = try await app.call(.GET, "/api/v1/municipalities", as: regional)
            #expect(Set(list.json.array.compactMap { $0["slug"]?.string }) == ["alpha", "beta"])
            #expect(try await app.call(.GET, "/api/v1/municipalities/beta/cases", as: regional).json["items"]!.array.count == 1)
            // Read-only, and without personal data.
            #expect(try await app.call(.POST, "/api/v1/municipalities/beta/cases", as: regional, json: caseJSON("X")).status == .forbidden)
            let other = try await app.signIn("regional.other")
            #expect(try await app.call(.GET, "/api/v1/municipalities/beta/cases", as: other).status == .forbidden)
        }
    }
}
