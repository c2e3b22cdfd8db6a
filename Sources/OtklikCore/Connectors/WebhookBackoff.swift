/// When a failed webhook delivery is tried again: 1 min, 5 min, 15 min, 1 h, 3 h, 6 h, 12 h, then it is
/// marked failed (about a day of retries covers a subscriber's night-time outage).
public enum WebhookBackoff {
    public static let delays: [Int] = [60, 300, 900, 3_600, 10_800, 21_600, 43_200]

    /// Seconds to wait after the `attempts`-th failed attempt; nil when no attempt is left.
    public static func delay(afterAttempts attempts: Int) -> Int? {
        attempts >= 1 && attempts <= delays.count ? delays[attempts - 1] : nil
    }

    public static var maxAttempts: Int { delays.count + 1 }
}
