import Foundation
import OtklikCore

/// Generated cases: the JSON the intake paths read, and the ready column values the raw SQL inserts.
struct BenchCases: Sendable {
    struct Row: Sendable {
        var externalID: String
        var channel: String
        var receivedAt: Date
        var text: String
        var searchText: String
        var authorName: String
        var authorPhone: String
        var address: String
        var latitude: Double
        var longitude: Double
        var json: String
    }
    var rows: [Row]

    static func generate(count: Int) -> BenchCases {
        let channels = ["pos", "incident_manager", "regional_platform", "hotline", "email", "official_pages"]
        let problems = ["не вывозят мусор", "нет холодной воды", "яма на дороге", "не горят фонари", "холодно в квартире",
                        "сломана детская площадка", "не чистят снег", "автобус не пришёл по расписанию"]
        let streets = ["Садовая", "Лесная", "Молодёжная", "Школьная", "Центральная", "Набережная", "Заводская"]
        var rng = SplitMix64(seed: 42)
        func next() -> Int { Int(rng.next() >> 33) }
        let now = Date().timeIntervalSince1970.rounded(.down)
        let formatter = ISO8601DateFormatter()
        var rows: [Row] = []
        rows.reserveCapacity(count)
        for i in 0..<count {
            let street = streets[next() % streets.count]
            let house = next() % 90 + 1
            let text = "Здравствуйте! На улице \(street), дом \(house) \(problems[next() % problems.count]) уже \(next() % 9 + 2) дня. Просим принять меры (сообщение \(i))."
            let received = Date(timeIntervalSince1970: now - Double(next() % (60 * 86_400)) - 60)
            let channel = channels[next() % channels.count]
            let lat = 56.0 + Double(next() % 2000) / 10_000, lon = 92.8 + Double(next() % 2000) / 10_000
            let phone = String(format: "+7 900 555-%02d-%02d", next() % 100, next() % 100)
            let json = #"{"channel":"\#(channel)","external_id":"B-\#(i)","received_at":"\#(formatter.string(from: received))","text":"\#(text)","author":{"name":"Житель \#(i) (бенчмарк)","phone":"\#(phone)"},"location":{"address":"ул. \#(street), \#(house)","latitude":\#(lat),"longitude":\#(lon)}}"#
            rows.append(Row(externalID: "B-\(i)", channel: channel, receivedAt: received, text: text,
                            searchText: text.lowercased().replacingOccurrences(of: "ё", with: "е"),
                            authorName: "Житель \(i) (бенчмарк)", authorPhone: phone, address: "ул. \(street), \(house)",
                            latitude: lat, longitude: lon, json: json))
        }
        return BenchCases(rows: rows)
    }

    func jsonLines() -> Data {
        Data(rows.map(\.json).joined(separator: "\n").utf8)
    }
}
