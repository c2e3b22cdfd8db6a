import Foundation

/// The keys under which a recent message is filed so that a new one finds its possible duplicates
/// without reading every message of the fortnight: a message with coordinates is found by the grid
/// cells around it, one with an address by the address, and by its text bands only by messages that
/// cannot compare places with it (the place decides for those that can).
public enum DuplicateKeys {
    /// Cells of 0.005° latitude (≈ 556 m) by 0.02° longitude (≥ 500 m up to 77° N): the 3×3 cells around
    /// a point cover the 300 m radius everywhere in Russia's settled latitudes.
    static let latStep = 0.005
    static let lonStep = 0.02

    /// Which places a message has: two messages are compared by place when both have coordinates or both
    /// have an address (`DuplicateRule.place`), and by text alone otherwise.
    enum PlaceKind: String, CaseIterable {
        case none, coordinates, address, both

        init(_ side: DuplicateRule.Side) {
            let xy = side.latitude != nil && side.longitude != nil
            let addr = side.normalAddress != nil
            self = xy ? (addr ? .both : .coordinates) : (addr ? .address : .none)
        }

        var hasCoordinates: Bool { self == .coordinates || self == .both }
        var hasAddress: Bool { self == .address || self == .both }

        /// Kinds whose messages this one cannot compare places with: those are found by text.
        var textOnlyPartners: [PlaceKind] {
            PlaceKind.allCases.filter { other in
                !(hasCoordinates && other.hasCoordinates) && !(hasAddress && other.hasAddress)
            }
        }
    }

    /// Keys to store for a message.
    public static func stored(_ side: DuplicateRule.Side) -> [Int64] {
        var keys: [Int64] = []
        if let lat = side.latitude, let lon = side.longitude {
            let (i, j) = cell(lat, lon)
            keys.append(cellKey(i, j))
        }
        if let a = side.normalAddress { keys.append(key("addr", MinHashSignature.fnv(a))) }
        let kind = PlaceKind(side)
        keys += side.signature.bandKeys.map { band($0, kind: kind) }
        return keys
    }

    /// Keys to look up for a new message: the place's keys, and the text bands of the messages whose
    /// place cannot be compared with this one's (against the others the place decides).
    public static func lookup(_ side: DuplicateRule.Side) -> [Int64] {
        var keys: [Int64] = []
        if let lat = side.latitude, let lon = side.longitude {
            let (i, j) = cell(lat, lon)
            for di in -1...1 { for dj in -1...1 { keys.append(cellKey(i + di, j + dj)) } }
        }
        if let a = side.normalAddress { keys.append(key("addr", MinHashSignature.fnv(a))) }
        let partners = PlaceKind(side).textOnlyPartners
        for b in side.signature.bandKeys {
            for kind in partners { keys.append(band(b, kind: kind)) }
        }
        return keys
    }

    static func cell(_ lat: Double, _ lon: Double) -> (Int, Int) {
        (Int((lat / latStep).rounded(.down)), Int((lon / lonStep).rounded(.down)))
    }

    static func cellKey(_ i: Int, _ j: Int) -> Int64 {
        key("cell", UInt64(bitPattern: Int64(i)) &* 0x9e37_79b9 ^ UInt64(bitPattern: Int64(j)))
    }

    static func band(_ bandKey: Int64, kind: PlaceKind) -> Int64 {
        key("band:" + kind.rawValue, UInt64(bitPattern: bandKey))
    }

    private static func key(_ kind: String, _ value: UInt64) -> Int64 {
        Int64(bitPattern: MinHashSignature.mix(MinHashSignature.fnv(kind) ^ value))
    }
}
