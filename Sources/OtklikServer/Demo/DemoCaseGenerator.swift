import Foundation
import OtklikCore

/// Generates the demo's cases: weekday-heavy volume over the last `days` days, realistic channel mix,
/// texts assembled from varied templates, and one deliberate spike (no cold water in Заречный) for
/// the analytics to find.
struct DemoCaseGenerator {
    struct FactRef { var id: UUID; var fact: DemoData.Fact }
    struct TerritoryRef { var id: UUID; var name: String; var latitude: Double; var longitude: Double; var streets: [String] }

    var facts: [FactRef]
    var territories: [TerritoryRef]
    var now: Date
    var days = 90
    var target = 5_400
    var zone = TimeZone(identifier: DemoData.timeZone)!

    func generate() -> [CaseDraft] {
        var rng = SplitMix64(seed: 20_261_121)
        let totalFactWeight = facts.reduce(0) { $0 + $1.fact.weight }
        let totalChannelWeight = DemoData.channels.reduce(0) { $0 + $1.1 }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = calendar.startOfDay(for: now)
        let perDay = Double(target) / Double(days)
        var drafts: [CaseDraft] = []
        drafts.reserveCapacity(target + 200)
        let spikeFact = facts.first { $0.fact.name == "Отсутствие холодной воды" }
        let spikeTerritory = territories.first { $0.name.hasPrefix("Заречный") }

        for dayOffset in stride(from: days - 1, through: 0, by: -1) {
            guard let day = calendar.date(byAdding: .day, value: -dayOffset, to: today) else { continue }
            let weekday = calendar.component(.weekday, from: day) // 1 = Sunday
            let weekend = weekday == 1 || weekday == 7
            // Gentle growth over the period and fewer messages at weekends.
            let trend = 0.85 + 0.3 * Double(days - dayOffset) / Double(days)
            let count = Int((perDay * trend * (weekend ? 0.55 : 1.12)).rounded()) + Int.random(in: -4...4, using: &rng)
            let spike = dayOffset >= 10 && dayOffset < 17 // a week of trouble two weeks ago
            for i in 0..<max(count, 1) + (spike ? 12 : 0) {
                let forceSpike = spike && i >= max(count, 1)
                let fact = forceSpike ? spikeFact! : pick(facts, weights: facts.map(\.fact.weight), total: totalFactWeight, rng: &rng)
                let territory = forceSpike ? spikeTerritory! : territories.randomElement(using: &rng)!
                let channel = pick(DemoData.channels, weights: DemoData.channels.map(\.1), total: totalChannelWeight, rng: &rng)
                let social = [.incidentManager, .governorPages, .manualMonitoring, .officialPages].contains(channel.0)
                // Working-hours channels arrive 8–18 local; social networks around the clock, mostly by day.
                let hour = social ? [7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 0].randomElement(using: &rng)!
                                  : Int.random(in: 8...17, using: &rng)
                var received = day.addingTimeInterval(Double(hour * 3600 + Int.random(in: 0..<3600, using: &rng)))
                if received > now { received = now.addingTimeInterval(-Double(Int.random(in: 60...7200, using: &rng))) }
                drafts.append(draft(fact: fact, territory: territory, channel: channel, received: received,
                                    serial: drafts.count, rng: &rng))
            }
        }
        return drafts
    }

    private func draft(fact: FactRef, territory: TerritoryRef, channel: (CaseChannel, Int, [Platform], PublicationKind),
                       received: Date, serial: Int, rng: inout SplitMix64) -> CaseDraft {
        let street = territory.streets.randomElement(using: &rng)!
        let house = Int.random(in: 1...87, using: &rng)
        let places = ["на ул. \(street), \(house)", "возле дома \(house) по улице \(street)",
                      "на улице \(street)", "у дома № \(house) на улице \(street)"]
        var body = fact.fact.texts.randomElement(using: &rng)!
        body = body.replacingOccurrences(of: "{place}", with: places.randomElement(using: &rng)!)
            .replacingOccurrences(of: "{street}", with: street)
            .replacingOccurrences(of: "{days}", with: DemoData.durations.randomElement(using: &rng)!)
            .replacingOccurrences(of: "{n}", with: String(Int.random(in: 1...24, using: &rng)))
        let opening = DemoData.openings.randomElement(using: &rng)!
        let sentence = opening + body.prefix(1).uppercased() + body.dropFirst()
        let text = sentence + "." + DemoData.closings.randomElement(using: &rng)!
        let platform = channel.2.randomElement(using: &rng)!
        let first = DemoData.firstNames.randomElement(using: &rng)!
        let last = DemoData.lastNames.randomElement(using: &rng)!
        var author = CaseDraft.Author(name: "\(last) \(first) (демо)")
        switch channel.0 {
        case .hotline, .personalReception, .pos, .regionalPlatform:
            author.phone = String(format: "+7 900 555-%02d-%02d", Int.random(in: 0...99, using: &rng), Int.random(in: 0...99, using: &rng))
        case .email, .webForm:
            author.email = "demo.resident\(serial)@example.org"
        default:
            author.profileURL = platform == .vk ? "https://vk.com/demo_resident_\(serial)" : nil
        }
        let jitter = { (r: inout SplitMix64) in Double(Int.random(in: -40...40, using: &r)) / 10_000 }
        let hasPoint = Int.random(in: 0..<10, using: &rng) < 6
        let externalID: String? = switch channel.0 {
        case .pos: "DEMO-POS-\(3_100_000 + serial)"
        case .incidentManager: "DEMO-IM-\(870_000 + serial)"
        case .regionalPlatform: "DEMO-RP-\(52_000 + serial)"
        case .hotline, .personalReception: nil
        default: "DEMO-\(channel.0.rawValue)-\(serial)"
        }
        let sourceURL: String? = switch platform {
        case .vk: "https://vk.com/wall-000000_\(10_000 + serial)"
        case .ok: "https://ok.ru/group/000000/topic/\(10_000 + serial)"
        case .telegram: "https://t.me/svetloyarsk_demo_chat/\(10_000 + serial)"
        default: nil
        }
        return CaseDraft(
            channel: channel.0, externalID: externalID, receivedAt: received,
            legalRegime: channel.0 == .pos && Int.random(in: 0..<10, using: &rng) == 0 ? .appeal59FZ : .message,
            text: text, sourceURL: sourceURL, platform: platform, publicationKind: channel.3, author: author,
            location: .init(address: "\(territory.name), ул. \(street), \(house)",
                            latitude: hasPoint ? territory.latitude + jitter(&rng) : nil,
                            longitude: hasPoint ? territory.longitude + jitter(&rng) : nil,
                            territoryRef: territory.id.uuidString),
            sourceCategory: channel.0 == .pos || channel.0 == .incidentManager ? fact.fact.name : nil,
            categoryRef: fact.id.uuidString, tags: ["демо"])
    }

    private func pick<T>(_ items: [T], weights: [Int], total: Int, rng: inout SplitMix64) -> T {
        var r = Int.random(in: 0..<total, using: &rng)
        for (item, w) in zip(items, weights) {
            if r < w { return item }
            r -= w
        }
        return items.last!
    }
}
