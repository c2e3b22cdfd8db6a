import Foundation
import NIOConcurrencyHelpers
import Vapor

/// The application's notion of «now». Production reads the system clock; tests set the time to drive
/// deadlines, silence windows and escalations without waiting.
final class AppClock: Sendable {
    private let fixed = NIOLockedValueBox<Date?>(nil)

    var now: Date { fixed.withLockedValue { $0 } ?? Date() }

    /// Freezes the clock at `date` (tests).
    func set(_ date: Date) { fixed.withLockedValue { $0 = date } }
    func advance(by seconds: TimeInterval) { fixed.withLockedValue { $0 = ($0 ?? Date()).addingTimeInterval(seconds) } }
}

struct AppClockKey: StorageKey { typealias Value = AppClock }

extension Application {
    var clock: AppClock {
        if let c = storage[AppClockKey.self] { return c }
        let c = AppClock()
        storage[AppClockKey.self] = c
        return c
    }
}

extension Request {
    var now: Date { application.clock.now }
}
