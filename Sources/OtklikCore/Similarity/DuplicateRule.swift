import Foundation

/// When two messages are one problem: close in text, at the same place, near in time. Without a place
/// on either side the text alone must be nearly the same.
public struct DuplicateRule: Sendable, Equatable {
    /// Estimated Jaccard of the shingles when the place matches.
    public var textWithPlace = 0.4
    /// …and when it cannot be compared (no address or coordinates on one side).
    public var textAlone = 0.7
    /// Metres between coordinates that still count as the same place.
    public var radius = 300.0
    /// Days between receipts.
    public var windowDays = 14.0

    public init() {}

    public struct Side: Sendable {
        public let signature: MinHashSignature
        public let receivedAt: Date
        public let latitude: Double?
        public let longitude: Double?
        /// The address as compared, normalised once (a side is compared with hundreds of others); nil when
        /// there is none or nothing is left of it.
        public let normalAddress: String?

        public init(signature: MinHashSignature, receivedAt: Date, address: String?, latitude: Double?, longitude: Double?) {
            self.init(signature: signature, receivedAt: receivedAt,
                      normalAddress: address.map(DuplicateRule.normalAddress).flatMap { $0.isEmpty ? nil : $0 },
                      latitude: latitude, longitude: longitude)
        }

        /// A side read back from storage, its address already normalised.
        public init(signature: MinHashSignature, receivedAt: Date, normalAddress: String?, latitude: Double?, longitude: Double?) {
            self.signature = signature
            self.receivedAt = receivedAt
            self.latitude = latitude
            self.longitude = longitude
            self.normalAddress = normalAddress
        }
    }

    public enum Place: Sendable, Equatable {
        case sameAddress
        case within(metres: Int)
        case unknown
        case different
    }

    public struct Verdict: Sendable, Equatable {
        public var similarity: Double
        public var place: Place
        /// «совпадение текста 82 %, 120 м, через 2 дня»
        public var explanation: String
    }

    /// The verdict when `a` and `b` are one problem, nil otherwise.
    public func judge(_ a: Side, _ b: Side) -> Verdict? {
        let days = abs(a.receivedAt.timeIntervalSince(b.receivedAt)) / 86_400
        guard days <= windowDays else { return nil }
        let similarity = a.signature.similarity(b.signature)
        let place = Self.place(a, b, radius: radius)
        let needed: Double
        switch place {
        case .different: return nil
        case .sameAddress, .within: needed = textWithPlace
        case .unknown: needed = textAlone
        }
        guard similarity >= needed else { return nil }
        var parts = ["совпадение текста \(Int((similarity * 100).rounded())) %"]
        switch place {
        case .sameAddress: parts.append("тот же адрес")
        case .within(let m): parts.append("\(m) м")
        default: break
        }
        let d = Int(days.rounded(.down))
        parts.append(d == 0 ? "в тот же день" : "через \(d) дн.")
        return Verdict(similarity: similarity, place: place, explanation: parts.joined(separator: ", "))
    }

    static func place(_ a: Side, _ b: Side, radius: Double) -> Place {
        if let la = a.latitude, let lo = a.longitude, let lb = b.latitude, let lob = b.longitude {
            let m = Self.metres(la, lo, lb, lob)
            return m <= radius ? .within(metres: Int(m.rounded())) : .different
        }
        if let x = a.normalAddress, let y = b.normalAddress {
            return x == y ? .sameAddress : .different
        }
        return .unknown
    }

    /// «ул. Ленина, д. 5» and «улица Ленина 5» read alike: words and numbers only, usual abbreviations dropped.
    public static func normalAddress(_ s: String) -> String {
        let drop: Set<String> = ["ул", "улица", "д", "дом", "пр", "пр-т", "проспект", "пер", "переулок", "г", "город", "кв", "корп", "к"]
        return TextPipeline.tokens(s).map(\.text).filter { !drop.contains($0) }.joined(separator: " ")
    }

    static func metres(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let r = 6_371_000.0, p = Double.pi / 180
        let dlat = (lat2 - lat1) * p, dlon = (lon2 - lon1) * p
        let h = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * p) * cos(lat2 * p) * sin(dlon / 2) * sin(dlon / 2)
        return 2 * r * asin(min(1, sqrt(h)))
    }
}
