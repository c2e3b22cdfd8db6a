import Foundation
@testable import OtklikServer
import Testing

@Suite("Конфигурация из окружения: значения по умолчанию и понятные ошибки")
struct AppConfigTests {
    @Test("по умолчанию: SQLite, контроль сроков раз в минуту, письма каждые 10 секунд, без внешнего адреса")
    func defaults() throws {
        let c = try AppConfig.from(environment: [:])
        #expect(c.database == .sqlite(path: "./otklik.sqlite"))
        #expect(c.monitorIntervalSeconds == 60 && c.notificationIntervalSeconds == 10 && c.publicURL == nil)
    }

    @Test("внешний адрес для ссылок: косая черта в конце отбрасывается")
    func publicURL() throws {
        let c = try AppConfig.from(environment: ["OTKLIK_PUBLIC_URL": "https://otklik.admin.example/", "OTKLIK_NOTIFY_INTERVAL": "0"])
        #expect(c.publicURL == "https://otklik.admin.example" && c.notificationIntervalSeconds == 0)
    }

    @Test("подложка карты: адрес с {z}/{x}/{y}, иначе понятная ошибка")
    func mapTiles() throws {
        let c = try AppConfig.from(environment: ["OTKLIK_MAP_TILE_URL": "https://tiles.example/{z}/{x}/{y}.png", "OTKLIK_MAP_TILE_ATTRIBUTION": "© OSM"])
        #expect(c.mapTileURL == "https://tiles.example/{z}/{x}/{y}.png" && c.mapTileAttribution == "© OSM")
        #expect(try AppConfig.from(environment: [:]).mapTileURL == nil)
        #expect { _ = try AppConfig.from(environment: ["OTKLIK_MAP_TILE_URL": "https://tiles.example/tile.png"]) } throws: {
            String(describing: $0).contains("OTKLIK_MAP_TILE_URL: ожидался адрес с {z}, {x} и {y}")
        }
    }

    @Test("неверные значения названы все сразу, по-русски")
    func errors() {
        #expect {
            _ = try AppConfig.from(environment: ["OTKLIK_PUBLIC_URL": "otklik.admin.example", "OTKLIK_NOTIFY_INTERVAL": "часто",
                                                 "DATABASE_URL": "mysql://x"])
        } throws: { error in
            let text = String(describing: error)
            return text.contains("OTKLIK_PUBLIC_URL: ожидался адрес") && text.contains("OTKLIK_NOTIFY_INTERVAL: ожидалось число")
                && text.contains("DATABASE_URL: поддерживаются только")
        }
    }
}
