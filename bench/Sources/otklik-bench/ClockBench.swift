import Foundation
import OtklikCore

/// Deadline computations per second on one core: mixed clocks, random instants across 2025–2027,
/// five municipalities' zones (issue 3's target: at least 1 000 000 a second).
enum ClockBench {
    static func run(count: Int) {
        let zones = ["Europe/Kaliningrad", "Europe/Moscow", "Asia/Novokuznetsk", "Asia/Krasnoyarsk", "Asia/Anadyr"]
        let schedules = zones.map { WorkSchedule(zone: TimeZone(identifier: $0)!) }
        let rules: [ClockRule] = [.workingHours(minutes: 60), .workingHours(minutes: 540), .workingDays(0), .workingDays(8),
                                  .calendarDays(14), .calendarDays(30), .daily(minutes: 2880), .byLocalTime(hour: 18, minute: 0)]
        var rng = SplitMix64(seed: 7)
        func next() -> UInt64 { rng.next() >> 11 }
        let from = 1_735_689_600.0, span = 3.0 * 365 * 86_400 // 2025-01-01 … end of 2027
        let work = (0..<count).map { _ in (Int(next() % 5), Int(next() % 8), Date(timeIntervalSince1970: from + Double(next() % UInt64(span)))) }
        var checksum = 0.0
        let started = Date()
        for (z, r, t) in work { checksum += schedules[z].deadline(rules[r], from: t).due.timeIntervalSince1970 }
        let seconds = Date().timeIntervalSince(started)
        print(String(format: "Clocks: %d deadline computations in %.2f s = %.0f per second on one core (target 1 000 000)  [checksum %.0f]",
                     count, seconds, Double(count) / seconds, checksum.truncatingRemainder(dividingBy: 1e6)))
    }
}
