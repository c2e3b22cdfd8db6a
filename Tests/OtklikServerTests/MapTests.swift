import Fluent
import Foundation
@testable import OtklikCore
@testable import OtklikServer
import Testing
import Vapor

/// Two boundaries loaded from one FeatureCollection, cases with coordinates in both, the map and its table.
@Suite("Карта округа: границы из GeoJSON, заливка по территориям, кружки по координатам, подложка по настройке")
struct MapTests {
    static func ring(_ lon: Double, _ lat: Double) -> String {
        "[[[\(lon),\(lat)],[\(lon + 0.05),\(lat)],[\(lon + 0.05),\(lat + 0.03)],[\(lon),\(lat + 0.03)],[\(lon),\(lat)]]]"
    }
    static let collection = """
        {"type":"FeatureCollection","features":[
          {"type":"Feature","properties":{"code":"CENTRE","name":"Центральный"},"geometry":{"type":"Polygon","coordinates":\(ring(87.85, 52.88))}},
          {"type":"Feature","properties":{"name":"микрорайон первый"},"geometry":{"type":"Polygon","coordinates":\(ring(87.90, 52.88))}},
          {"type":"Feature","properties":{"name":"Луна"},"geometry":{"type":"Polygon","coordinates":\(ring(10, 10))}}]}
        """

    @Test("загрузка границ: сопоставление по коду и названию, непарные перечислены; карта и таблица с числами; плохой файл ничего не пишет",
          arguments: TestDB.all)
    func boundariesAndMap(db: TestDB) async throws {
        try await withOtklik(db) { app in
            let f = try await Fixture.make(app)
            app.clock.set(at("2026-11-20T03:00:00Z"))
            for i in 0..<3 {
                _ = try await CaseDriver.register(app, f, channel: "hotline", external: "C-\(i)",
                                                  extra: #""location":{"latitude":52.89,"longitude":87.87}"#)
            }
            for i in 0..<2 {
                _ = try await CaseDriver.register(app, f, channel: "hotline", external: "M-\(i)",
                                                  extra: #""location":{"latitude":52.895,"longitude":87.93}"#)
            }
            try await CaseRecord.query(on: app.db).filter(\.$externalID ~~ "C-").set(\.$territoryID, to: f.alpha.territories["centre"]).update()
            try await CaseRecord.query(on: app.db).filter(\.$externalID ~~ "M-").set(\.$territoryID, to: f.alpha.territories["micro"]).update()

            let admin = try await app.signIn("a.admin")
            let url = "/api/v1/municipalities/alpha/territories/boundaries"
            // The operator may not; a broken geometry writes nothing at all.
            let op = try await app.signIn("a.operator")
            #expect(try await app.call(.PUT, url, as: op, json: Self.collection).status == .forbidden)
            let broken = Self.collection.replacingOccurrences(of: #"[[[10.0,10.0],"#, with: #"[[[10.0,100.0],"#)
            let bad = try await app.call(.PUT, url, as: admin, json: broken)
            #expect(bad.status == .unprocessableEntity && bad.body.string.contains("объект №3, кольцо №1, точка №1: координаты вне допустимых пределов"), "\(bad.body.string)")
            #expect(try await Territory.query(on: app.db).filter(\.$boundaryGeoJSON != nil).count() == 0)

            let res = try await app.call(.PUT, url, as: admin, json: Self.collection)
            #expect(res.status == .ok, "\(res.body.string)")
            #expect(res.json["matched"]?.int == 2 && res.json["unmatched"]?.array.compactMap(\.string) == ["Луна"])
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "territory.boundary").count() == 2)
            let centre = try await app.call(.GET, "/api/v1/municipalities/alpha/territories/\(f.alpha.territories["centre"]!)", as: admin)
            #expect(centre.json["has_boundary"]?.bool == true)

            // The map: both territories shaded and labelled with their counts (the microdistrict has its own boundary
            // now, so its cases count there), one circle for each place, the table beside it.
            let web = try await WebVisitor.signIn(app, "a.analyst")
            let page = try await web.get("/m/alpha/map?from=2026-11-16&to=2026-11-22")
            #expect(page.status == .ok)
            let html = page.body.string
            #expect(html.components(separatedBy: "<path d=\"M").count == 3, "две территории")
            #expect(html.contains(#"class="map-label">Центр</text>"#) && html.contains(#"class="map-label map-value">3</text>"#))
            #expect(html.contains(#"class="map-label map-value">2</text>"#))
            #expect(html.contains("<title>3 обращения</title>") && html.contains("<title>2 обращения</title>"))
            #expect(html.contains(#"id="located">5</strong>"#))
            #expect(!html.contains("boundaries-upload"), "форма загрузки — только администратору")
            #expect(page.headers.first(name: "Content-Security-Policy")?.contains("img-src 'self' data:;") == true)
            let csv = try await web.get("/m/alpha/map?from=2026-11-16&to=2026-11-22&format=csv").body.string
            #expect(csv.contains("Центр;3;") && csv.contains("Микрорайон Первый;2;"), "\(csv)")

            // An administrator loads a file through the page; a tile server, when configured, lies underneath.
            let adminWeb = try await WebVisitor.signIn(app, "a.admin")
            let upload = try await adminWeb.upload("/m/alpha/map/boundaries", [:], file: ("file", "granicy.geojson", Data(Self.collection.utf8)),
                                                   csrfFrom: "/m/alpha/map")
            #expect(upload.status == .seeOther)
            let after = try await adminWeb.get("/m/alpha/map").body.string
            #expect(after.contains("Границы загружены: 2") && after.contains("Не найдены среди территорий (пропущены): Луна"), "\(after.prefix(2000))")
            let empty = try await adminWeb.upload("/m/alpha/map/boundaries", [:], file: ("file", "x.geojson", Data("{}".utf8)), csrfFrom: "/m/alpha/map")
            #expect(empty.status == .seeOther)
            #expect(try await adminWeb.get("/m/alpha/map").body.string.contains("Границы не загружены"))

            app.storage[AppConfigKey.self]?.mapTileURL = "https://tiles.example:8443/{z}/{x}/{y}.png"
            app.storage[AppConfigKey.self]?.mapTileAttribution = "© участники OpenStreetMap"
            let tiled = try await web.get("/m/alpha/map?from=2026-11-16&to=2026-11-22")
            #expect(tiled.body.string.contains(#"<image href="https://tiles.example:8443/"#) && tiled.body.string.contains("© участники OpenStreetMap"))
            #expect(tiled.headers.first(name: "Content-Security-Policy")?.contains("img-src 'self' data: https://tiles.example:8443;") == true)
        }
    }
}
